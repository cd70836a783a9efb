"""Import speed and memory: esncoach's importer into the encrypted store vs a plain sqlite3 executemany.

Generates a generic CSV (default 1,000,000 rows: a year of daily figures for ~2,700 people, 20 of them
tracked execs) and a Yammer ``Messages.csv`` (default 200,000 messages, a third of them replies), then,
for each file and several runs, measures in a fresh child process:

* ``esncoach``: ``esncoach.imports.import_file`` into a new SQLCipher workspace (parse, validate, match,
  aggregate, replace, write in one transaction);
* ``baseline``: ``csv.reader`` + ``executemany`` of the same rows into an unencrypted sqlite3 file.

Each child reports its own peak RSS. Memory is "flat" when the esncoach import of the full file peaks
no higher than that of a file a tenth of its size (plus a small margin). Medians are reported; the last
line printed is one JSON object. Usage: ``python bench/import.py [--rows N] [--messages M] [--runs R]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXECS = 20
START = dt.date(2025, 1, 1)
DAYS = 365
RAW_KEY = "0123456789abcdef" * 4


def exec_email(i: int) -> str:
    return f"exec{i}@example.com"


def person_email(i: int) -> str:
    return exec_email(i) if i < EXECS else f"person{i}@example.com"


def write_generic(path: Path, rows: int) -> None:
    """date,person,messages,replies,likes,reads: one row per person per day, written as it goes."""
    rng = random.Random(1)
    people = max(EXECS + 1, rows // DAYS)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "person", "messages", "replies", "likes", "reads"])
        for i in range(rows):
            day = START + dt.timedelta(days=(i // people) % DAYS)
            reads = rng.randint(0, 3000)
            w.writerow([day.isoformat(), person_email(i % people), rng.randint(0, 9), rng.randint(0, 12),
                        rng.randint(0, 40), f"{reads:,}" if reads >= 1000 else reads])


def write_messages(path: Path, messages: int) -> None:
    """A Messages.csv in the export's column order, a third of the messages replies to earlier ones."""
    rng = random.Random(2)
    people = 3000
    header = ["id", "replied_to_id", "thread_id", "conversation_id", "group_id", "group_name", "participants",
              "in_private_group", "in_private_conversation", "sender_id", "sender_type", "sender_name",
              "sender_email", "body", "api_url", "attachments", "deleted_by_id", "deleted_by_type", "created_at",
              "deleted_at"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(messages):
            msg_id = 10_000_000 + i
            reply_to = 10_000_000 + rng.randrange(i) if i and rng.random() < 0.33 else ""
            sender = rng.randrange(people)
            when = dt.datetime.combine(START, dt.time()) + dt.timedelta(seconds=int(i * DAYS * 86400 / messages))
            w.writerow([msg_id, reply_to, reply_to or msg_id, "", 77, "All Company", "", "false", "false", sender,
                        "user", f"Person {sender}", person_email(sender),
                        f'Update {i}: thanks, "team" — see the plan,\nmore soon', f"https://example/{msg_id}", "", "",
                        "", when.strftime("%Y-%m-%d %H:%M:%S UTC"), ""])


# -- children: one measurement each, in a fresh process so peak RSS belongs to it alone ----------------

def child_esncoach(csv_path: Path, db_path: Path) -> dict[str, float]:
    from esncoach.imports import import_file
    from esncoach.services import execs
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.workspace import Workspace

    with Workspace.open(db_path, KeyMaterial("raw", RAW_KEY)) as ws:
        for i in range(EXECS):
            execs.add_exec(ws, name=f"Exec {i}", email=exec_email(i))
        t0 = time.perf_counter()
        result = import_file(ws, csv_path)
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rows": result.rows_read, "samples": result.samples_written}


def child_baseline(csv_path: Path, db_path: Path) -> dict[str, float]:
    conn = sqlite3.connect(db_path)
    t0 = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        cols = ", ".join(f'"{h}"' for h in header)
        conn.execute(f"CREATE TABLE rows ({cols})")
        sql = f"INSERT INTO rows VALUES ({', '.join('?' * len(header))})"
        rows = 0
        chunk: list[list[str]] = []
        for row in reader:
            chunk.append(row)
            if len(chunk) == 10_000:
                conn.executemany(sql, chunk)
                rows += len(chunk)
                chunk.clear()
        conn.executemany(sql, chunk)
        rows += len(chunk)
    conn.commit()
    seconds = time.perf_counter() - t0
    conn.close()
    return {"seconds": seconds, "rows": rows, "samples": rows}


def run_child(kind: str, csv_path: Path, workdir: Path, n: int) -> dict[str, float]:
    db = workdir / f"{kind}-{csv_path.stem}-{n}.db"
    for extra in ("", "-wal", "-shm", ".lock"):
        Path(str(db) + extra).unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(csv_path), str(db)],
                         capture_output=True, text=True, check=True)
    for extra in ("", "-wal", "-shm", ".lock"):
        Path(str(db) + extra).unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, csv_path: Path, workdir: Path, runs: int) -> dict[str, object]:
    figures: dict[str, object] = {"file_mb": round(csv_path.stat().st_size / 1e6, 1)}
    for kind in ("esncoach", "baseline"):
        results = [run_child(kind, csv_path, workdir, i) for i in range(runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        rows = results[0]["rows"]
        figures[kind] = {
            "rows": rows,
            "median_seconds": round(seconds, 3),
            "rows_per_second": round(rows / seconds),
            "peak_rss_mb": round(max(r["peak_rss_kb"] for r in results) / 1024, 1),
            "runs_seconds": [round(r["seconds"], 3) for r in results],
        }
        print(f"{name:<9} {kind:<9} {rows:>9,} rows  median {seconds:7.2f}s  {rows / seconds:>10,.0f} rows/s  "
              f"peak RSS {figures[kind]['peak_rss_mb']} MB", flush=True)
    figures["esncoach_vs_baseline"] = round(figures["esncoach"]["rows_per_second"]  # type: ignore[index]
                                            / figures["baseline"]["rows_per_second"], 3)  # type: ignore[index]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generic CSV")
    parser.add_argument("--messages", type=int, default=200_000, help="messages in Messages.csv")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, csv_path, db = args.child
        fn = child_esncoach if kind == "esncoach" else child_baseline
        result = fn(Path(csv_path), Path(db))
        result["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(result))
        return 0
    with tempfile.TemporaryDirectory(prefix="esncoach-bench-") as tmp:
        workdir = Path(tmp)
        generic, small, messages = workdir / "generic.csv", workdir / "generic-tenth.csv", workdir / "Messages.csv"
        t0 = time.perf_counter()
        write_generic(generic, args.rows)
        write_generic(small, max(1, args.rows // 10))
        write_messages(messages, args.messages)
        print(f"generated files in {time.perf_counter() - t0:.1f}s", flush=True)
        report: dict[str, object] = {"bench": "import", "runs": args.runs}
        report["generic"] = measure("generic", generic, workdir, args.runs)
        report["messages"] = measure("messages", messages, workdir, args.runs)
        tenth = run_child("esncoach", small, workdir, 0)
        full_peak = report["generic"]["esncoach"]["peak_rss_mb"]  # type: ignore[index]
        tenth_peak = round(tenth["peak_rss_kb"] / 1024, 1)
        report["memory"] = {
            "esncoach_peak_rss_mb_tenth_file": tenth_peak,
            "esncoach_peak_rss_mb_full_file": full_peak,
            "growth_mb": round(full_peak - tenth_peak, 1),
            "flat": full_peak <= tenth_peak * 1.15 + 10,
        }
        print(f"memory: peak RSS {tenth_peak} MB for a tenth of the rows, {full_peak} MB for all of them", flush=True)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
