"""A township centre on one machine: its PostgreSQL, its sync API, and its own workspace.

The workspace is an ordinary workstation database (node 00) in the centre's folder. Command-line
edits at the centre (catalogue or calendar import) are made there with the same services and checks
as at a window, then published into PostgreSQL through the same sync protocol, in-process; so there
is one way data enters the centre.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert

from app.center.api import CenterApi
from app.center.db import CenterDbError, embedded_url, engine_for, migrate
from app.center.nodes import get_info, initialise, register_workspace
from app.center.schema import center_info, tombstone
from app.clock import utc_now
from app.database import Database
from app.models import SyncState
from app.models.base import table_of
from app.paths import make_private_dir
from app.sync.client import SyncClient, SyncReport
from app.sync.tables import CENTER_NODE
from app.sync.transport import LocalTransport

log = logging.getLogger(__name__)
TOMBSTONE_DAYS = 400  # longer than any workstation stays offline; one away longer downloads afresh

LETTERS, DIGITS = "abcdefghjkmnpqrstuvwxyz", "23456789"  # no l/1, o/0: read aloud and typed once


def generated_password(length: int = 10) -> str:
    """A password the set-up rule accepts every time: letters and at least two digits, shuffled.

    Drawn from one alphabet, one password in twenty had no digit and the centre refused its own set-up.
    """
    chars = [secrets.choice(LETTERS) for _ in range(length - 2)] + [secrets.choice(DIGITS) for _ in range(2)]
    for i in range(len(chars) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


class Center:
    def __init__(self, folder: Path, db_url: str | None = None) -> None:
        self.folder = Path(folder)
        self.db_url = db_url
        self.server: Any = None
        self._engine: Engine | None = None
        self._workspace: Database | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            make_private_dir(self.folder)  # holds the workspace's token (node 00) and the pgdata
            url = self.db_url
            if url is None:
                url, self.server = embedded_url(self.folder / "pgdata")
            engine = engine_for(url)
            try:
                migrate(engine)
            except Exception as exc:
                engine.dispose()
                raise CenterDbError(f"无法连接或升级中心数据库：{exc.__class__.__name__}: {str(exc).splitlines()[0]}") \
                    from exc
            self._engine = engine
        return self._engine

    @property
    def api(self) -> CenterApi:
        return CenterApi(self.engine)

    def info(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return get_info(conn)

    @property
    def initialised(self) -> bool:
        return bool(self.info().get("center_code"))

    def workspace(self) -> Database:
        if self._workspace is None:
            from app.startup import open_workstation

            make_private_dir(self.folder)
            self._workspace, _report = open_workstation(self.folder / "workspace")
        return self._workspace

    def initialise(self, center_code: str, center_name: str, admin_no: str = "8000",
                   admin_password: str | None = None) -> str | None:
        """First start: identity, the workspace with seed catalogue and calendar, and an administrator.
        Returns the administrator's generated password (None when the centre already existed)."""
        from app.services.calendar.holidays import load_calendar
        from app.services.errors import ValidationError
        from app.services.setup import SetupRequest, perform_setup, validate

        password = admin_password or generated_password()
        request = SetupRequest(center_code=center_code, center_name=center_name, node_code=CENTER_NODE,
                               node_name="中心", node_kind="director", admin_user=admin_no,
                               admin_password=password, admin_name="中心管理员")

        problems = validate(request, center=True)
        if problems:
            raise ValidationError("中心信息有误", list(problems.values()))
        if self.initialised:
            return None
        ws = self.workspace()
        perform_setup(ws, request, center=True)
        load_calendar(ws)  # seeds the official calendar, to be published with the rest
        token = register_workspace(self.engine)
        with ws.engine.begin() as conn:
            conn.execute(table_of(SyncState).insert().values(
                id=1, center_url="local:", center_code=center_code, ca_cert="", device_token=token, generation="",
                cursor_xid=0, cursor_seq=0, acked_seq=0, resync=True, joined_at=utc_now(), last_error="",
                clock_offset_s=0.0))
        initialise(self.engine, center_code, center_name)
        self.publish()
        return password

    def publish(self) -> SyncReport:
        """Push the workspace's edits into the store and take in what came from directors' workstations."""
        report = SyncClient(self.workspace(), LocalTransport(self.api.handle)).run()
        if not report.ok and report.message:
            log.warning("publishing the centre workspace: %s", report.message)
        return report

    def purge_tombstones(self) -> int:
        """Forget deletions older than any offline period; the feed's horizon tells late nodes to re-download."""
        expired = tombstone.c.deleted_at < utc_now() - timedelta(days=TOMBSTONE_DAYS)
        with self.engine.begin() as conn:
            old = conn.execute(select(tombstone.c._xid, tombstone.c._seq).where(expired)
                               .order_by(tombstone.c._xid.desc(), tombstone.c._seq.desc()).limit(1)).first()
            if old is None:
                return 0
            gone = conn.execute(delete(tombstone).where(expired)).rowcount
            for key, value in (("horizon_xid", old._xid), ("horizon_seq", old._seq)):
                stmt = insert(center_info).values(key=key, value=str(value))
                conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": str(value)}))
        return gone

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.dispose()
        if self._engine is not None:
            self._engine.dispose()


