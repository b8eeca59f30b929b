"""Centre settings that appear on printed documents; defaults apply until the centre sets them."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import select

from app.actor import Actor
from app.changes import SETTINGS
from app.database import Database
from app.models import CenterSetting
from app.services import field_rules as rules
from app.services.calendar.workdays import OfficeHours
from app.services.db_cache import cached
from app.services.errors import ValidationError
from app.services.people.permissions import EDIT_SETTINGS, require
from app.services.validation import check_phone

HOTLINE = "12345"  # 政务服务便民热线: the fallback supervision number
REVIEW_BODY_KEY = "review_body:"  # + a department's name: its own 复议机关, overriding the township default
COURT_KEY = "court:"  # + a department's name: its own 人民法院
_ENTRY_SPLIT = re.compile(r"[;；\n]+")
_PAIR_SPLIT = re.compile(r"[=＝:：]")


# A public-page link as a QR code carries it (public_link); what scanners and scan boxes read back.
PUBLIC_LINK = re.compile(r"https?://[!-~]{1,120}?/q/([0-9A-Za-z#]{1,40})/?$", re.IGNORECASE)


def number_in_link(text: str) -> str | None:
    """The case number a scanned public-page link names (without a "#query code"), None if no link."""
    match = PUBLIC_LINK.search(text.strip())
    return match.group(1).split("#")[0] if match else None


def scanned_case_number(text: str) -> str:
    """A typed or scanned case number: the QR code reads number#query code, or is a public-page link."""
    return (number_in_link(text[:200]) or text).split("#")[0].strip().upper()[:30]


@dataclass(frozen=True)
class CenterSettings:
    supervise_phone: str = ""  # empty: each item's own supervision phone (referral slips: 12345)
    center_phone: str = ""
    center_address: str = ""
    office_hours: str = "08:30-12:00,13:00-17:30"
    extra_case_classes: str = ""  # centre-defined classes, e.g. "上报件"; timed like a 承诺件
    window_phones: str = ""  # "1号综合受理窗口=0436-7312001；2号窗口=…": printed instead of a clerk's mobile
    review_body: str = ""  # township default 复议机关 named on refusals, e.g. 镇赉县人民政府
    court: str = ""  # township default court named on refusals, e.g. 镇赉县人民法院
    warning_days: str = "2"  # a case turns yellow this many working days before its due date
    # working days to settle a complaint, by category (1-11); unnamed categories: 5 (app.services.complaints)
    complaint_days: str = "1-9=5；10=10；11=5"
    rectification_days: str = "10"  # working days to rectify a bad rating (app.services.ratings.rectification)
    # The centre's public address (https://zx.example.gov.cn or http://IP:port): when set, the QR code on the
    # 受理回执 and the 办结通知书 links to the centre's public page, <address>/q/<case number> (app.center.public)
    public_address: str = ""
    appointment_capacity: str = "4"  # 每时段预约名额: per window per time slot (app.services.appointments)

    def public_link(self, number: str) -> str:
        """The link a receipt's QR code carries to the public page; "" while no address is set.
        The query code is never in it: the citizen types it from the paper."""
        address = self.public_address.strip().rstrip("/")
        return f"{address}/q/{number}" if address and check_public_address(address) is None else ""

    def ticket_link(self, number: str) -> str:
        """The link a queue ticket's QR code carries: today's ticket of that number on the public page."""
        address = self.public_address.strip().rstrip("/")
        return f"{address}/t/{number}" if address and check_public_address(address) is None else ""

    @property
    def rectification_days_number(self) -> int:
        text = self.rectification_days.strip()
        return int(text) if text.isdigit() and 1 <= int(text) <= 60 else 10

    @property
    def appointment_capacity_number(self) -> int:
        text = self.appointment_capacity.strip()
        return int(text) if text.isdigit() and 1 <= int(text) <= 99 else 4

    @property
    def warning_days_number(self) -> int:
        return int(self.warning_days) if self.warning_days.strip().isdigit() else 2

    def window_phone_map(self) -> dict[str, str]:
        """Window name → phone, from window_phones; malformed entries are left out (validation names them)."""
        found: dict[str, str] = {}
        for entry in _ENTRY_SPLIT.split(self.window_phones):
            parts = _PAIR_SPLIT.split(entry.strip(), maxsplit=1)
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                found[parts[0].strip()] = parts[1].strip()
        return found

    def window_phone_for(self, window: str) -> str:
        """The phone printed for a window: its own, else the centre's consultation phone, else ""."""
        return self.window_phone_map().get(window.strip(), "") or self.center_phone

    def custom_classes(self) -> list[str]:
        """Keys of the centre's own case classes, e.g. ["x:上报件"]."""
        from app.models.cases import CUSTOM_PREFIX

        names = [n.strip() for n in re.split(r"[,，、;；\s]+", self.extra_case_classes) if n.strip()]
        return [CUSTOM_PREFIX + n for n in names]

    def supervise_phone_for(self, item_phone: str = "") -> str:
        """The number printed as 监督电话: the centre's if it set one, else the item's, else 12345."""
        return self.supervise_phone or item_phone or HOTLINE


def load_settings(db: Database) -> CenterSettings:
    """The centre's settings, read once per database and kept until a committed transaction writes
    center_setting (saved here, or arriving from the centre): the change bus drops the copy
    (app.services.db_cache), so every acceptance and document need not read them again."""
    return cached(db, "settings", SETTINGS, lambda: _read_settings(db))


def _read_settings(db: Database) -> CenterSettings:
    names = {f.name for f in fields(CenterSettings)}
    with db.session() as s:
        stored = {key: value for key, value in s.execute(select(CenterSetting.key, CenterSetting.value))
                  if key in names}
    return CenterSettings(**stored)


# Named when the centre has set nothing: the law's own words. A township's decision is reviewed by the
# next higher people's government (行政复议法 第二十四条), and sued at the court where the deciding
# organ sits (行政诉讼法 第十八条).
DEFAULT_REVIEW_BODY = "本乡镇的上一级人民政府（县级人民政府）"
DEFAULT_COURT = "本乡镇所在地的县级人民法院"


def refusal_bodies(db: Database, department: str, settings: CenterSettings | None = None) -> tuple[str, str]:
    """(复议机关, 人民法院) named on a department's refusal: its own setting, else the township's, else
    the law's description of them."""
    values = settings or load_settings(db)
    with db.session() as s:
        keys = (REVIEW_BODY_KEY + department, COURT_KEY + department)
        stored = {row.key: row.value for row in s.scalars(select(CenterSetting).where(CenterSetting.key.in_(keys)))}
    return (stored.get(keys[0]) or values.review_body or DEFAULT_REVIEW_BODY,
            stored.get(keys[1]) or values.court or DEFAULT_COURT)


def save_refusal_bodies(db: Database, actor: Actor, department: str, review_body: str, court: str) -> None:
    """A department's own 复议机关 and court (e.g. a vertically managed office); empty: the township default."""
    require(actor, EDIT_SETTINGS)
    department = department.strip()
    key_room = 40 - max(len(REVIEW_BODY_KEY), len(COURT_KEY))
    errors = [e for e in (
        None if 0 < len(department) <= key_room else f"部门名称应为1至{key_room}个字",
        rules.SETTING_VALUE.with_label("复议机关").check(review_body, required=False),
        rules.SETTING_VALUE.with_label("人民法院").check(court, required=False),
    ) if e]
    if errors:
        raise ValidationError("复议机关设置有误，未保存", errors)
    with db.session(actor) as s:
        for key, value in ((REVIEW_BODY_KEY + department, review_body.strip()), (COURT_KEY + department, court.strip())):
            row = s.scalar(select(CenterSetting).where(CenterSetting.key == key))
            if row is None:
                s.add(CenterSetting(key=key, value=value))
            elif row.value != value:
                row.value = value


def validate_settings(values: CenterSettings) -> dict[str, str]:
    checks = {
        "supervise_phone": check_phone(values.supervise_phone, "监督电话", allow_hotline=True),
        "center_phone": check_phone(values.center_phone, "中心咨询电话", allow_hotline=True),
        "center_address": rules.CENTER_ADDRESS.check(values.center_address, required=False),
        "office_hours": rules.SETTING_VALUE.with_label("办公时间").check(values.office_hours)
        or _check_hours(values.office_hours),
        "extra_case_classes": rules.SETTING_VALUE.with_label("本中心增设办件类型").check(
            values.extra_case_classes, required=False) or _check_classes(values),
        "window_phones": rules.SETTING_VALUE.with_label("窗口电话").check(values.window_phones, required=False)
        or _check_window_phones(values.window_phones),
        "review_body": rules.SETTING_VALUE.with_label("复议机关").check(values.review_body, required=False),
        "court": rules.SETTING_VALUE.with_label("人民法院").check(values.court, required=False),
        "warning_days": None if values.warning_days.strip() in {str(n) for n in range(11)}
        else "预警天数应为0至10的整数（工作日）",
        "complaint_days": _check_complaint_days(values.complaint_days),
        "rectification_days": None if values.rectification_days.strip() in {str(n) for n in range(1, 61)}
        else "差评整改时限应为1至60的整数（工作日）",
        "public_address": check_public_address(values.public_address),
        "appointment_capacity": None if values.appointment_capacity.strip() in {str(n) for n in range(1, 100)}
        else "每时段预约名额应为1至99的整数",
    }
    return {k: v for k, v in checks.items() if v}


MAX_PUBLIC_ADDRESS = 100  # with /q/ and a case number the link stays a small QR code (version 6 or less)


def check_public_address(text: str) -> str | None:
    """Why the public address is not a plain http(s) address the citizen's phone can open, or None.
    Empty is allowed (no link: the QR code carries the case number as before)."""
    from urllib.parse import urlsplit

    value = text.strip()
    if not value:
        return None
    if len(value) > MAX_PUBLIC_ADDRESS:
        return f"中心对外地址不能超过{MAX_PUBLIC_ADDRESS}个字符"
    wrong = "中心对外地址应为 http:// 或 https:// 开头的网址，如 https://zx.example.gov.cn 或 http://10.1.2.3:8443"
    if any(ch.isspace() or not ch.isascii() or not ch.isprintable() for ch in value):
        return wrong
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return wrong
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", host or "-") \
            or not host or parts.username or parts.password or parts.query or parts.fragment or "#" in value \
            or (port is not None and not 0 < port < 65536):
        return wrong
    if not re.fullmatch(r"(/[A-Za-z0-9._~\-]+)*/?", parts.path):
        return "中心对外地址的路径只能含字母、数字和 . _ ~ -，如 https://zw.example.gov.cn/zx"
    return None


def _check_complaint_days(text: str) -> str | None:
    from app.services.complaints.categories import days_by_category

    if len(text) > 200:
        return "投诉办理时限设置不能超过200个字"
    try:
        days_by_category(text)
    except ValueError as exc:
        return str(exc)
    return None


def _check_hours(text: str) -> str | None:
    from app.services.calendar.workdays import OfficeHours

    try:
        OfficeHours.parse(text)
    except ValueError as exc:
        return str(exc)
    return None


def _check_window_phones(text: str) -> str | None:
    for entry in _ENTRY_SPLIT.split(text):
        entry = entry.strip()
        if not entry:
            continue
        parts = _PAIR_SPLIT.split(entry, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip():
            return f"窗口电话“{entry}”应写成 窗口名称=电话，如 1号综合受理窗口=0436-7312001"
        problem = check_phone(parts[1], f"“{parts[0].strip()}”的电话", required=True, allow_hotline=True)
        if problem:
            return problem
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
    require(actor, EDIT_SETTINGS)
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


def hours_or_default(text: str) -> OfficeHours:
    """Office hours from the setting's text; the default (8:30-12:00, 13:00-17:30) if it cannot be read
    (it is checked when saved, so only a damaged value falls back)."""
    try:
        return OfficeHours.parse(text)
    except ValueError:
        return OfficeHours()


def office_hours(db: Database) -> OfficeHours:
    """The centre's office hours (hours_or_default): attendance, appointments and 延时服务 read them here."""
    return hours_or_default(load_settings(db).office_hours)
