"""Take 20 execs with five years of history each offline from a team server and bring them back (#20).

Starts a throwaway PostgreSQL (as the tests do) and fills a team workspace from the cached large bench
workspace (``bench/large_workspace.py``: daily figures and check-ins, fortnightly sessions, posts with
revisions and scores, stage changes) copied table by table, with one CM coaching all of it. Each round
then takes every exec offline into a new encrypted workspace file, edits offline (a session's notes and a
new action item per exec) and brings everything back. Baseline, measured in the same run: reading the same
rows from the server with plain SELECTs (what any copy of them must cost at least).
Goal: check-out and check-in each <= 5 s (medians). ``BENCH_EXECS`` (20), ``BENCH_YEARS`` (5) and
``BENCH_ROUNDS`` (3) shrink a run while developing. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXECS = int(os.environ.get("BENCH_EXECS", "20"))
YEARS = int(os.environ.get("BENCH_YEARS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GOAL_S = 5.0
CM = "bench_cm"


def fill_server(server, db: str, source) -> int:  # type: ignore[no-untyped-def]
    """Copy the large workspace into a new team database (triggers off while bulk loading); return rows."""
    from esncoach.services import team
    from esncoach.store.pg_copy import copy_all
    from esncoach.store.server import open_server
    from esncoach.store.workspace import Workspace
    from tests.pg_server import socket_url

    server.create_database(db)
    owner = open_server(socket_url(server, db), create=True)
    local = Workspace.open(source.path, source.key, create=False)
    try:
        with local.engine.connect() as src, owner.engine.begin() as dst:
            dst.exec_driver_sql("SET session_replication_role = replica")
            counts = copy_all(src, dst)
            dst.exec_driver_sql("UPDATE exec SET private_notes = ' '")
        team.add_member(owner, role=CM)
        with owner.engine.begin() as conn:
            conn.exec_driver_sql(f"INSERT INTO team_exec_cm(exec_id, role) SELECT id, '{CM}' FROM exec")
    finally:
        local.close()
        owner.close()
    return sum(counts.values())


def baseline_read(cm, exec_ids: list[int]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Read every row the check-out copies with plain SELECTs, as the CM; (seconds, rows)."""
    from sqlalchemy import select

    from esncoach.services import team_checkout_rows as rows

    t = time.perf_counter()
    n = 0
    with cm.engine.connect() as conn:
        picked = {"exec": set(exec_ids)}
        for table in rows.travelling_tables():
            if table.name not in rows.owned_names():
                continue
            col = rows.owner_column(table)
            parent = "exec" if col in ("id", "exec_id") else rows.fk_targets(table)[col]
            found = conn.execute(select(table).where(table.c[col].in_(sorted(picked.get(parent, ()))))).all()
            n += len(found)
            if rows.has_id(table):
                picked[table.name] = {r.id for r in found}
    return time.perf_counter() - t, n


def main() -> None:
    from bench.large_workspace import large_workspace
    from esncoach.services import execs, sessions
    from esncoach.services.team_checkout import checkout
    from esncoach.services.team_checkout_merge import checkin
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.server import open_server
    from esncoach.store.workspace import Workspace
    from tests.pg_server import PgServer, socket_url

    source = large_workspace(EXECS, YEARS)
    server = PgServer().start()
    try:
        t = time.perf_counter()
        total_rows = fill_server(server, "bench_offline", source)
        fill_s = time.perf_counter() - t
        cm = open_server(socket_url(server, "bench_offline", CM))
        names = [r.name for r in execs.list_execs(cm)]
        ids = [r.id for r in execs.list_execs(cm)]
        out_s, in_s, base_s, copied = [], [], [], 0
        merged: list[dict] = []
        with tempfile.TemporaryDirectory(prefix="esncoach-bench-offline-") as tmp:
            for n in range(ROUNDS):
                b, base_rows = baseline_read(cm, ids)
                base_s.append(b)
                laptop = Workspace.open(Path(tmp) / f"laptop{n}.db", KeyMaterial("raw", "0123456789abcdef" * 4))
                t = time.perf_counter()
                copied = checkout(cm, laptop, names=names).rows
                out_s.append(time.perf_counter() - t)
                for exec_id in [r.id for r in execs.list_execs(laptop)]:
                    first = sessions.list_sessions(laptop, exec_id=exec_id)[0]
                    sessions.save_notes(laptop, session_id=first.id, notes=f"offline round {n}")
                    sessions.add_action_item(laptop, exec_id=exec_id, text=f"offline item round {n}")
                t = time.perf_counter()
                result = checkin(cm, laptop)
                in_s.append(time.perf_counter() - t)
                merged = [e.as_json() for e in result.execs]
                laptop.close()
                print(f"round {n}: baseline read {b:.2f} s ({base_rows} rows), check-out {out_s[-1]:.2f} s "
                      f"({copied} rows), check-in {in_s[-1]:.2f} s", file=sys.stderr)
        cm.close()
    finally:
        server.stop()
    report = {
        "bench": "team_checkout", "execs": EXECS, "years": YEARS, "rounds": ROUNDS, "server_rows": total_rows,
        "rows_copied": copied, "fill_s": round(fill_s, 2),
        "baseline_read_s_median": round(statistics.median(base_s), 3),
        "checkout_s_median": round(statistics.median(out_s), 3),
        "checkin_s_median": round(statistics.median(in_s), 3),
        "added_per_checkin": sum(e["added"] for e in merged), "changed_per_checkin": sum(e["changed"] for e in merged),
        "goal_s": GOAL_S,
        "meets_goal": statistics.median(out_s) <= GOAL_S and statistics.median(in_s) <= GOAL_S,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
