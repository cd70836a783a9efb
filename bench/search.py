"""Search latency per keystroke on a big workspace, next to a plain LIKE '%word%' scan of the same text.

Generates (deterministically) 50 execs × 3 years: ~5,000 sessions with action items, ~2,000 practice
posts with revisions and feedback, ~20,000 habit check-ins, in one encrypted workspace (the index is
filled by the triggers as rows go in). Then types a few dozen words and phrases one character at a time
(a few hundred queries) through ``services.search.search`` (the whole path the popup uses: parse, rank,
group, snippets, titles) and runs a LIKE scan of every indexed text column for the same words, the
two interleaved in the same run. Wall-clock and CPU time (this process: SQLite runs in it) are both
reported; on a shared machine the CPU figures say more. Also times re-building the index from scratch
(what migration 0002 does to an existing workspace). Last line: one JSON object.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esncoach.services.search import Order, search  # noqa: E402
from esncoach.store.keys import KeyMaterial  # noqa: E402
from esncoach.store.migrate import MIGRATIONS_DIR  # noqa: E402
from esncoach.store.workspace import Workspace  # noqa: E402

EXECS = int(os.environ.get("BENCH_EXECS", "50"))
YEARS = 3
SESSIONS_PER_EXEC = 100
POSTS_PER_EXEC = 40
CHECKINS_PER_EXEC = 400
KEY = KeyMaterial("raw", "b3" * 32)
SEED = 11

FIRST = ["Amelia", "Bruno", "Chen", "Dana", "Élodie", "Farid", "Greta", "Hiroshi", "Isabel", "Jonas", "Kavya",
         "Liam", "Zoë", "José", "Søren", "Ngozi", "Mateo", "Anaïs", "Björn", "Priya", "Tomás", "Yuki", "Léa"]
LAST = ["Hart", "Castillo", "Wei", "Okafor", "Marchand", "Haddad", "Lindqvist", "Tanaka", "Moreno", "Becker",
        "Raman", "O'Connor", "Dupré", "Núñez", "Øster", "Adeyemi", "Fernández", "Keller", "Nakamura", "Müller"]
TOPICS = ["the town hall", "the quarterly results", "the hybrid-work policy", "sustainability targets",
          "the new CRM rollout", "the plant safety record", "customer complaints", "the reorganisation",
          "the Ask Leadership community", "the livestream Q&A", "supplier diversity", "the pricing change",
          "the innovation fair", "graduate recruitment", "the cyber-security drill", "the café opening"]
FRAGMENTS = ["Worried about {t}.", "Wants to thank the team for {t}.", "Drafted a short update on {t}.",
             "Asked how to answer tough questions about {t}.", "Practised replying to comments on {t}.",
             "Avoid jargon when writing about {t}.", "Reverse mentoring: hashtags and mentions around {t}.",
             "Liked three posts about {t}.", "Felt nervous posting about {t}.", "Great reactions to the post on {t}.",
             "Assistant will watch threads about {t}.", "Next step: a longer post about {t}."]
TAGS = ["board member", "sceptic", "early adopter", "town hall", "travels a lot", "new in role", "introvert"]
# What people type; each is typed one character at a time.
TYPED = ["town hall", "jargon", "sustainability", "livestream", "reverse mentoring", "hashtags", "zoe", "elodie",
         "cafe", "nervous", "pricing", "supplier diversity", "recruitment", "quarterly", "reorganisation", "crm",
         "innovation", "complaints", "safety", "thank", "tough questions", "drafted", "hybrid", "leadership",
         "soren", "nunez", "muller", "assistant", "reactions", "longer post", "kind:session jargon",
         "exec:zoe town", "tag:sceptic", '"plant safety"', "cyber"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(FRAGMENTS).format(t=rng.choice(TOPICS)) for _ in range(n))


def generate(ws: Workspace) -> dict[str, int]:
    """Fill the workspace with raw inserts in one transaction; the triggers index every row."""
    rng = random.Random(SEED)
    today = dt.date(2026, 11, 23)
    start = today - dt.timedelta(days=365 * YEARS)
    counts: dict[str, int] = {}
    with ws.engine.begin() as conn:
        sql = conn.exec_driver_sql
        sql("INSERT INTO tag (name) VALUES " + ", ".join(f"('{t}')" for t in TAGS))
        execs = [(f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}", f"VP {rng.choice(TOPICS)[4:]}"[:190],
                  rng.choice(["Finance", "Sales", "Operations", "People", "Technology"]), f"exec{i}@example.com",
                  "comment", 0, sentence(rng, 2)) for i in range(EXECS)]
        sql("INSERT INTO exec (name, title, department, email, stage, archived, private_notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", execs)
        sql("INSERT INTO exec_tag (exec_id, tag_id) VALUES (?, ?)",
            [(e, t) for e in range(1, EXECS + 1) for t in rng.sample(range(1, len(TAGS) + 1), 2)])
        sessions, actions, habits, checkins, posts, revisions, feedback = [], [], [], [], [], [], []
        for e in range(1, EXECS + 1):
            for k in range(SESSIONS_PER_EXEC):
                day = start + dt.timedelta(days=k * 365 * YEARS // SESSIONS_PER_EXEC + rng.randint(0, 5))
                sessions.append((e, "one_on_one", "held", f"Session {k + 1}: {rng.choice(TOPICS)[4:]}",
                                 f"{day} 09:00:00.000000", 30, sentence(rng, 2), sentence(rng, 4), sentence(rng, 1)))
            for h in range(4):
                habits.append((e, f"Like {h + 2} posts a week about {rng.choice(TOPICS)[4:]}", "times_per_period",
                               h + 2, 7, str(start + dt.timedelta(days=h * 270))))
            for p in range(POSTS_PER_EXEC):
                posts.append((e, "short_update", f"Update on {rng.choice(TOPICS)[4:]}", "Leadership", "draft",
                              "exec", ""))
        sql("INSERT INTO coaching_session (exec_id, kind, status, title, starts_at, duration_min, agenda, notes, "
            "outcomes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
        for sid in range(1, len(sessions) + 1):
            e = sessions[sid - 1][0]
            for _ in range(2):
                actions.append((e, sid, sentence(rng, 1), "exec", rng.random() < 0.7))
        sql("INSERT INTO action_item (exec_id, session_id, text, owner, done) VALUES (?, ?, ?, ?, ?)", actions)
        sql("INSERT INTO habit (exec_id, description, schedule, times, period_days, started_on) "
            "VALUES (?, ?, ?, ?, ?, ?)", habits)
        for hid in range(1, len(habits) + 1):
            first = dt.date.fromisoformat(habits[hid - 1][5])
            for d in range(CHECKINS_PER_EXEC // 4):
                note = sentence(rng, 1) if rng.random() < 0.3 else ""
                checkins.append((hid, str(first + dt.timedelta(days=d * 2)), rng.choice(["done", "missed"]), note))
        sql("INSERT INTO check_in (habit_id, day, result, note) VALUES (?, ?, ?, ?)", checkins)
        sql("INSERT INTO practice_post (exec_id, kind, title, community, status, drafted_by, published_url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", posts)
        for pid in range(1, len(posts) + 1):
            for n in range(1, rng.randint(1, 4) + 1):
                revisions.append((pid, n, sentence(rng, 6)))
        sql("INSERT INTO revision (post_id, number, text) VALUES (?, ?, ?)", revisions)
        for rid in range(1, len(revisions) + 1):
            if rng.random() < 0.6:
                feedback.append((rid, "CM", "the team", sentence(rng, 1), False))
        sql("INSERT INTO feedback (revision_id, author, quoted_text, comment, resolved) VALUES (?, ?, ?, ?, ?)",
            feedback)
    counts.update(execs=EXECS, sessions=len(sessions), action_items=len(actions), habits=len(habits),
                  check_ins=len(checkins), posts=len(posts), revisions=len(revisions), feedback=len(feedback))
    return counts


LIKE_COLUMNS = {
    "exec": ["name", "title", "department", "private_notes"], "person": ["name", "title", "notes"],
    "coaching_session": ["title", "agenda", "notes", "outcomes"], "action_item": ["text"],
    "habit": ["description"], "check_in": ["note"], "practice_post": ["title", "community"],
    "revision": ["text"], "feedback": ["comment", "quoted_text"], "watch_theme": ["text"], "tag": ["name"],
}


def like_scan(conn: Any, query: str) -> int:
    """The naive alternative: every word must appear somewhere in a row, LIKE '%word%' on every column."""
    words = [w.strip('"*') for w in query.split() if ":" not in w] or [query.split(":")[-1]]
    found = 0
    for table, columns in LIKE_COLUMNS.items():
        where = " AND ".join("(" + " OR ".join(f"{c} LIKE ?" for c in columns) + ")" for _ in words)
        params = [f"%{w}%" for w in words for _ in columns]
        found += len(conn.exec_driver_sql(f"SELECT id FROM {table} WHERE {where}", tuple(params)).all())
    return found


def rebuild_seconds(ws: Workspace) -> float:
    """Empty the index and fill it again with migration 0002's own back-fill statements."""
    path = MIGRATIONS_DIR / "versions" / "0002_fulltext_search.py"
    spec = importlib.util.spec_from_file_location("m0002", path)
    assert spec and spec.loader
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    started = time.perf_counter()
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM search_index")
        for kind in m.KINDS:
            conn.exec_driver_sql(f"INSERT INTO search_index({m.COLUMNS}) {m.select_sql(kind, '1')}")
        conn.exec_driver_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")
    return time.perf_counter() - started


def ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(values) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
            "worst_ms": round(max(values) * 1000, 2)}


def main() -> None:
    queries = [text[:n] for text in TYPED for n in range(1, len(text) + 1) if text[:n].strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        t0 = time.perf_counter()
        with Workspace.open(path, KEY) as ws:
            counts = generate(ws)
            generate_s = time.perf_counter() - t0
            rebuild_s = rebuild_seconds(ws)
            with ws.engine.connect() as conn:
                indexed = conn.exec_driver_sql("SELECT count(*) FROM search_index").scalar_one()
            for q in queries[:20]:  # warm the page cache for both
                search(ws, query=q)
                with ws.engine.connect() as conn:
                    like_scan(conn, q)
            fts_newest, fts_best, like = [], [], []
            cpu: dict[str, list[float]] = {"fts_newest": [], "fts_best": [], "like_scan": []}
            for q in queries:  # interleaved, so machine load hits both alike
                t, c = time.perf_counter(), time.process_time()
                search(ws, query=q)
                fts_newest.append(time.perf_counter() - t)
                cpu["fts_newest"].append(time.process_time() - c)
                t, c = time.perf_counter(), time.process_time()
                search(ws, query=q, order=Order.BEST)
                fts_best.append(time.perf_counter() - t)
                cpu["fts_best"].append(time.process_time() - c)
                with ws.engine.connect() as conn:
                    t, c = time.perf_counter(), time.process_time()
                    like_scan(conn, q)
                    like.append(time.perf_counter() - t)
                    cpu["like_scan"].append(time.process_time() - c)
            slowest = sorted(zip(fts_newest, queries, strict=True), reverse=True)[:3]
        size_mb = path.stat().st_size / 1e6 if path.exists() else 0.0
    result = {"bench": "search", "queries": len(queries), "indexed_rows": indexed, **counts,
              "fts_newest": ms(fts_newest), "fts_best": ms(fts_best), "like_scan": ms(like),
              "cpu": {k: ms(v) for k, v in cpu.items()},
              "speedup_median": round(statistics.median(like) / statistics.median(fts_newest), 1),
              "generate_s": round(generate_s, 2), "index_rebuild_s": round(rebuild_s, 2),
              "db_mb": round(size_mb, 1)}
    print(f"workspace: {counts} -> {indexed} index rows, {size_mb:.1f} MB, generated in {generate_s:.1f} s")
    print(f"index rebuilt from scratch (migration back-fill) in {rebuild_s:.2f} s")
    for label, key in (("FTS search, newest first", "fts_newest"), ("FTS search, best match", "fts_best"),
                       ("LIKE '%word%' scan", "like_scan")):
        r = result[key]
        c = result["cpu"][key]
        print(f"{label:<26} median {r['median_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  worst {r['worst_ms']:7.2f} ms"
              f"  (CPU: median {c['median_ms']:.2f}, worst {c['worst_ms']:.2f} ms; {len(queries)} typed prefixes)")
    print("slowest search queries: " + ", ".join(f"{q!r} {s * 1000:.1f} ms" for s, q in slowest))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
