"""Alembic environment: always run on a connection the store hands over (never a URL with a key)."""

from __future__ import annotations

from alembic import context

from esncoach.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("esncoach migrations run only through esncoach.store.migrate.upgrade_to_head")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
