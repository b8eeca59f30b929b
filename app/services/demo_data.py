"""Realistic demo data for training and demonstrations: staff, departments, inquiries, notices.

Used by training mode and by `main.py demo-data`. Running it again adds nothing twice: staff and
departments are matched by number and name, and the inquiries are added only once per database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Inquiry, Staff
from app.services.inquiries.departments import DepartmentForm, list_departments, save_department
from app.services.inquiries.notices import NoticeForm, create_notice
from app.services.inquiries.register import InquiryForm, register_inquiry
from app.services.people.auth import actor_of
from app.services.people.staff import StaffForm, save_staff

DEMO_PASSWORD = "px123456"


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

DEMO_DEPARTMENTS = [
    DepartmentForm("县不动产登记中心", "县政务服务中心一楼B区", "0436-7221101", "周一至周五 8:30—12:00，13:00—17:00",
                   "房屋、土地不动产登记，不动产权证书核发和查询"),
    DepartmentForm("县民政局婚姻登记处", "县民政局一楼（人民大街88号）", "0436-7221102", "周一至周五 8:30—11:30，13:30—16:30",
                   "结婚登记、离婚登记、补领婚姻登记证"),
    DepartmentForm("县公安局出入境管理大队", "县政务服务中心二楼公安窗口", "0436-7221103", "周一至周六 8:30—16:30",
                   "普通护照、往来港澳台通行证及签注办理"),
    DepartmentForm("县市场监督管理局登记注册科", "县政务服务中心二楼市场监管窗口", "0436-7221104",
                   "周一至周五 8:30—12:00，13:00—17:00", "企业、个体工商户设立、变更、注销登记"),
    DepartmentForm("县住房公积金管理中心", "县政务服务中心三楼", "0436-7221105", "周一至周五 8:30—12:00，13:00—17:00",
                   "住房公积金缴存、提取和贷款"),
    DepartmentForm("县医疗保障局经办大厅", "县政务服务中心一楼医保窗口", "0436-7221106", "周一至周五 8:30—12:00，13:00—17:00",
                   "职工医保参保变更、大病保险、医保待遇核定"),
    DepartmentForm("县人民法院诉讼服务中心", "县人民法院一楼（法院路6号）", "0436-7221107", "周一至周五 8:30—11:30，13:30—17:00",
                   "民事纠纷立案、诉讼咨询、调解"),
    DepartmentForm("县人力资源和社会保障局劳动监察大队", "县人社局二楼（建设街15号）", "0436-7221108", "周一至周五 8:30—16:30",
                   "拖欠工资、劳动合同纠纷投诉举报"),
]

# (days ago, hour, name, phone, channel, question, outcome, item code, answer or reason, department, present)
DEMO_INQUIRIES = [
    (9, 9, "张桂芳", "13904367788", "onsite", "孙子刚出生，怎么上户口、办医保？", "notice", "HJ-001", "", "", [1, 2, 5]),
    (9, 10, "孙立国", "13604361234", "phone", "父亲80岁了，能领高龄补贴吗，要带什么？", "notice", "LL-001", "", "", [1]),
    (8, 14, "刘淑珍", "0436-6123456", "onsite", "想办理房屋过户，在哪里办？", "referred", "", "房屋过户属于不动产登记，本中心不受理。", "县不动产登记中心", []),
    (8, 15, "陈志强", "15904360011", "onsite", "家里失火了，能申请什么救助？", "notice", "SHJZ-003", "", "", [1, 2]),
    (7, 9, "王秀英", "13844365566", "phone", "低保每年什么时候复核？", "answered", "SHJZ-001", "低保对象每年复核一次，镇民政办会提前通知，无需本人申请。", "", []),
    (7, 11, "赵德胜", "18743609988", "onsite", "儿子要出国打工，护照在哪里办？", "referred", "", "护照由公安出入境管理部门办理，乡镇无此职权。", "县公安局出入境管理大队", []),
    (6, 10, "李凤兰", "13504362211", "onsite", "残疾证怎么办，需要去医院鉴定吗？", "notice", "CL-001", "", "", [1, 2, 3]),
    (6, 13, "周海涛", "17743601122", "online", "开小卖店要办食品经营许可吗？", "answered", "SP-002", "仅销售预包装食品的只需备案，当场办结，请带营业执照和身份证到5号窗口。", "", []),
    (5, 9, "吴春华", "13943608877", "letter", "包工头拖欠工钱三个月，找谁？", "referred", "", "劳动报酬争议由人社部门劳动监察受理。", "县人力资源和社会保障局劳动监察大队", []),
    (5, 14, "郑玉梅", "15143604455", "onsite", "在外地看病能直接报销吗？", "notice", "YB-004", "", "", []),
    (4, 8, "马国富", "13104363344", "onsite", "申请宅基地盖新房要什么手续？", "notice", "NY-002", "", "", [1, 2]),
    (3, 10, "冯丽娟", "13514362200", "phone", "结婚登记在镇里能办吗？", "referred", "", "婚姻登记由县民政局婚姻登记处办理。", "县民政局婚姻登记处", []),
    (2, 9, "徐长江", "13304367711", "onsite", "退伍回来了，一次性补助怎么领？", "notice", "TY-003", "", "", [1, 2, 3, 4]),
    (1, 11, "何桂兰", "0436-6339901", "phone", "养老金领取资格认证怎么做？", "answered", "SB-002", "可在手机“吉林智慧人社”APP刷脸认证，或到村代办点由代办员协助认证。", "", []),
    (0, 9, "高建华", "13654360909", "onsite", "低保申请需要什么材料？", "notice", "SHJZ-001", "", "", [1, 2]),
]


def _demo_id(birth: str, serial: str) -> str:
    from app.services.id_numbers import id_check_digit

    first17 = "220821" + birth + serial
    return first17 + id_check_digit(first17)


def _demo_uscc(first17: str) -> str:
    from app.services.id_numbers import uscc_check_char

    return first17 + uscc_check_char(first17)


# (days ago, item, class, applicant, id birth+serial, phone, received seqs, extra form fields)
DEMO_CASES: list[tuple[int, str, str, str, str, str, list[int], dict[str, object]]] = [
    (40, "SHJZ-001", "promised", "陈志强", "19680512231", "15904360011", [1, 2, 3, 4, 5], {}),  # overdue
    (12, "SB-002", "promised", "何桂兰", "19660908342", "13604362288", [1, 2, 3, 4], {}),  # due soon
    (6, "HJ-001", "joint", "张桂芳", "19900215124", "13904367788", [1, 2, 3, 4, 5, 6],
     {"lead_window": "3号户籍窗口", "co_departments": ["镇医疗保障服务站", "镇社会保障服务中心", "镇卫生院"]}),
    (3, "SHJZ-002", "rejected", "孙立国", "19720301453", "13604361234", [1, 2],
     {"rejection_reason": "申请人有法定赡养人且赡养人具备履行能力，不符合《特困人员认定办法》第四条规定的特困人员条件。"}),
    (2, "LL-001", "supplement", "王秀英", "19440618564", "13844365566", [1, 2], {}),
    (1, "CL-001", "promised", "李凤兰", "19800722675", "13504362211", [1, 2, 3, 4],
     {"agent_name": "李建国", "agent_relation": "子女", "agent_id_number": "LATER", "agent_phone": "13904365678"}),
    (0, "SB-003", "immediate", "徐长江", "19950110786", "13304367711", [1, 2], {}),
    (20, "SB-002", "promised", "赵玉珍", "19580304128", "13904362001", [1, 2, 3, 4], {}),  # delivered, archived
    (9, "CL-001", "promised", "周德明", "19750817239", "13604362002", [1, 2, 3, 4], {}),  # ready for pickup
]


def _demo_steps(db: Database, clerk: Actor, numbers: dict[int, str], now: datetime) -> None:
    """Carry some demo cases further: a 联办 hand-over and reply, a case done and archived, one ready."""
    from app.services.cases import actions as act
    from app.services.cases import joint

    def ago(days: int, hours: int = 10) -> datetime:
        day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)
        return min((day + timedelta(hours=hours)).astimezone(UTC), now)

    if 2 in numbers:  # the joint case: two departments handed over, one replied
        joint.hand_over(db, clerk, numbers[2], "镇医疗保障服务站", ago(5).astimezone().date(), 3, now=ago(5))
        joint.hand_over(db, clerk, numbers[2], "镇卫生院", ago(5).astimezone().date(), 4, now=ago(5, 11))
        joint.record_reply(db, clerk, numbers[2], "镇医疗保障服务站", ago(3).astimezone().date(), "agree",
                           "已核实参保关系，同意办理", now=ago(3))
    if 7 in numbers:
        act.decide(db, clerk, numbers[7], act.Decision(True, result="核定城乡居民基础养老金每月 188 元",
                                                       document_number="镇社保〔2026〕31号"), now=ago(16))
        act.notify(db, clerk, numbers[7], "pickup", now=ago(16, 11))
        act.deliver(db, clerk, numbers[7], act.Delivery("pickup", "赵玉珍", _demo_id("19580304", "128"),
                                                        items=[("待遇核定通知书", 1)]), now=ago(15))
        act.archive(db, clerk, numbers[7], "2026-社保-031", now=ago(14))
    if 8 in numbers:
        act.decide(db, clerk, numbers[8], act.Decision(True, result="准予发放残疾人两项补贴",
                                                       document_number="镇残联〔2026〕12号"), now=ago(2))
        act.notify(db, clerk, numbers[8], "pickup", now=ago(2, 11))


def fill_demo_cases(db: Database, staff: dict[str, Actor], now: datetime) -> int:
    """Cases of every class: one overdue, one due soon, a joint, a refusal, a 补办件, an agent's."""
    from app.services.cases.form import CaseForm, as_catalogued
    from app.services.cases.records import accept_case
    from app.services.catalog import items as catalog

    clerks = [staff["8001"], staff["8002"]]
    local_midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    count = 0
    numbers: dict[int, str] = {}
    for index, (days, code, cls, name, serial, phone, seqs, extra) in enumerate(DEMO_CASES):
        item = catalog.load_item(db, code)
        if item is None:
            continue
        fields: dict[str, object] = dict(extra)
        if fields.get("agent_id_number") == "LATER":
            fields["agent_id_number"] = _demo_id("19781105", "897")
        accepted = min((local_midnight - timedelta(days=days) + timedelta(hours=9, minutes=13 * index)).astimezone(
            UTC), now)
        numbers[index] = accept_case(
            db,
            clerks[index % 2],
            CaseForm(item_code=code, case_class=cls, applicant_name=name, applicant_id_number=_demo_id(serial[:8], serial[8:]),
                     applicant_phone=phone, applicant_address="镇赉镇红旗村", received=as_catalogued(item, seqs),
                     **fields),  # type: ignore[arg-type]
            now=accepted,
        )
        count += 1
    _demo_steps(db, staff["8001"], numbers, now)
    shop = catalog.load_item(db, "SP-002")
    if shop is not None:  # an organisation applicant: the village collective's shop
        accept_case(
            db,
            staff["8001"],
            CaseForm(item_code="SP-002", case_class="immediate", applicant_kind="organisation",
                     applicant_name="镇赉县红旗村股份经济合作社", applicant_id_number=_demo_uscc("N2220821MA1234567"),
                     contact_name="王会计", applicant_phone="13904369001", applicant_address="镇赉镇红旗村村部",
                     received=as_catalogued(shop, [1, 2, 3])),
            now=now,
        )
        count += 1
    return count


def ensure_demo_staff(db: Database, admin: Actor) -> dict[str, str]:
    """Demo accounts by staff number (password px123456); existing ones are left as they are."""
    with db.session() as s:
        ids = {m.staff_no: m.id for m in s.scalars(select(Staff))}
    for account in DEMO_ACCOUNTS:
        if account.staff_no in ids:
            continue
        ids[account.staff_no] = save_staff(
            db,
            admin,
            StaffForm(
                staff_no=account.staff_no, name=account.name, role=account.role, workplace=account.workplace,
                phone=account.phone, backup_id=ids.get(account.backup), password=DEMO_PASSWORD,
            ),
        )
    return ids


def fill_demo_data(db: Database, admin: Actor, now: datetime | None = None) -> int:
    """Add demo staff, departments, inquiries and notices; returns how many inquiries were added."""
    now = now or utc_now()
    ensure_demo_staff(db, admin)
    known = {d.name for d in list_departments(db, include_inactive=True)}
    for form in DEMO_DEPARTMENTS:
        if form.name not in known:
            save_department(db, admin, form)
    departments = {d.name: d.id for d in list_departments(db)}
    with db.session() as s:
        if (s.scalar(select(func.count()).select_from(Inquiry)) or 0) > 0:
            return 0
        staff = {m.staff_no: actor_of(m) for m in s.scalars(select(Staff))}
    clerks = [staff["8001"], staff["8002"], staff["8003"]]
    local_midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    for index, row in enumerate(DEMO_INQUIRIES):
        days, hour, name, phone, channel, question, outcome, code, answer, department, present = row
        asked = (local_midnight - timedelta(days=days) + timedelta(hours=hour, minutes=7 * index % 50))
        asked = min(asked.astimezone(UTC), now)
        clerk = clerks[index % len(clerks)]
        record = register_inquiry(
            db,
            clerk,
            InquiryForm(
                citizen_name=name, citizen_phone=phone, channel=channel, question=question, outcome=outcome,
                item_code=code, answer=answer, department_id=departments.get(department),
            ),
            now=asked,
        )
        if outcome == "notice":
            create_notice(
                db,
                clerk,
                NoticeForm(item_code=code, citizen_name=name, citizen_phone=phone, present=present,
                           inquiry_id=record.id),
                now=asked + timedelta(minutes=4),
            )
    fill_demo_cases(db, staff, now)
    return len(DEMO_INQUIRIES)
