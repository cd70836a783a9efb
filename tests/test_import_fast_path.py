"""The column-wise fast path of the generic reader gives exactly what reading row by row gives.

Random generic files mix good rows with every kind of cell the strict parsers refuse, empty and
null cells, short and blank rows, quoted line breaks and a title line above the header, read in
blocks of a few rows so that faults land at block edges; the result of the fast path (figures,
counts, rejections with their lines, matched execs, people for the review) must equal the row path's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from esncoach.imports import ImportFailed, csvstream, generic, pipeline
from esncoach.imports.formats import format_named, open_table
from esncoach.services import execs
from esncoach.services.progress import no_progress
from esncoach.store.workspace import Workspace

DATES = ["2026-02-01", "2026-02-02", "2026-02-03", "Feb 4, 2026", "2026-02-30", "", "null", "03/04/2026",
         "13/02/2026", "soon"]
PEOPLE = ["exec0@example.com", "EXEC1@example.com", "@exec.two", "Exec Two", "person1@example.com", "Someone",
          "", "null", "a\nb"]
FIGURES = ["0", "5", "12", "1,234", " 7 ", "", "null", "n/a", "-1", "2.5", "1,234.5", "abc", "1e400", "1.2.3"]
HEADERS = [["date", "person", "messages", "replies", "likes", "reads"], ["day", "email", "posts"],
           ["date", "messages", "likes"], ["person", "date", "reads", "extra", "replies"]]


@st.composite
def generic_file(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(HEADERS))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    if draw(st.booleans()):
        out.write("Usage report\n")
    writer.writerow(header)
    pick = {"date": DATES, "day": DATES, "person": PEOPLE, "email": PEOPLE}
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            out.write("\n")
        elif kind == 1:
            writer.writerow([draw(st.sampled_from(DATES))])
        else:
            writer.writerow([draw(st.sampled_from(pick.get(h, FIGURES))) for h in header])
    return out.getvalue()


def collect(ws: Workspace, path: Path, *, by_row: bool) -> pipeline._Collected | str:
    fmt = format_named("generic")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(csvstream, "BLOCK_ROWS", 3)
        if by_row:
            mp.setattr(generic, "_reads_by_row", lambda cols: True)
        try:
            table = open_table(path, fmt)[0]
        except ImportFailed as exc:
            return str(exc)
        with table:
            try:
                acc, _warnings, _matcher = pipeline._collect(ws, path, fmt, table, column_map=None, mapping=None,
                                                            period=None, progress=no_progress)
            except ImportFailed as exc:
                return str(exc)
    return acc


def add_execs(ws: Workspace) -> None:
    if not execs.list_execs(ws):
        execs.add_exec(ws, name="Exec Zero", email="exec0@example.com")
        execs.add_exec(ws, name="Exec One", email="exec1@example.com")
        execs.add_exec(ws, name="Exec Two", handle="exec.two")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=generic_file())
def test_fast_path_equals_row_path(ws: Workspace, tmp_path: Path, text: str) -> None:
    add_execs(ws)
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8", newline="")
    fast, slow = collect(ws, path, by_row=False), collect(ws, path, by_row=True)
    event("refused as a whole" if isinstance(slow, str) else "read")
    if isinstance(slow, str) or isinstance(fast, str):
        assert fast == slow
        return
    assert fast.samples == pytest.approx(slow.samples)
    assert fast.explicit_network == pytest.approx(slow.explicit_network)
    assert (fast.rows_read, fast.rows_imported, fast.rows_rejected) == (
        slow.rows_read, slow.rows_imported, slow.rows_rejected)
    assert fast.rejections == slow.rejections
    assert fast.matched_rows == slow.matched_rows
    assert {k: (who, n) for k, (who, n) in fast.unmatched.items()} == {
        k: (who, n) for k, (who, n) in slow.unmatched.items()}


def test_rejected_rows_keep_their_lines_across_blocks_and_quoted_line_breaks(ws: Workspace, tmp_path: Path) -> None:
    add_execs(ws)
    rows = ["date,person,messages"]
    for i in range(10):
        rows.append(f'2026-02-0{1 + i % 5},"someone\nwith a line break {i}",{i}')
    rows.append("2026-02-01,exec0@example.com,abc")  # line 22
    rows.append("")
    rows.append("2026-02-31,exec0@example.com,1")  # line 24
    path = tmp_path / "lines.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fast = collect(ws, path, by_row=False)
    assert not isinstance(fast, str)
    assert [(r.line, r.reason.split(":")[0]) for r in fast.rejections] == [
        (22, "messages"), (24, "“2026-02-31” is not a calendar date")]
    assert fast.rows_imported == 10
    first = dt.date(2026, 2, 1)
    assert fast.samples[(None, "messages", first, first)] == 5.0


def test_messages_read_in_small_blocks_as_in_one(ws: Workspace, tmp_path: Path) -> None:
    """Messages.csv counted block by block (rows per person, exec replies, rejections) is block-size blind."""
    from esncoach.imports import yammer_messages
    from tests.test_leaders import _random_messages

    add_execs(ws)
    path = tmp_path / "Messages.csv"
    _random_messages(path, people=60, messages=700, execs_=3, seed=3)
    text = path.read_text(encoding="utf-8").splitlines()
    text[5] = text[5].replace(" UTC", "x UTC").replace("2026-", "2026-13-", 1)  # a bad date, rejected
    text.insert(9, "")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    results = []
    for rows in (2, 7, 100_000):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(yammer_messages, "MESSAGE_BLOCK_ROWS", rows)
            fmt = format_named("yammer_messages")
            with open_table(path, fmt)[0] as table:
                acc, _w, _m = pipeline._collect(ws, path, fmt, table, column_map=None, mapping=None, period=None,
                                                progress=no_progress)
        a = acc.analytics
        results.append((acc.samples, acc.rows_read, acc.rows_rejected, acc.rejections, acc.matched_rows,
                        {k: n for k, (_who, n) in acc.unmatched.items()}, a.asks, a.terms, a.threads,
                        {k: s.to_json() for k, s in a.sketches.items()}))
    assert results[0][3] and results[0][3][0].line == 6
    assert results[0] == results[1] == results[2]
