"""电子件 images to and from the centre, apart from the rows: drained after each sync's push and pull.

The page rows travel in the outbox with their case; an image waits in blob_outbox until the centre has
it. Uploads run after the rows, one image a request, for a limited time per sync run: a slow link
uploads a few images a run and the next run's case rows still go first. A refused or failed upload is
retried later with a growing pause, and never fails the sync itself. A node that lacks an image (a
director's workstation, a new holder after a hand-over) downloads it when a clerk opens the page.
"""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, literal, null, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import utc_now
from app.database import Database
from app.models import BlobUpload
from app.models.base import UtcDateTime, table_of
from app.services.attachments.store import attachments_dir, put_verified, read_blob
from app.sync.transport import Refused, SyncError, Unreachable

log = logging.getLogger(__name__)

Send = Callable[[str, dict[str, Any]], dict[str, Any]]
UPLOAD = "/v1/blob"
DOWNLOAD = "/v1/blob/get"
BUDGET_S = 20.0  # per sync run: the minute's next sync is not held up by a slow link
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=6)


@dataclass
class BlobReport:
    uploaded: int = 0
    failed: int = 0
    waiting: int = 0


def _pause(attempts: int) -> timedelta:
    return min(FIRST_PAUSE * (2 ** min(attempts, 12)), LONGEST_PAUSE)


def upload_pending(db: Database, send: Send, budget_s: float = BUDGET_S) -> BlobReport:
    """Upload queued images until the queue is empty, the centre is unreachable or the time is up."""
    report = BlobReport()
    started = time.monotonic()
    folder = attachments_dir(db.path)
    queue = table_of(BlobUpload)
    while time.monotonic() - started < budget_s:
        now = utc_now()
        with db.engine.connect() as conn:
            row = conn.execute(select(queue).where(or_(queue.c.next_try_at.is_(None), queue.c.next_try_at <= now))
                               .order_by(queue.c.queued_at, queue.c.sha256).limit(1)).first()
        if row is None:
            break
        data = read_blob(folder, row.sha256)
        error = ""
        if data is None:
            error = "本机缺少该电子件图像文件"
        else:
            try:
                send(UPLOAD, {"sha256": row.sha256, "data": base64.b64encode(data).decode("ascii")})
            except Unreachable:
                break  # offline: the rows' sync said so already; try again next run
            except SyncError as exc:
                error = str(exc)[:200]
        with db.engine.begin() as conn:
            if not error:
                conn.execute(delete(queue).where(queue.c.sha256 == row.sha256))
                report.uploaded += 1
            else:
                log.warning("attachment upload of %s failed: %s", row.sha256, error)
                conn.execute(update(queue).where(queue.c.sha256 == row.sha256).values(
                    attempts=row.attempts + 1, last_error=error, next_try_at=utc_now() + _pause(row.attempts)))
                report.failed += 1
    report.waiting = waiting(db)
    return report


def requeue_own(conn: Connection, node_code: str) -> None:
    """Queue again every image of this node's pages: after the centre was restored from a backup older than
    some uploads, or this workstation from one older than its queue (the centre ignores what it has)."""
    from app.models import CasePage

    pages = table_of(CasePage)
    now = utc_now()
    hashes = select(pages.c.sha256, literal(now, UtcDateTime()), literal(0), null(), literal("")).where(
        pages.c.origin_node == node_code).distinct()
    conn.execute(sqlite_insert(table_of(BlobUpload)).from_select(
        ["sha256", "queued_at", "attempts", "next_try_at", "last_error"], hashes).on_conflict_do_nothing())


def waiting(db: Database) -> int:
    """Images not yet at the centre (the status bar's count)."""
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_of(BlobUpload))).scalar_one())


def fetch(db: Database, send: Send, sha256: str) -> bytes | None:
    """The image from this workstation's store, else from the centre (kept here once it checks out);
    None when neither has it (the recording workstation has not uploaded it yet)."""
    folder = attachments_dir(db.path)
    data = read_blob(folder, sha256)
    if data is not None:
        return data
    try:
        reply = send(DOWNLOAD, {"sha256": sha256})
    except Refused as exc:
        if exc.status == 404:
            return None
        raise
    try:
        data = base64.b64decode(str(reply.get("data", "")), validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if put_verified(folder, sha256, data) else None
