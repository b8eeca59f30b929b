"""A real PostgreSQL for the replication tests, a centre per test, and workstations that join it."""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from app.actor import Actor
from app.center.runtime import Center
from app.database import Database
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case
from app.services.catalog import items as catalog
from app.services.id_numbers import id_check_digit
from app.services.people.auth import login
from app.services.setup import perform_setup
from app.startup import open_workstation
from app.sync.client import SyncClient, SyncReport
from app.sync.join import join
from app.sync.transport import LocalTransport, Transport, Unreachable

CENTER_CODE = "220821100"
CENTER_ADMIN_PASSWORD = "centre123"
_server: Any = None
_names = itertools.count(1)


def postgres_url() -> str:
    """One embedded PostgreSQL for the whole test run (pgserver: nothing installed on the machine)."""
    global _server
    if _server is None:
        folder = Path(tempfile.mkdtemp(prefix="minsheng-pg-"))
        os.environ.setdefault("XDG_RUNTIME_DIR", str(folder))
        import pgserver

        _server = pgserver.get_server(folder / "pgdata", cleanup_mode="delete")
    return _server.get_uri()


def fresh_database() -> str:
    """A new empty database on the shared server; its URL."""
    base = postgres_url()
    name = f"centre_{os.getpid()}_{next(_names)}"
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    head, _, query = base.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}?{query}"


def make_center(folder: Path) -> Center:
    center = Center(folder, fresh_database())
    center.initialise(CENTER_CODE, "镇赉镇民生服务中心", admin_password=CENTER_ADMIN_PASSWORD)
    return center


@dataclass
class Station:
    """A workstation in a test: its database, and the transport it reaches the centre by."""

    db: Database
    transport: Transport
    code: str

    def sync(self, **kwargs: Any) -> SyncReport:
        return SyncClient(self.db, self.transport, **kwargs).run()

    @property
    def token(self) -> str:
        """This workstation's device credential, for requests made by hand."""
        from app.sync.client import load_state

        state = load_state(self.db)
        assert state is not None
        return state.device_token

    def actor(self, staff_no: str = "8000", password: str = CENTER_ADMIN_PASSWORD) -> Actor:
        """Log in as the desktop does: a director or administrator is also proven to the centre."""
        from app.sync.authority import prove_after_login

        actor = login(self.db, staff_no, password)
        prove_after_login(self.db, actor.role, staff_no, password, self.transport)
        return actor


def enrol(center: Center, folder: Path, node_code: str, kind: str = "window", name: str | None = None,
          set_up_first: bool = False, transport: Transport | None = None) -> Station:
    """A workstation joined to the centre; set up on its own first when asked."""
    from app.center.nodes import make_enroll_code
    from tests.conftest import setup_request

    db, _ = open_workstation(folder)
    if set_up_first:
        perform_setup(db, setup_request(node_code=node_code, node_kind=kind, admin_user="local"))
    code = make_enroll_code(center.engine, node_code, name or f"{node_code}号窗口", kind)
    transport = transport or LocalTransport(center.api.handle)
    join(db, "http://centre.test", code, transport)
    return Station(db, transport, node_code)


def person_id(n: int) -> str:
    body = f"22082119850312{n % 1000:03d}"
    return body + id_check_digit(body)


def accept(station: Station, actor: Actor, n: int, code: str = "SHJZ-001", now: datetime | None = None) -> str:
    item = catalog.load_item(station.db, code)
    assert item is not None
    form = CaseForm(item_code=code, case_class=item.default_case_class, applicant_name=f"张{'一二三四五六七八九十'[n % 10]}芳",
                    applicant_id_number=person_id(n), applicant_phone="13904367788",
                    applicant_address="镇赉镇红旗村三组",
                    received=as_catalogued(item, list(range(1, len(item.materials) + 1))))
    return accept_case(station.db, actor, form, now)


class LiveServer:
    """The centre's real HTTP service (uvicorn) on a free loopback port, in a thread."""

    def __init__(self, center: Center, tls: tuple[str, str] | None = None) -> None:
        import socket
        import threading
        import time

        import uvicorn

        from app.center.server import create_app

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        cert, key = tls or (None, None)
        config = uvicorn.Config(create_app(center.api), host="127.0.0.1", port=self.port, log_level="warning",
                                ssl_certfile=cert, ssl_keyfile=key)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)


class Cable:
    """A network cable that can be pulled."""

    def __init__(self, center: Center) -> None:
        self.on = True
        self.inner = LocalTransport(center.api.handle)

    def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
        if not self.on:
            raise Unreachable("无法连接中心")
        return self.inner.post(path, body, token)
