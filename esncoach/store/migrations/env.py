"""Alembic environment: always run on a connection the store hands over (never a URL with a key)."""

from __future__ import annotations

from alembic import context

from esncoach.models import Base
from esncoach.store.migrations_filter import include_name

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("esncoach migrations run only through esncoach.store.migrate.upgrade_to_head")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=lambda name, type_, _parents: include_name(name, type_),
)
with context.begin_transaction():
    context.run_migrations()
