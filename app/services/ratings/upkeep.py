"""The ratings' own upkeep, run by every workstation in the background (and by `ratings defaults`).

Two things nobody does by hand: the default rating of a case nobody rated in time (defaults.py), and
the rectification of a bad rating that was not given here (the centre's public page takes ratings by QR
code; they reach the node holding the case by the sync). The node holding the rated case opens it, with
the one id every node would give it, so it is opened once. And a director's decision on an appeal, made
at the director's own workstation, reaches the node keeping the rectification as an event: the keeper
rewrites the rectification's state from its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.actor import SYSTEM_ACTOR
from app.database import Database
from app.models import Case
from app.models.ratings import Rating
from app.models.rectifications import Rectification
from app.services.ratings.codes import BAD_LEVELS
from app.services.ratings.defaults import apply_default_ratings
from app.services.ratings.rectification import open_for, refold_here


@dataclass(frozen=True)
class Upkeep:
    defaults: int  # default ratings written
    opened: int  # rectifications opened for bad ratings given elsewhere
    refolded: int = 0  # rectifications kept here whose state a director's decision elsewhere changed


def open_missing_rectifications(db: Database) -> int:
    """Open the rectification of every bad rating of a case held here that has none; how many."""
    holder = func.coalesce(func.nullif(Case.owner_node, ""), Case.origin_node)
    held_here = select(Case.id).where(Case.number == Rating.target_number, holder == db.node_code).exists()
    opened = select(Rectification.id).where(Rectification.rating_id == Rating.id).exists()
    with db.session(SYSTEM_ACTOR) as s:
        rows = list(s.scalars(select(Rating).where(Rating.level.in_(BAD_LEVELS), Rating.target_kind == "case",
                                                   held_here, ~opened).order_by(Rating.rated_at)))
        for rating in rows:
            open_for(s, db, rating, SYSTEM_ACTOR)
    return len(rows)


def run_upkeep(db: Database, now: datetime | None = None) -> Upkeep:
    return Upkeep(apply_default_ratings(db, now), open_missing_rectifications(db), refold_here(db))
