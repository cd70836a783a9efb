"""The large bench workspace, built in one place and cached on disk between bench runs.

A coaching programme covering every VP of a large company: ``execs`` executives (200 by default, 50 for the
older "large" figures), ``years`` years of daily per-exec figures (messages, replies, likes, replies
received) and daily network figures, a daily habit with a check-in every day, a coaching session every two
weeks with notes, twelve scored practice posts each, and stage changes up the ladder. Deterministic (seeded),
dated relative to the day it is built.

Building 200 × 5 years takes about a minute, so the file is kept under ``$ESNCOACH_BENCH_CACHE`` (default
``~/.cache/esncoach-bench``), named by size, builder version and build day (a newer schema upgrades it in place); a bench that writes
to it asks for a copy (``copy_to``). Run this file to build (or find) it and print its facts as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BUILDER_VERSION = 1
KEY_HEX = "0123456789abcdef" * 4
PER_EXEC_METRICS = (("messages", 2), ("replies", 4), ("likes", 9), ("replies_received", 5))
NETWORK_METRICS = (("messages", 900), ("replies", 1700), ("likes", 4000), ("reads", 20000))
CRITERIA = ("authentic voice", "clarity", "brevity for the kind", "invites a response", "strategic alignment",
            "tone")
FIRST = ("Amara", "Bastien", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Kalani",
         "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Soren", "Tamsin")
LAST = ("Lindqvist", "Okafor", "Moreau", "Tanaka", "Brennan", "Castillo", "Novak", "Haddad", "Whitfield", "Ferreira",
        "Adeyemi", "Kowalski", "Marchetti", "Olsen", "Pradhan")
WORDS = ("pricing", "roadmap", "customers", "launch", "hiring", "feedback", "town hall", "strategy", "quarter",
         "partners", "culture", "recognition", "learning", "security", "supply chain", "sustainability")


@dataclass(frozen=True)
class LargeWorkspace:
    """Where the cached workspace is and what is in it."""

    path: Path
    execs: int
    years: int
    today: str
    busiest_exec_id: int
    exec_ids: list[int]
    rows: dict[str, int]
    build_s: float

    @property
    def key(self) -> Any:
        """The raw key the file is encrypted with (fast to derive, like the tests' key)."""
        from esncoach.store.keys import KeyMaterial

        return KeyMaterial("raw", KEY_HEX)

    def open(self) -> Any:
        """The workspace, opened (the caller closes it)."""
        from esncoach.store.workspace import Workspace

        return Workspace.open(self.path, self.key, create=False)


def cache_dir() -> Path:
    """Where built workspaces are kept between runs."""
    return Path(os.environ.get("ESNCOACH_BENCH_CACHE", Path.home() / ".cache" / "esncoach-bench"))


def _name(i: int) -> str:
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    return f"{first} {last}" + (f" {i // (len(FIRST) * len(LAST)) + 1}" if i >= len(FIRST) * len(LAST) else "")


def build(path: Path, *, execs: int, years: int, today: dt.date) -> dict[str, Any]:
    """Write the workspace to ``path`` (which must not exist); returns its facts."""
    from sqlalchemy import insert

    from esncoach.models import (
        CheckIn,
        CheckInResult,
        CoachingSession,
        Exec,
        Habit,
        HabitSchedule,
        LadderStage,
        MetricSample,
        PracticePost,
        Revision,
        RubricScore,
        SessionStatus,
        StageChange,
    )
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.workspace import Workspace

    rng = random.Random(5)
    days = years * 365
    first = today - dt.timedelta(days=days)
    stages = list(LadderStage)
    counts: dict[str, int] = {}

    def put(s: Any, table: Any, rows: list[dict[str, Any]], name: str) -> None:
        for i in range(0, len(rows), 20_000):
            s.execute(insert(table), rows[i:i + 20_000])
        counts[name] = counts.get(name, 0) + len(rows)

    with Workspace.open(path, KeyMaterial("raw", KEY_HEX)) as ws:
        with ws.session() as s:
            exec_rows = []
            starts = []
            for i in range(execs):
                # The first exec joined on day one and so has the longest history (the "busiest").
                start = first if i == 0 else first + dt.timedelta(days=rng.randrange(0, days // 3))
                stage = stages[min(5, i % 6 + (1 if i < execs // 5 else 0))]
                exec_rows.append({"name": _name(i), "title": "VP " + WORDS[i % len(WORDS)].title(),
                                  "department": WORDS[(i * 7) % len(WORDS)].title(),
                                  "email": f"exec{i:04d}@example.com", "joined_network": start + dt.timedelta(days=60),
                                  "stage": stage, "archived": False, "private_notes": ""})
                starts.append(start)
            put(s, Exec.__table__, exec_rows, "exec")
            ids = [row[0] for row in s.execute(Exec.__table__.select().with_only_columns(Exec.id).order_by(Exec.id))]
            habit_rows = [{"exec_id": ex, "description": "Like or reply to a post a day",
                           "schedule": HabitSchedule.DAILY, "times": 1, "period_days": 1, "started_on": start}
                          for ex, start in zip(ids, starts, strict=True)]
            put(s, Habit.__table__, habit_rows, "habit")
            habit_ids = [row[0] for row in s.execute(Habit.__table__.select().with_only_columns(Habit.id)
                                                     .order_by(Habit.id))]
        for n, (ex, start, habit_id) in enumerate(zip(ids, starts, habit_ids, strict=True)):
            stage = LadderStage(exec_rows[n]["stage"])
            with ws.session() as s:
                stage_rows, checkins, sessions, metrics = [], [], [], []
                prev = None
                for r in range(stage.rank + 1):
                    on = start + dt.timedelta(days=r * (days - (start - first).days) // (stage.rank + 2))
                    stage_rows.append({"exec_id": ex, "from_stage": prev, "stage": stages[r], "changed_on": on,
                                       "reason": "bench"})
                    prev = stages[r]
                d, k = start, 0
                while d < today:
                    roll = rng.random()
                    result = (CheckInResult.DONE if roll < 0.8 else CheckInResult.MISSED if roll < 0.95
                              else CheckInResult.SKIPPED)
                    checkins.append({"habit_id": habit_id, "day": d, "result": result, "note": ""})
                    for metric, base in PER_EXEC_METRICS:
                        metrics.append({"exec_id": ex, "metric": metric, "period_start": d, "period_end": d,
                                        "value": float(rng.randint(0, base * 2)), "source": "bench"})
                    d += dt.timedelta(days=1)
                d = start
                while d < today + dt.timedelta(days=14):
                    k += 1
                    held = d < today
                    topic = WORDS[rng.randrange(len(WORDS))]
                    sessions.append({"exec_id": ex, "kind": "one_on_one",
                                     "status": SessionStatus.HELD if held else SessionStatus.PLANNED,
                                     "title": f"Session {k}: {topic}", "starts_at": dt.datetime.combine(d, dt.time(9)),
                                     "duration_min": 30, "agenda": f"Talk about {topic}",
                                     "notes": f"Discussed {topic} and {WORDS[rng.randrange(len(WORDS))]}." if held else "",
                                     "outcomes": ""})
                    d += dt.timedelta(days=14)
                put(s, StageChange.__table__, stage_rows, "stage_change")
                put(s, CheckIn.__table__, checkins, "check_in")
                put(s, CoachingSession.__table__, sessions, "coaching_session")
                put(s, MetricSample.__table__, metrics, "metric_sample")
                for p in range(12):
                    post = PracticePost(exec_id=ex, title=f"Post {p}: {WORDS[(n + p) % len(WORDS)]}")
                    s.add(post)
                    s.flush()
                    rev = Revision(post_id=post.id, number=1, text=f"Draft about {WORDS[p % len(WORDS)]}")
                    rev.created_at = dt.datetime.combine(start + dt.timedelta(days=60 + 30 * p), dt.time(12))
                    s.add(rev)
                    s.flush()
                    for c in CRITERIA:
                        s.add(RubricScore(revision_id=rev.id, criterion=c, score=rng.randint(1, 5)))
                counts["practice_post"] = counts.get("practice_post", 0) + 12
        with ws.session() as s:
            network = []
            for i in range(days):
                d = first + dt.timedelta(days=i)
                for metric, base in NETWORK_METRICS:
                    network.append({"exec_id": None, "metric": metric, "period_start": d, "period_end": d,
                                    "value": float(base * rng.uniform(0.8, 1.2)), "source": "bench"})
            put(s, MetricSample.__table__, network, "metric_sample")
        with ws.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    return {"busiest_exec_id": ids[0], "exec_ids": ids, "rows": counts}


def _upgrade(path: Path) -> None:
    """Bring a cached file built by an older schema to head in place (no pre-migration backup: it is a cache)."""
    from esncoach.store.database import probe
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.schema import HEAD_REVISION
    from esncoach.store.workspace import Workspace

    from esncoach.store.errors import NewerSchemaError

    key = KeyMaterial("raw", KEY_HEX)
    try:
        revision = probe(path, key, quick_check=False)
    except NewerSchemaError:  # built by a newer checkout: rebuild
        path.unlink()
        raise
    if revision != HEAD_REVISION:
        # Upgrade a copy and swap it in: another bench may have the cached file open (and locked) right now.
        t = time.perf_counter()
        staged = path.with_name(f"{path.name}.upgrade-{os.getpid()}")
        shutil.copyfile(path, staged)
        Workspace.open(staged, key, create=False, before_migration=lambda *_: None).close()
        for suffix in ("-wal", "-shm", ".lock"):
            Path(str(staged) + suffix).unlink(missing_ok=True)
        os.replace(staged, path)
        print(f"upgraded {path.name} to {HEAD_REVISION} in {time.perf_counter() - t:.1f} s", file=sys.stderr)


def large_workspace(execs: int = 200, years: int = 5, *, copy_to: Path | None = None,
                    today: dt.date | None = None) -> LargeWorkspace:
    """The cached workspace of this size (built first if missing); a copy at ``copy_to`` when given."""
    today = today or dt.date.today()
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"large-{execs}x{years}y-v{BUILDER_VERSION}-{today.isoformat()}.db"
    meta_path = path.with_suffix(".json")
    if not (path.exists() and meta_path.exists()):
        for old in folder.glob(f"large-{execs}x{years}y-*"):
            old.unlink()
        part = path.with_name(path.name + ".part")
        for leftover in part.parent.glob(part.name + "*"):
            leftover.unlink()
        t = time.perf_counter()
        facts = build(part, execs=execs, years=years, today=today)
        facts["build_s"] = round(time.perf_counter() - t, 1)
        for suffix in ("-wal", "-shm", ".lock"):
            Path(str(part) + suffix).unlink(missing_ok=True)
        os.replace(part, path)
        meta_path.write_text(json.dumps(facts))
        print(f"built {path.name} in {facts['build_s']} s", file=sys.stderr)
    facts = json.loads(meta_path.read_text())
    _upgrade(path)
    target = path
    if copy_to is not None:
        copy_to.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy_to)
        target = copy_to
    return LargeWorkspace(path=target, execs=execs, years=years, today=today.isoformat(),
                          busiest_exec_id=facts["busiest_exec_id"], exec_ids=facts["exec_ids"], rows=facts["rows"],
                          build_s=facts["build_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execs", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    lw = large_workspace(args.execs, args.years)
    facts = asdict(lw)
    facts.pop("exec_ids")
    facts["path"] = str(lw.path)
    facts["size_mb"] = round(lw.path.stat().st_size / 1e6, 1)
    print(json.dumps({"bench": "large_workspace", **facts}))


if __name__ == "__main__":
    main()
