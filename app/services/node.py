"""Reading this workstation's identity from an open database."""

from __future__ import annotations

from app.database import Database
from app.node_identity import NodeIdentity, read_identity

__all__ = ["NodeIdentity", "load_identity"]


def load_identity(db: Database) -> NodeIdentity | None:
    """None until the workstation has been set up."""
    return read_identity(db.path)
