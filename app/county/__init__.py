"""The county (县级): its own PostgreSQL subscribes to the townships' centres by logical replication and
counts the same statistics across them (`main.py county …`).
"""
