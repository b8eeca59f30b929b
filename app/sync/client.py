"""One sync run of a workstation: handshake, push, then pull.

Push before pull, so the centre has everything of ours before we take its view. Every step can fail
(network, crash, power); each is safe to repeat: a replayed push is recognised by the centre's
acknowledged mark, a repeated page by upserts, and the cursor moves only with its page.

The same makes a sync safe to cancel between batches and pages (app.progress): each acknowledged batch
and each applied page is committed with its mark or cursor, so a cancelled sync keeps whole pages and
the next one carries on from there (a director's first download of 100k cases takes about half a minute).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select, update

from app.clock import utc_now
from app.database import Database
from app.migrations import SCHEMA_HEAD, SCHEMA_MAJOR
from app.models import SyncState
from app.models.base import table_of
from app.progress import NO_PROGRESS, Progress
from app.services.numbering import mark_unverified, numbers_unverified, raise_floors
from app.sync import outbox, oversize, wire
from app.sync.apply import apply_page
from app.sync.blobs import BUDGET_S as BLOB_BUDGET_S
from app.sync.blobs import BlobReport, requeue_own, upload_pending
from app.sync.oversize import Stub, make_stub
from app.sync.tables import PROTOCOL
from app.sync.transport import HttpTransport, Refused, SyncError, TimedOut, Transport, Unreachable, call
from app.sync.wire import FAST, STRONG, TooLarge

log = logging.getLogger(__name__)

Fault = Callable[[str], None]
CLOCK_WARNING_S = 300
CONNECTING = "正在连接中心"
UPLOADING = "正在上传本机的更改"
DOWNLOADING = "正在接收中心的更新"
DOWNLOADING_ALL = "正在下载中心的全部数据"
RECOMPUTING = "正在按新的节假日安排重算办结日期"


class NotJoined(SyncError):
    """This workstation has no centre yet (never joined)."""


@dataclass
class SyncReport:
    ok: bool = False
    pushed: int = 0
    pulled: int = 0
    rejected: list[list[str]] = field(default_factory=list)
    pull_allowed: bool = True
    reached: bool = True  # the centre answered (False: offline, timed out)
    message: str = ""
    calendar_changed: bool = False
    blobs: BlobReport = field(default_factory=BlobReport)  # 电子件 images uploaded after the rows


def load_state(db: Database) -> SyncState | None:
    with db.session() as s:
        return s.scalar(select(SyncState))


def _state(db: Database) -> SyncState:
    state = load_state(db)
    if state is None:
        raise NotJoined("本机尚未连接中心")
    return state


def _save(db: Database, **values: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(table_of(SyncState)).values(**values))


class SyncClient:
    def __init__(self, db: Database, transport: Transport | None = None, fault: Fault | None = None,
                 batch: int = 1000, page: int = 2000, progress: Progress = NO_PROGRESS,
                 blob_budget_s: float = BLOB_BUDGET_S) -> None:
        self.db = db
        self.state = load_state(db)
        if self.state is None:
            raise NotJoined("本机尚未连接中心")
        self._own_transport = transport is None
        self.transport = transport or HttpTransport(self.state.center_url, self.state.ca_cert)
        self.fault = fault or (lambda step: None)
        self.batch = batch
        self.page = page
        self.progress = progress  # checked between committed batches and pages only
        self.blob_budget_s = blob_budget_s

    def _call(self, path: str, request: dict[str, object], level: int = FAST) -> dict[str, object]:
        assert self.state is not None
        return call(self.transport, path, request, self.state.device_token, level)

    def run(self) -> SyncReport:
        try:
            return self._run()
        finally:
            if self._own_transport and isinstance(self.transport, HttpTransport):
                self.transport.close()

    def _run(self) -> SyncReport:
        """Raises app.progress.Cancelled (after a whole batch or page) when asked to stop."""
        report = SyncReport()
        self.progress.check()
        _save(self.db, last_attempt_at=utc_now())
        try:
            self.progress.busy(CONNECTING)
            self.handshake(report)
            self.progress.check()
            self.push(report)
            if report.pull_allowed:
                self.pull(report)
        except SyncError as exc:
            report.message = str(exc)
            report.reached = not isinstance(exc, Unreachable)
            _save(self.db, last_error=report.message)
            return report
        report.ok = report.pull_allowed and not report.rejected
        _save(self.db, last_sync_at=utc_now(), last_error="" if report.pull_allowed else report.message)
        if report.pull_allowed:  # images after the rows, within a time budget; their failures stay theirs
            report.blobs = upload_pending(self.db, self._call, self.blob_budget_s)
        if self.state is not None and self.state.recompute_due:
            self.progress.busy(RECOMPUTING)
            self._recompute_deadlines()
            report.calendar_changed = True
        return report

    def handshake(self, report: SyncReport) -> None:
        assert self.state is not None
        self.fault("hello")
        asked = numbers_unverified(self.db)
        reply = self._hello(asked)
        offset = utc_now().timestamp() - float(reply["server_time"])  # type: ignore[arg-type]
        centre_acked = int(reply["acked_seq"])  # type: ignore[call-overload]
        values: dict[str, object] = {"acked_seq": centre_acked, "clock_offset_s": offset}
        restored = False
        with self.db.engine.begin() as conn:
            if centre_acked > self.state.sent_seq:
                # The centre acknowledged changes this database never sent: it is a restored backup of
                # this node, whose outbox handed those numbers out again. Move what waits above them,
                # and download our own records afresh (those made after the backup come back).
                log.warning("centre acknowledged up to %s but this database never sent beyond %s: restored "
                            "from a backup; renumbering the outbox", centre_acked, self.state.sent_seq)
                outbox.renumber_after(conn, self.state.acked_seq, centre_acked)
                values.update(sent_seq=centre_acked, cursor_xid=0, cursor_seq=0, resync=True)
                mark_unverified(conn)
                restored = True
            elif centre_acked < self.state.acked_seq:
                log.warning("centre knows changes up to %s, we had %s acknowledged: pushing again",
                            centre_acked, self.state.acked_seq)
                outbox.unack_after(conn, centre_acked)
            elif centre_acked > self.state.acked_seq:  # our last ack was lost on the way back
                outbox.mark_acked(conn, centre_acked)
            outbox.number_above(conn, centre_acked)
            generation = str(reply["generation"])
            if self.state.generation and generation != self.state.generation:
                values.update(cursor_xid=0, cursor_seq=0, resync=True)  # the centre was restored: take it whole
                requeue_own(conn, self.db.node_code)  # and may lack images uploaded after its backup
            values["generation"] = generation
            conn.execute(update(table_of(SyncState)).values(**values))
            if isinstance(reply.get("nodes"), list):
                remember_nodes(conn, reply["nodes"])  # type: ignore[arg-type]
        self.state = _state(self.db)
        if restored and not asked:  # a copy put back by hand: the centre's count is needed now
            reply = self._hello(True)
        numbers = reply.get("numbers")
        if isinstance(numbers, dict):  # before any new number: above everything this node printed
            raise_floors(self.db, numbers)
        report.pull_allowed = bool(reply.get("pull_allowed", True))
        if not report.pull_allowed:
            report.message = str(reply.get("message", ""))

    def _hello(self, numbers: bool) -> dict[str, object]:
        return self._call("/v1/hello", {"protocol": PROTOCOL, "schema": SCHEMA_HEAD, "schema_major": SCHEMA_MAJOR,
                                        "clock": utc_now().timestamp(), "node": self.db.node_code,
                                        "numbers": numbers})

    def push(self, report: SyncReport) -> None:
        assert self.state is not None
        limit = self.batch
        regrow = False  # after shrinking for size (not for a slow link), grow back batch by batch
        pushed_any = False
        with self.db.engine.connect() as conn:
            total = outbox.pending_count(conn, self.state.acked_seq)
        done = 0
        if total:
            self.progress.step(0, total, UPLOADING)
        while True:
            batch = outbox.read_batch(self.db, self.state.acked_seq, limit)
            if batch is None:
                if pushed_any:
                    with self.db.engine.begin() as conn:
                        outbox.purge_acked(conn)
                return
            self.fault("push.send")
            stub: Stub | None = None
            try:
                reply = self._push_body(batch.body)
            except TimedOut:
                if limit <= 10:
                    raise
                limit = max(10, limit // 2)
                regrow = False
                continue
            except (TooLarge, Refused) as exc:
                if isinstance(exc, Refused) and exc.status != 413:
                    raise
                if limit > 1 and batch.last > batch.first:  # over the limit: smaller batches, down to one change
                    limit = max(1, min(limit, batch.last - batch.first + 1) // 2)
                    regrow = True
                    continue
                stub = make_stub(batch.body, self.db.node_code)
                if stub is None:
                    raise SyncError("待上传的记录超出中心可接收的上限，且无法单独隔离；请联系技术支持") from exc
                reply = self._push_body(stub.body)  # the change alone is too large: its stub instead
            self.fault("push.received")
            acked = int(reply["acked"])  # type: ignore[call-overload]
            with self.db.engine.begin() as conn:
                outbox.mark_acked(conn, acked)
                conn.execute(update(table_of(SyncState)).values(acked_seq=acked))
                if stub is not None:
                    _record_oversized(conn, stub, self.db.node_code)
            pushed_any = True
            if regrow:
                limit = min(self.batch, limit * 2)
            self.state = _state(self.db)
            report.pushed += batch.rows
            report.rejected.extend(reply.get("rejected", []))  # type: ignore[arg-type]
            self.fault("push.acked")
            remaining = int(batch.body.get("backlog", 0))  # changes after this batch, counted when it was read
            done = max(done, total - remaining)
            total = max(total, done + remaining)  # a clerk may have added some meanwhile
            self.progress.step(done, total, UPLOADING)
            self.progress.check()  # the batch is acknowledged and committed: a safe place to stop

    def _push_body(self, body: dict[str, object]) -> dict[str, object]:
        """One push, refused here already (wire.TooLarge) when the centre would refuse its size."""
        assert self.state is not None
        return call(self.transport, "/v1/push", body, self.state.device_token, STRONG, wire.PUSH)

    def pull(self, report: SyncReport) -> None:
        assert self.state is not None
        received, expected, what = 0, 0, ""
        while True:
            full = self.state.resync
            stage = DOWNLOADING_ALL if full else DOWNLOADING
            if stage != what:  # a busy bar with the count so far, until the centre says how much remains
                what = stage
                self.progress.step(received, 0, what)
            self.fault("pull.send")
            page = self._call("/v1/pull", {"cursor": [self.state.cursor_xid, self.state.cursor_seq],
                                           "limit": self.page, "full": full,
                                           "count": received == 0})  # how much is coming: asked once a run
            if page.get("reset"):
                _save(self.db, cursor_xid=0, cursor_seq=0, resync=True)
                self.state = _state(self.db)
                continue
            self.fault("pull.received")
            result = apply_page(self.db, page, full, self.fault)
            self.fault("pull.applied")
            self.state = _state(self.db)
            report.pulled += result.rows + result.deletes
            report.calendar_changed |= result.calendar_changed
            received += result.rows + result.deletes + result.issues
            if not page.get("more"):
                self.progress.step(received, received, what)
                return
            expected = max(expected, _expected(received, page))
            self.progress.step(received, max(expected, received) if expected else 0, what)
            self.progress.check()  # the page and its cursor are committed: a safe place to stop

    def _recompute_deadlines(self) -> None:
        from app.actor import SYSTEM_ACTOR
        from app.services.cases.records import recompute_open_deadlines

        recompute_open_deadlines(self.db, SYSTEM_ACTOR, "中心更新了节假日安排")
        _save(self.db, recompute_due=False)
        self.state = _state(self.db)


def _expected(received: int, page: dict[str, object]) -> int:
    """The download's whole size when the centre says how much remains after this page, else 0
    (unknown: a busy bar with the count so far)."""
    remaining = page.get("remaining")
    if isinstance(remaining, int) and not isinstance(remaining, bool) and remaining >= 0:
        return received + remaining
    return 0


def remember_nodes(conn: Connection, nodes: list[object]) -> None:
    """The centre's windows and agency points as it listed them now: where this node may hand a case."""
    import json

    from sqlalchemy import delete, insert

    from app.models import AppMeta
    from app.sync.handover import KNOWN_NODE_KEY, NODE_CODE

    meta = table_of(AppMeta)
    conn.execute(delete(meta).where(meta.c.key.startswith(KNOWN_NODE_KEY)))
    rows = {n[0]: {"key": f"{KNOWN_NODE_KEY}{n[0]}",
                   "value": json.dumps({"name": n[1][:60], "kind": n[2][:10]}, ensure_ascii=False)}
            for n in nodes if isinstance(n, list) and len(n) == 3 and all(isinstance(v, str) for v in n)
            and NODE_CODE.match(n[0])}
    if rows:
        conn.execute(insert(meta), list(rows.values()))


def _record_oversized(conn: Connection, stub: Stub, node: str | None) -> None:
    """The changes sent as stubs, as quarantined changes here (the centre's download brings the
    same ids, which then replace these instead of doubling them)."""
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from app.models import SyncIssue

    now = utc_now()
    for _seq, table_name, row_id, size, issue_id, shown in stub.items:
        stmt = sqlite_insert(table_of(SyncIssue)).values(
            id=issue_id, origin_node=node or "", table_name=table_name, row_id=row_id[:36],
            reason=oversize.reason(size), payload=oversize.payload_text(shown), created_at=now, resolved=False)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))


def status_line(db: Database) -> tuple[SyncState | None, int, int]:
    """The state, records waiting to go up, and unresolved quarantined changes (for the status bar)."""
    from sqlalchemy import func

    from app.models import SyncIssue

    state = load_state(db)
    if state is None:
        return None, 0, 0
    with db.engine.connect() as conn:
        waiting = outbox.backlog(conn, state.acked_seq)
        issues = conn.execute(select(func.count()).select_from(SyncIssue).where(
            SyncIssue.resolved.is_(False))).scalar_one()
    return state, waiting, issues


def clock_warning(db: Database) -> str | None:
    """A warning before printing a dated document when this machine's clock is off."""
    state = load_state(db)
    if state is None or abs(state.clock_offset_s) <= CLOCK_WARNING_S:
        return None
    minutes = round(abs(state.clock_offset_s) / 60)
    way = "快" if state.clock_offset_s > 0 else "慢"
    return f"本机时钟比中心{way}约 {minutes} 分钟，打印文书上的日期时间可能有误。请先校准本机时间。"


def last_sync_text(when: datetime | None) -> str:
    if when is None:
        return "从未同步"
    return when.astimezone().strftime("%m-%d %H:%M")
