"""值周: who inspects the windows' discipline in a week, what they found at each window, and the week's summary.

Seed 003 / domain.md "People and the hall": window staff take turns to inspect; the findings are reported at
the weekly meeting and count in the monthly assessment. The director (or the administrator) draws up the
roster; the week's inspector (or the director) records inspections. A week is named by its Monday.
A roster change adds a row (the latest for a week counts), so who was on duty when stays on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import DutyInspection, DutyRoster, NodeInfo, Staff
from app.services.errors import PermissionDenied, ValidationError
from app.services.people.attendance import MAX_STAFF_NO
from app.services.people.permissions import MANAGE_DUTY, can, require

RESULTS = {"pass": "合格", "fix": "需整改"}
MAX_FINDINGS = 1000
MAX_WINDOW = 60
MAX_WEEKS = 104  # a roster page: two years of weeks at most
LISTED = 30  # known windows a refusal lists


def week_of(day: date) -> date:
    """The Monday of the week `day` falls in: the week's name everywhere."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class RosterEntry:
    week: date
    staff_no: str
    staff_name: str
    set_by: str

    @property
    def week_text(self) -> str:
        return f"{self.week.isoformat()} 至 {(self.week + timedelta(days=6)).isoformat()}"


@dataclass(frozen=True)
class InspectionForm:
    week: date
    window: str
    findings: str
    result: str  # pass / fix


@dataclass(frozen=True)
class InspectionRecord:
    id: str
    week: date
    window: str
    inspector_no: str
    inspector_name: str
    at: datetime
    findings: str
    result: str

    @property
    def result_label(self) -> str:
        return RESULTS.get(self.result, self.result)


@dataclass(frozen=True)
class WeekSummary:
    week: date
    inspector: RosterEntry | None
    windows: tuple[tuple[str, tuple[InspectionRecord, ...]], ...]  # window → its inspections, oldest first

    @property
    def passed(self) -> int:
        return sum(1 for _w, records in self.windows for r in records if r.result == "pass")

    @property
    def to_fix(self) -> int:
        return sum(1 for _w, records in self.windows for r in records if r.result == "fix")


def set_roster(db: Database, actor: Actor, week: date, staff_no: str, now: datetime | None = None) -> RosterEntry:
    """Put a staff member on duty for the week of `week` (replacing whoever was)."""
    require(actor, MANAGE_DUTY)
    monday = week_of(week)
    if not 2000 <= monday.year <= 2100:
        raise ValidationError("值周日期应在2000年至2100年之间")
    wanted = staff_no.strip()
    if len(wanted) > MAX_STAFF_NO:
        raise ValidationError(f"工号不超过{MAX_STAFF_NO}个字符")
    set_by = f"{actor.name}（{actor.staff_no}）"[:30]
    with db.session(actor) as s:
        member = s.scalar(select(Staff).where(Staff.staff_no == wanted))
        if member is None:
            raise ValidationError(f"没有工号为 {wanted} 的人员")
        if not member.active:
            raise ValidationError(f"{member.name}（{member.staff_no}）的账号已停用，不能值周")
        s.add(DutyRoster(week=monday, staff_no=member.staff_no, staff_name=member.name, set_by=set_by,
                         set_at=now or utc_now()))
        return RosterEntry(monday, member.staff_no, member.name, set_by)  # as roster() reads it back


def roster(db: Database, first_week: date, weeks: int = 8) -> list[RosterEntry]:
    """The roster of `weeks` weeks from the week of `first_week` (weeks nobody is on are left out)."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    start = week_of(first_week)
    end = start + timedelta(weeks=weeks)
    with db.session() as s:
        rows = s.scalars(select(DutyRoster).where(DutyRoster.week >= start, DutyRoster.week < end)
                         .order_by(DutyRoster.week, DutyRoster.set_at, DutyRoster.id))
        latest = {r.week: RosterEntry(r.week, r.staff_no, r.staff_name, r.set_by) for r in rows}
    return [latest[w] for w in sorted(latest)]


def inspector_of(db: Database, week: date) -> RosterEntry | None:
    found = roster(db, week, 1)
    return found[0] if found else None


def may_inspect(db: Database, actor: Actor, week: date) -> bool:
    """The week's inspector, or the director / administrator, records inspections."""
    if can(actor, MANAGE_DUTY):
        return True
    on_duty = inspector_of(db, week)
    return on_duty is not None and on_duty.staff_no == actor.staff_no


def check_inspection(form: InspectionForm) -> list[str]:
    errors = []
    if not form.window.strip():
        errors.append("请填写检查的窗口")
    elif len(form.window.strip()) > MAX_WINDOW:
        errors.append(f"窗口名称不能超过{MAX_WINDOW}个字")
    if form.result not in RESULTS:
        errors.append("检查结果应为合格或需整改")
    if len(form.findings.strip()) > MAX_FINDINGS:
        errors.append(f"检查情况不能超过{MAX_FINDINGS}个字")
    if form.result == "fix" and not form.findings.strip():
        errors.append("需整改的，请写明发现的问题")
    return errors


def record_inspection(db: Database, actor: Actor, form: InspectionForm, now: datetime | None = None) -> InspectionRecord:
    errors = check_inspection(form)
    if errors:
        raise ValidationError("检查记录有误，未保存", errors)
    monday = week_of(form.week)
    if not may_inspect(db, actor, monday):
        raise PermissionDenied("只有本周值周人或中心主任可以登记值周检查记录")
    now = now or utc_now()
    with db.session(actor) as s:
        window = form.window.strip()
        windows = _known_windows(s)
        if window not in windows:
            shown = "、".join(windows[:LISTED]) + (f"等{len(windows)}个" if len(windows) > LISTED else "")
            known = shown or "（尚无：请先在人员管理中填写各人的所在窗口）"
            raise ValidationError(f"没有名为“{window}”的窗口，本中心的窗口有：{known}")
        row = DutyInspection(week=monday, window_name=window, inspector_no=actor.staff_no[:20],
                             inspector_name=actor.name[:30], at=now, findings=form.findings.strip(),
                             result=form.result)
        s.add(row)
        s.flush()
        return _record(row)


def _record(row: DutyInspection) -> InspectionRecord:
    return InspectionRecord(row.id, row.week, row.window_name, row.inspector_no, row.inspector_name, row.at,
                            row.findings, row.result)


def inspections(db: Database, week: date) -> list[InspectionRecord]:
    """Every inspection of the week, by window then time (a week holds a few dozen at most)."""
    with db.session() as s:
        rows = s.scalars(select(DutyInspection).where(DutyInspection.week == week_of(week))
                         .order_by(DutyInspection.window_name, DutyInspection.at, DutyInspection.id))
        return [_record(r) for r in rows]


def known_windows(db: Database) -> list[str]:
    """The windows an inspection may name (the screen's pick list; the core accepts no other)."""
    with db.session() as s:
        return _known_windows(s)


def _known_windows(s: Session) -> list[str]:
    """The windows the centre knows: the staff's workplaces (what the statistics group cases by, as
    Case.staff_workplace is copied from Staff.workplace) and this workstation's node name. Not the names
    inspected before: one typo recorded once would otherwise become a window."""
    places = set(s.scalars(select(Staff.workplace).where(Staff.workplace != "").distinct()))
    places |= set(s.scalars(select(NodeInfo.node_name).where(NodeInfo.node_name != "")))
    return sorted(p.strip() for p in places if p.strip())


def week_summary(db: Database, week: date) -> WeekSummary:
    """The week's findings per window, for the weekly meeting (screen text and the printed page)."""
    records = inspections(db, week)
    by_window: dict[str, list[InspectionRecord]] = {}
    for record in records:
        by_window.setdefault(record.window, []).append(record)
    return WeekSummary(week_of(week), inspector_of(db, week),
                       tuple((w, tuple(sorted(rs, key=lambda r: r.at))) for w, rs in sorted(by_window.items())))


def summary_text(summary: WeekSummary) -> str:
    """The week's summary as plain text (the screen shows it; the PDF prints the same lines)."""
    who = f"{summary.inspector.staff_name}（{summary.inspector.staff_no}）" if summary.inspector else "未排定"
    lines = [f"值周汇总：{summary.week.isoformat()} 至 {(summary.week + timedelta(days=6)).isoformat()}",
             f"值周人：{who}",
             f"检查 {summary.passed + summary.to_fix} 次：合格 {summary.passed}，需整改 {summary.to_fix}"]
    for window, records in summary.windows:
        lines.append(f"【{window}】")
        for r in records:
            lines.append(f"  {r.at.astimezone():%m-%d %H:%M} {r.result_label}（{r.inspector_name}）"
                         f"{'：' + r.findings if r.findings else ''}")
    if not summary.windows:
        lines.append("本周尚无检查记录。")
    return "\n".join(lines)


def summary_pdf(db: Database, week: date) -> bytes:
    """The week's summary as an A4 PDF (app.printing.duty_pdf): the same lines as the screen's text."""
    from app.clock import local_now
    from app.printing.duty_pdf import DutyRow, DutySheet, duty_pdf
    from app.services.node import load_identity

    summary = week_summary(db, week)
    identity = load_identity(db)
    who = f"{summary.inspector.staff_name}（{summary.inspector.staff_no}）" if summary.inspector else "未排定"
    rows = tuple(DutyRow(window, f"{r.at.astimezone():%m-%d %H:%M}", r.inspector_name, r.result_label, r.findings)
                 for window, records in summary.windows for r in records)
    return duty_pdf(DutySheet(
        center_name=identity.center_name if identity else "", training=bool(identity and identity.training),
        week=f"{summary.week.isoformat()} 至 {(summary.week + timedelta(days=6)).isoformat()}", inspector=who,
        rows=rows, passed=summary.passed, to_fix=summary.to_fix, printed=f"{local_now():%Y-%m-%d %H:%M}"))
