"""Who sees which statistics: the director and the administrator see the township and every scope; a
clerk or an agent sees only their own figures (their row among the staff) and their own satisfaction
split, never a colleague's or the township's total or trend. The screen only asks here, so the rule lives
in the core, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.actor import Actor
from app.database import Database
from app.services.people.permissions import SEE_TOWNSHIP_STATS, can
from app.services.stats.figures import SCOPES, values_of
from app.services.stats.report import StatsRow, StatsTable, figures_for
from app.services.stats.series import SatisfactionSplit, satisfaction_split

OWN_SCOPE = "staff"


@dataclass(frozen=True)
class VisibleStats:
    """What one user may see of a period's figures: the rows, and the total row (None: not theirs to see)."""

    table: StatsTable
    rows: tuple[StatsRow, ...]
    total: StatsRow | None
    own_only: bool  # True: the user's own figures only (scope forced to 按人员)
    staff_no: str  # whose figures, when own_only


def sees_township(actor: Actor) -> bool:
    return can(actor, SEE_TOWNSHIP_STATS)


def scopes_for(actor: Actor) -> dict[str, str]:
    """The scopes the user may pick: every one for the director, only 按人员 (their own) otherwise."""
    return dict(SCOPES) if sees_township(actor) else {OWN_SCOPE: SCOPES[OWN_SCOPE]}


def own_row(actor: Actor, table: StatsTable) -> StatsRow:
    """The user's own row of a by-staff table; all zeros when they have no figures in the period."""
    found = next((r for r in table.rows if r.key == actor.staff_no), None)
    return found or StatsRow(actor.staff_no, f"{actor.name}（{actor.staff_no}）", values_of({}))


def visible_rows(actor: Actor, table: StatsTable) -> VisibleStats:
    """Cut a table down to what the user may see: all of it for the director, else only the user's row
    (the table must be by staff then; any other scope shows a clerk nothing of their own)."""
    if sees_township(actor):
        return VisibleStats(table, table.rows, table.total, False, "")
    rows = (own_row(actor, table),) if table.by == OWN_SCOPE else ()
    return VisibleStats(table, rows, None, True, actor.staff_no)


def visible_figures(db: Database, actor: Actor, date_from: date | str, date_to: date | str, by: str | None,
                    today: date | None = None) -> VisibleStats:
    """figures_for as the user may see it: a clerk's scope is forced to 按人员 and cut to their own row."""
    scope = by if sees_township(actor) else OWN_SCOPE
    return visible_rows(actor, figures_for(db, date_from, date_to, scope, today))


def visible_split(db: Database, actor: Actor, date_from: date | str, date_to: date | str, by: str | None = None,
                  key: str | None = None) -> SatisfactionSplit:
    """satisfaction_split as the user may see it: the director any group's (None: the township's), anyone
    else only their own, whatever group is asked."""
    if not sees_township(actor):
        return satisfaction_split(db, date_from, date_to, OWN_SCOPE, actor.staff_no)
    return satisfaction_split(db, date_from, date_to, by, key)
