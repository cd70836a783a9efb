"""No lost edits between colleagues, beyond session notes: exec details and private notes, practice posts,
feedback comments, action items and habits. Two real connections to one team workspace on the server
edit the same row; the later save is refused with both texts, and the widget keeps both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from esncoach.services import execs
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.workspace import Workspace


@pytest.fixture
def two(pg_demo_url: str):  # type: ignore[no-untyped-def]
    """Two app connections to one demo team workspace (two laptops of the same CM, or two colleagues)."""
    first = Workspace.open(pg_demo_url, None)  # type: ignore[arg-type]
    second = Workspace.open(pg_demo_url, None)  # type: ignore[arg-type]
    yield first, second
    first.close()
    second.close()


def _details(row: execs.ExecRow, **changes: object) -> dict[str, object]:
    fields: dict[str, object] = dict(name=row.name, title=row.title, department=row.department, email=row.email,
                                     handle=row.handle, joined=row.joined, private_notes=row.private_notes)
    fields.update(changes)
    return fields


# ----- (1) exec details and private notes -------------------------------------------------------------
def test_exec_private_notes_saved_over_a_newer_version_are_refused_with_both_texts(two) -> None:  # type: ignore[no-untyped-def]
    ann, bob = two
    seen_by_ann = execs.find_exec(ann, "Amelia Hart")
    seen_by_bob = execs.find_exec(bob, "Amelia Hart")
    assert seen_by_ann.version == seen_by_bob.version > 0
    new = execs.update_exec(bob, seen_by_bob.id, expected_version=seen_by_bob.version,
                            **_details(seen_by_bob, private_notes="Bob: prefers mornings"))
    assert new == seen_by_bob.version + 1
    with pytest.raises(ConflictError) as err:
        execs.update_exec(ann, seen_by_ann.id, expected_version=seen_by_ann.version,
                          **_details(seen_by_ann, title="Chief Everything", private_notes="Ann: dislikes slides"))
    assert "Bob: prefers mornings" in err.value.theirs and "Ann: dislikes slides" not in err.value.theirs
    assert "Ann: dislikes slides" in err.value.yours and "Title: Chief Everything" in err.value.yours
    assert err.value.version == new
    stored = execs.get_exec(ann, seen_by_ann.id)
    assert (stored.private_notes, stored.title) == ("Bob: prefers mornings", seen_by_ann.title)  # nothing overwritten
    # Saved again from the version now seen, with both notes: both kept.
    both = "Bob: prefers mornings\n\nAnn: dislikes slides"
    execs.update_exec(ann, seen_by_ann.id, expected_version=err.value.version,
                      **_details(stored, private_notes=both))
    assert execs.get_exec(bob, seen_by_ann.id).private_notes == both


def test_exec_dialog_conflict_keeps_both(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from esncoach.views.execs.dialog import ExecDialog
    from esncoach.views.team import conflict

    mine, colleague = two
    row = execs.find_exec(mine, "Amelia Hart")
    dialog = ExecDialog(mine, row)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    # The user types in the private notes (Tab from the name down to them), while a colleague saves first.
    dialog.notes.setFocus()
    qtbot.waitUntil(dialog.notes.hasFocus)
    dialog.notes.selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "Mine: ask about the board")
    theirs = execs.get_exec(colleague, row.id)
    execs.update_exec(colleague, row.id, expected_version=theirs.version,
                      **_details(theirs, department="Group Strategy", private_notes="Theirs: travels in May"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    dialog.accept()
    assert dialog.isVisible() and len(shown) == 1  # refused, the dialog stays open
    assert "Theirs: travels in May" in shown[0][0] and "Mine: ask about the board" in shown[0][1]
    assert "save again" in dialog.error_label.text()
    stored = execs.get_exec(mine, row.id)
    assert stored.private_notes == "Theirs: travels in May"  # nothing overwritten
    # The form holds both: the colleague's department (the user left it alone) and both notes.
    assert dialog.department.text() == "Group Strategy"
    assert dialog.notes.toPlainText() == f"Theirs: travels in May\n\n{conflict.MINE_MARK}\nMine: ask about the board"
    dialog.accept()
    assert dialog.result() == ExecDialog.DialogCode.Accepted
    stored = execs.get_exec(colleague, row.id)
    assert stored.department == "Group Strategy" and stored.private_notes == dialog.notes.toPlainText()


# ----- (2) practice posts: the working revision's text ------------------------------------------------
def _draft(ws: Workspace, text: str = "Visiting the Lyon plant taught me three things.") -> int:
    from esncoach.services import posts

    amelia = execs.find_exec(ws, "Amelia Hart")
    return posts.create_post(ws, exec_id=amelia.id, title="Lyon", text=text)


def test_post_text_saved_over_a_newer_revision_is_refused_with_both_texts(two) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import posts

    ann, bob = two
    post_id = _draft(ann)
    seen_by_ann, seen_by_bob = posts.get_post(ann, post_id=post_id), posts.get_post(bob, post_id=post_id)
    assert seen_by_ann.revision_version == seen_by_bob.revision_version > 0
    assert posts.save_text(bob, post_id=post_id, text="Bob's draft.", expected_version=seen_by_bob.revision_version,
                           revision_id=seen_by_bob.revision_id)
    with pytest.raises(ConflictError) as err:
        posts.save_text(ann, post_id=post_id, text="Ann's draft.", expected_version=seen_by_ann.revision_version,
                        revision_id=seen_by_ann.revision_id)
    assert (err.value.theirs, err.value.yours) == ("Bob's draft.", "Ann's draft.")
    assert posts.get_post(ann, post_id=post_id).text == "Bob's draft."  # nothing overwritten
    # A new round started by a colleague (request changes) also refuses a save meant for the old revision.
    now = posts.get_post(ann, post_id=post_id)
    posts.submit_for_review(bob, post_id=post_id)
    posts.request_changes(bob, post_id=post_id)
    with pytest.raises(ConflictError):
        posts.save_text(ann, post_id=post_id, text="Ann's draft.", expected_version=now.revision_version,
                        revision_id=now.revision_id)
    fresh = posts.get_post(ann, post_id=post_id)
    assert fresh.revision_number == now.revision_number + 1 and fresh.text == "Bob's draft."
    assert posts.save_text(ann, post_id=post_id, text="Bob's draft.\n\nAnn's draft.",
                           expected_version=fresh.revision_version, revision_id=fresh.revision_id)
    assert posts.get_post(bob, post_id=post_id).text == "Bob's draft.\n\nAnn's draft."


def _quiet(wb) -> None:  # type: ignore[no-untyped-def]
    """Stop the editor's pending timers: the test's database is dropped before Qt deletes the widget."""
    wb.editor.aids_timer.stop()
    wb.editor.autosave.stop()


def test_post_workbench_conflict_keeps_both(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import posts
    from esncoach.views.posts.workbench import PostWorkbench
    from esncoach.views.team import conflict

    mine, colleague = two
    post_id = _draft(mine, "Draft.")
    wb = PostWorkbench(mine)
    qtbot.addWidget(wb)
    wb.resize(1200, 700)
    wb.set_post(post_id)
    wb.show()
    qtbot.waitExposed(wb)
    wb.editor.text.setFocus()
    qtbot.waitUntil(wb.editor.text.hasFocus)
    wb.editor.text.moveCursor(wb.editor.text.textCursor().MoveOperation.End)
    qtbot.keyClicks(wb.editor.text, " Mine: the plant visit.")
    assert wb.editor.dirty
    theirs = posts.get_post(colleague, post_id=post_id)
    posts.save_text(colleague, post_id=post_id, text="Draft. Theirs: the team dinner.",
                    expected_version=theirs.revision_version, revision_id=theirs.revision_id)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    assert wb.flush() is False
    assert shown == [("Draft. Theirs: the team dinner.", "Draft. Mine: the plant visit.")]
    assert posts.get_post(mine, post_id=post_id).text == "Draft. Theirs: the team dinner."  # nothing overwritten
    both = f"Draft. Theirs: the team dinner.\n\n{conflict.MINE_MARK}\nDraft. Mine: the plant visit."
    assert wb.editor.text.toPlainText() == both and wb.editor.dirty
    assert wb.flush() is True  # saved from the version now seen: both kept
    assert posts.get_post(colleague, post_id=post_id).text == both
    _quiet(wb)


# ----- (3) feedback comments -----------------------------------------------------------------------------
def test_comment_reworded_by_a_colleague_is_not_overwritten_or_deleted(two) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import feedback, posts

    ann, bob = two
    post_id = _draft(ann)
    rev = posts.get_post(ann, post_id=post_id).revision_id
    fid = feedback.add_comment(ann, revision_id=rev, start=0, end=8, comment="Start with the people.")
    seen_by_ann = feedback.list_comments(ann, post_id=post_id)[0]
    seen_by_bob = feedback.list_comments(bob, post_id=post_id)[0]
    feedback.edit_comment(bob, feedback_id=fid, comment="Bob: start with the Lyon team.",
                          expected_version=seen_by_bob.version, seen=seen_by_bob.comment)
    with pytest.raises(ConflictError) as err:
        feedback.edit_comment(ann, feedback_id=fid, comment="Ann: name one person.",
                              expected_version=seen_by_ann.version, seen=seen_by_ann.comment)
    assert (err.value.theirs, err.value.yours) == ("Bob: start with the Lyon team.", "Ann: name one person.")
    with pytest.raises(ConflictError):
        feedback.delete_comment(ann, feedback_id=fid, expected_version=seen_by_ann.version, seen=seen_by_ann.comment)
    assert feedback.list_comments(ann, post_id=post_id)[0].comment == "Bob: start with the Lyon team."
    # Only the anchor moved (Bob edited the post's text before the passage): no conflict about the words.
    now = feedback.list_comments(ann, post_id=post_id)[0]
    post = posts.get_post(bob, post_id=post_id)
    posts.save_text(bob, post_id=post_id, text="So: " + post.text, expected_version=post.revision_version,
                    revision_id=post.revision_id)
    assert feedback.list_comments(bob, post_id=post_id)[0].version > now.version
    feedback.edit_comment(ann, feedback_id=fid, comment=now.comment + " Ann: name one person.",
                          expected_version=now.version, seen=now.comment)
    assert feedback.list_comments(bob, post_id=post_id)[0].comment.endswith("Ann: name one person.")


def test_feedback_panel_delete_keeps_a_comment_a_colleague_reworded(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import feedback, posts
    from esncoach.views.posts.workbench import PostWorkbench
    from esncoach.views.team import conflict

    mine, colleague = two
    post_id = _draft(mine)
    rev = posts.get_post(mine, post_id=post_id).revision_id
    fid = feedback.add_comment(mine, revision_id=rev, start=0, end=8, comment="Start with the people.")
    wb = PostWorkbench(mine)
    qtbot.addWidget(wb)
    wb.resize(1200, 700)
    wb.set_post(post_id)
    wb.show()
    qtbot.waitExposed(wb)
    assert wb.panel.select_comment(fid)
    seen = feedback.list_comments(colleague, post_id=post_id)[0]
    feedback.edit_comment(colleague, feedback_id=fid, comment="Theirs: start with the Lyon team.",
                          expected_version=seen.version, seen=seen.comment)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    qtbot.mouseClick(wb.panel.delete, Qt.MouseButton.LeftButton)
    assert shown == [("Theirs: start with the Lyon team.", "Start with the people.")]
    assert [c.comment for c in feedback.list_comments(mine, post_id=post_id)] == ["Theirs: start with the Lyon team."]
    assert [c.comment for c in wb.panel.comments()] == ["Theirs: start with the Lyon team."]  # shown again
    qtbot.mouseClick(wb.panel.delete, Qt.MouseButton.LeftButton)  # now seen: deleting it is the user's choice
    assert feedback.list_comments(mine, post_id=post_id) == [] and len(shown) == 1
    _quiet(wb)


# ----- (4) habits ----------------------------------------------------------------------------------------
def _habit(ws: Workspace):  # type: ignore[no-untyped-def]
    from esncoach.services import habits

    for row in execs.list_execs(ws):
        status = habits.habit_status(ws, exec_id=row.id)
        if status is not None:
            return status
    raise AssertionError("the demo has a habit")


def test_commitment_corrected_over_a_newer_version_is_refused_with_both(two) -> None:  # type: ignore[no-untyped-def]
    from esncoach.models import HabitSchedule
    from esncoach.services import habits

    ann, bob = two
    seen_by_ann, seen_by_bob = _habit(ann), _habit(bob)
    assert seen_by_ann.version == seen_by_bob.version > 0
    habits.update_commitment(bob, habit_id=seen_by_bob.habit_id, description="Bob: ten minutes on the stream",
                             schedule=HabitSchedule.DAILY, expected_version=seen_by_bob.version)
    with pytest.raises(ConflictError) as err:
        habits.update_commitment(ann, habit_id=seen_by_ann.habit_id, description="Ann: one comment a day",
                                 schedule=HabitSchedule.WEEKDAYS, expected_version=seen_by_ann.version)
    assert "Bob: ten minutes on the stream" in err.value.theirs and "Ann: one comment a day" in err.value.yours
    assert _habit(ann).description == "Bob: ten minutes on the stream"  # nothing overwritten
    habits.update_commitment(ann, habit_id=seen_by_ann.habit_id, description="Ann: one comment a day",
                             schedule=HabitSchedule.WEEKDAYS, expected_version=err.value.version)
    assert _habit(bob).description == "Ann: one comment a day"


def test_commitment_dialog_conflict_keeps_both(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from esncoach.services import habits
    from esncoach.views.habits.tab import CommitmentDialog
    from esncoach.views.team import conflict

    mine, colleague = two
    status = _habit(mine)
    dialog = CommitmentDialog(mine, status.exec_id, edit=status)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.description)
    dialog.description.selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "Mine: reply to two posts")
    theirs = _habit(colleague)
    habits.update_commitment(colleague, habit_id=theirs.habit_id, description="Theirs: read the stream",
                             schedule=theirs.schedule, times=theirs.times, period_days=theirs.period_days,
                             expected_version=theirs.version)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    dialog.accept()
    assert dialog.isVisible() and len(shown) == 1
    assert shown[0][0].startswith("Theirs: read the stream") and shown[0][1].startswith("Mine: reply to two posts")
    assert _habit(mine).description == "Theirs: read the stream"  # nothing overwritten
    assert dialog.description.text() == "Mine: reply to two posts" and "Save again" in dialog.error_label.text()
    dialog.accept()  # the user has seen theirs and saves again: a choice, not a silent overwrite
    assert dialog.result() == CommitmentDialog.DialogCode.Accepted
    assert _habit(colleague).description == "Mine: reply to two posts"


# ----- (4) action items ----------------------------------------------------------------------------------
def _session_with_items(ws: Workspace):  # type: ignore[no-untyped-def]
    from esncoach.services import sessions

    for row in execs.list_execs(ws):
        for cs in sessions.list_sessions(ws, exec_id=row.id):
            if cs.action_items and not any(i.superseded or i.carried_from_id for i in cs.action_items):
                return cs
    raise AssertionError("the demo has a session with action items")


def _inputs(cs, **first):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from esncoach.services.sessions import ActionItemInput

    items = [ActionItemInput(i.text, i.owner, i.due, i.done, i.id, i.owner_person_id, i.carried_from_id, i.version)
             for i in cs.action_items]
    items[0] = replace(items[0], **first)
    return items


def test_action_item_reworded_over_a_newer_version_is_refused_with_both(two) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import sessions

    ann, bob = two
    cs = _session_with_items(ann)
    seen_by_bob = sessions.get_session(bob, cs.id)
    sessions.save_session(bob, exec_id=cs.exec_id, session_id=cs.id, starts_at=cs.starts_at, ends_at=cs.ends_at,
                          title=cs.title, notes=cs.notes, kind=cs.kind, status=cs.status, agenda=cs.agenda,
                          outcomes=cs.outcomes, mentor_id=cs.mentor_id, expected_version=seen_by_bob.version,
                          action_items=_inputs(seen_by_bob, text="Bob: call the sponsor"))
    item_id = cs.action_items[0].id
    with pytest.raises(sessions.ActionItemConflictError) as err:
        sessions.save_session(ann, exec_id=cs.exec_id, session_id=cs.id, starts_at=cs.starts_at, ends_at=cs.ends_at,
                              title=cs.title, notes=cs.notes, kind=cs.kind, status=cs.status, agenda=cs.agenda,
                              outcomes=cs.outcomes, mentor_id=cs.mentor_id, expected_version=cs.version,
                              action_items=_inputs(cs, text="Ann: draft the first post"))
    assert (err.value.item_id, err.value.theirs, err.value.yours) == (item_id, "Bob: call the sponsor",
                                                                      "Ann: draft the first post")
    assert next(i for i in sessions.get_session(ann, cs.id).action_items if i.id == item_id).text == \
        "Bob: call the sponsor"  # nothing overwritten
    # A colleague's tick is not undone by a form that never saw it (same words: no conflict to show).
    fresh = sessions.get_session(ann, cs.id)
    stale = sessions.get_session(bob, cs.id)
    sessions.set_action_done(bob, item_id=item_id, done=True)
    sessions.save_session(ann, exec_id=cs.exec_id, session_id=cs.id, starts_at=cs.starts_at, ends_at=cs.ends_at,
                          title=cs.title, notes=cs.notes, kind=cs.kind, status=cs.status, agenda=cs.agenda,
                          outcomes=cs.outcomes, mentor_id=cs.mentor_id, expected_version=fresh.version,
                          action_items=_inputs(stale, done=False))
    assert next(i for i in sessions.get_session(ann, cs.id).action_items if i.id == item_id).done


def test_session_dialog_keeps_both_wordings_of_an_action_item(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

    from esncoach.services import sessions
    from esncoach.views.sessions.dialog import COL_TEXT, SessionDialog
    from esncoach.views.team import conflict

    mine, colleague = two
    cs = _session_with_items(mine)
    item_id = cs.action_items[0].id
    dialog = SessionDialog(mine, cs.exec_id, cs.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    row = next(r for r, i in enumerate(dialog.item_inputs()) if i.id == item_id)
    dialog.items.setCurrentCell(row, COL_TEXT)
    dialog.items.setFocus()
    qtbot.keyClick(dialog.items, Qt.Key.Key_F2)  # edit the item's words as a user does
    qtbot.waitUntil(lambda: dialog.items.state() == QAbstractItemView.State.EditingState)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Mine: draft the first post")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # on to the next cell: the words are in the table
    qtbot.waitUntil(lambda: dialog.items.item(row, COL_TEXT).text() == "Mine: draft the first post")
    assert dialog.items.item(row, COL_TEXT).text() == "Mine: draft the first post"
    theirs = sessions.get_session(colleague, cs.id)
    sessions.save_session(colleague, exec_id=cs.exec_id, session_id=cs.id, starts_at=cs.starts_at,
                          ends_at=cs.ends_at, title=cs.title, notes=cs.notes, kind=cs.kind, status=cs.status,
                          agenda=cs.agenda, outcomes=cs.outcomes, mentor_id=cs.mentor_id,
                          expected_version=theirs.version, action_items=_inputs(theirs, text="Theirs: call the sponsor"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    assert dialog.autosave() is False
    assert shown == [("Theirs: call the sponsor", "Mine: draft the first post")]
    stored = {i.id: i.text for i in sessions.get_session(mine, cs.id).action_items}
    assert stored[item_id] == "Theirs: call the sponsor"  # nothing overwritten
    texts = [i.text for i in dialog.item_inputs()]
    assert "Theirs: call the sponsor" in texts and "Mine: draft the first post" in texts
    assert dialog.autosave() is True  # both kept: theirs on the item, mine as a new one
    stored_texts = [i.text for i in sessions.get_session(colleague, cs.id).action_items]
    assert "Theirs: call the sponsor" in stored_texts and "Mine: draft the first post" in stored_texts
    assert len(stored_texts) == len(cs.action_items) + 1


def test_post_details_changed_by_a_colleague_are_not_overwritten(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.models import PostKind
    from esncoach.services import posts
    from esncoach.views.posts.workbench import PostWorkbench
    from esncoach.views.team import conflict

    mine, colleague = two
    post_id = _draft(mine)
    seen = posts.get_post(mine, post_id=post_id)
    # A colleague's text save moves the post's version but is no conflict about its details.
    theirs = posts.get_post(colleague, post_id=post_id)
    posts.save_text(colleague, post_id=post_id, text="New words.", expected_version=theirs.revision_version,
                    revision_id=theirs.revision_id)
    posts.update_details(mine, post_id=post_id, kind=seen.kind, title="Lyon, take two", community="",
                         drafted_by=seen.drafted_by, expected_version=seen.version,
                         seen=(seen.kind, seen.title, seen.community, seen.drafted_by))
    with pytest.raises(ConflictError) as err:  # the title changed since `seen`
        posts.update_details(colleague, post_id=post_id, kind=PostKind.LONG_FORM, title="Theirs", community="",
                             drafted_by=seen.drafted_by, expected_version=seen.version,
                             seen=(seen.kind, seen.title, seen.community, seen.drafted_by))
    assert "Title: Lyon, take two" in err.value.theirs and "Title: Theirs" in err.value.yours
    # Through the workbench: the user renames the post while a colleague already did.
    wb = PostWorkbench(mine)
    qtbot.addWidget(wb)
    wb.resize(1200, 700)
    wb.set_post(post_id)
    wb.show()
    qtbot.waitExposed(wb)
    wb.activateWindow()
    qtbot.waitUntil(wb.isActiveWindow)
    wb.editor.title.setFocus()
    qtbot.waitUntil(wb.editor.title.hasFocus)
    wb.editor.title.selectAll()
    qtbot.keyClicks(wb.editor.title, "Mine: three lessons")
    now = posts.get_post(colleague, post_id=post_id)
    posts.update_details(colleague, post_id=post_id, kind=PostKind.LONG_FORM, title="Theirs: Lyon",
                         community="Leadership Corner", drafted_by=now.drafted_by, expected_version=now.version,
                         seen=(now.kind, now.title, now.community, now.drafted_by))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    qtbot.keyClick(wb.editor.title, Qt.Key.Key_Return)  # editing finished: the details save
    assert len(shown) == 1 and "Theirs: Lyon" in shown[0][0] and "Mine: three lessons" in shown[0][1]
    stored = posts.get_post(mine, post_id=post_id)
    assert (stored.title, stored.community) == ("Theirs: Lyon", "Leadership Corner")  # nothing overwritten
    # The form: the user's title, the colleague's community and kind (the user did not touch them).
    assert wb.editor.title.text() == "Mine: three lessons"
    assert wb.editor.community.text() == "Leadership Corner" and wb.editor.kind.currentData() == PostKind.LONG_FORM
    qtbot.keyClick(wb.editor.title, Qt.Key.Key_Return)  # seen both; saving again is the user's choice
    stored = posts.get_post(colleague, post_id=post_id)
    assert (stored.title, stored.community, stored.kind) == ("Mine: three lessons", "Leadership Corner", PostKind.LONG_FORM)
    assert len(shown) == 1
    _quiet(wb)


# ----- coaching mode: the session's notes typed on the shared screen ----------------------------------------
def test_coaching_mode_keeps_both_notes_when_a_colleague_saved_first(qtbot, two) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import sessions
    from esncoach.views.app_settings import AppSettings
    from esncoach.views.coaching.coaching_window import CoachingWindow
    from esncoach.views.team import conflict

    mine, colleague = two
    window = CoachingWindow(mine, AppSettings(), exec_id=execs.find_exec(mine, "Chen Wei").id)
    qtbot.addWidget(window)
    window.show_coaching()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N)  # a quick note, as in a session
    qtbot.keyClicks(window.quick, "Mine: wants to post about the plant")
    theirs = sessions.get_session(colleague, window.session_id)
    sessions.save_notes(colleague, session_id=theirs.id, notes="Theirs: call before Friday",
                        expected_version=theirs.version)
    qtbot.keyClick(window.quick, Qt.Key.Key_Return)  # saves now: refused, both kept in the notes
    assert sessions.get_session(mine, window.session_id).notes == "Theirs: call before Friday"  # nothing overwritten
    typed = window.notes_page.text()
    assert typed.startswith("Theirs: call before Friday") and conflict.MINE_MARK in typed
    assert "Mine: wants to post about the plant" in typed
    assert "both versions" in window.status.text()
    assert window.save() is True  # saved on top of the colleague's: both stored
    assert sessions.get_session(colleague, window.session_id).notes == typed
    window.close()  # leaving records the held session while the test's database still exists
    assert window.recorded and sessions.get_session(mine, window.session_id).notes == typed


def test_an_action_item_a_colleague_changed_is_not_removed_by_a_stale_form(qtbot, two, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import sessions
    from esncoach.views.sessions.dialog import SessionDialog
    from esncoach.views.team import conflict

    mine, colleague = two
    cs = _session_with_items(mine)
    item_id = cs.action_items[0].id
    dialog = SessionDialog(mine, cs.exec_id, cs.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = next(r for r, i in enumerate(dialog.item_inputs()) if i.id == item_id)
    dialog.items.setCurrentCell(row, 1)
    dialog._remove_item_row()
    assert item_id not in [i.id for i in dialog.item_inputs()]
    theirs = sessions.get_session(colleague, cs.id)
    sessions.save_session(colleague, exec_id=cs.exec_id, session_id=cs.id, starts_at=cs.starts_at,
                          ends_at=cs.ends_at, title=cs.title, notes=cs.notes, kind=cs.kind, status=cs.status,
                          agenda=cs.agenda, outcomes=cs.outcomes, mentor_id=cs.mentor_id,
                          expected_version=theirs.version, action_items=_inputs(theirs, text="Theirs: keep this"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    assert dialog.autosave() is False
    assert shown == [("Theirs: keep this", "")]
    assert item_id in [i.id for i in sessions.get_session(mine, cs.id).action_items]  # not removed
    assert "Theirs: keep this" in [i.text for i in dialog.item_inputs()]  # back in the form
    assert dialog.autosave() is True
    assert "Theirs: keep this" in [i.text for i in sessions.get_session(colleague, cs.id).action_items]
