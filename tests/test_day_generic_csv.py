"""The generic CSV on a CM's day: documented, weekly rows read as weeks, the per-day chart shows per-day values."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from esncoach.imports import import_file
from esncoach.imports.generic import FORMAT_HELP
from esncoach.services import metrics, progress_series
from esncoach.store.workspace import Workspace

WEEKS = [dt.date(2026, 9, 7) + dt.timedelta(days=7 * n) for n in range(8)]


def write(tmp_path: Path, header: str, rows: list[str]) -> Path:
    path = tmp_path / "weekly.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("layout", ["start,end", "period_days", "date,end date"])
def test_weekly_rows_cover_their_week(ws: Workspace, tmp_path: Path, layout: str) -> None:
    if layout == "start,end":
        path = write(tmp_path, "start,end,messages,likes",
                     [f"{w},{w + dt.timedelta(days=6)},70,140" for w in WEEKS])
    elif layout == "period_days":
        path = write(tmp_path, "date,period_days,messages,likes", [f"{w},7,70,140" for w in WEEKS])
    else:
        path = write(tmp_path, "date,end date,messages,likes",
                     [f"{w},{w + dt.timedelta(days=6)},70,140" for w in WEEKS])
    result = import_file(ws, path)
    assert result.format == "generic"
    assert not result.warnings
    daily = metrics.daily_series(ws, exec_id=None, metric="messages", start=WEEKS[0], end=WEEKS[-1] + dt.timedelta(6))
    assert len(daily) == 56 and set(daily.values()) == {10.0}  # 70 a week = 10 a day, every day
    net = {s.key: s for s in progress_series.network_series(ws, start=WEEKS[1], end=WEEKS[-1])}
    assert max(net["messages"].y) == pytest.approx(10.0)


def test_bad_period_days_is_one_sentence_per_row(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "date,period_days,messages", [f"{WEEKS[0]},seven,3", f"{WEEKS[1]},7,3"])
    result = import_file(ws, path)
    assert result.rows_rejected == 1
    assert "period_days" in str(result.rejections[0])
    assert metrics.data_span(ws) == (WEEKS[1], WEEKS[1] + dt.timedelta(days=6))


def test_weekly_totals_on_single_days_plot_as_per_day_values(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "date,messages", [f"{w},70" for w in WEEKS])  # an old export: one date per week
    import_file(ws, path)
    net = progress_series.network_series(ws, start=WEEKS[0], end=WEEKS[-1])
    assert net[0].label and max(net[0].y) <= 10.0 + 1e-9  # not 70 "per day"


def test_format_is_documented_in_help_and_readme() -> None:
    out = subprocess.run([sys.executable, "-m", "esncoach", "import", "--help"], capture_output=True, text=True,
                         check=True).stdout
    flat = " ".join(out.split())
    assert "period_days" in flat and "start,end,messages,likes" in flat
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "period_days" in readme and "start,end,messages,likes" in readme
    assert "period_days" in FORMAT_HELP


def test_wizard_shows_the_format_and_maps_period_columns(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.metrics.import_wizard import ImportWizard

    path = write(tmp_path, "start,end,messages", [f"{w},{w + dt.timedelta(days=6)},70" for w in WEEKS])
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    page = next(p for p in (wizard.page(i) for i in wizard.pageIds()) if hasattr(p, "mapping_combos"))
    assert "period_days" in page.format_help.text()
    assert {"end_date", "period_days"} <= set(page.mapping_combos)
