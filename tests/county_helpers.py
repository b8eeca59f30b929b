"""Townships and a county on this machine for the county tests: each township a Center on its own
embedded PostgreSQL, published (wal_level logical) and listening on a loopback address of its own
(127.0.0.2, 127.0.0.3 …: the embedded server's port is 5432, the address tells them apart), and the county
on a third embedded server."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, text

from app.actor import Actor
from app.center.publication import PUBLISHED_TABLES, PublishFacts, PublishOptions, open_to_server, publish
from app.center.runtime import Center
from app.services.complaints import handling
from app.services.complaints.complaints import ComplaintForm, register
from app.services.inquiries.notices import NoticeForm, create_notice
from app.services.inquiries.register import InquiryForm, register_inquiry
from tests.sync_helpers import CENTER_ADMIN_PASSWORD, Station


@dataclass
class Township:
    """A township centre in a test, with what `center publish` told the county."""

    folder: Path
    code: str
    name: str
    address: str
    center: Center
    facts: PublishFacts
    password: str

    @property
    def url(self) -> str:
        return self.facts.url

    def options(self) -> PublishOptions:
        return PublishOptions(listen=self.address, allow="127.0.0.0/8", host=self.address)


def make_township(folder: Path, code: str, name: str, address: str) -> Township:
    center = Center(folder)
    center.initialise(code, name, admin_password=CENTER_ADMIN_PASSWORD)
    options = PublishOptions(listen=address, allow="127.0.0.0/8", host=address)
    facts = publish(center, options)
    assert facts.password, "the first publish makes the role and shows its password"
    return Township(folder, code, name, address, center, facts, facts.password)


def stop(township: Township) -> None:
    """The township's server goes down (as when `center serve` stops: the last handle stops it)."""
    township.center.close()
    open_to_server(township.center.server)  # run as root: the centre's workspace closed its folder again
    township.center.server.cleanup()


def start(township: Township) -> None:
    """The township starts again: pgserver starts its server on the socket alone, and what `center serve`
    does first (restore_listening) makes it listen for the county again."""
    from app.center.publication import restore_listening

    township.center = Center(township.folder)
    assert restore_listening(township.center)


def wait_for(check: Callable[[], bool], what: str, timeout: float = 90.0) -> float:
    """Poll until check() holds; the seconds it took."""
    began = time.monotonic()
    while not check():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
    return time.monotonic() - began


def missing_at_county(county: Engine, township: Engine) -> dict[str, int]:
    """Rows (by id and last change) the township holds that the county does not hold as they are there."""
    out: dict[str, int] = {}
    for name in PUBLISHED_TABLES:
        with township.connect() as conn:
            here = {(r[0], r[1]) for r in conn.execute(text(f'SELECT id, updated_at FROM "{name}"'))}
        if not here:
            continue
        with county.connect() as conn:
            there = {(r[0], r[1]) for r in conn.execute(
                text(f'SELECT id, updated_at FROM "{name}" WHERE id = ANY(:ids)'), {"ids": [i for i, _ in here]})}
        if here - there:
            out[name] = len(here - there)
    return out


CN = timezone(timedelta(hours=8))


def serve_citizens(station: Station, actor: Actor, day: int) -> None:
    """A 首问, a one-time notice and a complaint (upheld) on a November day at this workstation."""
    moment = datetime(2026, 11, day, 10, 0, tzinfo=CN)
    register_inquiry(station.db, actor, InquiryForm("李建国", "13904365678", "phone", "护照在哪里办？", "answered",
                                                    answer="见说明"), now=moment)
    create_notice(station.db, actor, NoticeForm("SB-002", "李建国", [1]), now=moment)
    number = register(station.db, actor, ComplaintForm(category=1, channel="来访", content="态度生硬", name="刘淑兰",
                                                       phone="13904361234", window="1号窗口"))
    handling.handle(station.db, actor, number, "self")
    handling.reply(station.db, actor, number, "oral", "已当面说明")
    handling.record_satisfaction(station.db, actor, number, True)
    handling.close(station.db, actor, number, "upheld")
