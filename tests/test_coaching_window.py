"""Coaching mode driven by keyboard: pages, blank, quick notes, autosave, privacy, leaving and returning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from esncoach.models import SessionStatus
from esncoach.services import execs, sessions
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.coaching.coaching_window import CoachingWindow
from esncoach.views.main_window import MainWindow


def visible_text(root: QWidget) -> str:
    """Every piece of text a person could read on screen under ``root``."""
    parts = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel):
            parts.append(w.text())
        elif isinstance(w, QLineEdit):
            parts += [w.text(), w.placeholderText()]
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            parts.append(w.toPlainText())
        elif isinstance(w, QAbstractButton):
            parts.append(w.text())
        elif isinstance(w, QComboBox):
            parts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QListWidget):
            parts += [w.item(i).text() for i in range(w.count())]
        parts.append(w.toolTip())
    return "\n".join(p for p in parts if p)


def other_exec_names(ws: Workspace, exec_id: int) -> list[str]:
    return [r.name for r in execs.list_execs(ws) if r.id != exec_id]


def open_coaching(qtbot, ws: Workspace, name: str) -> CoachingWindow:  # type: ignore[no-untyped-def]
    exec_id = execs.find_exec(ws, name).id
    window = CoachingWindow(ws, AppSettings(), exec_id=exec_id)
    qtbot.addWidget(window)
    window.show_coaching()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_every_page_by_keyboard_without_other_execs(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_coaching(qtbot, demo_ws, "Dana Okafor")
    others = other_exec_names(demo_ws, window.exec_id)
    seen = []
    for i in range(len(window.pages)):
        assert window.current_index() == i
        text = visible_text(window)
        assert "Dana Okafor" in text
        leaked = [n for n in others if n in text or n.split()[0] in text.split()]
        assert leaked == [], f"page {i} shows {leaked}"
        seen.append(window.pages[i].heading.text())
        qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.current_index() == len(window.pages) - 1  # stays on the last page
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.current_index() == len(window.pages) - 2
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.current_index() == len(window.pages) - 1
    assert seen[0] == "Today's agenda" and "One thing to do before next time" in seen
    assert "Worried about saying" not in visible_text(window)  # private notes hidden by default


def test_blank_key_hides_everything_until_pressed_again(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_coaching(qtbot, demo_ws, "Amelia Hart")
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.is_blank()
    assert "Amelia" not in visible_text(window)
    assert visible_text(window).strip() == window.windowTitle() == "esncoach — coaching mode"
    qtbot.keyClick(window, Qt.Key.Key_Right)  # navigation is frozen while blank
    assert window.current_index() == 0
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert not window.is_blank()
    assert "Amelia Hart" in visible_text(window)


def test_private_notes_need_a_deliberate_toggle(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_coaching(qtbot, demo_ws, "Amelia Hart")
    assert "Worried about saying" not in visible_text(window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Worried about saying" in visible_text(window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Worried about saying" not in visible_text(window)


def test_quick_note_and_typing_land_in_the_session(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_coaching(qtbot, demo_ws, "Chen Wei")
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.quick.isVisible() and window.quick.hasFocus()
    qtbot.keyClicks(window.quick, "Wants to post about the plant visit")
    qtbot.keyClick(window.quick, Qt.Key.Key_Return)
    assert not window.quick.isVisible()
    stored = sessions.get_session(demo_ws, window.session_id)
    assert "Wants to post about the plant visit" in stored.notes
    window.agenda_page.agenda.setFocus()
    window.agenda_page.agenda.moveCursor(window.agenda_page.agenda.textCursor().MoveOperation.End)
    qtbot.keyClick(window.agenda_page.agenda, Qt.Key.Key_Return)
    qtbot.keyClicks(window.agenda_page.agenda, "Ask about the town hall")
    qtbot.waitUntil(lambda: "town hall" in sessions.get_session(demo_ws, window.session_id).agenda, timeout=5000)


def test_agreeing_one_thing_records_an_action_item(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_coaching(qtbot, demo_ws, "Hiroshi Tanaka")
    window.go_to(window.pages.index(window.next_page))
    page = window.next_page
    page.what.setFocus()
    qtbot.keyClicks(page.what, "Like 3 posts from the plant teams")
    qtbot.keyClick(page.what, Qt.Key.Key_Return)
    items = sessions.get_session(demo_ws, window.session_id).action_items
    assert "Like 3 posts from the plant teams" in [i.text for i in items]
    assert page.agreed.count() >= 1
    qtbot.keyClick(page.what, Qt.Key.Key_Return)  # empty: refused with a message, nothing added
    assert page.error.isVisible()
    assert len(sessions.get_session(demo_ws, window.session_id).action_items) == len(items)


def test_leaving_returns_to_the_main_window_with_the_session_held(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    main = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(main)
    main.show()
    greta = execs.find_exec(demo_ws, "Greta Lindqvist")
    main.select_exec(greta.id)
    main.coach_action.trigger()
    coaching = main.coaching
    assert coaching is not None and not main.isVisible()
    qtbot.waitUntil(coaching.isActiveWindow)
    session_id = coaching.session_id
    qtbot.keyClick(coaching, Qt.Key.Key_N)
    qtbot.keyClicks(coaching.quick, "Good energy today")
    qtbot.keyClick(coaching, Qt.Key.Key_Escape)  # closes the note field (its text is kept)
    qtbot.keyClick(coaching, Qt.Key.Key_Escape)  # leaves
    qtbot.waitUntil(main.isVisible)
    assert main.current_exec_id() == greta.id
    row = sessions.get_session(demo_ws, session_id)
    assert row.status == SessionStatus.HELD
    assert row.duration_min >= 1
    assert "Good energy today" in row.notes


def test_command_line_coach_option_opens_coaching_for_that_exec(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    # Isabel's next session is planned days ahead: coaching mode asks whether to hold it (No: a new one).
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    main = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(main)
    main.show()
    main.start_coaching_by_name("isabel")
    assert main.coaching is not None
    assert main.coaching.brief.exec_name == "Isabel Moreno"
    main.coaching.close()
    qtbot.waitUntil(main.isVisible)


def test_search_is_unavailable_while_coaching(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)  # a new session

    main = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(main)
    main.show()
    main.select_exec(execs.find_exec(demo_ws, "Farid Haddad").id)
    main.coach_action.trigger()
    coaching = main.coaching
    qtbot.waitUntil(coaching.isActiveWindow)
    for key in (Qt.Key.Key_K, Qt.Key.Key_F):
        qtbot.keyClick(coaching, key, Qt.KeyboardModifier.ControlModifier)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert shown == [coaching]
    others = other_exec_names(demo_ws, coaching.exec_id)
    assert not [n for n in others if n in visible_text(coaching)]
    coaching.close()
    qtbot.waitUntil(main.isVisible)


def test_draft_page_shows_the_current_draft_with_its_feedback(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import posts
    from esncoach.views.coaching.pages import DraftPage

    window = open_coaching(qtbot, demo_ws, "Dana Okafor")
    page = next(p for p in window.pages if isinstance(p, DraftPage))
    window.go_to(window.pages.index(page))
    current = posts.current_post(demo_ws, exec_id=window.exec_id)
    assert current is not None
    assert page.inner.current_post_id() == current.id
    text = visible_text(window)
    assert current.title in text
    assert not [n for n in other_exec_names(demo_ws, window.exec_id) if n in text]


def test_coaching_starts_from_a_planned_session_on_the_sessions_tab(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from esncoach.views.sessions.tab import SessionsTab

    farid = execs.find_exec(demo_ws, "Farid Haddad")
    at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10, 0))
    planned = sessions.save_session(demo_ws, exec_id=farid.id, starts_at=at, ends_at=at + dt.timedelta(minutes=30),
                                    title="Planned for coaching", agenda="Rehearse the town hall answer")
    main = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(main)
    main.show()
    main.select_exec(farid.id)
    tab = next(t for t in main.page.tab_widgets if isinstance(t, SessionsTab))
    main.page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: not tab.loader.loading)  # the sessions are read on a worker
    row = next(r for r in range(tab.model.rowCount()) if tab.model.rows[r].id == planned)
    tab.table.selectRow(row)
    assert tab.coach_button.isEnabled()
    qtbot.mouseClick(tab.coach_button, Qt.MouseButton.LeftButton)
    assert main.coaching is not None and main.coaching.session_id == planned
    assert "Rehearse the town hall answer" in main.coaching.agenda_page.agenda.toPlainText()
    main.coaching.notes_page.notes.setPlainText("Rehearsed twice")
    main.coaching.close()
    qtbot.waitUntil(main.isVisible)
    assert sessions.get_session(demo_ws, planned).status == SessionStatus.HELD
