"""电子件 images reach the centre after the case rows, one a request; a failing or slow upload never holds up
the rows; the centre checks what it stores, serves it back to nodes that may see it, and keeps it in its backup."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from app.center.runtime import Center
from app.models import BlobUpload
from app.models.base import table_of
from app.services.attachments.store import attachments_dir, blob_path
from app.services.cases.form import CaseForm, as_catalogued
from app.services.cases.records import accept_case
from app.services.catalog import items as catalog
from app.sync import blobs
from app.sync.transport import LocalTransport, Refused, Unreachable, call
from app.sync.wire import pack
from tests.attachment_helpers import captured
from tests.sync_helpers import Station, enrol, person_id

pytestmark = pytest.mark.usefixtures("china_time")


class BlobFault:
    """The centre's transport, with image uploads failing or slow as a test says."""

    def __init__(self, center: Center, fail: str = "", delay: float = 0.0) -> None:
        self.inner = LocalTransport(center.api.handle)
        self.fail, self.delay = fail, delay
        self.uploads = 0

    def post(self, path: str, body: bytes, token: str | None) -> tuple[int, bytes]:
        if path == blobs.UPLOAD:
            self.uploads += 1
            if self.fail == "offline":
                raise Unreachable("上传电子件时连接中断")
            if self.fail == "busy":
                return 503, pack({"error": "中心繁忙"})
            time.sleep(self.delay)
        return self.inner.post(path, body, token)


def _joined(center: Center, folder: Path, code: str, **kwargs: Any) -> Station:
    station = enrol(center, folder, code, **kwargs)
    assert station.sync().ok  # staff come down: 8000 can log in here
    return station


def _accept_with_pages(station: Station, n: int, labels: str) -> tuple[str, list[str]]:
    actor = station.actor()
    item = catalog.load_item(station.db, "SB-002")
    assert item is not None
    pages = tuple(captured(station.db, 1 + i % 2, f"{n}{label}") for i, label in enumerate(labels))
    form = CaseForm(item_code="SB-002", case_class=item.default_case_class, applicant_name="张桂芳",
                    applicant_id_number=person_id(n), applicant_phone="13904367788", applicant_address="镇赉镇红旗村",
                    received=as_catalogued(item, list(range(1, len(item.materials) + 1))))
    return accept_case(station.db, actor, form, pages=pages), [p.sha256 for p in pages]


def _centre(center: Center, sql: str) -> list[Any]:
    with center.engine.connect() as conn:
        return list(conn.execute(text(sql)).scalars())


def _queued(station: Station) -> list[tuple[str, int]]:
    with station.db.engine.connect() as conn:
        return [(r.sha256, r.attempts) for r in conn.execute(select(table_of(BlobUpload)))]


def test_rows_go_first_and_a_failing_upload_blocks_nothing(center: Center, tmp_path: Path) -> None:
    cable = BlobFault(center, fail="offline")
    w1 = _joined(center, tmp_path / "w1", "01", transport=cable)
    first, hashes = _accept_with_pages(w1, 1, "ab")
    report = w1.sync()
    assert report.ok and report.blobs.uploaded == 0 and report.blobs.waiting == 2  # offline: stops at once
    assert cable.uploads == 1
    cable.fail = "busy"
    report = w1.sync()  # refused: each image is put off, with its reason
    assert report.ok and report.blobs.failed == 2 and [n for _sha, n in _queued(w1)] == [1, 1]
    assert _centre(center, "SELECT number FROM case_file") == [first]
    assert sorted(_centre(center, "SELECT sha256 FROM case_page")) == sorted(hashes)
    assert _centre(center, "SELECT sha256 FROM case_blob") == []
    second, more = _accept_with_pages(w1, 2, "c")
    report = w1.sync()  # the next case's rows go up although images still wait
    assert report.ok and set(_centre(center, "SELECT number FROM case_file")) == {first, second}
    assert len(_queued(w1)) == 3
    cable.fail = ""
    with w1.db.engine.begin() as conn:  # the pause after a failure is over
        conn.execute(update(table_of(BlobUpload)).values(next_try_at=None))
    report = w1.sync()
    assert report.ok and report.blobs.uploaded == 3 and report.blobs.waiting == 0 and _queued(w1) == []
    stored = {sha: bytes(data) for sha, data in _rows(center, "SELECT sha256, data FROM case_blob")}
    assert set(stored) == {*hashes, *more}
    assert all(hashlib.sha256(data).hexdigest() == sha for sha, data in stored.items())
    uploads = cable.uploads
    assert w1.sync().ok and cable.uploads == uploads  # nothing queued: nothing sent again


def _rows(center: Center, sql: str) -> list[Any]:
    with center.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def test_a_slow_link_uploads_within_its_budget(center: Center, tmp_path: Path) -> None:
    cable = BlobFault(center, delay=0.3)
    w1 = _joined(center, tmp_path / "w1", "01", transport=cable)
    _accept_with_pages(w1, 1, "abc")
    started = time.monotonic()
    report = w1.sync(blob_budget_s=0.2)
    assert report.ok and report.blobs.uploaded == 1 and report.blobs.waiting == 2
    assert time.monotonic() - started < 2
    second, _ = _accept_with_pages(w1, 2, "")
    assert w1.sync(blob_budget_s=0.2).ok and second in _centre(center, "SELECT number FROM case_file")
    while w1.sync(blob_budget_s=0.2).blobs.waiting:
        pass
    assert len(_centre(center, "SELECT sha256 FROM case_blob")) == 3


def test_centre_checks_uploads_and_serves_them_to_who_may_see(center: Center, tmp_path: Path) -> None:
    w1, w2 = _joined(center, tmp_path / "w1", "01"), _joined(center, tmp_path / "w2", "02")
    director = _joined(center, tmp_path / "d", "09", kind="director", name="主任")
    _number, hashes = _accept_with_pages(w1, 1, "a")
    sha = hashes[0]
    data = blob_path(attachments_dir(w1.db.path), sha).read_bytes()

    def upload(station: Station, digest: str, body: bytes) -> dict[str, Any]:
        return call(station.transport, blobs.UPLOAD, {"sha256": digest, "data": base64.b64encode(body).decode()},
                    station.token)

    with pytest.raises(Refused, match="请先同步办件") as refused:
        upload(w1, sha, data)  # before its page row: the centre keeps nothing a device made up
    assert refused.value.status == 409
    w1.sync(blob_budget_s=0)
    with pytest.raises(Refused, match="摘要不符"):
        upload(w1, sha, data + b"x")
    with pytest.raises(Refused, match="请先同步办件"):
        upload(w2, sha, data)  # another window's page
    with pytest.raises(Refused) as too_big:
        upload(w1, sha, b"x" * (4 * 1024 * 1024))
    assert too_big.value.status in (400, 413)
    assert upload(w1, sha, data) == {"stored": True, "new": True}
    assert upload(w1, sha, data) == {"stored": True, "new": False}  # again: a no-op
    assert director.sync().ok
    assert not blob_path(attachments_dir(director.db.path), sha).exists()

    def send_as(station: Station) -> blobs.Send:
        return lambda path, body: call(station.transport, path, body, station.token)

    assert blobs.fetch(director.db, send_as(director), sha) == data  # on demand, checked, kept
    assert blob_path(attachments_dir(director.db.path), sha).read_bytes() == data
    assert blobs.fetch(w2.db, send_as(w2), sha) is None  # not a case window 02 may see


def test_centre_backup_and_restore_keep_the_images(center: Center, tmp_path: Path) -> None:
    from app.center.backup import restore_center, write_center_backup

    w1 = _joined(center, tmp_path / "w1", "01")
    _n, before = _accept_with_pages(w1, 1, "ab")
    assert w1.sync().blobs.uploaded == 2
    backup = write_center_backup(center, tmp_path / "centre.dump")
    _n, after = _accept_with_pages(w1, 2, "c")
    assert w1.sync().blobs.uploaded == 1
    center.engine.dispose()
    restore_center(center, backup.path)
    assert sorted(_centre(center, "SELECT sha256 FROM case_blob")) == sorted(before)
    report = w1.sync()  # a new generation: rows pushed again, and the images the backup lacks
    assert report.ok and report.blobs.waiting == 0
    assert sorted(_centre(center, "SELECT sha256 FROM case_blob")) == sorted(before + after)


def test_workstation_backup_carries_the_images_to_a_new_pc(center: Center, tmp_path: Path) -> None:
    from app.cli import main
    from app.services.attachments.pages import case_pages
    from app.services.cases.records import get_case
    from app.startup import open_workstation

    w1 = _joined(center, tmp_path / "w1", "01")
    number, hashes = _accept_with_pages(w1, 1, "ab")
    assert w1.sync().blobs.uploaded == 2
    backup = tmp_path / "usb" / "ws.sqlite3"
    assert main(["--data-dir", str(w1.db.path.parent), "backup", "-o", str(backup)]) == 0
    with sqlite3.connect(backup) as conn:  # the one file carries them
        assert sorted(r[0] for r in conn.execute("SELECT sha256 FROM backup_blob")) == sorted(hashes)
    fresh = tmp_path / "new-pc"
    assert main(["--data-dir", str(fresh), "restore", str(backup)]) == 0
    restored, _ = open_workstation(fresh)
    try:
        case = get_case(restored, number)
        assert case is not None
        folder = attachments_dir(restored.path)
        for page in case_pages(restored, case.id):  # every page shows again from the new PC's own store
            assert blob_path(folder, page.sha256).read_bytes() == blob_path(
                attachments_dir(w1.db.path), page.sha256).read_bytes()
        with restored.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'backup_blob'")).scalar() == 0
            queued = sorted(conn.execute(select(table_of(BlobUpload).c.sha256)).scalars())
        assert queued == sorted(hashes)  # re-uploaded: the centre may be older than the backup
        with center.engine.begin() as conn:
            conn.execute(text("DELETE FROM case_blob"))  # say the centre lost them
        again = Station(restored, w1.transport, "01")
        with restored.engine.begin() as conn:  # a carried-away backup holds no device token: this PC's own
            conn.execute(text("UPDATE sync_state SET device_token = :t"), {"t": w1.token})
        report = again.sync()
        assert report.ok and report.blobs.uploaded == 2
        assert sorted(_centre(center, "SELECT sha256 FROM case_blob")) == sorted(hashes)
    finally:
        restored.dispose()
