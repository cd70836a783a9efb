"""The import wizard, the manual-entry grid and the Engagement tab, driven as a user would (offscreen)."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from esncoach.imports import ImportResult
from esncoach.services import execs
from esncoach.services import metrics as metrics_service
from esncoach.store.workspace import Workspace
from esncoach.views.metrics.impact_panel import ASSOCIATION_NOTE, ImpactTab
from esncoach.views.metrics.import_wizard import ImportWizard
from esncoach.views.metrics.manual_entry import ManualEntryDialog, periods_ending
from tests.test_import_pipeline import snapshot

DATA = Path(__file__).parent / "data"
D = dt.date


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error boxes are recorded instead of blocking the test."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a, **k: shown.append(text))
    return shown


def _next(qtbot, wizard: QWizard) -> None:  # type: ignore[no-untyped-def]
    wizard.button(QWizard.WizardButton.NextButton).click()


def _wait_page(qtbot, wizard: QWizard, page) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=20_000)


def test_wizard_imports_a_file_with_a_review_step(qtbot, ws: Workspace, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com", handle="@amelia")
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    imported: list[ImportResult] = []
    wizard.sig_imported.connect(imported.append)
    qtbot.keyClicks(wizard.file_page.path_edit, str(DATA / "metrics_generic.csv"))
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.columns_page)  # the file is peeked at on a worker
    assert wizard.currentPage() is wizard.columns_page
    assert wizard.format_name == "generic"
    assert wizard.columns_page.preview_model.rowCount() == 9
    assert wizard.columns_page.mapping_combos["date"].currentText() == "date"
    assert wizard.columns_page.mapping_combos["likes"].currentText() == "likes"
    _next(qtbot, wizard)  # reads the whole file in the background
    _wait_page(qtbot, wizard, wizard.review_page)
    assert snapshot(ws) == ([], [])  # nothing stored by the analysis
    review = wizard.review_page
    assert review.review.rowCount() == 1 and review.review.item(0, 0).text() == "Amelia Hart"
    assert review.combos["amelia hart"].currentData() == amelia  # exact name: pre-selected
    assert "2 rows will be skipped" in review.summary.text()
    with qtbot.waitSignal(wizard.sig_imported, timeout=20_000):
        _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.done_page)
    assert imported[0].rows_imported == 7
    assert imported[0].backup is not None and Path(imported[0].backup).is_file()  # taken before writing
    assert "A backup was taken just before" in wizard.done_page.summary.text()
    assert "Line 9: “2026-13-01” is not a calendar date" in wizard.done_page.rejections.toPlainText()
    series = metrics_service.daily_series(ws, exec_id=amelia, metric="messages", start=D(2026, 2, 1), end=D(2026, 2, 1))
    assert series == {D(2026, 2, 1): 3 + 1}  # her email row plus the reviewed name row
    assert errors == []


def test_wizard_maps_unknown_columns_and_sets_a_slack_period(qtbot, ws: Workspace, errors: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(DATA / "metrics_generic_custom.csv"))
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.columns_page)  # the file is peeked at on a worker
    page = wizard.columns_page
    assert page.mapping_box.isVisible() and "not one esncoach knows" in page.recognised.text()
    _next(qtbot, wizard)  # no date chosen: refused with a message, stays on the page
    assert errors and wizard.currentPage() is page
    page.mapping_combos["date"].setCurrentText("Jour")
    page.mapping_combos["messages"].setCurrentText("Publications")
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.review_page)
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.done_page)
    assert metrics_service.daily_series(ws, exec_id=None, metric="messages", start=D(2026, 2, 2), end=D(2026, 2, 2)) == {
        D(2026, 2, 2): 1012}
    # Slack without a period in the file name: the wizard's period is used.
    slack = tmp_path / "members.csv"
    shutil.copy(DATA / "metrics_slack Member Analytics Jan 18, 2026 - Feb 16, 2026.csv", slack)
    wizard2 = ImportWizard(ws)
    qtbot.addWidget(wizard2)
    wizard2.show()
    wizard2.file_page.path_edit.setText(str(slack))
    _next(qtbot, wizard2)
    _wait_page(qtbot, wizard2, wizard2.columns_page)  # the file is peeked at on a worker
    cols = wizard2.columns_page
    assert cols.period_box.isVisible() and not cols.mapping_box.isVisible()
    cols.period_check.setChecked(True)
    cols.period_start.setDate(D(2026, 2, 1))
    cols.period_end.setDate(D(2026, 2, 28))
    _next(qtbot, wizard2)
    _wait_page(qtbot, wizard2, wizard2.review_page)
    assert wizard2.analysis.period == (D(2026, 2, 1), D(2026, 2, 28))


def test_cancelling_the_import_stores_nothing(qtbot, ws: Workspace, errors: list[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(DATA / "metrics_viva_activity_counts.csv"))
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.columns_page)  # the file is peeked at on a worker
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.review_page)
    gate = threading.Event()
    real = wizard.import_fn

    def gated(progress):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real(progress)  # its first progress report raises Cancelled

    monkeypatch.setattr(wizard, "import_fn", gated)
    _next(qtbot, wizard)
    assert wizard.task is not None
    task = wizard.task
    with qtbot.waitSignal(task.sig_finished, timeout=20_000):
        task.cancel()
        gate.set()
    assert wizard.currentPage() is wizard.review_page and wizard.result is None
    assert snapshot(ws) == ([], [])
    assert errors == []
    # The user can still import after cancelling.
    monkeypatch.setattr(wizard, "import_fn", real)
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.done_page)
    assert wizard.result is not None and wizard.result.samples_written == 20


def test_wizard_reports_a_file_it_cannot_read(qtbot, ws: Workspace, errors: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,messages\nsoon,1\n", encoding="utf-8")
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(bad))
    _next(qtbot, wizard)
    _wait_page(qtbot, wizard, wizard.columns_page)  # the file is peeked at on a worker
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=20_000)
    assert "No row of “bad.csv” could be imported" in errors[0]
    assert wizard.currentPage() is wizard.columns_page


def test_manual_entry_grid_saves_weeks_for_an_exec(qtbot, ws: Workspace, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.add_exec(ws, name="Amelia Hart")
    dialog = ManualEntryDialog(ws, None, amelia)
    qtbot.addWidget(dialog)
    dialog.until.setDate(D(2026, 2, 18))
    assert dialog.periods[-1] == (D(2026, 2, 16), D(2026, 2, 22)) and len(dialog.periods) == 8
    dialog.set_cell(7, "messages", "4")
    dialog.set_cell(7, "likes", "1,200")
    dialog.set_cell(6, "replies_received", "9")
    dialog._on_save()
    assert errors == [] and dialog.result() == ManualEntryDialog.DialogCode.Accepted
    stored = metrics_service.manual_figures(ws, exec_id=amelia, start=D(2026, 1, 1), end=D(2026, 3, 1))
    assert stored == {(D(2026, 2, 16), D(2026, 2, 22)): {"messages": 4.0, "likes": 1200.0},
                      (D(2026, 2, 9), D(2026, 2, 15)): {"replies_received": 9.0}}
    again = ManualEntryDialog(ws, None, amelia)
    qtbot.addWidget(again)
    again.until.setDate(D(2026, 2, 18))
    assert again.model.item(7, 0).text() == "4"  # pre-filled
    again.set_cell(7, "likes", "")  # emptying a cell removes the figure
    again.set_cell(6, "messages", "many")
    again._on_save()
    assert "“many” is not a number" in errors[0]
    again.set_cell(6, "messages", "")
    again._on_save()
    stored = metrics_service.manual_figures(ws, exec_id=amelia, start=D(2026, 1, 1), end=D(2026, 3, 1))
    assert stored[(D(2026, 2, 16), D(2026, 2, 22))] == {"messages": 4.0}


def test_months_for_the_network() -> None:
    assert periods_ending("month", D(2026, 3, 5), 3) == [
        (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 31))]
    assert periods_ending("month", D(2026, 1, 5), 2)[0] == (D(2025, 12, 1), D(2025, 12, 31))


def test_engagement_tab_shows_the_demo_ceo(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = ImpactTab(demo_ws)
    qtbot.addWidget(tab)
    ceo = execs.find_exec(demo_ws, "Amelia Hart")
    with qtbot.waitSignal(tab.sig_computed, timeout=30_000):
        tab.set_exec(ceo.id)
        assert tab.headline.text() == "Computing…" and tab.model.rowCount() == 0  # on a worker, not the UI thread
    model = tab.model
    rows = {model.data(model.index(r, 0)).replace("\n", ": "): r for r in range(model.rowCount())}  # two lines
    assert "Network: likes" in rows and "Amelia Hart: replies received" in rows
    likes_change = model.data(model.index(rows["Network: likes"], 3))
    assert likes_change.startswith("+") and likes_change.endswith("%")
    assert tab.note.text() == ASSOCIATION_NOTE
    assert "joined the network on" in tab.headline.text().lower()
    assert tab.year_earlier.isEnabled()
    before = model.rowCount()
    tab.year_earlier.setChecked(True)
    assert model.rowCount() == before + 4
    assert "Execs ranked by replies received" in tab.influence.text()
    with qtbot.waitSignal(tab.sig_computed, timeout=30_000):
        tab.days.setValue(14)
    assert tab.report is not None and tab.report.days == 14
    never = execs.find_exec(demo_ws, "Kavya Raman")
    with qtbot.waitSignal(tab.sig_computed, timeout=30_000):
        tab.set_exec(never.id)
    assert model.rowCount() == 0 and "no network join date" in tab.headline.text()
    tab.set_exec(None)
    assert model.rowCount() == 0 and tab.headline.text() == ""


def test_engagement_tab_drops_a_result_for_an_exec_switched_away_from(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = ImpactTab(demo_ws)
    qtbot.addWidget(tab)
    ceo = execs.find_exec(demo_ws, "Amelia Hart")
    never = execs.find_exec(demo_ws, "Kavya Raman")
    shown: list[str] = []
    tab.sig_computed.connect(lambda: shown.append(tab.headline.text()))
    tab.set_exec(ceo.id)  # still computing when the CM moves on
    first = tab._task
    tab.set_exec(never.id)
    second = tab._task
    assert first is not None and second is not None and first is not second
    with qtbot.waitSignals([first.sig_finished, second.sig_finished], timeout=30_000):
        pass  # both workers delivered; the CEO's result must not land
    assert len(shown) == 1 and "no network join date" in shown[0]
    assert tab.report is None and tab.model.rowCount() == 0 and "no network join date" in tab.headline.text()


def test_menu_entry_points_open_their_windows(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from esncoach.views.metrics.import_wizard import open_import_wizard
    from esncoach.views.metrics.manual_entry import open_manual_entry

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[ImportResult] = []
    open_import_wizard(parent, ws, on_imported=seen.append)
    qtbot.waitUntil(lambda: parent.findChild(ImportWizard) is not None)  # the first time, after the importers load
    wizard = parent.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    amelia = execs.add_exec(ws, name="Amelia Hart")
    saved: list[bool] = []
    open_manual_entry(parent, ws, exec_id=amelia, on_saved=lambda: saved.append(True))
    dialog = parent.findChild(ManualEntryDialog)
    assert dialog is not None and dialog.exec_id() == amelia
    dialog.set_cell(0, "messages", "2")
    dialog._on_save()
    assert saved == [True]
    wizard.close()
