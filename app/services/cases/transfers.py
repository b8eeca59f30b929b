"""Hand-overs of cases between nodes (移交、接收、回传), and the one rule of who may act on a case.

A village agent hands a batch of villagers' papers to the township window with a printed 移交清单; the
window scans each case as the paper arrives (接收), and only then does the case belong to it. The result
goes back (回传) the same way: the window offers the case back, the agent receives it. Each step is an
event of the case (app.sync.handover: the centre enforces the same rules when it replicates them); none
changes the case's lifecycle state. While an offer is open the sender may only cancel it; after a
receipt the old holder may not act on the case at all (`ensure_may_act`, which every action calls).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import AppMeta, Case, CaseEvent, DocSequence, NodeInfo
from app.models.base import table_of
from app.node_identity import CASE_KINDS, NODE_KINDS
from app.number_floor import NumberFloor, floor_for, floor_key
from app.services.cases.holding import holder, may_act_problem, open_offer
from app.services.cases.lifecycle import CLOSED_STATES, state_label
from app.services.cases.records import add_event, deadline_rules, record_event
from app.services.errors import ValidationError
from app.services.settings import scanned_case_number
from app.sync.handover import CANCELLED, KNOWN_NODE_KEY, NODE_CODE, OFFERED, RECEIVED

BATCH_PREFIX = "YJ"
MAX_BATCH = 200  # cases in one hand-over: one 移交清单 of a few pages
NOT_SYNCED = "先同步：移交方同步后，本机也须同步一次，才能收到这次移交"


@dataclass(frozen=True)
class KnownNode:
    code: str
    name: str
    kind: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}（{NODE_KINDS.get(self.kind, self.kind)}）"


@dataclass(frozen=True)
class TransferBatch:
    number: str
    from_node: str
    to_node: str
    to_name: str
    is_return: bool
    cases: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class Received:
    number: str
    batch: str
    from_node: str
    from_name: str
    is_return: bool
    item_name: str
    applicant_name: str


def known_nodes(db: Database) -> list[KnownNode]:
    """The centre's windows and agency points as this node last heard them (every sync), itself left out
    (and the director's desk and the hall's kiosk: no case is handed to them)."""
    with db.session() as s:
        rows = s.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.startswith(KNOWN_NODE_KEY))).all()
    nodes = []
    for key, value in rows:
        code, data = key[len(KNOWN_NODE_KEY):], json.loads(value)
        if code != db.node_code and data.get("kind") in CASE_KINDS:
            nodes.append(KnownNode(code, str(data.get("name", "")), str(data.get("kind", ""))))
    return sorted(nodes, key=lambda n: n.code)


def _plain_name(db: Database, code: str) -> str:
    return {n.code: n.name for n in known_nodes(db)}.get(code, "")


def node_name(db: Database, code: str) -> str:
    """"01号节点（1号综合受理窗口）" as far as this node knows the other."""
    if code == db.node_code:
        with db.session() as s:
            return f"{code}号节点（{s.scalar(select(NodeInfo.node_name))}）"
    known = {n.code: n.name for n in known_nodes(db)}
    return f"{code}号节点（{known[code]}）" if code in known else f"{code}号节点"


def _next_batch(s: Session, day: date, floor: NumberFloor) -> str:
    """YJ + centre + node + yymmdd + the day's sequence, taken in the offer's transaction and above the
    numbers floor file (which outlives a restored database), raised before the offer commits."""
    table = table_of(DocSequence)
    stmt = sqlite_insert(table).values(kind="transfer", day=day, last=1, reserved=0).on_conflict_do_update(
        index_elements=["kind", "day"], set_={"last": table.c.last + 1}).returning(table.c.last)
    seq = int(s.execute(stmt).scalar_one())
    above = floor.read().get(floor_key("transfer", day), 0) + 1
    if above > seq:  # this copy is older than numbers it once gave: go on above them
        seq = above
        s.execute(update(table).where(table.c.kind == "transfer", table.c.day == day).values(last=seq))
    floor.raise_to("transfer", day, seq)
    if seq > 9999:
        raise ValidationError("本机当日移交批次编号已用完")
    node = s.scalar(select(NodeInfo))
    if node is None:
        raise ValidationError("本机尚未完成初始设置，不能移交")
    return f"{BATCH_PREFIX}{node.center_code}{node.node_code}{day:%y%m%d}{seq:04d}"


def offer_transfer(db: Database, actor: Actor, numbers: list[str], to_node: str,
                   now: datetime | None = None) -> TransferBatch:
    """Offer cases to a named node in one batch; refused as a whole, with every reason, if any case cannot go."""
    now = now or utc_now()
    me, to_node = db.node_code, to_node.strip()
    wanted = list(dict.fromkeys(scanned_case_number(n) for n in numbers if n.strip()))
    problems = []
    if not wanted:
        problems.append("请扫描或填写要移交的办件编号")
    if len(wanted) > MAX_BATCH:
        problems.append(f"一批最多移交{MAX_BATCH}件，请分批移交")
    known = {n.code: n for n in known_nodes(db)}
    if not NODE_CODE.match(to_node):
        problems.append("接收方应为01至99的两位节点编号")
    elif to_node == me:
        problems.append("不能移交给本机")
    elif known and to_node not in known:
        problems.append(f"中心没有{to_node}号窗口或代办点（可选：{'、'.join(sorted(known))}）")
    if problems:
        raise ValidationError("未能移交：" + "；".join(problems), problems)
    with db.session(actor) as s:
        cases = {c.number: c for c in s.scalars(select(Case).where(Case.number.in_(wanted)))}
        for number in wanted:
            case = cases.get(number)
            why = None if case is not None else f"本机没有办件 {number}"
            if case is not None:
                why = may_act_problem(s, case, me)
                if why is None and case.status in CLOSED_STATES:
                    why = f"办件 {number} 为“{state_label(case.status)}”，不能移交"
            if why:
                problems.append(why)
        if problems:
            shown = "；".join(problems[:3]) + ("等" if len(problems) > 3 else "")
            raise ValidationError(f"未能移交（{len(problems)}件有问题，本批均未移交）：{shown}", problems)
        batch = _next_batch(s, now.astimezone().date(), floor_for(db.path))
        name = known[to_node].name if to_node in known else ""
        returned = []
        for number in wanted:
            case = cases[number]
            is_return = to_node == case.origin_node
            returned.append(is_return)
            add_event(s, case, OFFERED, now, actor, {"to_node": to_node, "to_name": name, "batch": batch,
                                                     "return": is_return})
        return TransferBatch(batch, me, to_node, name, all(returned), tuple(wanted), now)


def receive_transfer(db: Database, actor: Actor, number: str, now: datetime | None = None) -> Received:
    """The paper arrived (its barcode scanned): the case belongs to this node from now on."""
    now = now or utc_now()
    me, number = db.node_code, scanned_case_number(number)
    rules = deadline_rules(db)
    with db.session(actor) as s:
        case = s.scalar(select(Case).where(Case.number == number))
        if case is None:
            raise ValidationError(f"本机没有办件 {number}。{NOT_SYNCED}")
        offer = open_offer(s, case)
        if offer is None:
            if holder(case) == me:
                raise ValidationError(f"办件 {number} 已由本机接收（或本机受理），无需再接收")
            raise ValidationError(f"办件 {number} 没有移交给本机的记录。{NOT_SYNCED}")
        if offer.to_node != me:
            raise ValidationError(f"办件 {number} 移交给的是{offer.to_node}号节点，不是本机，请退回移交方")
        from_name = _plain_name(db, offer.from_node)
        case.owner_node = me
        record_event(s, case, RECEIVED, now, actor, {"from_node": offer.from_node, "from_name": from_name,
                                                     "batch": offer.batch, "offer": offer.event_id,
                                                     "return": offer.is_return}, rules)  # due date on today's calendar
        return Received(number, offer.batch, offer.from_node, from_name, offer.is_return, case.item_name,
                        case.applicant_name)


def cancel_transfer(db: Database, actor: Actor, number: str, now: datetime | None = None) -> list[str]:
    """Take back offers not yet received: one case, or (a YJ number) the whole batch's open ones."""
    now = now or utc_now()
    key = scanned_case_number(number)
    with db.session(actor) as s:
        if key.startswith(BATCH_PREFIX):
            cases = [c for c in s.scalars(select(Case).where(Case.id.in_(_batch_case_ids(s, key))))]
        else:
            found = s.scalar(select(Case).where(Case.number == key))
            cases = [found] if found is not None else []
        if not cases:
            raise ValidationError(f"本机没有办件或移交批次 {key}")
        done = []
        for case in cases:
            offer = open_offer(s, case)
            if offer is None or offer.from_node != db.node_code or (key.startswith(BATCH_PREFIX) and offer.batch != key):
                continue
            add_event(s, case, CANCELLED, now, actor, {"to_node": offer.to_node, "batch": offer.batch,
                                                       "offer": offer.event_id})
            done.append(case.number)
        if not done:
            raise ValidationError(f"{key} 没有本机发出、尚未被接收的移交，无需撤销")
        return sorted(done)


def _batch_case_ids(s: Session, batch: str) -> list[str]:
    """Cases offered in a batch (the batch sits in the offer's details: a scan of the offers only)."""
    like = f'%"batch": {json.dumps(batch)}%'
    return list(s.scalars(select(CaseEvent.case_id).where(CaseEvent.kind == OFFERED, CaseEvent.details.like(like))))


@dataclass(frozen=True)
class BatchCase:
    number: str
    applicant_name: str
    applicant_id_number: str
    item_name: str
    class_key: str
    materials: int  # kinds of material received
    copies: int  # sheets: originals kept and copies
    received_at: datetime | None  # when the receiver scanned it in, if it has


@dataclass(frozen=True)
class BatchRecord:
    batch: str
    from_node: str
    to_node: str
    is_return: bool
    offered_at: datetime
    staff_name: str
    cases: tuple[BatchCase, ...]


def batch_of(db: Database, key: str) -> BatchRecord:
    """A batch by its YJ number, or the latest batch a case was offered in (by its case number)."""
    key = scanned_case_number(key)
    with db.session() as s:
        if not key.startswith(BATCH_PREFIX):
            case_id = s.scalar(select(Case.id).where(Case.number == key))
            if case_id is None:
                raise ValidationError(f"没有编号为 {key} 的办件或移交批次")
            offers = s.scalars(select(CaseEvent.details).where(CaseEvent.case_id == case_id, CaseEvent.kind == OFFERED)
                               .order_by(CaseEvent.at, CaseEvent.id)).all()
            if not offers:
                raise ValidationError(f"办件 {key} 没有移交记录")
            key = str(json.loads(offers[-1]).get("batch", ""))
        like = f'%"batch": {json.dumps(key)}%'
        rows = s.execute(select(Case, CaseEvent).join(CaseEvent, CaseEvent.case_id == Case.id)
                         .where(CaseEvent.kind == OFFERED, CaseEvent.details.like(like))
                         .order_by(CaseEvent.at, Case.number)).all()
        if not rows:
            raise ValidationError(f"没有编号为 {key} 的移交批次")
        receipts = {}
        for case_id, details, at in s.execute(select(CaseEvent.case_id, CaseEvent.details, CaseEvent.at).where(
                CaseEvent.kind == RECEIVED, CaseEvent.case_id.in_([c.id for c, _e in rows]))):
            receipts[(case_id, json.loads(details).get("offer"))] = at
        first = rows[0][1]
        data = json.loads(first.details)
        cases = []
        for case, event in rows:
            received = [r for r in json.loads(case.materials) if isinstance(r, dict)]
            cases.append(BatchCase(case.number, case.applicant_name, case.applicant_id_number, case.item_name,
                                   case.case_class, len(received),
                                   sum(int(r.get("originals_kept", 0)) + int(r.get("copies", 0)) for r in received),
                                   receipts.get((case.id, event.id))))
        return BatchRecord(key, first.origin_node, str(data.get("to_node", "")), data.get("return") is True,
                           first.at, first.staff_name, tuple(cases))


def transfer_document(db: Database, key: str, now: datetime | None = None) -> tuple[bytes, bool]:
    """The 移交清单 (回传清单) of a batch, by its number or one of its cases'; a second print is marked 补打."""
    from app.models.cases import class_label
    from app.node_identity import read_identity
    from app.printing.transfer_pdf import TransferLine, TransferSheet, transfer_pdf
    from app.services.inquiries.notices import print_count
    from app.services.masking import mask_id

    batch = batch_of(db, key)
    identity = read_identity(db.path)
    if identity is None:
        raise ValidationError("本工作站尚未设置")
    reprint = print_count(db, "transfer", batch.batch) > 0

    def when(moment: datetime) -> str:
        return f"{moment.astimezone():%Y年%m月%d日 %H:%M}"

    sheet = TransferSheet(
        center_name=identity.center_name, batch=batch.batch, from_node=node_name(db, batch.from_node),
        to_node=node_name(db, batch.to_node), is_return=batch.is_return, offered=when(batch.offered_at),
        staff_name=batch.staff_name, training=identity.training,
        reprint_at=when(now or utc_now()) if reprint else None,
        lines=tuple(TransferLine(c.number, c.applicant_name, mask_id(c.applicant_id_number), c.item_name,
                                 class_label(c.class_key), c.materials, c.copies,
                                 f"{c.received_at.astimezone():%m-%d %H:%M}已接收" if c.received_at else "")
                    for c in batch.cases))
    return transfer_pdf(sheet), reprint
