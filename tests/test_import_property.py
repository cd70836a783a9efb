"""Random malformed CSV: the importer only ever raises ImportFailed, and a failure changes nothing stored."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from esncoach.imports import FORMATS, ImportFailed, import_file
from esncoach.services import execs
from esncoach.store.workspace import Workspace
from tests.test_import_pipeline import snapshot

# (header, a good row) per format: rows are good ones with cells swapped for junk, or junk outright.
SHAPES = [
    ("Report Refresh Date,User Principal Name,Display Name,User State,State Change Date,Last Activity Date,"
     "Posted Count,Read Count,Liked Count,Assigned Products,Report Period",
     "2026-02-16,amelia.hart@example.com,Amelia Hart,Active,,2026-02-15,12,\"1,234\",40,E3,30"),
    ("Report Refresh Date,Liked,Posted,Read,Report Date,Report Period", "2026-02-16,10,5,100,2026-02-10,7"),
    ("id,replied_to_id,thread_id,group_id,sender_id,sender_name,sender_email,created_at,body",
     "1002,1001,1001,7,1,Amelia Hart,amelia.hart@example.com,2026-02-10 09:00:00 UTC,\"hi, all\""),
    ("Name,Account type,Days active,Messages posted,Messages posted in channels,Reactions added,Last active (UTC)",
     "Amelia Hart,Member,3,10,8,4,\"Feb 16, 2026\""),
    ("Report Refresh Date,User Principal Name,Team Chat Message Count,Private Chat Message Count,Post Messages,"
     "Reply Messages,Report Period", "2026-02-16,amelia.hart@example.com,1,2,3,4,7"),
    ("date,person,messages,replies,likes,reads,active_days", "2026-02-01,@amelia,1,2,3,4,1"),
    ("", ""),
]
# Cells that look almost right, plus CSV-level trouble: quotes, separators, newlines, NULs, BOMs.
CELLS = st.one_of(
    st.sampled_from(["", "null", "1,234", '"1,234"', "-1", "nan", "1e400", "2026-02-16", "2026-02-30", "Feb 16, 2026",
                     "03/04/2026", "30", "D30", "amelia.hart@example.com", "@amelia", "1001", '"', '""', "\x00", "\ufeff",
                     "\r", "\n", "a\"b", "é", "\u2028", "9" * 30]),
    st.text(max_size=12),
)
JUNK_ROW = st.lists(CELLS, max_size=14).map(lambda cells: ",".join(cells))


@st.composite
def mutated(draw: st.DrawFn, good: str) -> str:
    cells = good.split(",")
    for _ in range(draw(st.integers(0, 2))):
        cells[draw(st.integers(0, len(cells) - 1))] = draw(CELLS)
    return ",".join(cells)


@st.composite
def malformed_csv(draw: st.DrawFn) -> bytes:
    header, good = draw(st.sampled_from(SHAPES))
    rows = draw(st.lists(st.one_of(JUNK_ROW, mutated(good)), max_size=12))
    text = "\n".join([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut:]
    return data


_counter = itertools.count()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=malformed_csv(), forced=st.sampled_from([None, *[f.name for f in FORMATS]]))
def test_malformed_csv_never_crashes_and_never_half_imports(ws: Workspace, tmp_path: Path, data: bytes,
                                                            forced: str | None) -> None:
    if not execs.list_execs(ws):
        execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com", handle="@amelia", joined="2026-02-01")
    path = tmp_path / f"random-{next(_counter)}.csv"
    path.write_bytes(data)
    before = snapshot(ws)
    try:
        result = import_file(ws, path, fmt=forced)
    except ImportFailed as exc:
        event("refused")
        assert "could not be read (" not in str(exc), f"a reader crashed: {exc}"  # the last-resort guard
        assert snapshot(ws) == before
        return
    event("imported")
    # It imported something: every earlier figure is either still there unchanged or counted as replaced,
    # and every new figure belongs to the new batch. (Compared by content: SQLite reuses freed row ids.)
    after_samples, _ = snapshot(ws)
    new = [r for r in after_samples if r[6] == result.batch_id]
    assert len(new) == result.samples_written
    kept = Counter(r[1:] for r in after_samples if r[6] != result.batch_id)
    old = Counter(r[1:] for r in before[0])
    assert not kept - old
    assert old.total() - kept.total() == result.samples_replaced
    assert result.rows_imported + result.rows_rejected == result.rows_read
