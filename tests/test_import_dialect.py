"""Exports as the networks and Excel really write them: new formats, locales, undated files, bad headers."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from esncoach.imports import ImportFailed, import_file
from esncoach.imports.csvstream import BadCell, CsvTable, detect_dialect, parse_count, parse_count_decimal_comma
from esncoach.models import CommunityFigure, ImportBatch, MetricSample
from esncoach.services import execs
from esncoach.store.workspace import Workspace

DATA = Path(__file__).parent / "data"
D = dt.date


@pytest.fixture
def tracked(ws: Workspace) -> dict[str, int]:
    return {
        "amelia": execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com", joined="2026-02-01"),
        "bruno": execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com", joined="2026-02-05"),
    }


def stored(ws: Workspace) -> dict[tuple[int | None, str, dt.date, dt.date], float]:
    with ws.session() as s:
        return {(m.exec_id, m.metric, m.period_start, m.period_end): m.value for m in s.scalars(select(MetricSample))}


# -- numbers --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [("1,5", 1.5), ("0,75", 0.75), ("1.234,5", 1234.5), ("12", 12.0),
                                             ("1\u202f234,5", 1234.5), ("1.234.567", 1234567.0), ("", None)])
def test_decimal_comma_numbers(text: str, value: float | None) -> None:
    assert parse_count_decimal_comma(text) == value


@pytest.mark.parametrize("text", ["1,5", "0,75", "1.234,5"])
def test_a_decimal_comma_in_a_decimal_point_file_is_refused_not_misread(text: str) -> None:
    with pytest.raises(BadCell, match="decimal comma"):
        parse_count(text)


@pytest.mark.parametrize(("sample", "delimiter", "decimal"), [
    ("date,messages\n2026-02-01,\"1,234\"\n2026-02-02,12.5\n", ",", "."),
    ("date;messages\n2026-02-01;1,5\n2026-02-02;3\n", ";", ","),
    ("sep=;\ndate;messages\n2026-02-01;1.234,5\n", ";", ","),
    ("date\tmessages\n2026-02-01\t0,75\n", "\t", ","),
    ("date,messages\n2026-02-01,\"0,75\"\n", ",", ","),
    ("Title line\ndate;messages;likes\n2026-02-01;1;2\n2026-02-02;3;4\n", ";", ","),
])
def test_dialect_is_detected_for_the_whole_file(sample: str, delimiter: str, decimal: str) -> None:
    found = detect_dialect(sample, "f.csv")
    assert (found.delimiter, found.decimal) == (delimiter, decimal)


def test_mixed_decimal_conventions_are_refused() -> None:
    with pytest.raises(ImportFailed, match="decimal comma .*decimal point"):
        detect_dialect("date;a;b\n2026-02-01;1,5;2.25\n", "mixed.csv")


# -- Excel in other locales ------------------------------------------------------------------------

def test_german_excel_semicolons_and_decimal_commas(ws: Workspace, tracked: dict[str, int]) -> None:
    with CsvTable(DATA / "metrics_generic_excel_de.csv") as table:
        assert (table.dialect.delimiter, table.dialect.decimal, table.encoding) == (";", ",", "cp1252")
        assert table.header[:3] == ["date", "person", "messages"]
    result = import_file(ws, DATA / "metrics_generic_excel_de.csv")
    assert result.format == "generic" and result.rows_rejected == 0
    data = stored(ws)
    day1, day2, day3, day4 = (D(2026, 2, d) for d in (1, 2, 3, 4))
    assert data[(None, "likes", day1, day1)] == 1100.5
    assert data[(None, "likes", day2, day2)] == 0.75
    assert data[(None, "reads", day2, day2)] == 5100.0
    assert data[(tracked["amelia"], "messages", day3, day3)] == 1.5
    assert data[(None, "reads", day4, day4)] == 1234.5


def test_french_excel_with_narrow_spaces(ws: Workspace) -> None:
    result = import_file(ws, DATA / "metrics_generic_excel_fr.csv")
    assert result.rows_rejected == 0
    data = stored(ws)
    assert data[(None, "likes", D(2026, 2, 1), D(2026, 2, 1))] == 1100.5
    assert data[(None, "reads", D(2026, 2, 1), D(2026, 2, 1))] == 5000.0
    assert data[(None, "likes", D(2026, 2, 2), D(2026, 2, 2))] == 0.75


def test_ambiguous_numbers_are_refused_with_how_to_fix(ws: Workspace) -> None:
    with pytest.raises(ImportFailed, match=r"“5\.100” that could mean .*thousands separators"):
        import_file(ws, DATA / "metrics_generic_ambiguous.csv")
    with ws.session() as s:
        assert s.scalars(select(ImportBatch)).first() is None


def test_duplicate_headers_are_refused_by_name(ws: Workspace) -> None:
    with pytest.raises(ImportFailed, match="more than one column named “messages”"):
        import_file(ws, DATA / "metrics_generic_duplicate_headers.csv")


# -- the admin centre's and the groups report -------------------------------------------------------

def test_admin_centre_user_activity(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_viva_admin_user_detail.csv")
    assert result.format == "viva_admin_user_detail"
    window = (D(2026, 1, 18), D(2026, 2, 16))  # 30 days ending on the latest last activity
    assert result.period == window
    assert any("assumed the 30 days" in w for w in result.warnings)
    data = stored(ws)
    a = tracked["amelia"]
    assert data[(a, "messages", *window)] == 12 and data[(a, "reads", *window)] == 1234
    assert data[(None, "messages", *window)] == 45


def test_admin_centre_with_the_period_given(ws: Workspace, tracked: dict[str, int]) -> None:
    period = (D(2025, 11, 19), D(2026, 2, 16))
    with pytest.raises(ImportFailed, match="cannot be right .*--from YYYY-MM-DD --to YYYY-MM-DD"):
        import_file(ws, DATA / "metrics_viva_admin_user_detail_90_days.csv")
    result = import_file(ws, DATA / "metrics_viva_admin_user_detail_90_days.csv", period=period)
    assert result.period == period and result.warnings == ()
    assert stored(ws)[(tracked["amelia"], "messages", *period)] == 40


def test_groups_activity_is_kept_per_community(ws: Workspace) -> None:
    result = import_file(ws, DATA / "metrics_viva_groups_activity.csv")
    assert result.format == "viva_groups_activity" and result.rows_imported == 3
    with ws.session() as s:
        figures = {(c.community, c.metric): c.value for c in s.scalars(select(CommunityFigure))}
    assert figures[("All Company", "members")] == 2400
    assert figures[("Leadership Q&A", "messages")] == 45
    assert figures[("Old Project (deleted)", "members")] == 12
    assert stored(ws) == {}  # communities overlap: their sum is not a network figure


# -- the command line ---------------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "esncoach", *args], capture_output=True, text=True, timeout=300)


def test_cli_from_to_for_an_undated_slack_file(tmp_path: Path, passphrase_file: Path) -> None:
    db = str(tmp_path / "w.db")
    assert _cli("execs", "add", "--db", db, "--passphrase-file", str(passphrase_file), "--name", "Amelia Hart",
                "--email", "amelia.hart@example.com").returncode == 0
    copy = tmp_path / "slack.csv"
    shutil.copy(DATA / "slack.csv", copy)
    refused = _cli("import", "--db", db, "--passphrase-file", str(passphrase_file), str(copy))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "41 days active" in refused.stderr and "--from" in refused.stderr
    done = _cli("import", "--db", db, "--passphrase-file", str(passphrase_file), str(copy),
                "--from", "2025-12-19", "--to", "2026-02-16", "--json")
    assert done.returncode == 0, done.stderr
    assert '"period": [\n      "2025-12-19",\n      "2026-02-16"\n    ]' in done.stdout
    half = _cli("import", "--db", db, "--passphrase-file", str(passphrase_file), str(copy), "--from", "2026-01-01")
    assert half.returncode == 2 and "both --from and --to" in half.stderr


def test_a_graph_report_resaved_by_german_excel(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_viva_user_detail_excel_de.csv")
    assert result.format == "viva_user_detail" and result.rows_rejected == 0
    period = (D(2026, 1, 18), D(2026, 2, 16))
    assert stored(ws)[(tracked["amelia"], "reads", *period)] == 1234
    assert stored(ws)[(None, "messages", *period)] == 42


def test_excel_unicode_text_is_utf16_with_tabs(ws: Workspace, tracked: dict[str, int]) -> None:
    with CsvTable(DATA / "metrics_generic_excel_unicode_text.csv") as table:
        assert (table.encoding, table.dialect.delimiter, table.dialect.decimal) == ("utf-16", "\t", ",")
    import_file(ws, DATA / "metrics_generic_excel_unicode_text.csv")
    data = stored(ws)
    assert data[(None, "likes", D(2026, 2, 1), D(2026, 2, 1))] == 1100.5
    assert data[(tracked["amelia"], "likes", D(2026, 2, 2), D(2026, 2, 2))] == 0.5
