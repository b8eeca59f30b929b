"""Centre settings that appear on printed documents; defaults apply until the centre sets them."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import CenterSetting
from app.services.errors import PermissionDenied, ValidationError
from app.services import field_rules as rules
from app.services.validation import check_phone


HOTLINE = "12345"  # 政务服务便民热线: the fallback supervision number


@dataclass(frozen=True)
class CenterSettings:
    supervise_phone: str = ""  # empty: each item's own supervision phone (referral slips: 12345)
    center_phone: str = ""
    center_address: str = ""
    office_hours: str = "08:30-12:00,13:00-17:30"
    extra_case_classes: str = ""  # centre-defined classes, e.g. "上报件"; timed like a 承诺件

    def custom_classes(self) -> list[str]:
        """Keys of the centre's own case classes, e.g. ["x:上报件"]."""
        from app.models.cases import CUSTOM_PREFIX

        names = [n.strip() for n in re.split(r"[,，、;；\s]+", self.extra_case_classes) if n.strip()]
        return [CUSTOM_PREFIX + n for n in names]

    def supervise_phone_for(self, item_phone: str = "") -> str:
        """The number printed as 监督电话: the centre's if it set one, else the item's, else 12345."""
        return self.supervise_phone or item_phone or HOTLINE


def load_settings(db: Database) -> CenterSettings:
    with db.session() as s:
        stored = {row.key: row.value for row in s.scalars(select(CenterSetting))}
    names = {f.name for f in fields(CenterSettings)}
    return CenterSettings(**{k: v for k, v in stored.items() if k in names})


def validate_settings(values: CenterSettings) -> dict[str, str]:
    checks = {
        "supervise_phone": check_phone(values.supervise_phone, "监督电话", allow_hotline=True),
        "center_phone": check_phone(values.center_phone, "中心咨询电话", allow_hotline=True),
        "center_address": rules.CENTER_ADDRESS.check(values.center_address, required=False),
        "office_hours": rules.SETTING_VALUE.with_label("办公时间").check(values.office_hours)
        or _check_hours(values.office_hours),
        "extra_case_classes": rules.SETTING_VALUE.with_label("本中心增设办件类型").check(
            values.extra_case_classes, required=False) or _check_classes(values),
    }
    return {k: v for k, v in checks.items() if v}


def _check_hours(text: str) -> str | None:
    from app.services.workdays import OfficeHours

    try:
        OfficeHours.parse(text)
    except ValueError as exc:
        return str(exc)
    return None


def _check_classes(values: CenterSettings) -> str | None:
    from app.models.cases import CASE_CLASS_LABELS

    for key in values.custom_classes():
        name = key[2:]
        if not (2 <= len(name) <= 8 and name.endswith("件")):
            return f"办件类型“{name}”应为2至8个字并以“件”结尾，如 上报件"
        if name in CASE_CLASS_LABELS.values():
            return f"“{name}”是标准办件类型，无需添加"
    return None


def save_settings(db: Database, actor: Actor, values: CenterSettings) -> None:
    if actor.role not in {"admin", "director", "system"}:
        raise PermissionDenied("只有管理员或中心主任可以修改中心设置")
    errors = validate_settings(values)
    if errors:
        raise ValidationError("中心设置有误，未保存", list(errors.values()))
    with db.session(actor) as s:
        current = {row.key: row for row in s.scalars(select(CenterSetting))}
        for f in fields(CenterSettings):
            value = str(getattr(values, f.name)).strip()
            row = current.get(f.name)
            if row is None:
                s.add(CenterSetting(key=f.name, value=value))
            elif row.value != value:
                row.value = value
