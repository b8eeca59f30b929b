"""What a workstation does after every sync, whoever asked for it (the desktop's scheduler, F12, or
`main.py sync`): the work that needs what the pull brought. One list, so a sync from the command line
leaves the workstation as the desktop's would (an appointment checked in at the kiosk became 到达 only
in the desktop before). Each step's failure is logged and retried at the next sync: it must not make a
good sync look failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AfterSync:
    arrivals: int = 0  # appointments booked here that checked in at the hall's kiosk, now 到达


def after_sync(db: Database) -> AfterSync:
    from app.services.ratings.upkeep import run_upkeep

    try:  # default ratings, rectifications of ratings given elsewhere (pulled by now)
        run_upkeep(db)
    except Exception:
        log.exception("ratings upkeep failed; retried at the next sync")
    from app.services.people.leave_handover import run_leave_upkeep

    try:  # 请假代岗: a long leave that began hands the clerk's cases to the stand-in; one that ended, back
        run_leave_upkeep(db)
    except Exception:
        log.exception("leave hand-over upkeep failed; retried at the next sync")
    from app.services.queue.arrivals import take_in_arrivals

    arrivals = 0
    try:  # 预约 checked in at the hall's kiosk: 到达 here, where they were booked
        arrivals = take_in_arrivals(db)
    except Exception:
        log.exception("queue arrivals failed; retried at the next sync")
    from app.services.supervision.auto import scan

    try:  # 电子监察: overdue cases, late extensions, refusals without a reason (pulled ones are here now)
        scan(db)
    except Exception:
        log.exception("supervision scan failed; retried at the next sync")
    return AfterSync(arrivals)
