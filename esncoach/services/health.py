"""Full integrity checks of an open workspace (slower than the quick check done on every open)."""

from __future__ import annotations

from dataclasses import dataclass

from esncoach.store.workspace import Workspace


@dataclass(frozen=True)
class HealthReport:
    """The outcome of ``run_checks``: healthy, or the first problem found."""

    healthy: bool
    schema_version: str
    exec_count: int
    problem: str = ""


def run_checks(ws: Workspace) -> HealthReport:
    """SQLite's integrity_check, SQLCipher's per-page HMAC check and a foreign-key check."""
    with ws.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        count = conn.exec_driver_sql("SELECT count(*) FROM exec").scalar_one()
        if ws.is_server:  # the server checks its own pages and constraints; integrity is its administrator's
            return HealthReport(True, version, count)
        integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            return HealthReport(False, version, count, "integrity_check: " + "; ".join(integrity[:3]))
        cipher = [r[0] for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()]
        if cipher:
            return HealthReport(False, version, count, "cipher_integrity_check: " + "; ".join(cipher[:3]))
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if fk:
            return HealthReport(False, version, count, f"foreign_key_check: {len(fk)} dangling references")
    return HealthReport(True, version, count)
