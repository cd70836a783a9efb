"""Moving a stage as a CM would: the habit tab's Move up… button, the dialog, the history shown after."""

from __future__ import annotations

from PySide6.QtCore import Qt

from esncoach.models import LadderStage
from esncoach.services import execs, ladder
from esncoach.store.workspace import Workspace
from esncoach.views.habits.tab import HabitTab
from esncoach.views.habits.ladder_dialog import LadderDialog


def test_move_up_from_the_tab(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    eid = execs.add_exec(ws, name="Ada Lovelace")
    tab = HabitTab(ws)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(eid)
    assert tab.stage_label.text() == "At “Listen”"
    assert "Not yet ready" in tab.readiness.text()
    assert not tab.back_button.isEnabled()
    dialog = tab.move_stage()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.stage.currentData() == LadderStage.LIKE  # the next rung by default
    dialog.accept()
    assert dialog.error_label.text() == "Reason is required."  # the dialog stays open
    qtbot.keyClicks(dialog.reason, "Reads the stream every morning; asked how to like")
    with qtbot.waitSignal(tab.sig_data_changed):
        dialog.accept()
    assert execs.get_exec(ws, eid).stage == LadderStage.LIKE
    history = ladder.stage_history(ws, exec_id=eid)
    assert history[-1].reason == "Reads the stream every morning; asked how to like"
    assert tab.stage_label.text() == "At “Like”"
    assert tab.stage_history.count() == 2
    assert "Listen → Like" in tab.stage_history.item(0).text()
    assert tab.back_button.isEnabled()


def test_move_back_and_ready_exec_prefills_reason(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ready = ladder.suggestions(demo_ws)[0]
    dialog = LadderDialog(demo_ws, ready.exec_id)
    qtbot.addWidget(dialog)
    assert dialog.reason.toPlainText().startswith("Ready: ")
    assert "Looks ready" in dialog.evidence.text()
    back = LadderDialog(demo_ws, ready.exec_id, back=True)
    qtbot.addWidget(back)
    assert back.stage.currentData().rank == ready.stage.rank - 1
    assert back.reason.toPlainText() == ""
    qtbot.keyClicks(back.reason, "Overwhelmed by the reorganisation; step back for a month")
    back.accept()
    assert execs.get_exec(demo_ws, ready.exec_id).stage.rank == ready.stage.rank - 1
    assert ladder.stage_history(demo_ws, exec_id=ready.exec_id)[-1].direction == "back"


def test_thresholds_dialog_changes_readiness(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import settings
    from esncoach.views.habits.thresholds_dialog import ThresholdsDialog

    assert ladder.suggestions(demo_ws)
    dialog = ThresholdsDialog(demo_ws)
    qtbot.addWidget(dialog)
    assert dialog.fields[ladder.MIN_STRENGTH].value() == 60
    dialog.fields[ladder.MIN_STRENGTH].setValue(99)
    dialog.fields[ladder.MIN_CHECKINS].setValue(15)
    dialog.accept()
    assert settings.get(demo_ws, ladder.MIN_STRENGTH) == 0.99
    assert settings.get(demo_ws, ladder.MIN_CHECKINS) == 15
    assert ladder.suggestions(demo_ws) == []
