"""Alembic environment for the centre's PostgreSQL; run with a connection handed in by app.center.db."""

from __future__ import annotations

from alembic import context

from app.center.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
