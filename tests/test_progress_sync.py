"""A sync shows how far it is (uploading, then the first full download), and a cancelled sync stops
after a whole page: what arrived is kept and consistent, and the next sync finishes the download."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.center.runtime import Center
from app.database import Database
from app.models import CalendarDay, ItemMaterial, ServiceItem, Staff, SyncSeen, SyncState
from app.progress import Cancelled, Progress, Step
from app.sync.client import CONNECTING, DOWNLOADING, DOWNLOADING_ALL, UPLOADING
from tests.sync_helpers import accept, enrol
from tests.test_progress import assert_monotonic, recorded

pytestmark = pytest.mark.usefixtures("china_time")
PAGE = 300  # small pages: the seeded centre (catalogue, calendar, staff) takes a dozen or more


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
                for model in (ServiceItem, ItemMaterial, CalendarDay, Staff)}


def sync_state(db: Database) -> SyncState:
    with db.session() as s:
        state = s.scalar(select(SyncState))
    assert state is not None
    return state


def test_first_sync_reports_the_full_download_and_the_upload(center: Center, tmp_path: Path) -> None:
    station = enrol(center, tmp_path / "w1", "01")
    progress, steps = recorded()
    report = station.sync(progress=progress, page=PAGE)
    assert report.ok
    assert steps[0].what == CONNECTING
    download = assert_monotonic(steps, DOWNLOADING_ALL)
    assert len(download) > 3  # a step per page
    assert download[-1].done == download[-1].total == report.pulled  # ends at 100 %
    assert download[1].total == report.pulled  # the centre said after the first page how much was coming
    assert all(s.cancellable for s in steps)  # a sync may be stopped anywhere (between pages)

    for n in range(12):  # a morning offline, then a sync: the upload is counted against what waits
        accept(station, station.actor(), n)
    progress, steps = recorded()
    assert station.sync(progress=progress, batch=10).ok
    upload = assert_monotonic(steps, UPLOADING)
    assert upload[0].done == 0 and upload[0].total > 0
    assert upload[-1].done == upload[-1].total
    assert_monotonic(steps, DOWNLOADING)


def test_a_cancelled_first_sync_keeps_whole_pages_and_the_next_one_finishes(center: Center,
                                                                           tmp_path: Path) -> None:
    reference = enrol(center, tmp_path / "ref", "02")
    assert reference.sync(page=PAGE).ok
    station = enrol(center, tmp_path / "w1", "01")
    pages: list[Step] = []

    def stop_after_three_pages(step: Step) -> None:
        if step.what == DOWNLOADING_ALL and step.done > 0:
            pages.append(step)
            if len(pages) == 3:
                assert progress.cancel()

    progress = Progress(stop_after_three_pages, interval=0)
    with pytest.raises(Cancelled):
        station.sync(progress=progress, page=PAGE)
    assert len(pages) == 3  # it stopped right after the page it was on

    state = sync_state(station.db)
    assert state.resync and (state.cursor_xid, state.cursor_seq) != (0, 0)  # mid-download, cursor saved
    with station.db.session() as s:
        seen = s.scalar(select(func.count()).select_from(SyncSeen))
    assert 0 < (seen or 0) <= pages[-1].done  # exactly the committed pages' rows, nothing of a fourth
    assert state.last_sync_at is None  # not mistaken for a finished sync

    report = station.sync(page=PAGE)  # a later sync carries on from the cursor
    assert report.ok
    state = sync_state(station.db)
    assert not state.resync
    assert counts(station.db) == counts(reference.db)
    with station.db.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncSeen)) == 0  # the full download was closed properly


def test_cancel_before_the_sync_starts_changes_nothing(center: Center, tmp_path: Path) -> None:
    station = enrol(center, tmp_path / "w1", "01")
    before = sync_state(station.db)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        station.sync(progress=progress)
    after = sync_state(station.db)
    assert (after.cursor_xid, after.cursor_seq, after.last_attempt_at) == (
        before.cursor_xid, before.cursor_seq, before.last_attempt_at)
