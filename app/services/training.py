"""Training mode: a separate database with a demo centre, demo accounts and demo records.

Nothing here touches the real database; every printed page from it carries a 培训 watermark.
"""

from __future__ import annotations

from sqlalchemy import select

from app.database import Database
from app.models import Staff
from app.services.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD, fill_demo_data
from app.services.people.auth import actor_of
from app.services.setup import SetupRequest, is_set_up, perform_setup

TRAINING_PASSWORD = DEMO_PASSWORD
__all__ = ["DEMO_ACCOUNTS", "TRAINING_PASSWORD", "ensure_training_database"]


def ensure_training_database(db: Database) -> bool:
    """Fill an empty training database; True when it was filled now."""
    if is_set_up(db):
        return False
    perform_setup(
        db,
        SetupRequest(
            center_code="220821100",
            center_name="示范镇民生服务中心（培训）",
            node_code="99",
            node_name="培训窗口",
            node_kind="window",
            admin_user="8000",
            admin_password=TRAINING_PASSWORD,
            admin_name="培训管理员",
            training=True,
        ),
    )
    with db.session() as s:
        admin = actor_of(s.scalars(select(Staff).where(Staff.staff_no == "8000")).one())
    fill_demo_data(db, admin)
    return True
