"""The models and the Alembic scripts describe the same schema, and the fast-path constants agree."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from esncoach.models import Base
from esncoach.store import migrations_filter, schema
from esncoach.store.migrate import script_revisions
from esncoach.store.workspace import Workspace


def test_schema_constants_match_the_scripts() -> None:
    revisions = script_revisions()
    assert revisions[-1] == schema.HEAD_REVISION
    assert tuple(revisions) == schema.KNOWN_REVISIONS


def test_autogenerate_finds_no_difference(ws: Workspace) -> None:
    with ws.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, _parents: migrations_filter.include_name(name, type_),
            },
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_new_workspace_is_at_head(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    with Workspace.open(tmp_path / "w.db", key) as ws, ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
