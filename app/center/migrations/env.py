"""Alembic environment for the centre's PostgreSQL; run with a connection handed in by app.center.db."""

from __future__ import annotations

from alembic import context

import app.center.queue_tables  # noqa: F401 - registers the queue's tables
from app.center.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
