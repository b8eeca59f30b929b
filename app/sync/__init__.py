"""Replication between workstations (SQLite) and the township centre (PostgreSQL). Qt-free."""
