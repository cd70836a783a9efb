"""Dialogs as a CM meets them: the focus is in the first field, and typed text is never dropped silently."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QMessageBox, QPushButton

from esncoach.services import execs, habits
from esncoach.store.workspace import Workspace
from esncoach.views.execs.dialog import ExecDialog
from esncoach.views.execs.person_dialog import PersonLinkDialog
from esncoach.views.habits.tab import CommitmentDialog
from esncoach.views.sessions.dialog import SessionDialog
from tests.day_helpers import Modal, make_window, open_by_keys

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_add_executive_by_keyboard_types_into_the_name(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, ws)

    def type_name(dialog: ExecDialog) -> None:
        assert QApplication.focusWidget() is dialog.name
        qtbot.keyClicks(QApplication.focusWidget(), "Marcus Lee")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(QApplication.focusWidget(), "CFO")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    modal = Modal(ExecDialog, type_name)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    modal.check()
    rows = execs.list_execs(ws)
    assert [(r.name, r.title) for r in rows] == [("Marcus Lee", "CFO")]


def test_edit_executive_opens_in_the_name_with_text_selected(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)

    def retype(dialog: ExecDialog) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), "Chen Wei-Ling")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    modal = Modal(ExecDialog, retype)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    modal.check()
    assert execs.get_exec(demo_ws, chen.id).name == "Chen Wei-Ling"


def test_add_person_types_the_new_persons_name(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)
    overview = window.page.tab_widgets[0]

    def type_person(dialog: PersonLinkDialog) -> None:
        assert isinstance(QApplication.focusWidget(), QLineEdit)
        qtbot.keyClicks(QApplication.focusWidget(), "Marcus Lee")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    modal = Modal(PersonLinkDialog, type_person)
    qtbot.mouseClick(overview.add_person, Qt.MouseButton.LeftButton)
    modal.check()
    assert any(s.name == "Marcus Lee" for s in execs.get_exec(demo_ws, chen.id).supporters)


def test_new_commitment_types_the_commitment(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)
    page = window.page
    tab = next(w for w in page.tab_widgets if type(w).__name__ == "HabitTab")
    page.tabs.setCurrentWidget(tab) if hasattr(page, "tabs") else None
    button = next(b for b in tab.findChildren(QPushButton) if "New commitment" in b.text().replace("&", ""))

    def type_commitment(dialog: CommitmentDialog) -> None:
        assert QApplication.focusWidget() is dialog.description
        qtbot.keyClicks(QApplication.focusWidget(), "Read the plant stream daily")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    modal = Modal(CommitmentDialog, type_commitment)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    modal.check()
    assert habits.habit_status(demo_ws, exec_id=chen.id).description == "Read the plant stream daily"


def test_every_shortcut_dialog_opens_in_a_field_not_on_a_button(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    window.select_exec(execs.find_exec(demo_ws, "Chen Wei").id)
    seen: dict[str, str] = {}

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        focus = QApplication.focusWidget()
        seen[dialog.windowTitle()] = type(focus).__name__
        assert focus is not None and dialog.isAncestorOf(focus), (dialog.windowTitle(), focus)
        assert not isinstance(focus, QAbstractButton) or focus.isCheckable(), (dialog.windowTitle(), focus)
        dialog.done(0) if hasattr(dialog, "done") else dialog.close()

    for key, mods in ((Qt.Key.Key_N, CTRL), (Qt.Key.Key_E, CTRL), (Qt.Key.Key_S, CTRL | SHIFT),
                      (Qt.Key.Key_L, CTRL | SHIFT), (Qt.Key.Key_P, CTRL | SHIFT), (Qt.Key.Key_K, CTRL | SHIFT),
                      (Qt.Key.Key_U, CTRL | SHIFT), (Qt.Key.Key_P, CTRL), (Qt.Key.Key_I, CTRL)):
        open_by_keys(qtbot, window, key, mods, look)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    assert len(seen) == 9, seen


def test_esc_on_a_half_filled_add_executive_asks_and_keeps_it(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, ws)
    answers: list[str] = []

    def half_fill(dialog: ExecDialog) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), "Marcus")

        def cancel(box: QMessageBox) -> None:
            answers.append(box.text())
            qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc in the question = keep editing

        ask = Modal(QMessageBox, cancel)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        ask.check()
        assert dialog.isVisible() and dialog.name.text() == "Marcus"
        qtbot.keyClicks(dialog.name, " Lee")

        def save(box: QMessageBox) -> None:
            box.button(QMessageBox.StandardButton.Save).click()

        ask = Modal(QMessageBox, save)
        dialog.reject()  # the window's close button
        ask.check()

    modal = Modal(ExecDialog, half_fill)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    modal.check()
    assert answers and "not saved" in answers[0]
    assert [r.name for r in execs.list_execs(ws)] == ["Marcus Lee"]


def test_esc_on_an_untouched_dialog_closes_without_asking(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, ws)

    def leave(dialog: ExecDialog) -> None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert not dialog.isVisible()

    modal = Modal(ExecDialog, leave)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    modal.check()
    assert execs.list_execs(ws) == []


def test_new_session_agenda_is_not_discarded_by_esc(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)
    before = len(__import__("esncoach.services.sessions", fromlist=["x"]).list_sessions(demo_ws, exec_id=chen.id))

    def write_agenda(dialog: SessionDialog) -> None:
        assert QApplication.focusWidget() is dialog.title
        dialog.agenda.setFocus()
        qtbot.keyClicks(QApplication.focusWidget(), "Talk about the plant visit")

        def save(box: QMessageBox) -> None:
            box.button(QMessageBox.StandardButton.Save).click()

        ask = Modal(QMessageBox, save)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        ask.check()

    modal = Modal(SessionDialog, write_agenda)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | SHIFT)
    modal.check()
    from esncoach.services import sessions

    rows = sessions.list_sessions(demo_ws, exec_id=chen.id)
    assert len(rows) == before + 1
    assert any("Talk about the plant visit" in r.agenda for r in rows)


def test_agenda_templates_ask_before_dropping_an_edit(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import sessions
    from esncoach.views.sessions.templates_dialog import TemplatesDialog

    dialog = TemplatesDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.editor.setFocus()
    qtbot.keyClicks(dialog.editor, "- Ask about the town hall")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Save)
    dialog.reject()
    assert not dialog.isVisible()
    assert "town hall" in next(t.text for t in sessions.list_templates(ws))


def test_manual_figures_ask_before_dropping_typed_cells(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.metrics.manual_entry import ManualEntryDialog

    dialog = ManualEntryDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_cell(0, "messages", "12")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert asked and not dialog.isVisible()
