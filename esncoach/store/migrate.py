"""Apply the Alembic migrations shipped inside the package to an open connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Any:
    """An Alembic Config pointing at our scripts, with no ini file (nothing to find on disk)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_revisions() -> list[str]:
    """All revision ids in the scripts, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade_to_head(connection: Any) -> None:
    """Run every pending migration on a SQLAlchemy Connection inside its transaction."""
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")
