"""Backup, restore and archive export times on a multi-year workspace, next to a plain file copy.

Generates (deterministically) 50 execs with 100 coaching sessions, 4 habits with 400 check-ins and 40
practice posts each (a few tens of MB, encrypted, search index filled by its triggers). Then, interleaved
in the same run: ``shutil.copy2`` of the file (the baseline: what the old pre-migration copy did),
the snapshot copy ``create_backup`` makes now, the backup-API copy it made before, each verification step
on its own (open/probe, quick_check, integrity_check, cipher_integrity_check), ``create_backup`` (copy +
integrity_check + cipher_integrity_check + fsync + rename), ``restore_into`` (includes its own
before-restore backup), a whole-workspace archive export (passphrase KDF included) and the timer's
``maybe_auto_backup`` when nothing is due. The same again on a copy of the shared large workspace
(``large_workspace.py``, 50 execs x 5 years of daily figures). Medians; the last line is one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from esncoach.services import backup_policy  # noqa: E402
from esncoach.store import archive, backups  # noqa: E402
from esncoach.store.keys import KeyMaterial, passphrase_key  # noqa: E402
from esncoach.store.workspace import Workspace  # noqa: E402

EXECS = int(os.environ.get("BENCH_EXECS", "50"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
KEY = KeyMaterial("raw", "c4" * 32)
SEED = 5
WORDS = ("town hall jargon sustainability livestream mentoring hashtags nervous pricing supplier recruitment "
         "quarterly reorganisation innovation complaints safety thank questions drafted hybrid leadership").split()


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def generate(ws: Workspace) -> None:
    """Core inserts (column defaults applied) in one transaction; the triggers index every row."""
    from esncoach.models import CheckIn, CoachingSession, Exec, Habit, PracticePost, Revision

    rng = random.Random(SEED)
    start = dt.date(2023, 11, 23)
    with ws.engine.begin() as conn:
        def insert(model: type, rows: list[dict[str, object]]) -> None:
            conn.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]

        insert(Exec, [{"name": f"Exec {i}", "email": f"e{i}@example.com", "private_notes": text(rng, 60)}
                      for i in range(EXECS)])
        insert(CoachingSession, [
            {"exec_id": e, "title": f"Session {k}", "starts_at": dt.datetime(2023, 11, 23, 9) + dt.timedelta(days=k * 11),
             "agenda": text(rng, 30), "notes": text(rng, 150), "outcomes": text(rng, 20)}
            for e in range(1, EXECS + 1) for k in range(100)])
        insert(Habit, [{"exec_id": e, "description": f"Habit {h} of {e}", "started_on": start}
                       for e in range(1, EXECS + 1) for h in range(4)])
        insert(CheckIn, [{"habit_id": h, "day": start + dt.timedelta(days=d * 7), "result": "done",
                          "note": text(rng, 4)} for h in range(1, EXECS * 4 + 1) for d in range(100)])
        insert(PracticePost, [{"exec_id": e, "title": f"Post {p}"} for e in range(1, EXECS + 1) for p in range(40)])
        insert(Revision, [{"post_id": p, "number": n, "text": text(rng, 120)}
                          for p in range(1, EXECS * 40 + 1) for n in (1, 2)])


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _checks(path: Path, key: KeyMaterial) -> dict[str, float]:
    """Each part of the verification on its own, seconds: what bounds a verified backup."""
    from esncoach.store.database import connect, probe

    out = {"verify_open_probe": timed(lambda: probe(path, key, quick_check=False))}
    for name, pragma in (("verify_quick_check", "quick_check"), ("verify_integrity_check", "integrity_check"),
                         ("verify_cipher_integrity_check", "cipher_integrity_check")):
        conn = connect(path, key)
        conn.execute("PRAGMA cache_size = -65536")
        out[name] = timed(lambda: conn.execute(f"PRAGMA {pragma}").fetchall())  # noqa: B023
        conn.close()
    return out


def measure(label: str, db: Path, key: KeyMaterial, folder: Path) -> dict[str, object]:
    size = db.stat().st_size
    times: dict[str, list[float]] = {}
    phrase = passphrase_key("bench passphrase")

    def add(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds)

    with Workspace.open(db, key) as ws:
        first = backup_policy.back_up_now(ws)
        for i in range(RUNS):  # interleaved, so drift in machine load hits every figure alike
            add("file_copy", timed(lambda: shutil.copy2(db, folder / f"copy{i}.db")))  # noqa: B023
            add("snapshot_copy", timed(lambda: backups._copy_snapshot(db, key, folder / f"snap{i}.db")))  # noqa: B023, SLF001
            add("backup_api_copy",
                timed(lambda: backups._copy_with_backup_api(db, key, folder / f"api{i}.db")))  # noqa: B023, SLF001
            for name, seconds in _checks(folder / f"snap{i}.db", key).items():
                add(name, seconds)
            add("create_backup", timed(lambda: backups.create_backup(db, key, folder=folder / "b")))
            add("restore_into", timed(lambda: backups.restore_into(ws, first.path, folder=folder / "r")))
            add("export_archive",
                timed(lambda: archive.export_archive(ws, folder / f"a{i}.esnarchive", phrase)))  # noqa: B023
            add("auto_backup_not_due", timed(lambda: backup_policy.maybe_auto_backup(ws)))
            for extra in (folder / f"copy{i}.db", folder / f"api{i}.db", folder / f"snap{i}.db",
                          folder / f"a{i}.esnarchive"):
                extra.unlink()
            for old in (folder / "b").glob("*"):
                old.unlink()
    medians = {k: round(statistics.median(v) * 1000, 1) for k, v in times.items()}
    base = medians["file_copy"] or 0.1
    print(f"{label}: {size / 1e6:.1f} MB")
    for name, ms in medians.items():
        print(f"  {name:>30}: {ms:8.1f} ms  ({ms / base:5.1f}x file copy)")
    return {"db_bytes": size, "median_ms": medians,
            "ratio_to_file_copy": {k: round(v / base, 2) for k, v in medians.items()}}


def main() -> None:
    from large_workspace import large_workspace

    out: dict[str, object] = {"bench": "backup", "runs": RUNS}
    with tempfile.TemporaryDirectory(prefix="esncoach-bench-backup-") as tmp:
        folder = Path(tmp)
        db = folder / "text.db"
        with Workspace.open(db, KEY) as ws:
            generate(ws)
        out["text"] = measure(f"text-heavy ({EXECS} execs, sessions/posts/check-ins)", db, KEY, folder)
        db.unlink()
        lw = large_workspace(50, 5, copy_to=folder / "large50.db")
        out["large50"] = measure("large50 (50 execs x 5 years of daily figures)", lw.path, lw.key, folder)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
