"""Training mode: a separate database with a demo centre, demo accounts and the seed catalogue.

Nothing here touches the real database; every printed page from it will carry a 培训 watermark.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.database import Database
from app.models import Staff
from app.services.auth import actor_of
from app.services.setup import SetupRequest, is_set_up, perform_setup
from app.services.staff import StaffForm, save_staff

TRAINING_PASSWORD = "px123456"


@dataclass(frozen=True)
class DemoAccount:
    staff_no: str
    name: str
    role: str
    workplace: str
    phone: str
    backup: str = ""  # staff number of the B岗 colleague, who must come earlier in the list


# 王建军 is 李秀兰's B岗, as a window would arrange it.
DEMO_ACCOUNTS = [
    DemoAccount("8002", "王建军", "clerk", "2号社会救助窗口", "13904361002"),
    DemoAccount("8001", "李秀兰", "clerk", "1号综合受理窗口", "13904361001", backup="8002"),
    DemoAccount("8003", "赵春梅", "agent", "红旗村代办点", "13904361003"),
    DemoAccount("8004", "刘国庆", "director", "镇民生服务中心", "13904361004"),
]


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
    ids: dict[str, str] = {}
    for account in DEMO_ACCOUNTS:
        ids[account.staff_no] = save_staff(
            db,
            admin,
            StaffForm(
                staff_no=account.staff_no,
                name=account.name,
                role=account.role,
                workplace=account.workplace,
                phone=account.phone,
                backup_id=ids.get(account.backup),
                password=TRAINING_PASSWORD,
            ),
        )
    return True
