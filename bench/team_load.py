"""Team server under load: 20 CMs, each in their own process and logged in as their own role, for 60 s.

Starts a throwaway PostgreSQL (as the tests do), fills a team workspace with 500 execs × 3 years
(fortnightly sessions with two action items each, two weekly-checked habits each; bulk SQL with the
triggers off, then the search index rebuilt) and 20 CM roles with 25 execs each. Every client runs a
realistic mix through the services the GUI calls: open an exec page 35 %, save session notes (with the
version it read) 20 %, tick an action item 15 %, add a check-in 15 %, search 10 %, import a small figures
file 5 %. Reports p50/p95/p99 per operation and the errors, then checks that every write a client saw
acknowledged is stored (lost writes).

Three runs, in this order, on the same server:

* **one CM alone** (closed loop, a quarter of the time): what an operation costs without contention.
* **the team** (the goal's line): 20 CMs who act, read and type. Between two operations each CM thinks for
  an exponentially distributed time, mean ``BENCH_THINK_S`` (2 s): a person opens a page, reads it, types a
  note that the dialog autosaves every few seconds, ticks an item; nobody fires ten requests a second. At
  2 s, 20 CMs send ~10 requests a second, several times what a real team of 20 produces, so the line is
  still a pessimistic one. **Goal, judged on this line: p95 <= 100 ms for every operation, 0 errors, 0 lost
  writes.**
* **stress** (closed loop, no think time): the same 20 processes fire operations back to back. On a
  2-core machine that runs the server too they saturate the CPU, so its latencies are queueing (20
  requests waiting for 2 cores), not what a CM sees; its ops/s is the throughput figure. Reported as a
  second, labelled line; not the goal.

In the team and stress runs the clients start together (a barrier once all are logged in), each having
done every operation once, untimed (an app that has been open a while: lazy imports and statement caches
filled; those writes are checked too). Wall times include whatever else the machine runs: each run reports the 1-minute load average before and
after, and each operation its median client CPU (its own cost, whatever the contention).

``BENCH_SECONDS`` (default 60, per team run), ``BENCH_CLIENTS`` (20), ``BENCH_EXECS`` (500) and
``BENCH_THINK_S`` (2.0) shorten or change a run while developing. Last line: one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
EXECS = int(os.environ.get("BENCH_EXECS", "500"))
THINK_S = float(os.environ.get("BENCH_THINK_S", "2.0"))
"""Mean think time between a CM's operations in the team run (exponential): see the module docstring."""
GOAL_P95_MS = 100.0
YEARS = 3
SESSIONS_PER_EXEC = 26 * YEARS
CHECKINS_PER_HABIT = 52 * YEARS
MIX = [("open_page", 35), ("save_notes", 20), ("tick_action", 15), ("check_in", 15), ("search", 10), ("import", 5)]
WORDS = ["topic", "notes", "agenda", "outcome", "thing", "exec 1", "like posts", "session 4"]


def populate(admin: Any) -> None:
    """500 execs × 3 years in bulk SQL (triggers off), then the search index rebuilt once."""
    today = dt.date.today()
    start = today - dt.timedelta(days=365 * YEARS)
    sql = admin.execute
    sql("SET session_replication_role = replica")  # no per-row triggers while bulk loading
    sql("INSERT INTO exec(name, title, department, email, stage, archived, private_notes, created_at, updated_at) "
        "SELECT 'Exec ' || g, 'VP area ' || (g %% 40), (ARRAY['Finance','Sales','Operations','People','Technology'])"
        "[1 + g %% 5], 'exec' || g || '@example.com', 'comment', false, ' ', now(), now() "
        "FROM generate_series(1, %s) g", (EXECS,))
    sql("INSERT INTO coaching_session(exec_id, kind, status, title, starts_at, duration_min, agenda, notes, outcomes, "
        "created_at, updated_at) SELECT e.id, 'one_on_one', 'held', 'Session ' || k, "
        "%s::timestamp + make_interval(days => k * 14), 45, 'agenda for topic ' || (k %% 17), "
        "'notes about topic ' || (k %% 23), 'outcome ' || (k %% 5), now(), now() "
        "FROM exec e, generate_series(1, %s) k", (start, SESSIONS_PER_EXEC))
    sql("INSERT INTO action_item(exec_id, session_id, text, owner, done, created_at, updated_at) "
        "SELECT s.exec_id, s.id, 'Do thing ' || j || ' of session ' || s.id, 'exec', false, now(), now() "
        "FROM coaching_session s, generate_series(1, 2) j")
    sql("INSERT INTO habit(exec_id, description, schedule, times, period_days, started_on, created_at, updated_at) "
        "SELECT e.id, 'Like posts ' || h, 'times_per_period', 3, 7, %s, now(), now() "
        "FROM exec e, generate_series(1, 2) h", (start,))
    sql("INSERT INTO check_in(habit_id, day, result, note) SELECT h.id, h.started_on + d * 7, 'done', '' "
        "FROM habit h, generate_series(0, %s) d", (CHECKINS_PER_HABIT - 1,))
    sql("SET session_replication_role = DEFAULT")
    for kind, table in (("exec", "exec"), ("session", "coaching_session"), ("action", "action_item"),
                        ("habit", "habit")):
        sql(f"SELECT search_refresh_{kind}(ARRAY(SELECT id::bigint FROM {table}))")
    sql("ANALYZE")


def client(index: int, url: str, password: str, seconds: float, out: Any, think_s: float = 0.0, seed: int = 0,
           start: Any = None) -> None:
    """One CM's laptop: a random mix of operations for ``seconds``; results go to ``out`` (a queue).

    ``think_s`` is the mean pause between two operations (0: back to back). ``start``, a barrier, makes the
    clients of a run begin together once every one has imported esncoach and logged in.
    """
    from esncoach.imports.pipeline import import_file
    from esncoach.models import CheckInResult
    from esncoach.services import execs, habits, sessions
    from esncoach.services.search import search
    from esncoach.store.server import open_server

    rng = random.Random(seed * 1000 + index)
    ws = open_server(url, password=password)
    mine = execs.list_execs(ws)
    timings: dict[str, list[float]] = {name: [] for name, _w in MIX}
    cpu: dict[str, list[float]] = {name: [] for name, _w in MIX}
    errors: list[str] = []
    notes_acked: dict[int, str] = {}
    ticks_acked: dict[int, bool] = {}
    checkins_acked: set[tuple[int, str]] = set()
    imports_acked: list[tuple[int, str]] = []
    versions: dict[int, int] = {}
    pages: dict[int, list[Any]] = {}
    done_state: dict[int, bool] = {}
    day_cursor = {r.id: dt.date.today() - dt.timedelta(days=200 * seed) for r in mine}  # each run its own days
    tmp = Path(tempfile.mkdtemp(prefix=f"team-load-{index}-"))
    n = 0

    def do(op: str) -> None:
        nonlocal imports_acked
        ex = rng.choice(mine)
        if op == "open_page":
            execs.get_exec(ws, ex.id)
            rows = sessions.list_sessions(ws, exec_id=ex.id)
            habits.habit_status(ws, exec_id=ex.id)
            pages[ex.id] = rows
            for r in rows:
                versions[r.id] = r.version
                done_state.update({i.id: i.done for i in r.action_items})
        elif op == "save_notes":  # in a page already open, as the session dialog's autosave does
            target = rng.choice(pages[rng.choice(list(pages))])
            text = f"{target.notes.split(' | ')[0]} | client {index} write {n}"
            versions[target.id] = sessions.save_notes(ws, session_id=target.id, notes=text,
                                                      expected_version=versions[target.id])
            notes_acked[target.id] = text
        elif op == "tick_action":  # a tick in a page already open
            item = rng.choice(rng.choice(pages[rng.choice(list(pages))]).action_items)
            done = not done_state[item.id]
            sessions.set_action_done(ws, item_id=item.id, done=done)
            done_state[item.id] = ticks_acked[item.id] = done
        elif op == "check_in":
            day_cursor[ex.id] -= dt.timedelta(days=1)
            day = day_cursor[ex.id]
            habits.check_in(ws, exec_id=ex.id, day=day, result=CheckInResult.DONE, note=f"load {index}")
            checkins_acked.add((ex.id, day.isoformat()))
        elif op == "search":
            search(ws, query=rng.choice(WORDS))
        elif op == "import":
            path = tmp / f"figures-{n}.csv"
            day = dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)
            path.write_text("date,person,messages,likes\n" + "".join(
                f"{day.isoformat()},{r.email},{rng.randint(0, 9)},{rng.randint(0, 30)}\n" for r in mine[:5]))
            import_file(ws, path, fmt="generic")
            imports_acked += [(r.id, day.isoformat()) for r in mine[:5]]

    names = [n for n, _w in MIX]
    weights = [w for _n, w in MIX]
    # Warm-up, untimed: every operation once, as a CM whose app has been open a while has done (Python's
    # lazy imports and SQLAlchemy's statement cache are filled). Its writes are checked like the others.
    for op in names:
        n += 1
        try:
            do(op)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(f"warm-up {op}: {type(exc).__name__}: {str(exc)[:160]}")
    if start is not None:
        start.wait(timeout=600)
    deadline = time.monotonic() + seconds
    done_ops = 0
    if think_s:
        time.sleep(rng.uniform(0, think_s))  # CMs do not all start typing in the same instant
    while time.monotonic() < deadline:
        op = rng.choices(names, weights)[0]
        if op in ("save_notes", "tick_action") and not pages:
            op = "open_page"  # edits happen in a page the CM has open
        n += 1
        done_ops += 1
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            do(op)
            timings[op].append(time.perf_counter() - t0)
            cpu[op].append(time.process_time() - c0)
        except Exception as exc:  # noqa: BLE001 - counted and reported, the client goes on
            errors.append(f"{op}: {type(exc).__name__}: {str(exc)[:160]}")
        if think_s:
            time.sleep(min(rng.expovariate(1 / think_s), max(0.0, deadline - time.monotonic())))
    ws.close()
    out.put({"index": index, "timings": timings, "cpu": cpu, "errors": errors, "notes": notes_acked,
             "ticks": ticks_acked, "checkins": sorted(checkins_acked), "imports": sorted(set(imports_acked)),
             "ops": done_ops})


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {"n": len(values), "p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2),
            "p99_ms": round(q[98] * 1000, 2)}


def run_team(server: Any, db: str, cms: list[str], *, think_s: float, seed: int) -> dict[str, Any]:
    """All CMs at once for SECONDS, each in its own process as its own role; timings, errors and lost writes."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start = ctx.Barrier(len(cms))
    procs = [ctx.Process(target=client, args=(i, f"postgresql://{role}@{server.host}:{server.port}/{db}",
                                              f"pw-{role}", SECONDS, out, think_s, seed, start))
             for i, role in enumerate(cms)]
    for p in procs:
        p.start()
    load_before = os.getloadavg()[0]
    results = [out.get(timeout=SECONDS + 600) for _ in procs]
    load_after = os.getloadavg()[0]
    for p in procs:
        p.join(60)
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    for r in results:
        errors += r["errors"]
        for op, values in r["timings"].items():
            timings.setdefault(op, []).extend(values)
    per_op = {op: percentiles(values) for op, values in timings.items()}
    for op, stats in per_op.items():
        stats["client_cpu_p50_ms"] = cpu_p50([v for r in results for v in r["cpu"][op]])
    lost_by = count_lost(server, db, results)
    done = sum(r["ops"] for r in results)
    return {"think_s": think_s, "ops": per_op, "all": percentiles([v for vs in timings.values() for v in vs]),
            "ops_per_s": round(done / SECONDS, 1), "errors": len(errors), "error_samples": sorted(set(errors))[:5],
            "writes": sum(len(r["notes"]) + len(r["ticks"]) + len(r["checkins"]) + len(r["imports"]) for r in results),
            "lost": sum(lost_by.values()), "lost_by": lost_by,
            "load_average_1min": [round(load_before, 1), round(load_after, 1)]}


def cpu_p50(values: list[float]) -> float:
    """Median client CPU of an operation, in ms: its cost in this process, whatever else runs on the machine."""
    return round(statistics.median(values) * 1000, 2) if values else 0.0


def count_lost(server: Any, db: str, results: list[dict[str, Any]]) -> dict[str, int]:
    """Acknowledged writes of one run that the database does not hold (each exec has one CM: no overlaps)."""
    lost_by: dict[str, int] = {"notes": 0, "ticks": 0, "check_ins": 0, "imports": 0}
    with server.admin(db) as admin:
        for r in results:
            for sid, text in r["notes"].items():
                lost_by["notes"] += admin.execute(
                    "SELECT notes FROM coaching_session WHERE id = %s", (int(sid),)).fetchone()[0] != text
            for iid, done in r["ticks"].items():
                lost_by["ticks"] += admin.execute(
                    "SELECT done FROM action_item WHERE id = %s", (int(iid),)).fetchone()[0] != done
            for exec_id, day in r["checkins"]:
                lost_by["check_ins"] += admin.execute(
                    "SELECT count(*) FROM check_in c JOIN habit h ON h.id = c.habit_id "
                    "WHERE h.exec_id = %s AND c.day = %s", (exec_id, day)).fetchone()[0] < 1
            for exec_id, day in r["imports"]:  # a later import of the same day replaces, never removes
                lost_by["imports"] += admin.execute(
                    "SELECT count(*) FROM metric_sample WHERE exec_id = %s AND period_start = %s",
                    (exec_id, day)).fetchone()[0] < 1
    return lost_by


def meets_goal(run: dict[str, Any]) -> bool:
    """Every operation's p95 within the goal, no error, no lost write."""
    return (run["errors"] == 0 and run["lost"] == 0
            and all(st.get("p95_ms", 0) <= GOAL_P95_MS for st in run["ops"].values()))


def show(label: str, run: dict[str, Any]) -> None:
    print(f"  {label}: {run['ops_per_s']} ops/s; all p95 {run['all'].get('p95_ms', 0):.1f} ms; errors {run['errors']}; "
          f"acknowledged writes {run['writes']}, lost {run['lost']} {run['lost_by']}; "
          f"machine load average {run['load_average_1min'][0]} -> {run['load_average_1min'][1]}")
    for op, stats in run["ops"].items():
        print(f"    {op:<12} n={stats['n']:>6}  p50 {stats.get('p50_ms', 0):7.1f} ms  "
              f"p95 {stats.get('p95_ms', 0):7.1f} ms  p99 {stats.get('p99_ms', 0):7.1f} ms  "
              f"(client CPU p50 {stats.get('client_cpu_p50_ms', 0):.1f} ms)")
    for e in run["error_samples"]:
        print("    error:", e)


def main() -> None:
    from esncoach.services import team
    from esncoach.store.server import open_server
    from tests.pg_server import PgServer, socket_url

    server = PgServer().start()
    try:
        db = "team_load"
        server.create_database(db)
        t0 = time.perf_counter()
        open_server(socket_url(server, db), create=True).close()
        with server.admin(db) as admin:
            populate(admin)
        setup_s = time.perf_counter() - t0
        owner = open_server(socket_url(server, db))
        cms = [f"cm{i:02d}" for i in range(1, CLIENTS + 1)]
        for role in cms:
            team.add_member(owner, role=role, password=f"pw-{role}")
        with server.admin(db) as admin:
            admin.execute("INSERT INTO team_exec_cm(exec_id, role) SELECT e.id, (%s::text[])[1 + (e.id %% %s)] "
                          "FROM exec e", (cms, len(cms)))
            rows = admin.execute("SELECT (SELECT count(*) FROM coaching_session), (SELECT count(*) FROM check_in), "
                                 "(SELECT count(*) FROM search_index)").fetchone()
        owner.close()
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        # Baseline in the same run: one CM alone (what one operation costs without contention).
        alone_s = max(5.0, SECONDS / 4)
        solo = ctx.Process(target=client, args=(99, f"postgresql://{cms[0]}@{server.host}:{server.port}/{db}",
                                                f"pw-{cms[0]}", alone_s, out))
        solo.start()
        baseline = out.get(timeout=alone_s + 300)
        solo.join(60)
        baseline_ops = {op: percentiles(v) for op, v in baseline["timings"].items()}
        for op, stats in baseline_ops.items():
            stats["client_cpu_p50_ms"] = cpu_p50(baseline["cpu"][op])
        team_run = run_team(server, db, cms, think_s=THINK_S, seed=1)
        stress = run_team(server, db, cms, think_s=0.0, seed=2)
        print(f"team load: {CLIENTS} CMs × {SECONDS:.0f} s on {EXECS} execs × {YEARS} years "
              f"({rows[0]} sessions, {rows[1]} check-ins, {rows[2]} index rows; set up in {setup_s:.1f} s)")
        print("  one CM alone (baseline, closed loop): " + ", ".join(
            f"{op} p50 {st.get('p50_ms', 0):.0f}/p95 {st.get('p95_ms', 0):.0f} ms (CPU {st['client_cpu_p50_ms']:.0f})"
            for op, st in baseline_ops.items()))
        show(f"TEAM (goal line; {CLIENTS} CMs, think time exp. mean {THINK_S:g} s)", team_run)
        print(f"  goal (p95 <= {GOAL_P95_MS:.0f} ms per operation, 0 errors, 0 lost writes), on the team line: "
              + ("met" if meets_goal(team_run) else "NOT met"))
        show(f"STRESS (not the goal; {CLIENTS} processes back to back, no think time: CPU-bound queueing)", stress)
        print(json.dumps({"bench": "team_load", "clients": CLIENTS, "seconds": SECONDS, "execs": EXECS,
                          "think_s": THINK_S, "goal_met": meets_goal(team_run),
                          "baseline_one_client": baseline_ops, "team": team_run, "stress_closed_loop": stress,
                          "setup_s": round(setup_s, 1)}))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
