"""A fork server for the SIGKILL tests: imports once, then forks one writer per ``go SEED`` line.

Run as ``python writer.py MODE DB KEYHEX [EXTRA]``. Forking a warm process costs ~1 ms instead of
~50-400 ms for a fresh interpreter, which is what keeps hundreds of kills inside the time budget.
Every forked writer prints ``start PID`` and then one ``c TOKEN`` line *after* each commit returned;
the server prints ``dead PID`` once it has reaped it. Lines are single ``write``s below PIPE_BUF, so
they are never torn even when the writer is killed mid-way.

Modes:
- ``lean``: raw sqlcipher3 with the app's pragmas; each transaction writes a commit row and 1-8 payload
  rows whose content is derived from the sequence number, plus churn (inserts and deletes elsewhere),
  and now and then a checkpoint.
- ``orm``: the real ``Workspace`` + ORM (+ the search-index triggers); each commit adds an exec.
- ``backup``: ``create_backup`` in a loop; the token is the backup's file name.
- ``restore``: ``restore_into`` alternating between two backups (EXTRA = "A_PATH|B_PATH"); the token
  is which one was restored.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sys
from pathlib import Path


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def payload(seq: int, i: int, size: int) -> bytes:
    seed = hashlib.sha256(f"{seq}:{i}".encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


LEAN_SCHEMA = """
CREATE TABLE IF NOT EXISTS commits (seq INTEGER PRIMARY KEY, rows INTEGER NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS payload (seq INTEGER NOT NULL, i INTEGER NOT NULL, data BLOB NOT NULL,
                                    PRIMARY KEY (seq, i));
CREATE TABLE IF NOT EXISTS churn (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""


def run_lean(db: Path, key: object, rng: random.Random) -> None:
    from esncoach.store.database import connect

    conn = connect(db, key)  # type: ignore[arg-type]
    conn.isolation_level = None
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(LEAN_SCHEMA)
    seq = (conn.execute("SELECT max(seq) FROM commits").fetchone()[0] or 0) + 1
    while True:
        rows = rng.randint(1, 8)
        sizes = [rng.randint(64, 3000) for _ in range(rows)]
        digest = hashlib.sha256()
        conn.execute("BEGIN IMMEDIATE")
        for i, size in enumerate(sizes):
            data = payload(seq, i, size)
            digest.update(data)
            conn.execute("INSERT INTO payload VALUES (?, ?, ?)", (seq, i, data))
        conn.execute("INSERT INTO churn (data) VALUES (randomblob(?))", (rng.randint(10, 2000),))
        if rng.random() < 0.3:
            conn.execute("DELETE FROM churn WHERE id IN (SELECT id FROM churn ORDER BY random() LIMIT 2)")
        conn.execute("INSERT INTO commits VALUES (?, ?, ?)", (seq, rows, digest.hexdigest()))
        conn.execute("COMMIT")
        say(f"c {seq}")
        seq += 1
        if rng.random() < 0.1:
            conn.execute(f"PRAGMA wal_checkpoint({rng.choice(['PASSIVE', 'TRUNCATE', 'RESTART'])})")


def run_orm(db: Path, key: object, rng: random.Random) -> None:
    from sqlalchemy import func, select

    from esncoach.models import Exec
    from esncoach.store.workspace import Workspace

    ws = Workspace.open(db, key)  # type: ignore[arg-type]
    with ws.session() as s:
        n = s.scalar(select(func.count()).select_from(Exec)) or 0
    while True:
        n += 1
        with ws.session() as s:
            s.add(Exec(name=f"Exec {n}", private_notes=f"notes of exec {n} " * rng.randint(1, 200)))
        say(f"c Exec {n}")


def run_backup(db: Path, key: object, rng: random.Random) -> None:
    from esncoach.store.backups import create_backup

    while True:
        info = create_backup(db, key)  # type: ignore[arg-type]
        say(f"c {info.path.name}")


def run_restore(db: Path, key: object, rng: random.Random, extra: str) -> None:
    from esncoach.store.backups import restore_into
    from esncoach.store.workspace import Workspace

    sources = [Path(p) for p in extra.split("|")]
    ws = Workspace.open(db, key)  # type: ignore[arg-type]
    while True:
        which = rng.randrange(len(sources))
        restore_into(ws, sources[which], folder=db.parent / "restore-backups")
        say(f"c {which}")


def main() -> None:
    mode, db_text, key_hex = sys.argv[1:4]
    extra = sys.argv[4] if len(sys.argv) > 4 else ""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from esncoach.store.keys import KeyMaterial

    key = KeyMaterial("raw", key_hex)
    db = Path(db_text)
    if mode != "lean":
        # Warm the heavy imports once, before forking.
        import esncoach.models  # noqa: F401
        import esncoach.store.backups  # noqa: F401
        import esncoach.store.workspace  # noqa: F401
        from esncoach.store.migrate import alembic_config

        alembic_config()
    else:
        import sqlcipher3  # noqa: F401

        import esncoach.store.database  # noqa: F401
    say("ready")
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "go":
            break
        seed = int(parts[1])
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                say(f"start {os.getpid()}")
                rng = random.Random(seed)
                if mode == "lean":
                    run_lean(db, key, rng)
                elif mode == "orm":
                    run_orm(db, key, rng)
                elif mode == "backup":
                    run_backup(db, key, rng)
                else:
                    run_restore(db, key, rng, extra)
            except BaseException as exc:  # noqa: BLE001 - report, never fall back into the server loop
                say(f"error {type(exc).__name__}: {exc}")
            finally:
                os._exit(1)
        os.waitpid(pid, 0)
        say(f"dead {pid}")


if __name__ == "__main__":
    main()
