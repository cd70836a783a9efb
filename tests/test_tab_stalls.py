"""The exec page keeps the UI thread free (#18): tabs build in steps, reads run on workers, hidden tabs wait.

Behaviour only (no timings): what is shown, for which exec, and that typed text and focus survive.
"""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from esncoach.services import execs, posts
from esncoach.store.workspace import Workspace
from esncoach.views.charts.progress_page import ProgressTab
from esncoach.views.habits.tab import HabitTab
from esncoach.views.metrics import leader_tab
from esncoach.views.posts.tab import PostsTab
from tests.day_helpers import make_window


def _index(page, title: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i in range(page.tabs.count()) if page.tabs.tabText(i).replace("&&", "&") == title)


def test_a_tab_shown_first_is_built_after_the_click_and_shows_the_exec(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    window.select_exec(amelia.id)
    page = window.page
    index = _index(page, "Habit & ladder")
    page.tabs.setCurrentIndex(index)
    assert not page.tab_ready(index)  # nothing built inside the click: the tab bar repaints first
    qtbot.waitUntil(lambda: page.tab_ready(index))
    tab = page.tabs.widget(index)
    assert isinstance(tab, HabitTab) and page.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: not tab.loader.loading)
    assert tab.description.text() not in ("", "Loading…")
    assert tab._exec_id == amelia.id


def test_a_tab_left_while_it_reads_drops_the_read_and_reads_again_when_shown(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    page = window.page
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    window.select_exec(amelia.id)
    habit = _index(page, "Habit & ladder")
    page.tabs.setCurrentIndex(habit)
    qtbot.waitUntil(lambda: page.tab_ready(habit))
    tab = page.tabs.widget(habit)
    qtbot.waitUntil(lambda: not tab.loader.loading)

    gate = threading.Event()
    real_read = HabitTab._read
    shown: list[int] = []
    real_show = tab._show

    def slow_read(ws, exec_id, today):  # type: ignore[no-untyped-def]
        gate.wait(30)
        return real_read(ws, exec_id, today)

    monkeypatch.setattr(HabitTab, "_read", staticmethod(slow_read))
    monkeypatch.setattr(tab, "_show", lambda today, data: (shown.append(1), real_show(today, data)))
    bruno = execs.find_exec(demo_ws, "Bruno Castillo")
    window.select_exec(bruno.id)
    assert tab.loader.loading and tab.description.text() == "Loading…"
    page.tabs.setCurrentIndex(0)  # away before Bruno's habit is read
    assert not tab.loader.loading and not page.tab_ready(habit)
    gate.set()
    from esncoach.views.tasks import wait_all

    wait_all()
    QApplication.processEvents()
    assert shown == []  # the read finished for a hidden tab: its result was dropped
    monkeypatch.setattr(HabitTab, "_read", staticmethod(real_read))
    with qtbot.waitSignal(tab.loader.sig_loaded):
        page.tabs.setCurrentIndex(habit)  # shown again: read again, for Bruno
    assert shown == [1] and tab._exec_id == bruno.id and tab.description.text() != "Loading…"


def test_posts_of_the_exec_switched_to_last_are_shown(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = PostsTab(demo_ws)
    qtbot.addWidget(tab)
    tab.show()
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    bruno = execs.find_exec(demo_ws, "Bruno Castillo")
    tab.set_exec(amelia.id)
    assert tab.empty.text() == "Loading…"
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(bruno.id)  # before Amelia's list arrived: hers is dropped
    QApplication.processEvents()
    assert tab.model.rows and {p.exec_id for p in tab.model.rows} == {bruno.id}
    assert tab.workbench.post is not None and tab.workbench.post.exec_id == bruno.id
    assert [p.id for p in tab.model.rows] == [p.id for p in posts.list_posts(demo_ws, exec_id=bruno.id)]


def test_typed_post_text_and_focus_survive_a_reload_and_an_exec_switch(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    page = window.page
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)
    index = _index(page, "Practice posts")
    page.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: page.tab_ready(index))
    tab = page.tabs.widget(index)
    qtbot.waitUntil(lambda: tab.workbench.post is not None)
    editor = tab.workbench.editor.text
    if editor.isReadOnly():  # a post in review: start a fresh draft the user can type in
        tab.new_draft()
        editor = tab.workbench.editor.text
    post_id = tab.workbench.post.id
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(QApplication.focusWidget(), " First words")
    page.refresh()  # what the window does after an edit elsewhere: the same exec is read again
    qtbot.keyClicks(QApplication.focusWidget(), " and more")
    assert editor.hasFocus() and editor.toPlainText().endswith(" First words and more")
    assert tab.workbench.post.id == post_id

    window.select_exec(execs.find_exec(demo_ws, "Amelia Hart").id)  # the typed text is saved first
    assert posts.get_post(demo_ws, post_id=post_id).text.endswith(" First words and more")
    window.select_exec(chen.id)
    qtbot.waitUntil(lambda: not tab.loader.loading and tab.workbench.post is not None)
    tab.select_post(post_id)
    assert tab.workbench.editor.text.toPlainText().endswith(" First words and more")


def test_the_listening_window_changed_while_the_exec_is_read_is_the_one_shown(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    real_profile = leader_tab.leaders.leader_profile

    def slow_profile(ws, *, exec_id):  # type: ignore[no-untyped-def]
        gate.wait(30)
        return real_profile(ws, exec_id=exec_id)

    monkeypatch.setattr(leader_tab.leaders, "leader_profile", slow_profile)
    tab = leader_tab.LeaderTab(demo_ws)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    assert tab.summary.text() == "Loading…"
    tab.days.setValue(3)  # while the profile is read (with the brief for 14 days)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        gate.set()
    assert tab.summary.text().startswith("Persona this month:")
    assert tab.brief is not None and tab.brief.days == 3


def test_progress_charts_wait_while_the_tab_is_hidden_and_finish_when_shown(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    page = window.page
    window.select_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    index = _index(page, "Progress")
    page.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: page.tab_ready(index))
    tab = page.tabs.widget(index)
    assert isinstance(tab, ProgressTab)
    page.tabs.setCurrentIndex(0)  # away before the series are read and charted
    qtbot.waitUntil(lambda: tab.data is not None, timeout=60_000)
    QApplication.processEvents()
    assert tab.charts == [] and tab._paused is not None  # nothing drawn for a hidden tab
    with qtbot.waitSignal(tab.sig_charts_built, timeout=60_000):
        page.tabs.setCurrentIndex(index)
    assert len(tab.charts) == len(tab._building) > 0


def test_a_file_the_wizard_cannot_open_is_refused_on_the_file_page(qtbot, ws: Workspace, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.metrics import import_wizard

    errors: list[str] = []
    monkeypatch.setattr(import_wizard, "show_error", lambda _parent, title, exc: errors.append(f"{title}: {exc}"))
    empty = tmp_path / "figures.csv"
    empty.write_bytes(b"")
    wizard = import_wizard.ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.file_page.path_edit, str(empty))
    wizard.button(wizard.WizardButton.NextButton).click()  # peeked at on a worker
    qtbot.waitUntil(lambda: wizard.task is None and bool(errors), timeout=20_000)
    assert errors == ["Cannot import this file: “figures.csv” is empty."]
    assert wizard.currentPage() is wizard.file_page and wizard.peek is None
    good = tmp_path / "good.csv"
    good.write_text("date,messages\n2026-02-02,3\n", encoding="utf-8")
    wizard.file_page.path_edit.setText(str(good))
    wizard.button(wizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.columns_page, timeout=20_000)
    assert wizard.path == good and wizard.format_name == "generic"


def test_background_work_hands_the_gil_back_to_the_ui_thread_quickly(qtbot) -> None:  # type: ignore[no-untyped-def]
    import sys

    from PySide6.QtWidgets import QWidget

    from esncoach.views import tasks

    parent = QWidget()
    qtbot.addWidget(parent)
    done: list[int] = []
    task = tasks.run_task(parent, "", lambda _progress: 42, done.append, show_progress=False)
    with qtbot.waitSignal(task.sig_finished):
        pass
    assert done == [42] and sys.getswitchinterval() == tasks.GIL_SWITCH_S < 0.005


def test_the_influence_ranking_is_read_once_across_exec_switches_and_again_on_refresh(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.metrics import impact_panel

    calls: list[int] = []
    real = impact_panel.influencers.rank_influencers

    def counted(ws):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(ws)

    monkeypatch.setattr(impact_panel.influencers, "rank_influencers", counted)
    tab = impact_panel.ImpactTab(demo_ws)
    qtbot.addWidget(tab)
    tab.show()
    amelia, bruno = (execs.find_exec(demo_ws, n).id for n in ("Amelia Hart", "Bruno Castillo"))
    with qtbot.waitSignal(tab.sig_computed, timeout=60_000):
        tab.set_exec(amelia)
    first = tab.influence.text()
    with qtbot.waitSignal(tab.sig_computed, timeout=60_000):
        tab.set_exec(bruno)  # another exec: the same ranking, not read again
    assert calls == [1] and tab.report is not None and tab.report.exec_name == "Bruno Castillo"
    assert first.split(":")[0] == tab.influence.text().split(":")[0] != ""
    with qtbot.waitSignal(tab.sig_computed, timeout=60_000):
        tab.set_exec(bruno)  # the same exec again is a refresh (after an edit elsewhere): read again
    assert calls == [1, 1]
