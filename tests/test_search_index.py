"""The FTS5 search index: created and back-filled by migration 0002, kept in step by triggers.

``tests/data/workspace-0001.db`` is the demo workspace written at schema 0001 (before search existed):
``build_demo(ws, today=dt.date(2026, 11, 23))`` on a new file opened with ``TEST_KEY`` from conftest.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from esncoach.store import schema
from esncoach.store.database import probe
from esncoach.store.migrate import MIGRATIONS_DIR
from esncoach.store.workspace import Workspace

FIXTURE_0001 = Path(__file__).parent / "data" / "workspace-0001.db"
COLUMNS = "rowid, title, body, extra, tags, owner, grp"


def _migration() -> ModuleType:
    path = MIGRATIONS_DIR / "versions" / "0002_fulltext_search.py"
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


M0002 = _migration()
KIND_OF_CODE = {code: kind for kind, (code, *_rest) in M0002.KINDS.items()}


def rebuilt(conn) -> set[tuple]:  # type: ignore[no-untyped-def]
    """What the index would hold if built from scratch now (the migration's own back-fill)."""
    rows: set[tuple] = set()
    for kind in M0002.KINDS:
        rows |= set(conn.exec_driver_sql(M0002.select_sql(kind, "1")).all())
    return rows


def indexed(conn) -> set[tuple]:  # type: ignore[no-untyped-def]
    return set(conn.exec_driver_sql(f"SELECT {COLUMNS} FROM search_index").all())


def match(conn, query: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    sql = "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid"
    return [(KIND_OF_CODE[r % 16], (r % M0002.DAY) // 16)
            for (r,) in conn.exec_driver_sql(sql, (query,)).all()]


@pytest.fixture
def migrated(tmp_path: Path, key) -> Iterator[Workspace]:  # type: ignore[no-untyped-def]
    """A copy of the schema-0001 fixture, opened (and so upgraded) by this build."""
    target = tmp_path / "old.db"
    shutil.copy2(FIXTURE_0001, target)
    assert probe(target, key) == "0001_initial"
    workspace = Workspace.open(target, key)
    yield workspace
    workspace.close()


def test_fixture_upgrades_to_head_with_a_complete_index(migrated: Workspace) -> None:
    with migrated.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
        codes = conn.exec_driver_sql("SELECT rowid % 16, count(*) FROM search_index GROUP BY 1").all()
        kinds = {KIND_OF_CODE[code]: n for code, n in codes}
        assert set(kinds) == set(M0002.KINDS)
        assert kinds["exec"] == conn.exec_driver_sql("SELECT count(*) FROM exec").scalar_one()
        assert indexed(conn) == rebuilt(conn)
        # Accent-insensitive: the demo's "Élodie Marchand" is found by plain ASCII.
        elodie = conn.exec_driver_sql("SELECT id FROM exec WHERE name = 'Élodie Marchand'").scalar_one()
        assert ("exec", elodie) in match(conn, "elodie marchand")
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def test_every_trigger_exists_at_head(ws: Workspace) -> None:
    # A later batch migration that rebuilds an indexed table drops its triggers; this catches it.
    with ws.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()}
    assert {name for name, _sql in M0002.trigger_statements()} <= names


def test_index_stays_in_step_with_edits_and_deletes(migrated: Workspace) -> None:
    with migrated.engine.begin() as conn:
        sql = conn.exec_driver_sql
        sql("UPDATE tag SET name = 'all-hands' WHERE name = 'board member'")
        sql("DELETE FROM tag WHERE name = 'sceptic'")
        sql("UPDATE habit SET exec_id = 2 WHERE id = 1")
        sql("UPDATE check_in SET note = '' WHERE id IN (SELECT id FROM check_in WHERE note <> '' LIMIT 3)")
        sql("UPDATE check_in SET note = 'Zoë cheered' WHERE id IN (SELECT id FROM check_in WHERE note = '' LIMIT 2)")
        sql("UPDATE practice_post SET exec_id = 3 WHERE id = 5")
        sql("UPDATE revision SET text = 'Quarterly kudos to the plant crew' WHERE id = 1")
        assert indexed(conn) == rebuilt(conn)
        assert len(match(conn, "zoe")) == 2
        assert match(conn, "tags : \"all hands\"") and not match(conn, "tags : sceptic OR tags : board")
        sql("DELETE FROM exec WHERE id = 1")  # cascades to sessions, habits, posts, revisions, feedback
        sql("DELETE FROM person WHERE id = 1")
        sql("DELETE FROM revision WHERE id = 1")
        assert indexed(conn) == rebuilt(conn)
        assert not match(conn, "kudos")
        assert match(conn, "owner : x1") == []


def test_service_and_migration_agree_on_the_rowid_layout() -> None:
    from esncoach.services import search

    assert {k.key: k.code for k in search.KINDS} == {kind: spec[0] for kind, spec in M0002.KINDS.items()}
    assert search.DAY == M0002.DAY
