"""The import as a whole: replacing instead of duplicating, one transaction, cancel, manual entry, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from esncoach.cli import main
from esncoach.imports import ImportFailed, import_file
from esncoach.models import ImportBatch, MetricSample
from esncoach.services import execs
from esncoach.services import metrics as metrics_service
from esncoach.services.metrics import ManualPeriod
from esncoach.services.progress import Cancelled
from esncoach.store.keys import read_passphrase_file
from esncoach.store.workspace import Workspace

DATA = Path(__file__).parent / "data"
D = dt.date


def snapshot(ws: Workspace) -> tuple[list[tuple], list[tuple]]:
    """Every stored figure and batch, to prove an import left them untouched."""
    with ws.session() as s:
        samples = sorted(s.execute(select(MetricSample.id, MetricSample.exec_id, MetricSample.metric,
                                          MetricSample.period_start, MetricSample.period_end,
                                          MetricSample.value, MetricSample.batch_id)).all())
        batches = sorted(s.execute(select(ImportBatch.id, ImportBatch.file_sha256, ImportBatch.rows_imported)).all())
    return [tuple(r) for r in samples], [tuple(r) for r in batches]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reimporting_the_same_file_replaces_it(ws: Workspace) -> None:
    first = import_file(ws, DATA / "metrics_viva_activity_counts.csv")
    before = snapshot(ws)
    again = import_file(ws, DATA / "metrics_viva_activity_counts.csv")
    assert again.samples_replaced == first.samples_written == 20
    assert again.batches_replaced == 1
    after = snapshot(ws)
    assert [r[1:6] for r in after[0]] == [r[1:6] for r in before[0]]  # same figures, not doubled
    assert len(after[1]) == 1 and after[1][0][0] == again.batch_id


def test_an_overlapping_period_replaces_only_that_series_and_span(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, DATA / "metrics_viva_activity_counts.csv")  # messages, likes, reads for Feb 10-16
    newer = write(tmp_path / "fix.csv", "date,messages\n2026-02-12,999\n2026-02-13,998\n")
    result = import_file(ws, newer)
    assert result.samples_replaced == 2 and result.batches_replaced == 0
    series = metrics_service.daily_series(ws, exec_id=None, metric="messages", start=D(2026, 2, 10), end=D(2026, 2, 16))
    assert series == {D(2026, 2, 10): 100, D(2026, 2, 11): 101, D(2026, 2, 12): 999, D(2026, 2, 13): 998,
                      D(2026, 2, 14): 104, D(2026, 2, 15): 105, D(2026, 2, 16): 106}
    likes = metrics_service.daily_series(ws, exec_id=None, metric="likes", start=D(2026, 2, 10), end=D(2026, 2, 16))
    assert len(likes) == 6  # another metric of the same days is untouched


def test_a_file_with_no_usable_row_fails_cleanly_and_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, DATA / "metrics_generic.csv")
    before = snapshot(ws)
    bad = write(tmp_path / "bad.csv", "date,messages\nsoon,1\n2026-01-01,many\n")
    with pytest.raises(ImportFailed, match=r"line 2: “soon” is not a date; line 3: messages: “many” is not a number"):
        import_file(ws, bad)
    assert snapshot(ws) == before


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n", "date,messages\n"])
def test_empty_files_are_refused(ws: Workspace, tmp_path: Path, text: str) -> None:
    with pytest.raises(ImportFailed):
        import_file(ws, write(tmp_path / "e.csv", text))


def test_binary_and_missing_files_are_refused(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ImportFailed, match="binary"):
        import_file(ws, tmp_path / "x.xlsx")
    with pytest.raises(ImportFailed, match="no file"):
        import_file(ws, tmp_path / "missing.csv")


def test_utf16_and_windows_1252_exports_are_read(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "u16.csv").write_text("date,person,messages\n2026-03-01,Zoë,5\n", encoding="utf-16")
    (tmp_path / "cp.csv").write_bytes("date,person,messages\n2026-03-02,Zoë,7\n".encode("cp1252"))
    import_file(ws, tmp_path / "u16.csv")
    import_file(ws, tmp_path / "cp.csv")
    series = metrics_service.daily_series(ws, exec_id=None, metric="messages", start=D(2026, 3, 1), end=D(2026, 3, 2))
    assert series == {D(2026, 3, 1): 5, D(2026, 3, 2): 7}


def test_cancel_or_failure_part_way_through_saving_leaves_data_as_it_was(ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import_file(ws, DATA / "metrics_viva_activity_counts.csv")
    before = snapshot(ws)
    monkeypatch.setattr(metrics_service, "INSERT_CHUNK", 2)
    calls = []

    def cancel_while_saving(done: int, total: int, message: str = "") -> None:
        calls.append((done, total, message))
        if message.startswith("Saving") and done >= 4:
            raise Cancelled()

    # Same file again: the old batch's figures are deleted first, then the insert is cancelled mid-way.
    with pytest.raises(Cancelled):
        import_file(ws, DATA / "metrics_viva_activity_counts.csv", progress=cancel_while_saving)
    assert any(m.startswith("Saving") and d == 2 for d, _t, m in calls)
    assert snapshot(ws) == before


def test_cancel_while_reading_stops_a_large_file(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("date,person,messages\n")
        for i in range(30_000):
            fh.write(f"2026-01-{1 + i % 28:02d},p{i % 500}@example.com,{i % 7}\n")
    seen: list[int] = []

    def cancel_later(done: int, total: int, message: str = "") -> None:
        seen.append(done)
        if len(seen) > 3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_file(ws, path, progress=cancel_later)
    assert seen == sorted(seen) and seen[-1] < path.stat().st_size  # progress grows while streaming
    assert snapshot(ws) == ([], [])


def test_manual_figures_for_a_week_replace_earlier_ones(ws: Workspace) -> None:
    exec_id = execs.add_exec(ws, name="Amelia Hart", joined="2026-02-01")
    week = (D(2026, 2, 2), D(2026, 2, 8))
    metrics_service.save_manual_figures(ws, exec_id=exec_id, periods=[ManualPeriod(*week, {"messages": 3, "likes": None})])
    metrics_service.save_manual_figures(ws, exec_id=exec_id, periods=[ManualPeriod(*week, {"messages": 5})])
    assert metrics_service.manual_figures(ws, exec_id=exec_id, start=D(2026, 2, 1), end=D(2026, 2, 28)) == {
        week: {"messages": 5.0}}
    assert len(metrics_service.list_batches(ws)) == 1
    series = metrics_service.daily_series(ws, exec_id=exec_id, metric="messages", start=week[0], end=week[1])
    assert sum(series.values()) == pytest.approx(5) and len(series) == 7
    from esncoach.store.errors import ValidationError

    with pytest.raises(ValidationError, match="Active days cannot exceed"):
        metrics_service.save_manual_figures(ws, exec_id=exec_id, periods=[ManualPeriod(*week, {"active_days": 9})])
    with pytest.raises(ValidationError, match="between 0"):
        metrics_service.save_manual_figures(ws, exec_id=None, periods=[ManualPeriod(*week, {"messages": -1})])


def test_deleting_a_batch_removes_its_figures(ws: Workspace) -> None:
    result = import_file(ws, DATA / "metrics_viva_activity_counts.csv")
    metrics_service.delete_batch(ws, batch_id=result.batch_id)
    assert snapshot(ws) == ([], [])


def test_cli_import_json_reports_recognised_imported_replaced_rejected(
        tmp_path: Path, passphrase_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, pf = str(tmp_path / "w.db"), str(passphrase_file)
    assert main(["execs", "add", "--db", db, "--passphrase-file", pf, "--name", "Amelia Hart",
                 "--email", "amelia.hart@example.com", "--joined", "2026-02-01"]) == 0
    capsys.readouterr()
    args = ["import", "--db", db, "--passphrase-file", pf, str(DATA / "metrics_viva_user_detail.csv"), "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert set(first) >= {"recognised", "imported", "replaced", "rejected"}
    assert first["recognised"]["format"] == "viva_user_detail"
    assert first["recognised"]["period"] == ["2026-01-18", "2026-02-16"]
    assert first["imported"]["rows"] == 4
    assert first["imported"]["execs"][0]["name"] == "Amelia Hart"
    assert first["rejected"]["rows"] == 2 and first["rejected"]["details"][0]["line"] == 6
    assert Path(first["backup"]).is_file() and "before-import" in Path(first["backup"]).name
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["replaced"] == {"samples": first["imported"]["samples"], "batches": 1}
    # Human output and --format.
    assert main(args[:-1] + ["--format", "viva_user_detail"]) == 0
    out = capsys.readouterr().out
    assert "Recognised: Viva Engage activity user detail" in out and "line 6: messages: “lots” is not a number" in out
    # A file that cannot be imported: one line on stderr, exit 2, nothing changed.
    with Workspace.open(db, read_passphrase_file(pf)) as w:
        before = snapshot(w)
    assert main(["import", "--db", db, "--passphrase-file", pf, str(DATA / "metrics_generic_custom.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("esncoach: “metrics_generic_custom.csv” is not an export") and err.count("\n") == 1
    with Workspace.open(db, read_passphrase_file(pf)) as w:
        assert snapshot(w) == before
        with w.session() as s:
            assert s.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_very_many_people_cap_the_name_review_with_a_warning(ws: Workspace, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.imports import pipeline

    monkeypatch.setattr(pipeline, "MAX_TRACKED_UNMATCHED", 3)
    rows = "\n".join(f"2026-01-0{1 + i % 2},p{i}@example.com,1" for i in range(6))
    result = import_file(ws, write(tmp_path / "many.csv", "date,person,messages\n" + rows + "\n"))
    assert result.people_folded == 3 and result.rows_imported == 6
    assert any("More than 3 other people" in w for w in result.warnings)
    series = metrics_service.daily_series(ws, exec_id=None, metric="messages", start=D(2026, 1, 1), end=D(2026, 1, 2))
    assert series == {D(2026, 1, 1): 3, D(2026, 1, 2): 3}  # every row still counts in the network total


def test_a_huge_line_without_breaks_is_rejected_not_loaded(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("date,messages\n2026-01-01,1\n")
        fh.write("9" * (20 * 1024 * 1024))
        fh.write("\n2026-01-02,2\n")
    result = import_file(ws, path)
    assert result.rows_imported == 2 and result.rows_rejected >= 1
    assert "field larger than field limit" in result.rejections[0].reason
