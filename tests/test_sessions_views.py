"""The sessions screens driven as a CM would: create from a template, autosave notes, bad input, .ics, templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox

from esncoach.models import LadderStage, SessionStatus
from esncoach.services import execs, sessions
from esncoach.services.sessions import ActionItemInput
from esncoach.store.workspace import Workspace
from esncoach.views.sessions.dialog import SessionDialog
from esncoach.views.sessions.tab import SessionsTab
from esncoach.views.sessions.templates_dialog import TemplatesDialog


def _exec(ws: Workspace) -> int:
    return execs.add_exec(ws, name="Grace Hopper", email="grace@example.com", stage=LadderStage.LIKE)


def test_edit_template_then_create_session_from_it(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    templates = TemplatesDialog(ws)
    qtbot.addWidget(templates)
    templates.select_stage(LadderStage.LIKE)
    templates.editor.selectAll()
    qtbot.keyClicks(templates.editor, "- Practise liking")
    qtbot.keyClick(templates.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(templates.editor, "- Agree: like 3 posts a week")
    templates.select_stage(LadderStage.LISTEN)  # switching stage keeps the edit
    templates.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert {t.stage: t.text for t in sessions.list_templates(ws)}[LadderStage.LIKE] == (
        "- Practise liking\n- Agree: like 3 posts a week")

    tab = SessionsTab(ws)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(eid)
    dialog = tab.new_session()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.agenda.toPlainText() == "- Practise liking\n- Agree: like 3 posts a week"
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "Liking and praising")
    dialog.tabs.setCurrentIndex(3)
    qtbot.mouseClick(dialog.add_item, Qt.MouseButton.LeftButton)
    dialog.items.item(0, 1).setText("Like three posts from operations")
    with qtbot.waitSignal(dialog.finished):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    rows = sessions.list_sessions(ws, exec_id=eid)
    assert [r.title for r in rows] == ["Liking and praising"]
    assert rows[0].agenda.startswith("- Practise liking")
    assert rows[0].status == SessionStatus.PLANNED
    assert [i.text for i in rows[0].action_items] == ["Like three posts from operations"]
    assert tab.model.rowCount() == 1
    assert "Liking and praising" in tab.detail.toPlainText()
    assert tab.open_items.count() == 1


def test_carried_items_appear_and_are_saved_as_copies(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    past = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=7)
    sessions.save_session(ws, exec_id=eid, starts_at=past, ends_at=past + dt.timedelta(hours=1), title="Before",
                          status=SessionStatus.HELD, action_items=[ActionItemInput("Read the stream daily")])
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    assert dialog.items.rowCount() == 1 and dialog.items.item(0, 1).text() == "Read the stream daily"
    assert "carried over" in dialog.save_state.text()
    dialog.accept()
    open_items = sessions.open_action_items(ws, exec_id=eid)
    assert len(open_items) == 1 and open_items[0].session_id == dialog.session_id
    assert open_items[0].carried_from_id is not None


def test_notes_autosave_after_typing_stops(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.notes, "Curious about hashtags")
    assert dialog.autosave_timer.isActive()
    qtbot.waitUntil(lambda: dialog.session_id is not None, timeout=5000)  # created by autosave, no Save click
    assert sessions.get_session(ws, dialog.session_id).notes == "Curious about hashtags"
    assert "saved" in dialog.save_state.text()
    qtbot.keyClicks(dialog.notes, "; wants a guide")
    qtbot.waitUntil(lambda: sessions.get_session(ws, dialog.session_id).notes.endswith("guide"), timeout=5000)
    assert len(sessions.list_sessions(ws, exec_id=eid)) == 1


def test_end_before_start_is_refused_but_notes_are_kept(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    dialog.accept()
    sid = dialog.session_id
    assert sid is not None
    dialog = SessionDialog(ws, eid, sid)
    qtbot.addWidget(dialog)
    dialog.start.setTime(QTime(10, 0))
    dialog.end.setTime(QTime(9, 30))
    dialog.notes.setPlainText("Typed while the times were wrong")
    dialog.autosave()
    assert "ends before it starts" in dialog.save_state.text()
    assert sessions.get_session(ws, sid).notes == "Typed while the times were wrong"  # notes saved on their own
    dialog.accept()
    assert dialog.isVisible() or dialog.result() == 0
    assert dialog.error_label.text() == "The session ends before it starts; check the end time."
    assert dialog.end.hasFocus() or not dialog.isVisible()


def test_empty_title_distant_due_and_huge_note(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title.clear()
    dialog.accept()
    assert dialog.error_label.text() == "Title is required."
    assert dialog.session_id is None
    dialog.title.setText("Ok title")
    qtbot.mouseClick(dialog.add_item, Qt.MouseButton.LeftButton)
    dialog.items.item(0, 1).setText("Ancient")
    dialog.items.cellWidget(0, 3).setDate(QDate(2001, 1, 1))
    dialog.accept()
    assert "more than a year in the past" in dialog.error_label.text()
    assert dialog.tabs.currentIndex() == 3
    dialog.items.cellWidget(0, 3).setDate(QDate.currentDate().addDays(3))
    note = "A long note. " * 3846 + "end"
    assert len(note) >= 50_000
    dialog.notes.setPlainText(note)
    dialog.accept()
    assert sessions.get_session(ws, dialog.session_id).notes == note  # nothing lost


def test_tab_marks_held_ticks_items_and_exports_ics(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    soon = dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    sid = sessions.save_session(ws, exec_id=eid, starts_at=soon, ends_at=soon + dt.timedelta(minutes=30),
                                title="Next one", agenda="- Review likes",
                                action_items=[ActionItemInput("Like three posts", due=soon.date())])
    tab = SessionsTab(ws)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(eid)
    path = tab.export_ics(str(tmp_path / "next.ics"))
    assert path is not None
    event = next(iter(Calendar.from_ical(path.read_bytes()).walk("VEVENT")))
    assert str(event["summary"]) == "Next one — Grace Hopper"

    with qtbot.waitSignal(tab.sig_data_changed):
        tab.open_items.item(0).setCheckState(Qt.CheckState.Checked)
    assert sessions.open_action_items(ws, exec_id=eid) == []
    tab.refresh(sid)
    assert not tab.held_button.isEnabled()  # planned for the day after tomorrow: not held yet
    earlier = soon - dt.timedelta(days=4)
    past = sessions.save_session(ws, exec_id=eid, starts_at=earlier, ends_at=earlier + dt.timedelta(minutes=30),
                                 title="Earlier one")
    tab.refresh(past)
    with qtbot.waitSignal(tab.sig_data_changed):
        qtbot.mouseClick(tab.held_button, Qt.MouseButton.LeftButton)
    assert sessions.get_session(ws, past).status == SessionStatus.HELD
    assert not tab.held_button.isEnabled()


def test_demo_sessions_tab_shows_history(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = SessionsTab(demo_ws)
    qtbot.addWidget(tab)
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(amelia.id)
    assert tab.model.rowCount() >= 8
    kinds = {r.kind for r in tab.model.rows}
    assert len(kinds) == 4  # every kind of session appears
    assert tab.detail.toPlainText()


def test_opening_new_and_closing_leaves_nothing(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    dialog.reject()  # nothing typed: closes without a question
    assert not dialog.isVisible()
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title, " (draft)")
    assert dialog.autosave() is False
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Discard)
    dialog.reject()  # typed, then Discard chosen in the question
    assert sessions.list_sessions(ws, exec_id=eid) == []


def test_find_anything_hook_selects_session_of_an_action(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    start = dt.datetime.now().replace(second=0, microsecond=0)
    first = sessions.save_session(ws, exec_id=eid, starts_at=start - dt.timedelta(days=9),
                                  ends_at=start - dt.timedelta(days=9, minutes=-30), title="First",
                                  action_items=[ActionItemInput("Thank the Lyon team")])
    sessions.save_session(ws, exec_id=eid, starts_at=start, ends_at=start + dt.timedelta(minutes=30), title="Second")
    tab = SessionsTab(ws)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(eid)
    item_id = sessions.get_session(ws, first).action_items[0].id
    assert tab.show_item("action", item_id)
    assert tab.current_session_id() == first
    assert not tab.show_item("post", 1)


def test_closing_with_an_oversized_note_asks_and_keeps_the_text(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    eid = _exec(ws)
    dialog = SessionDialog(ws, eid)
    qtbot.addWidget(dialog)
    dialog.notes.setPlainText("Short note")
    dialog.accept()
    sid = dialog.session_id
    dialog = SessionDialog(ws, eid, sid)
    qtbot.addWidget(dialog)
    dialog.show()
    huge = "x" * (sessions.TEXT_MAX + 1)
    dialog.notes.setPlainText(huge)
    asked: list[str] = []

    def answer_no(_parent, _title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    dialog.reject()
    assert dialog.isVisible()  # the CM said no: the dialog stays, the text stays
    assert "limit is 200,000" in asked[0]
    assert dialog.notes.toPlainText() == huge
    assert "limit is 200,000" in dialog.error_label.text()
    assert sessions.get_session(ws, sid).notes == "Short note"  # the stored note was not damaged
