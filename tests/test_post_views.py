"""The practice-post workbench as a CM uses it: select, comment, score, request changes, revise, compare, publish."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from esncoach.models import LadderStage, PostStatus
from esncoach.services import execs, feedback, posts
from esncoach.store.workspace import Workspace
from esncoach.views.posts import workbench as post_workbench
from esncoach.views.posts.feedback_panel import HtmlRole
from esncoach.views.posts.workbench import PublishDialog
from esncoach.views.posts.tab import PostsTab

FIRST = ("Spent the morning with the team at our Lyon plant. Their idea to reuse packaging saved 12 tonnes of "
         "cardboard, leveraging synergies across the value chain going forward.")


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error boxes are modal; record their sentences instead of blocking the test."""
    seen: list[str] = []
    monkeypatch.setattr(post_workbench, "show_error", lambda _parent, _title, exc: seen.append(str(exc)))
    return seen


@pytest.fixture
def tab(qtbot, ws: Workspace) -> PostsTab:
    exec_id = execs.add_exec(ws, name="Claire Martin", stage=LadderStage.SHORT_UPDATES)
    posts.create_post(ws, exec_id=exec_id, title="Visiting the Lyon plant", text=FIRST)
    widget = PostsTab(ws)
    qtbot.addWidget(widget)
    widget.resize(1366, 720)
    with qtbot.waitSignal(widget.loader.sig_loaded):  # another exec's posts are read on a worker
        widget.set_exec(exec_id)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _select(tab: PostsTab, passage: str) -> None:
    text = tab.workbench.editor.text
    start = text.toPlainText().index(passage)
    text.select_range(start, start + len(passage))


def _comment(qtbot, tab: PostsTab, passage: str | None, words: str) -> int:
    wb = tab.workbench
    if passage:
        _select(tab, passage)
    wb.editor.text.setFocus()
    qtbot.keyClick(wb.editor.text, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert wb.panel.composer.isVisible()
    qtbot.keyClicks(wb.panel.comment_input, words)
    qtbot.keyClick(wb.panel.comment_input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not wb.panel.composer.isVisible()
    return wb.panel.current_id()


def test_full_review_round_trip(qtbot, tab: PostsTab, ws: Workspace, errors: list[str]) -> None:
    wb = tab.workbench
    post_id = wb.post.id
    assert tab.model.rowCount() == 1 and wb.status_chip.text() == "Draft"

    team = _comment(qtbot, tab, "the team", "Name the team: who had the idea?")
    jargon = _comment(qtbot, tab, "leveraging synergies", "Say what you mean here.")
    stored = {c.id: c for c in feedback.list_comments(ws, post_id=post_id)}
    assert stored[team].quoted_text == "the team" and stored[jargon].quoted_text == "leveraging synergies"
    assert len(wb.editor.text.extraSelections()) == 2  # both passages are tinted
    assert "2 open" in wb.panel.heading.text()

    # Next/previous comment (F8 / Shift+F8) walk the list and show the passage.
    wb.editor.text.setFocus()
    qtbot.keyClick(wb.editor.text, Qt.Key.Key_F8)
    first = wb.panel.current_id()
    qtbot.keyClick(wb.editor.text, Qt.Key.Key_F8)
    assert wb.panel.current_id() != first
    qtbot.keyClick(wb.editor.text, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert wb.panel.current_id() == first

    # Submit, score the reviewed revision, request changes with the keyboard.
    qtbot.keyClick(wb.editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert wb.post.status == PostStatus.IN_REVIEW and wb.editor.text.isReadOnly()
    rev1 = wb.post.revision_id
    rubric = wb.panel.rubric
    qtbot.mouseClick(rubric.groups["Clarity"].button(2), Qt.MouseButton.LeftButton)
    rubric.notes["Clarity"].setText("One long sentence")
    rubric.notes["Clarity"].editingFinished.emit()
    qtbot.mouseClick(rubric.groups["Tone"].button(4), Qt.MouseButton.LeftButton)
    assert {k: (v.score, v.note) for k, v in feedback.scores_for(ws, revision_id=rev1).items()} == {
        "Clarity": (2, "One long sentence"), "Tone": (4, "")}
    assert wb.panel.tabs.tabText(1) == "Rubric · 3.0"
    qtbot.keyClick(wb.editor.text, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert wb.post.status == PostStatus.CHANGES_REQUESTED and wb.post.revision_number == 2
    assert not wb.editor.text.isReadOnly()
    assert wb.panel.rubric.previous["Clarity"].text() == "was 2"

    # The exec revises: the jargon goes, the text is autosaved within a few seconds.
    editor = wb.editor.text
    text = editor.toPlainText()
    cut = text.index(", leveraging")
    cursor = editor.textCursor()
    cursor.setPosition(cut)
    cursor.setPosition(len(text), cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, ". What would it take to do the same in Turin, @marie.dupont?")
    assert wb.editor.dirty
    qtbot.waitUntil(lambda: not wb.editor.dirty, timeout=10_000)
    assert posts.get_post(ws, post_id=post_id).text.endswith("in Turin, @marie.dupont?")
    comments = {c.id: c for c in wb.panel.comments()}
    assert comments[jargon].detached and comments[jargon].detached_in == 2
    assert not comments[team].detached
    assert "detached" in wb.panel.heading.text()
    card = wb.panel.model.index(wb.panel.model.rows.index(comments[jargon])).data(HtmlRole)
    assert "detached" in card and "leveraging synergies" in card
    assert len(editor.extraSelections()) == 1  # the detached one is listed, not tinted

    # Looking back at revision 1 shows the comments where they were made.
    wb.revision_combo.setCurrentIndex(wb.revision_combo.findData(rev1))
    assert editor.isReadOnly() and editor.toPlainText() == FIRST
    assert not any(c.detached for c in wb.panel.comments())
    wb.revision_combo.setCurrentIndex(0)
    assert not editor.isReadOnly()

    # Compare the two revisions side by side.
    qtbot.keyClick(editor, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = wb.compare_dialog
    qtbot.waitExposed(dialog)
    assert "line-through" in dialog.old_view.toHtml() and "leveraging" in dialog.old_view.toPlainText()
    assert "Turin" in dialog.new_view.toPlainText() and "Revision 1 → 2" in dialog.summary.text()
    dialog.close()

    # Resolve, resubmit, mark ready (Ctrl+Shift+G), copy, publish.
    wb.panel.list.setCurrentIndex(wb.panel.model.index(0))
    qtbot.mouseClick(wb.panel.resolve, Qt.MouseButton.LeftButton)
    assert wb.panel.comments()[0].resolved
    assert wb.submit_for_review()
    qtbot.keyClick(editor, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert wb.post.status == PostStatus.READY and wb.buttons["publish"].isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == posts.final_text(ws, post_id=post_id)
    assert "Copied" in wb.notice.text()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PublishDialog)
        dialog.url.setText("not a link")
        dialog.accept()  # refused: the dialog stays open and says why
        assert "not a web link" in dialog.error_label.text()
        dialog.url.setText("https://engage.example.com/threads/42")
        dialog.accept()

    QTimer.singleShot(0, fill)
    assert wb.publish()
    row = posts.get_post(ws, post_id=post_id)
    assert (row.status, row.published_on, row.published_url) == (
        PostStatus.PUBLISHED, dt.date.today(), "https://engage.example.com/threads/42")
    assert "open on the network" in wb.published_label.text()
    assert not wb.actions["add_comment"].isEnabled()
    assert "Published" in tab.model.index(0).data(HtmlRole)
    assert errors == []


def test_an_empty_draft_cannot_go_to_review(qtbot, tab: PostsTab, ws: Workspace, errors: list[str]) -> None:
    post_id = tab.new_draft()
    assert post_id is not None and tab.current_post_id() == post_id and tab.model.rowCount() == 2
    wb = tab.workbench
    wb.editor.text.setFocus()
    qtbot.keyClicks(wb.editor.text, "   ")
    assert not wb.submit_for_review()
    assert errors == ["An empty post cannot go to review; write something first."]
    assert posts.get_post(ws, post_id=post_id).status == PostStatus.DRAFT
    assert wb.status_chip.text() == "Draft"


def test_a_100000_character_paste_is_handled(qtbot, tab: PostsTab, ws: Workspace, errors: list[str]) -> None:
    wb = tab.workbench
    editor = wb.editor.text
    editor.selectAll()
    mime = QMimeData()
    mime.setHtml("<b>ignored formatting</b>")
    big = ("Our markets move faster than our budget cycle, leveraging synergies. " * 1500)[:100_000]
    mime.setText(big)
    editor.insertFromMimeData(mime)
    assert editor.toPlainText() == big  # plain text only, nothing truncated
    assert wb.flush() and posts.get_post(ws, post_id=wb.post.id).text == big
    qtbot.waitUntil(lambda: "100,000" in wb.editor.counts.text(), timeout=5000)
    assert wb.editor.counts.property("lengthState") == "long"
    assert "over the 600" in wb.editor.hints.text()
    assert errors == []


def test_prompt_library_starts_a_draft(qtbot, tab: PostsTab, ws: Workspace) -> None:
    from esncoach.views.posts.prompts_dialog import PromptsDialog

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PromptsDialog)
        assert dialog.stage_filter.currentData() == LadderStage.SHORT_UPDATES
        texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert any("what you read this week" in t for t in texts)
        dialog.edit_text.setText("Thank the Lyon team by name.")
        dialog._on_add()
        assert dialog.list.currentItem().text().startswith("Thank the Lyon team by name.")
        dialog._on_start()

    QTimer.singleShot(0, choose)
    post_id = tab.draft_from_prompt()
    assert post_id is not None
    row = posts.get_post(ws, post_id=post_id)
    assert row.title == "Thank the Lyon team by name." and tab.workbench.post.id == post_id


def test_workbench_embeds_on_its_own(qtbot, demo_ws: Workspace) -> None:
    """Coaching mode shows one post with its feedback: the workbench works without the tab."""
    wb = post_workbench.PostWorkbench(demo_ws)
    qtbot.addWidget(wb)
    for e in execs.list_execs(demo_ws):
        for p in posts.list_posts(demo_ws, exec_id=e.id):
            if p.status == PostStatus.IN_REVIEW:
                wb.set_exec(e.id)
                wb.set_post(p.id)
                break
        if wb.post is not None:
            break
    assert wb.post is not None and wb.panel.comments()
    wb.show()
    qtbot.waitExposed(wb)
    wb.set_exec(None)
    assert wb.post is None and not wb.editor.text.isEnabled()


def test_settings_dialog_changes_rubric_jargon_and_targets(qtbot, tab: PostsTab, ws: Workspace) -> None:
    from esncoach.models import PostKind
    from esncoach.services import writing_aids
    from esncoach.views.posts.settings_dialog import PostSettingsDialog

    dialog = PostSettingsDialog(ws, tab)
    qtbot.addWidget(dialog)
    dialog.criteria.setPlainText("")
    dialog.accept()
    assert "at least one criterion" in dialog.error_label.text()
    dialog.criteria.setPlainText("Clarity\nWarmth\n")
    dialog.jargon.setPlainText("tonnes of cardboard\n")
    dialog.lengths[PostKind.SHORT_UPDATE][1].setValue(100)  # below the minimum of 150
    dialog.accept()
    assert "smaller to a larger" in dialog.error_label.text()
    assert feedback.criteria(ws)[0] == "Authentic voice"  # nothing was stored from a refused form
    dialog.lengths[PostKind.SHORT_UPDATE][1].setValue(400)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert feedback.criteria(ws) == ["Clarity", "Warmth"]
    assert writing_aids.jargon_words(ws) == ["tonnes of cardboard"]
    assert posts.target_length(ws, PostKind.SHORT_UPDATE) == (150, 400)
    tab.refresh()
    wb = tab.workbench
    assert list(wb.panel.rubric.groups) == ["Clarity", "Warmth"]
    qtbot.waitUntil(lambda: "tonnes of cardboard" in wb.editor.hints.text(), timeout=5000)


def test_workbench_shortcuts_do_not_collide_with_the_main_window(qtbot, demo_ws: Workspace) -> None:
    """Qt fires neither action when two share a shortcut, so every workbench key must be unique in the window."""
    from PySide6.QtGui import QAction, QKeySequence

    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow

    window = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(window)
    ours = {QKeySequence(k).toString() for k in post_workbench.SHORTCUTS.values()} | {"Ctrl+Shift+T"}
    theirs = set()
    for action in window.findChildren(QAction):
        parent = action.parent()
        if isinstance(parent, (post_workbench.PostWorkbench, PostsTab)):
            continue
        theirs |= {s.toString() for s in action.shortcuts()}
    assert not ours & theirs


def test_a_comment_stays_on_its_passage_when_text_is_typed_meanwhile(qtbot, tab: PostsTab, ws: Workspace) -> None:
    wb = tab.workbench
    _select(tab, "Lyon plant")
    wb.add_comment()
    editor = wb.editor.text
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "Big news! ")  # typed before the comment is added, not yet saved
    qtbot.keyClicks(wb.panel.comment_input, "Which line?")
    fid = wb.panel.commit_comment()
    text = posts.get_post(ws, post_id=wb.post.id).text
    c = next(c for c in feedback.list_comments(ws, post_id=wb.post.id) if c.id == fid)
    assert text.startswith("Big news! ") and text[c.start:c.end] == "Lyon plant" == c.quoted_text


def test_a_hint_link_selects_its_passage(qtbot, tab: PostsTab) -> None:
    editor = tab.workbench.editor
    link = next(part.split("'")[0] for part in editor.hints.text().split("href='")[1:] if "synergies" in part
                or "passive" in part or "jargon" in part)
    editor.hints.linkActivated.emit(link)
    assert editor.text.textCursor().selectedText().lower() in ("leveraging", "synergies", "going forward",
                                                              "value chain")


def test_on_the_exec_page_a_status_move_keeps_the_post_and_autosave_stays_quiet(qtbot, demo_ws: Workspace) -> None:
    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow

    window = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(window)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)
    page = window.page
    index = next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "Practice posts")
    page.tabs.setCurrentIndex(index)
    tab = page.tab_widgets[index]
    review = next(p for p in posts.list_posts(demo_ws, exec_id=chen.id) if p.status == PostStatus.IN_REVIEW)
    tab.select_post(review.id)
    assert tab.model.row_of(review.id) > 0  # not the first row, so a reset to the first post would show
    wb = tab.workbench
    with qtbot.waitSignal(page.sig_data_changed):
        assert wb.request_changes()
    assert tab.current_post_id() == review.id and wb.post.id == review.id
    assert wb.post.status == PostStatus.CHANGES_REQUESTED and not wb.editor.text.isReadOnly()
    wb.editor.text.moveCursor(wb.editor.text.textCursor().MoveOperation.End)
    with qtbot.assertNotEmitted(page.sig_data_changed):
        qtbot.keyClicks(wb.editor.text, " Tell me what you think.")
        assert wb.flush()
    assert posts.get_post(demo_ws, post_id=review.id).text.endswith("Tell me what you think.")


def test_search_hits_open_the_post_revision_or_comment(qtbot, demo_ws: Workspace) -> None:
    """The search popup offers post, revision and feedback hits to the tab (``show_item``)."""
    widget = PostsTab(demo_ws)
    qtbot.addWidget(widget)
    bruno = execs.find_exec(demo_ws, "Bruno Castillo")
    with qtbot.waitSignal(widget.loader.sig_loaded):
        widget.set_exec(bruno.id)
    returned = next(p for p in posts.list_posts(demo_ws, exec_id=bruno.id) if p.status == PostStatus.CHANGES_REQUESTED)
    published = next(p for p in posts.list_posts(demo_ws, exec_id=bruno.id) if p.status == PostStatus.PUBLISHED)
    assert widget.show_item("post", published.id) and widget.workbench.post.id == published.id
    first = posts.list_revisions(demo_ws, post_id=returned.id)[0]
    assert widget.show_item("revision", first.id)
    assert widget.workbench.shown_revision_id == first.id and widget.workbench.editor.text.isReadOnly()
    comments = feedback.list_comments(demo_ws, post_id=returned.id)
    attached = next(c for c in comments if not c.detached and c.anchored)
    detached = next(c for c in comments if c.detached)
    assert widget.show_item("feedback", attached.id)
    wb = widget.workbench
    assert wb.shown_revision_id == returned.revision_id and wb.panel.current_id() == attached.id
    assert wb.editor.text.textCursor().position() == attached.start
    assert widget.show_item("feedback", detached.id)  # its passage is gone: shown on its own revision
    assert wb.shown_revision_id == detached.revision_id and wb.panel.current_id() == detached.id
    other = execs.find_exec(demo_ws, "Amelia Hart")
    amelia_post = posts.list_posts(demo_ws, exec_id=other.id)[0]
    assert not widget.show_item("post", amelia_post.id)  # another exec's post is not shown here
    assert not widget.show_item("session", 1) and not widget.show_item("post", 999_999)
