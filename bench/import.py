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

The ``messages_themes`` case (#17) imports a realistic Messages.csv (default 1,000,000 rows: bodies of
6–30 words with phrases rising in the last 14 days, @-mentions, ``delegate_id``) with everything the
import now derives (distributions for percentiles, asks, delegated posts, listening terms and threads),
and compares it with the messages import of ``--reference REF`` (esncoach's code at that git commit,
extracted with ``git archive`` and run on the same file in the same run): the target is at least 0.5×
its rows per second, CPU time (the machine is shared, so CPU seconds are reported next to wall time), and
a peak RSS no higher for the full file than for a tenth of it. ``--quick`` (or ``BENCH_QUICK=1``) runs
everything at a tenth of the size, once, for development.

Runs of esncoach and the baseline are interleaved, and each case reports CPU seconds and a CPU ratio
beside the wall-clock ones (the machine is shared). ``where_time_goes`` splits esncoach's time into
reading-and-checking vs writing (and, for Messages.csv, its first pass vs its second pass with the
listening brief, plus what importing scikit-learn for the tokenizer costs a fresh process) and the
baseline's into its csv.reader pass vs its inserts: the baseline parses once and does nothing else,
while Messages.csv must be read twice (asks need every exec message's id before the replies; the
listening window ends on the file's last day).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
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


MESSAGES_HEADER = ["id", "replied_to_id", "thread_id", "conversation_id", "group_id", "group_name", "participants",
                   "in_private_group", "in_private_conversation", "sender_id", "sender_type", "sender_name",
                   "sender_email", "body", "api_url", "attachments", "deleted_by_id", "deleted_by_type", "created_at",
                   "deleted_at"]
WORDS = ("plan budget customer launch office hybrid travel team quarter results hiring training security cloud "
         "migration roadmap feedback wellbeing canteen parking offsite volunteer charity award release sprint "
         "partner pricing contract support survey strategy culture diversity learning mentoring sales marketing "
         "finance policy benefits pension onboarding laptop network outage maintenance design research data").split()
RISING = ("return to office", "pay review", "new canteen")


def write_messages(path: Path, messages: int, *, realistic: bool = False) -> None:
    """A Messages.csv in the export's column order, a third of the messages replies to earlier ones.

    ``realistic`` bodies draw 6–30 words from a vocabulary, with phrases that rise over the last 14 days,
    @-mentions of execs, and a ``delegate_id`` column, so themes, asks and delegated posts cost what they would.
    """
    rng = random.Random(2)
    people = 3000
    header = MESSAGES_HEADER + (["delegate_id"] if realistic else [])
    rising_from = messages - messages * 14 // DAYS
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(messages):
            msg_id = 10_000_000 + i
            first = max(0, i - 5000) if realistic else 0  # realistic replies go to recent messages
            reply_to = 10_000_000 + rng.randrange(first, i) if i and rng.random() < 0.33 else ""
            sender = rng.randrange(people)
            when = dt.datetime.combine(START, dt.time()) + dt.timedelta(seconds=int(i * DAYS * 86400 / messages))
            if realistic:
                words = rng.choices(WORDS, k=rng.randint(6, 30))
                if i >= rising_from and rng.random() < 0.3:
                    words.insert(rng.randrange(len(words)), rng.choice(RISING))
                if rng.random() < 0.01:
                    words.insert(0, f"[[user:{rng.randrange(EXECS)}]]")
                body = " ".join(words)
                extra = [sender if sender < EXECS and rng.random() < 0.2 else ""]
            else:
                body, extra = f'Update {i}: thanks, "team" — see the plan,\nmore soon', []
            w.writerow([msg_id, reply_to, reply_to or msg_id, "", 77, "All Company", "", "false", "false", sender,
                        "user", f"Person {sender}", person_email(sender), body, f"https://example/{msg_id}", "", "",
                        "", when.strftime("%Y-%m-%d %H:%M:%S UTC"), "", *extra])


# -- children: one measurement each, in a fresh process so peak RSS belongs to it alone ----------------

def child_esncoach(csv_path: Path, db_path: Path) -> dict[str, float]:
    from esncoach.imports import import_file
    from esncoach.services import execs
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.workspace import Workspace

    saving: list[float] = []
    second_pass: list[float] = []
    totals: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if not saving and message.startswith("Saving"):
            saving.append(time.perf_counter())
        elif message.startswith("Reading"):
            if totals and total != totals[-1] and not second_pass:  # a reader announced a second pass
                second_pass.append(time.perf_counter())
            totals.append(total)
            del totals[:-1]

    had_sklearn = "sklearn" in sys.modules
    with Workspace.open(db_path, KeyMaterial("raw", RAW_KEY)) as ws:
        for i in range(EXECS):
            execs.add_exec(ws, name=f"Exec {i}", email=exec_email(i))
        t0, c0 = time.perf_counter(), time.process_time()
        result = import_file(ws, csv_path, progress=progress)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    read = (saving[0] if saving else t0 + seconds) - t0
    figures = {"seconds": seconds, "cpu_seconds": cpu, "rows": result.rows_read, "samples": result.samples_written,
               "read_seconds": read, "write_seconds": seconds - read,
               "imported_sklearn": not had_sklearn and "sklearn" in sys.modules}
    if second_pass:
        figures["first_pass_seconds"] = second_pass[0] - t0
    return figures


def child_parse_only(csv_path: Path, db_path: Path) -> dict[str, float]:
    """The baseline's csv.reader pass alone: how much of the baseline is parsing rather than inserting."""
    t0 = time.perf_counter()
    rows = 0
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for _row in csv.reader(fh):
            rows += 1
    return {"seconds": time.perf_counter() - t0, "rows": rows - 1}


def child_sklearn_import(csv_path: Path, db_path: Path) -> dict[str, float]:
    """What importing the listening brief's tokenizer (scikit-learn) costs a fresh process."""
    t0 = time.perf_counter()
    from sklearn.feature_extraction.text import CountVectorizer  # noqa: F401

    return {"seconds": time.perf_counter() - t0}


def child_baseline(csv_path: Path, db_path: Path) -> dict[str, float]:
    conn = sqlite3.connect(db_path)
    t0, c0 = time.perf_counter(), time.process_time()
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
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    conn.close()
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": rows, "samples": rows}


def run_child(kind: str, csv_path: Path, workdir: Path, n: int, code: Path | None = None) -> dict[str, float]:
    db = workdir / f"{kind}-{csv_path.stem}-{n}.db"
    for extra in ("", "-wal", "-shm", ".lock"):
        Path(str(db) + extra).unlink(missing_ok=True)
    env = dict(os.environ)
    if code is not None:  # an older esncoach, extracted from git, ahead of the installed one
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(code), env.get("PYTHONPATH", "")) if p)
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(csv_path), str(db)],
                         capture_output=True, text=True, check=True, env=env)
    for extra in ("", "-wal", "-shm", ".lock"):
        Path(str(db) + extra).unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, csv_path: Path, workdir: Path, runs: int) -> dict[str, object]:
    figures: dict[str, object] = {"file_mb": round(csv_path.stat().st_size / 1e6, 1)}
    results_by_kind: dict[str, list[dict[str, float]]] = {"esncoach": [], "baseline": []}
    for i in range(runs):  # interleaved, so a change in the machine's load falls on both sides
        for kind, results in results_by_kind.items():
            results.append(run_child(kind, csv_path, workdir, i))
    for kind, results in results_by_kind.items():
        seconds = statistics.median(r["seconds"] for r in results)
        rows = results[0]["rows"]
        cpu = statistics.median(r["cpu_seconds"] for r in results)
        figures[kind] = {
            "rows": rows,
            "median_seconds": round(seconds, 3),
            "median_cpu_seconds": round(cpu, 3),
            "rows_per_second": round(rows / seconds),
            "peak_rss_mb": round(max(r["peak_rss_kb"] for r in results) / 1024, 1),
            "runs_seconds": [round(r["seconds"], 3) for r in results],
        }
        print(f"{name:<9} {kind:<9} {rows:>9,} rows  median {seconds:7.2f}s ({cpu:6.2f}s CPU)  "
              f"{rows / seconds:>10,.0f} rows/s  "
              f"peak RSS {figures[kind]['peak_rss_mb']} MB", flush=True)
    figures["esncoach_vs_baseline"] = round(figures["esncoach"]["rows_per_second"]  # type: ignore[index]
                                            / figures["baseline"]["rows_per_second"], 3)  # type: ignore[index]
    # The machine is shared: CPU seconds (both sides single-threaded) are the steadier comparison.
    figures["esncoach_vs_baseline_cpu"] = round(figures["baseline"]["median_cpu_seconds"]  # type: ignore[index]
                                                / figures["esncoach"]["median_cpu_seconds"], 3)  # type: ignore[index]
    figures["where_time_goes"] = where_time_goes(name, csv_path, workdir, runs, results_by_kind)
    return figures


def where_time_goes(name: str, csv_path: Path, workdir: Path, runs: int,
                    results: dict[str, list[dict[str, float]]]) -> dict[str, object]:
    """Median seconds of esncoach's read-and-check vs write phases, and of the baseline's parse vs insert."""
    mine, base = results["esncoach"], results["baseline"]
    parse = statistics.median(run_child("parse", csv_path, workdir, i)["seconds"] for i in range(runs))
    split = {
        "esncoach_read_and_check_seconds": round(statistics.median(r["read_seconds"] for r in mine), 3),
        "esncoach_write_seconds": round(statistics.median(r["write_seconds"] for r in mine), 3),
        "baseline_csv_parse_seconds": round(parse, 3),
        "baseline_insert_seconds": round(statistics.median(r["seconds"] for r in base) - parse, 3),
    }
    if all("first_pass_seconds" in r for r in mine):
        first = statistics.median(r["first_pass_seconds"] for r in mine)
        split["of_which_first_pass_seconds"] = round(first, 3)
        split["of_which_second_pass_and_checks_seconds"] = round(split["esncoach_read_and_check_seconds"] - first, 3)
    if any(r.get("imported_sklearn") for r in mine):
        split["of_which_importing_scikit_learn_seconds"] = round(statistics.median(
            run_child("sklearn", csv_path, workdir, i)["seconds"] for i in range(runs)), 3)
    print(f"{name:<9} where the time goes: " + ", ".join(f"{k} {v}" for k, v in split.items()), flush=True)
    return split


def extract_reference(ref: str, workdir: Path) -> Path | None:
    """esncoach's package at git ``ref`` in a folder of its own, or None (with a note) when git cannot."""
    target = workdir / "reference"
    target.mkdir()
    repo = Path(__file__).resolve().parent.parent
    try:
        archive = subprocess.run(["git", "-C", str(repo), "archive", ref, "esncoach"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"reference {ref}: cannot extract ({exc}); comparing with the baseline only", flush=True)
        return None
    return target


def measure_themes(path: Path, tenth: Path, workdir: Path, runs: int, reference: Path | None) -> dict[str, object]:
    """The realistic Messages.csv with themes and percentiles vs the reference import of the same file."""
    figures: dict[str, object] = {"file_mb": round(path.stat().st_size / 1e6, 1)}
    kinds = [("esncoach", None)] + ([("reference", reference)] if reference is not None else [])
    for kind, code in kinds:
        results = [run_child("esncoach", path, workdir, i, code) for i in range(runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        cpu = statistics.median(r["cpu_seconds"] for r in results)
        rows = results[0]["rows"]
        figures[kind] = {"rows": rows, "median_seconds": round(seconds, 3), "median_cpu_seconds": round(cpu, 3),
                         "rows_per_second": round(rows / seconds), "rows_per_cpu_second": round(rows / cpu),
                         "peak_rss_mb": round(max(r["peak_rss_kb"] for r in results) / 1024, 1)}
        print(f"themes    {kind:<9} {rows:>9,} rows  median {seconds:7.2f}s ({cpu:6.2f}s CPU)  "
              f"{rows / cpu:>10,.0f} rows/CPU-s  peak RSS {figures[kind]['peak_rss_mb']} MB", flush=True)
    if reference is not None:
        ratio = figures["esncoach"]["rows_per_cpu_second"] / figures["reference"]["rows_per_cpu_second"]  # type: ignore[index]
        figures["vs_reference_cpu"] = round(ratio, 3)
        figures["target_met"] = ratio >= 0.5
    small = run_child("esncoach", tenth, workdir, 0)
    tenth_peak, full_peak = round(small["peak_rss_kb"] / 1024, 1), figures["esncoach"]["peak_rss_mb"]  # type: ignore[index]
    figures["memory"] = {"peak_rss_mb_tenth_file": tenth_peak, "peak_rss_mb_full_file": full_peak,
                         "flat": full_peak <= tenth_peak * 1.15 + 10}
    print(f"themes    memory: peak RSS {tenth_peak} MB for a tenth of the rows, {full_peak} MB for all", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generic CSV")
    parser.add_argument("--messages", type=int, default=200_000, help="messages in Messages.csv")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--theme-messages", type=int, default=1_000_000,
                        help="messages in the realistic Messages.csv imported with themes and percentiles")
    parser.add_argument("--reference", default="aa73ceb", metavar="REF",
                        help="git commit whose messages import is the speed reference (default: before #17)")
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")),
                        help="a tenth of every size, one run (also BENCH_QUICK=1)")
    parser.add_argument("--no-themes", action="store_true", help="leave out the messages_themes case (development)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, csv_path, db = args.child
        fn = {"esncoach": child_esncoach, "baseline": child_baseline, "parse": child_parse_only,
              "sklearn": child_sklearn_import}[kind]
        result = fn(Path(csv_path), Path(db))
        result["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(result))
        return 0
    if args.quick:
        args.rows, args.messages, args.theme_messages, args.runs = (
            args.rows // 10, args.messages // 10, args.theme_messages // 10, 1)
    with tempfile.TemporaryDirectory(prefix="esncoach-bench-") as tmp:
        workdir = Path(tmp)
        generic, small, messages = workdir / "generic.csv", workdir / "generic-tenth.csv", workdir / "Messages.csv"
        t0 = time.perf_counter()
        write_generic(generic, args.rows)
        write_generic(small, max(1, args.rows // 10))
        write_messages(messages, args.messages)
        print(f"generated files in {time.perf_counter() - t0:.1f}s", flush=True)
        report: dict[str, object] = {"bench": "import", "runs": args.runs, "quick": args.quick}
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
        if args.no_themes:
            print(json.dumps(report))
            return 0
        themes, themes_tenth = workdir / "Messages-themes.csv", workdir / "Messages-themes-tenth.csv"
        write_messages(themes, args.theme_messages, realistic=True)
        write_messages(themes_tenth, max(1, args.theme_messages // 10), realistic=True)
        reference = extract_reference(args.reference, workdir) if args.reference else None
        report["messages_themes"] = measure_themes(themes, themes_tenth, workdir, args.runs, reference)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
