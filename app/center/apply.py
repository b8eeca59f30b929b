"""Applying a workstation's push: checked, upserted, acknowledged, all in one PostgreSQL transaction.

The node's acknowledged high-water mark is written in the same transaction as the rows, so a batch
that is replayed (lost response, duplicate delivery) is recognised and changes nothing. A change the
centre cannot apply is acknowledged and quarantined with its payload, so one bad row never blocks a
node's queue and nothing is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import Connection, Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DataError, IntegrityError

from app.center.addressed import addressed_write_problem
from app.center.authority import proven_people
from app.center.errors import BadRequest
from app.center.handover import CaseGuard
from app.center.nodes import Node
from app.center.schema import (
    REPLICA,
    XID_NOW,
    center_node,
    feed_seq,
    quarantine,
    tombstone,
)
from app.clock import utc_now
from app.ids import id_node, uuid7
from app.sync import oversize
from app.sync.tables import CENTER_NODE, CENTER_OWNED, REPLICATED, BadValue, decode_row

FUTURE_LIMIT = timedelta(hours=24)
# Append-only records: the columns a recorded row may never change (as the centre's triggers compare
# them), and what a node trying to change or delete one is told. Checked before the trigger would
# raise, so the rest of the push applies; the trigger stays the last line.
APPEND_ONLY: dict[str, tuple[tuple[str, ...], str, str]] = {
    "case_event": (("case_id", "kind", "at", "staff_name", "details", "origin_node"),
                   "办件记录只能追加，不能修改", "办件记录只能追加，不能删除"),
    "issued_document": (("doc_type", "doc_number", "source", "title", "sheet", "issued_at", "staff_name",
                         "origin_node"), "已出具的文书不能修改", "已出具的文书不能删除"),
    "attendance": (("staff_no", "day", "kind", "at", "origin_node"), "考勤记录只能追加，不能修改", "考勤记录只能追加，不能删除"),
    "case_page": (("case_id", "material_seq", "page_no", "sha256", "origin_node"),
                  "电子件只能追加，不能修改", "已受理办件的电子件不能删除"),
    "leave_event": (("leave_id", "kind", "at", "staff_name", "details", "origin_node"),
                    "请假记录只能追加，不能修改", "请假记录只能追加，不能删除"),
}
UNPROVEN = ("中心数据（事项、人员、部门、日历、设置）只能由中心核验过身份的中心主任或系统管理员修改；"
            "该修改未附中心的身份核验，未被接收")


@dataclass
class Rejected:
    table: str
    row_id: str
    seq: int
    reason: str
    payload: Any
    issue_id: str | None = None  # the quarantine id, when the workstation chose it (oversized stubs)


@dataclass
class PushResult:
    acked: int
    applied: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    replay: bool = False


INT64_MAX = 2**63 - 1  # sequences and marks are BIGINT at the centre
INT32_MAX = 2**31 - 1  # the backlog is an INTEGER


def _int(value: Any, name: str, top: int = INT64_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise BadRequest(f"{name} 应为 0 到 {top} 之间的整数")
    return value


def _check_groups(body: dict[str, Any]) -> list[dict[str, Any]]:
    groups = body.get("groups", [])
    if not isinstance(groups, list):
        raise BadRequest("groups 应为列表")
    for g in groups:
        if not isinstance(g, dict) or g.get("t") not in REPLICATED:
            raise BadRequest("groups 中的表名无效")
        cols, rows, seqs, actors = g.get("c"), g.get("r"), g.get("s"), g.get("a")
        if not isinstance(cols, list) or "id" not in cols or not all(isinstance(c, str) for c in cols):
            raise BadRequest("groups 中的列名无效")
        if not isinstance(rows, list) or not isinstance(seqs, list) or not isinstance(actors, list) \
                or not len(rows) == len(seqs) == len(actors):
            raise BadRequest("groups 中的行、序号、操作人数量不一致")
        for s in seqs:
            _int(s, "序号")
    return groups


def _check_deletes(body: dict[str, Any]) -> list[list[Any]]:
    deletes = body.get("deletes", [])
    if not isinstance(deletes, list):
        raise BadRequest("deletes 应为列表")
    for d in deletes:
        if not (isinstance(d, list) and len(d) == 4 and d[1] in REPLICATED and isinstance(d[2], str)
                and 0 < len(d[2]) <= 36):
            raise BadRequest("deletes 每项应为 [序号, 表名, 编号, 操作人]")
        _int(d[0], "序号")
    return deletes


def _check_oversized(body: dict[str, Any]) -> list[list[Any]]:
    items = body.get("oversized", [])
    if not isinstance(items, list):
        raise BadRequest("oversized 应为列表")
    for o in items:
        if not (isinstance(o, list) and len(o) == oversize.FIELDS and o[1] in REPLICATED
                and isinstance(o[2], str) and isinstance(o[4], str) and 0 < len(o[4]) <= 36
                and isinstance(o[5], dict)):
            raise BadRequest("oversized 每项应为 [序号, 表名, 编号, 大小, 隔离编号, 预览]")
        _int(o[0], "序号")
        _int(o[3], "大小")
    return items


class _Batch:
    """One push being applied for one node inside one transaction."""

    def __init__(self, conn: Connection, node: Node, proven: set[str] | None = None) -> None:
        self.conn = conn
        self.node = node
        self.now = utc_now()
        self.rejected: list[Rejected] = []
        self.applied = 0
        self.proven = proven or set()
        self.guard = CaseGuard(conn, node, self.now)

    def may_edit_center_data(self, actor: Any) -> bool:
        """Only the centre's own workspace, or a person whose password the centre checked
        (a proof carried by this push); never a staff id on the device's word."""
        if self.node.code == CENTER_NODE:
            return True
        return isinstance(actor, str) and actor in self.proven

    def reject(self, table: str, row_id: Any, seq: int, reason: str, payload: Any, issue_id: str | None = None
               ) -> None:
        self.rejected.append(Rejected(table, _storable(str(row_id))[:36], seq, reason, payload, issue_id))

    def quarantine_oversized(self, items: list[list[Any]]) -> None:
        """Changes too large to send, announced by a stub: quarantined under the id the workstation
        recorded them by (when it is one of its own keys), so the download does not double them."""
        for seq, table_name, row_id, size, issue_id, shown in items:
            own_id = issue_id if id_node(issue_id) == self.node.code else None
            self.reject(table_name, row_id, seq, oversize.reason(size), shown, own_id)

    def check_owner(self, table: str, row: dict[str, Any], actor: Any) -> str | None:
        """Why this node may not write this row, or None."""
        if table in CENTER_OWNED:
            return None if self.may_edit_center_data(actor) else UNPROVEN
        holder = self.guard.owner(row["id"]) if table == "case_file" and self.guard.active else None
        if holder == self.node.code:  # whoever holds the case now writes it (it may have been handed over)
            row["owner_node"] = self.node.code
        elif holder is not None and self.guard.was_party(row["id"]):  # it held or was offered the case
            return self.guard.check_write(table, row)
        else:
            if self.node.code != CENTER_NODE and row.get("origin_node") != self.node.code:
                return f"不能提交其他节点（{row.get('origin_node')}）的记录"
            why = self.foreign_id(row["id"]) or self.guard.check_write(table, row)
            if why:
                return why
        why = addressed_write_problem(self.conn, self.node, table, row, actor, self.may_edit_center_data)
        if why:
            return why
        for col in ("created_at", "updated_at"):
            value = row.get(col)
            if value is not None and value > self.now + FUTURE_LIMIT:
                return f"记录时间 {value:%Y-%m-%d %H:%M} 远超中心当前时间，请检查该工作站的时钟"
        return None

    def foreign_id(self, row_id: str) -> str | None:
        """Why this node may not use this key: it names another node as its creator (ids made since
        node-stamping; older keys keep the first-writer rule). The centre's workspace may."""
        creator = id_node(row_id)
        if self.node.code == CENTER_NODE or creator is None or creator == self.node.code:
            return None
        return f"该记录编号由其他节点（{creator}）生成，本节点不能提交或删除"

    def owner_of(self, table: str, row: dict[str, Any]) -> str | None:
        if table in CENTER_OWNED:
            return None
        if table == "case_file":  # the holder: checked above, or (the centre's workspace) kept as it is
            return self.guard.owners.get(row["id"]) or (self.node.code if self.guard.active else row["origin_node"])
        return str(row["origin_node"])

    def apply_deletes(self, deletes: list[list[Any]]) -> None:
        for seq, table_name, row_id, actor in deletes:
            t = REPLICA[table_name]
            if table_name in APPEND_ONLY and self.node.code != CENTER_NODE:
                self.reject(table_name, row_id, seq, APPEND_ONLY[table_name][2], {"delete": row_id})
                continue
            if table_name in CENTER_OWNED:
                if not self.may_edit_center_data(actor):
                    self.reject(table_name, row_id, seq, UNPROVEN, {"delete": row_id})
                    continue
                owner = None
            else:
                why = self.foreign_id(row_id)
                if why:
                    self.reject(table_name, row_id, seq, why, {"delete": row_id})
                    continue
                current = self.conn.execute(select(t.c._owner).where(t.c.id == row_id)).first()
                if current is not None and current._owner != self.node.code and self.node.code != CENTER_NODE:
                    self.reject(table_name, row_id, seq, "不能删除其他节点的记录", {"delete": row_id})
                    continue
                owner = current._owner if current is not None else self.node.code
            self.conn.execute(delete(t).where(t.c.id == row_id))
            values = {"deleted_at": self.now, "_owner": owner, "_pushed_by": self.node.code}
            stmt = insert(tombstone).values(table_name=table_name, row_id=row_id, **values)
            self.conn.execute(stmt.on_conflict_do_update(
                index_elements=["table_name", "row_id"],
                set_={**values, "_xid": XID_NOW, "_seq": feed_seq.next_value()}))
            self.applied += 1

    def apply_group(self, group: dict[str, Any]) -> None:
        table_name, cols = group["t"], group["c"]
        ready: list[dict[str, Any]] = []
        seqs: dict[str, tuple[int, list[Any]]] = {}
        for values, seq, actor in zip(group["r"], group["s"], group["a"]):
            try:
                row = decode_row(table_name, cols, values)
            except BadValue as exc:
                self.reject(table_name, _row_id(cols, values), seq, f"数据格式错误：{exc}", values)
                continue
            except OverflowError:  # a time zone that moves a date past year 1 or 9999
                self.reject(table_name, _row_id(cols, values), seq, "数据格式错误：时间超出范围", values)
                continue
            if row["id"] in self.guard.refused and table_name == "case_event":
                continue  # a hand-over refused in the first pass, already quarantined
            why = self.check_owner(table_name, row, actor)
            if why:
                self.reject(table_name, row["id"], seq, why, values)
                continue
            row["_owner"] = self.owner_of(table_name, row)
            row["_pushed_by"] = self.node.code
            ready.append(row)
            seqs[row["id"]] = (seq, values)
        t = REPLICA[table_name]
        if table_name in APPEND_ONLY and ready and self.node.code != CENTER_NODE:
            ready = self._unchanged_only(t, ready, seqs)
        if not ready:
            return
        failed: set[str] = set()
        try:
            with self.conn.begin_nested():
                applied = self._upsert(t, ready)
        except (IntegrityError, DataError, psycopg.Error):
            applied = set()
            for row in ready:
                try:
                    with self.conn.begin_nested():
                        applied |= self._upsert(t, [row])
                except (IntegrityError, DataError, psycopg.Error) as exc:
                    seq, values = seqs[row["id"]]
                    self.reject(table_name, row["id"], seq, _integrity_reason(exc), values)
                    failed.add(row["id"])
        for row in ready:
            if row["id"] not in applied and row["id"] not in failed:
                seq, values = seqs[row["id"]]
                self.reject(table_name, row["id"], seq, "该记录在中心属于其他节点，不能覆盖", values)
        self.applied += len(applied)

    def _unchanged_only(self, t: Table, rows: list[dict[str, Any]], seqs: dict[str, tuple[int, list[Any]]]
                        ) -> list[dict[str, Any]]:
        """Append-only rows: new ones, and identical re-sends; a changed recorded row is quarantined."""
        content, changed_reason, _deleted = APPEND_ONLY[t.name]
        stored = {r.id: r for r in self.conn.execute(select(t.c.id, *[t.c[c] for c in content])
                                                     .where(t.c.id.in_([r["id"] for r in rows])))}
        kept = []
        for row in rows:
            old = stored.get(row["id"])
            if old is not None and any(c in row and _naive(row[c]) != _naive(getattr(old, c)) for c in content):
                seq, values = seqs[row["id"]]
                self.reject(t.name, row["id"], seq, changed_reason, values)
            else:
                kept.append(row)
        return kept

    def _upsert(self, t: Table, rows: list[dict[str, Any]]) -> set[str]:
        """Rows copied into a staging table, then one INSERT … ON CONFLICT that only overwrites a row
        of the same owner; returns the ids written. COPY keeps this near a bare upsert's speed."""
        if len({tuple(r) for r in rows}) > 1:  # rows from older clients may lack columns
            return set().union(*(self._upsert(t, [r]) for r in rows))
        cols = list(rows[0])
        stage = f"stage_{t.name}"
        self.conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {t.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        self.conn.exec_driver_sql(f"DELETE FROM {stage}")
        raw = self.conn.connection.driver_connection
        assert raw is not None
        quoted = ", ".join(f'"{c}"' for c in cols)
        with raw.cursor() as cur, cur.copy(f"COPY {stage} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_naive(row[c]) for c in cols])
        updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in cols if c != "id")
        written = self.conn.exec_driver_sql(
            f"INSERT INTO {t.name} ({quoted}) SELECT {quoted} FROM {stage} "
            f"ON CONFLICT (id) DO UPDATE SET {updates}, _xid = pg_current_xact_id()::text::bigint, "
            f"_seq = nextval('sync_seq') WHERE {t.name}._owner IS NOT DISTINCT FROM EXCLUDED._owner RETURNING id")
        return set(written.scalars())

    def store_rejected(self) -> None:
        if not self.rejected:
            return
        self.conn.execute(insert(quarantine).on_conflict_do_nothing(index_elements=["id"]), [{
            "id": r.issue_id or uuid7(), "origin_node": self.node.code, "table_name": r.table, "row_id": r.row_id,
            "outbox_seq": r.seq, "reason": r.reason, "created_at": self.now, "_owner": self.node.code,
            "_pushed_by": self.node.code,
            "payload": _storable(json.dumps(r.payload, ensure_ascii=False, default=str)[:100_000]),
        } for r in self.rejected])


def _naive(value: Any) -> Any:
    """UTC without zone, as the centre's timestamp columns hold it (what UtcDateTime does on bind)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _storable(text: str) -> str:
    """Text PostgreSQL can hold: NUL and lone surrogates (a refused row may carry them) kept as escapes."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


def _row_id(cols: list[str], values: Any) -> str:
    try:
        return str(values[cols.index("id")])
    except (ValueError, IndexError, TypeError):
        return ""


def _integrity_reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc))
    if "unique" in text.lower() or "duplicate" in text.lower():
        return "与中心已有记录重复（编号或唯一字段相同），请中心核对"
    return "中心无法保存该记录：" + text.splitlines()[0][:200]


def apply_push(conn: Connection, node: Node, body: dict[str, Any]) -> PushResult:
    """Apply one batch in the caller's transaction; returns what was acknowledged."""
    first = _int(body.get("from"), "from")
    last = _int(body.get("to"), "to")
    if last < first:
        raise BadRequest("to 不能小于 from")
    backlog = _int(body.get("backlog", 0), "backlog", INT32_MAX)
    groups = _check_groups(body)
    deletes = _check_deletes(body)
    oversized = _check_oversized(body)
    acked = conn.execute(select(center_node.c.acked_seq).where(center_node.c.node_code == node.code)
                         .with_for_update()).scalar_one()
    if last <= acked:
        return PushResult(acked=acked, replay=True)
    batch = _Batch(conn, node, proven_people(conn, node, body.get("proofs")))
    batch.guard.load(groups)
    batch.apply_deletes(deletes)
    batch.guard.apply_handovers(groups, batch.reject)
    for group in groups:
        batch.apply_group(group)
    batch.quarantine_oversized(oversized)
    batch.store_rejected()
    conn.execute(update(center_node).where(center_node.c.node_code == node.code).values(
        acked_seq=last, last_sync_at=batch.now, backlog=backlog))
    return PushResult(acked=last, applied=batch.applied, rejected=batch.rejected)
