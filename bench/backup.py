"""Backup, restore and archive export times on a multi-year workspace, next to a plain file copy.

Generates (deterministically) 50 execs with 100 coaching sessions, 4 habits with 400 check-ins and 40
practice posts each (a few tens of MB, encrypted, search index filled by its triggers). Then, interleaved
in the same run: ``shutil.copy2`` of the file (the baseline: what the old pre-migration copy did); the
snapshot copy ``create_backup`` makes and the backup-API copy it made before; every candidate check on
that copy on its own (SHA-512 of every byte as the crypto floor, open/probe, cipher_integrity_check,
quick_check of the whole file and per table, the same per-table check on an unencrypted copy to show what
page decryption costs, integrity_check, and ``verify.verify_copy``, the check backups use); one passphrase
key derivation; ``create_backup``; ``restore_into`` (check of the backup while the before-restore backup
is taken, then the backup API into the live file) and that last step alone; ``restore_file`` over a
closed file; a whole-workspace archive export; the timer's ``maybe_auto_backup`` when nothing is due. The
same again on a copy of the shared large workspace (``large_workspace.py``, 50 execs x 5 years of daily
figures). Each label ends with two "bound" lines: what a verified backup and a restore cannot go below
with these checks, in ms and as a ratio. Medians; the last line is one JSON object.

Quick mode while developing: ``BENCH_RUNS=1 BENCH_ONLY=text`` (or ``large50``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from esncoach.store import archive, backups, verify  # noqa: E402
from esncoach.store.database import connect, probe  # noqa: E402
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


def backup_api_copy(source: Path, key: KeyMaterial | None, target: Path) -> None:
    """What backups did before they copied bytes: SQLite's backup API in one step (decrypt + re-encrypt).

    No key: the same on the unencrypted copy, to show what the page crypto costs (the restore's bound)."""
    import sqlcipher3

    src = connect(source, key) if key is not None else sqlcipher3.connect(str(source))
    dst = connect(target, key) if key is not None else sqlcipher3.connect(str(target))
    try:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def pragma_ms(path: Path, key: KeyMaterial | None, *pragmas: str) -> float:
    """Seconds for the pragmas on one fresh connection with the 64 MB cache the checks use (no key: plaintext)."""
    import sqlcipher3

    conn = connect(path, key) if key is not None else sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA cache_size = -{verify.CHECK_CACHE_KIB}")
        start = time.perf_counter()
        for pragma in pragmas:
            conn.execute(pragma).fetchall()
        return time.perf_counter() - start
    finally:
        conn.close()


def per_table(path: Path, key: KeyMaterial) -> list[str]:
    conn = connect(path, key)
    try:
        return [f"PRAGMA quick_check('{name}')" for name in verify._stored_tables(conn)]  # noqa: SLF001
    finally:
        conn.close()


def plaintext_copy(path: Path, key: KeyMaterial, target: Path) -> None:
    """The same database unencrypted: what a check costs without page decryption (the bound)."""
    conn = connect(path, key)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()


def sha512_file(path: Path) -> None:
    with path.open("rb") as fh:
        hashlib.file_digest(fh, "sha512")


def _checks(path: Path, key: KeyMaterial, plain: Path) -> dict[str, float]:
    """Each candidate verification on its own, seconds: what bounds a verified backup."""
    tables = per_table(path, key)
    return {
        "hash_sha512_every_byte": timed(lambda: sha512_file(path)),
        "verify_open_probe": timed(lambda: probe(path, key, quick_check=False)),
        "verify_cipher_integrity_check": pragma_ms(path, key, "PRAGMA cipher_integrity_check"),
        "verify_quick_check_whole_file": pragma_ms(path, key, "PRAGMA quick_check"),
        "verify_quick_check_per_table": pragma_ms(path, key, *tables),
        "verify_quick_check_per_table_plaintext": pragma_ms(plain, None, *tables),
        "verify_integrity_check": pragma_ms(path, key, "PRAGMA integrity_check"),
        "verify_copy": timed(lambda: verify.verify_copy(path, key)),
    }


def restore_step(backup: Path, ws: Workspace) -> None:
    """The part of ``restore_into`` that writes: the backup API into the live file, one transaction."""
    src = connect(backup, ws.key)
    dst = connect(ws.path, ws.key)
    try:
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()
    ws.engine.dispose()


def measure(label: str, db: Path, key: KeyMaterial, folder: Path) -> dict[str, object]:
    size = db.stat().st_size
    times: dict[str, list[float]] = {}
    phrase = passphrase_key("bench passphrase")

    def add(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds)

    with Workspace.open(db, key) as ws:
        first = backup_policy.back_up_now(ws)
        plain = folder / "plain.db"
        plaintext_copy(first.path, key, plain)
        for i in range(RUNS):  # interleaved, so drift in machine load hits every figure alike
            add("file_copy", timed(lambda: shutil.copy2(db, folder / f"copy{i}.db")))  # noqa: B023
            add("snapshot_copy", timed(lambda: backups._copy_snapshot(db, key, folder / f"snap{i}.db")))  # noqa: B023, SLF001
            add("backup_api_copy", timed(lambda: backup_api_copy(db, key, folder / f"api{i}.db")))  # noqa: B023
            add("backup_api_copy_plaintext",
                timed(lambda: backup_api_copy(plain, None, folder / f"apiplain{i}.db")))  # noqa: B023
            for name, seconds in _checks(folder / f"snap{i}.db", key, plain).items():
                add(name, seconds)
            verify._derive.cache_clear()  # noqa: SLF001 - time the derivation, not the process's cache of it
            add("kdf_passphrase_once", timed(lambda: verify.file_key(first.path, phrase)))
            add("create_backup", timed(lambda: backups.create_backup(db, key, folder=folder / "b")))
            add("restore_into", timed(lambda: backups.restore_into(ws, first.path, folder=folder / "r")))
            add("restore_backup_api_step", timed(lambda: restore_step(first.path, ws)))
            closed = folder / "closed.db"
            shutil.copyfile(first.path, closed)
            add("restore_file_closed", timed(lambda: backups.restore_file(closed, key, first.path)))  # noqa: B023
            for extra in folder.glob("closed*"):
                extra.unlink()
            add("export_archive",
                timed(lambda: archive.export_archive(ws, folder / f"a{i}.esnarchive", phrase)))  # noqa: B023
            add("auto_backup_not_due", timed(lambda: backup_policy.maybe_auto_backup(ws)))
            for extra in (folder / f"copy{i}.db", folder / f"api{i}.db", folder / f"apiplain{i}.db",
                          folder / f"snap{i}.db", folder / f"a{i}.esnarchive"):
                extra.unlink()
            for old in [*(folder / "b").glob("*"), *(folder / "r").glob("*")]:
                old.unlink()
        plain.unlink()
    medians = {k: round(statistics.median(v) * 1000, 1) for k, v in times.items()}
    base = medians["file_copy"] or 0.1
    ratio = {k: round(v / base, 2) for k, v in medians.items()}
    print(f"{label}: {size / 1e6:.1f} MB")
    for name, ms in medians.items():
        print(f"  {name:>40}: {ms:8.1f} ms  ({ms / base:5.1f}x file copy)")
    m = medians
    structure, pages = m["verify_quick_check_per_table"], m["verify_cipher_integrity_check"]
    decryption = max(0.0, 1 - m["verify_quick_check_per_table_plaintext"] / structure) if structure else 0.0
    bounds = {
        "backup_floor_ratio": round((m["snapshot_copy"] + max(structure, pages)) / base, 2),
        "page_hmac_ratio": ratio["verify_cipher_integrity_check"],
        "sha512_ratio": ratio["hash_sha512_every_byte"],
        "decryption_share_of_structure_check": round(decryption, 2),
        "restore_write_ratio": ratio["restore_backup_api_step"],
        "crypto_share_of_backup_api": round(max(0.0, 1 - m["backup_api_copy_plaintext"] / m["backup_api_copy"]), 2),
    }
    print(f"  bound: a verified backup = snapshot copy + the longer of two checks run at once: per-table quick_check"
          f" {structure:.0f} ms (page decryption {decryption:.0%} of it: {m['verify_quick_check_per_table_plaintext']:.0f}"
          f" ms unencrypted) and cipher_integrity_check {pages:.0f} ms (HMAC of every page = {ratio['verify_cipher_integrity_check']}x"
          f" a file copy; SHA-512 of every byte alone = {ratio['hash_sha512_every_byte']}x) -> floor"
          f" {bounds['backup_floor_ratio']}x on two free cores")
    print(f"  bound: restore_into writes through the backup API into the live file (decrypt + re-encrypt every page,"
          f" WAL + checkpoint): {m['restore_backup_api_step']:.0f} ms = {ratio['restore_backup_api_step']}x alone; the same"
          f" backup API copy takes {m['backup_api_copy']:.0f} ms encrypted and {m['backup_api_copy_plaintext']:.0f} ms"
          f" unencrypted: page crypto is {bounds['crypto_share_of_backup_api']:.0%} of it")
    return {"db_bytes": size, "median_ms": medians, "ratio_to_file_copy": ratio, "bounds": bounds}


def main() -> None:
    from large_workspace import large_workspace

    out: dict[str, object] = {"bench": "backup", "runs": RUNS}
    only = os.environ.get("BENCH_ONLY", "")
    with tempfile.TemporaryDirectory(prefix="esncoach-bench-backup-") as tmp:
        folder = Path(tmp)
        if only in ("", "text"):
            db = folder / "text.db"
            with Workspace.open(db, KEY) as ws:
                generate(ws)
            out["text"] = measure(f"text-heavy ({EXECS} execs, sessions/posts/check-ins)", db, KEY, folder)
            db.unlink()
        if only in ("", "large50"):
            lw = large_workspace(50, 5, copy_to=folder / "large50.db")
            out["large50"] = measure("large50 (50 execs x 5 years of daily figures)", lw.path, lw.key, folder)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
