"""电子件: the image store (normalised, by hash, bounded), pages recorded with acceptance and 补正, the receipt's count."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.actor import Actor
from app.database import Database
from app.models import BlobUpload, CaseEvent
from app.services.attachments import store
from app.services.attachments.pages import MAX_PAGES_PER_MATERIAL, PageRef, case_pages, page_counts
from app.services.attachments.scanned import store_scanned
from app.services.attachments.store import attachments_dir, blob_path, normalise, store_image
from app.services.cases.records import accept_case, get_case, supplement_materials
from app.services.documents import build_document, issue
from app.services.errors import ValidationError
from tests.attachment_helpers import captured, page_image
from tests.pdf_helpers import flat, pdf_text, render
from tests.test_cases import at, form

pytestmark = pytest.mark.usefixtures("china_time")


def test_normalise_turns_caps_and_strips(tmp_path: Path) -> None:
    # EXIF 6: the camera was turned; the stored page is upright (portrait) and carries no EXIF any more.
    jpeg, width, height = normalise(page_image(4000, 3000, orientation=6))
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and (width, height) == image.size == (1860, 2480)
    assert not image.getexif()
    assert image.getpixel((width - 20, 20))[0] < 60  # the dark corner moved to the top right: turned 90°
    # a PNG scan below the cap keeps its size
    _jpeg, w, h = normalise(page_image(1200, 900, fmt="PNG"))
    assert (w, h) == (1200, 900)


def test_store_by_hash_once_private(tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    first = store_image(folder, page_image(label="a"))
    again = store_image(folder, page_image(label="a"))
    other = store_image(folder, page_image(label="b"))
    assert first == again and other.sha256 != first.sha256
    path = blob_path(folder, first.sha256)
    assert path == folder / first.sha256[:2] / f"{first.sha256[2:]}.jpg"
    assert len(list(folder.rglob("*.jpg"))) == 2 and not list(folder.rglob("*.part"))
    assert store.read_blob(folder, first.sha256) == path.read_bytes()
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize(("data", "message"), [
    (b"", "图像为空"),
    (b"not an image at all", "无法识别"),
    (b"\xff\xd8\xff" + b"0" * 100, "无法识别"),
])
def test_bad_images_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        store_image(tmp_path / "a", data)
    assert not (tmp_path / "a").exists()


def test_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(ValidationError, match="过大"):
        store_image(tmp_path, page_image())
    monkeypatch.setattr(store, "MAX_INPUT_BYTES", 40 * 1024 * 1024)
    monkeypatch.setattr(store, "MAX_INPUT_PIXELS", 1000)
    with pytest.raises(ValidationError, match="尺寸过大"):
        store_image(tmp_path, page_image())
    monkeypatch.setattr(store, "MAX_INPUT_PIXELS", 60_000_000)
    monkeypatch.setattr(store, "MAX_STORED_BYTES", 2000)
    with pytest.raises(ValidationError, match="3 MB"):
        store_image(tmp_path, page_image())


def test_scanned_pdf_gives_a_page_each(tmp_path: Path) -> None:
    images = [Image.open(io.BytesIO(page_image(label=str(n)))) for n in range(3)]
    pdf = tmp_path / "scan.pdf"
    images[0].save(pdf, "PDF", save_all=True, append_images=images[1:], resolution=150)
    pages = store_scanned(tmp_path / "att", pdf)
    assert len(pages) == 3 and all(p.width > 0 for p in pages)
    png = tmp_path / "scan.png"
    png.write_bytes(page_image(fmt="PNG"))
    assert len(store_scanned(tmp_path / "att", png)) == 1
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(ValidationError, match="PDF"):
        store_scanned(tmp_path / "att", bad)


def test_pages_recorded_with_acceptance_and_receipt_counts(db: Database, admin: Actor, tmp_path: Path) -> None:
    pages = (captured(db, 1, "a"), captured(db, 1, "b"), captured(db, 1, "c"), captured(db, 2, "d"))
    number = accept_case(db, admin, form(db, "SB-002"), now=at("2026-11-18T10:00"), pages=pages)
    case = get_case(db, number)
    assert case is not None
    rows = case_pages(db, case.id)
    assert [(r.material_seq, r.page_no) for r in rows] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    assert page_counts(db, case.id) == {1: 3, 2: 1}
    with db.session() as s:
        event = s.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert event is not None and json.loads(event.details)["pages"] == {"1": 3, "2": 1}
        assert set(s.scalars(select(BlobUpload.sha256))) == {p.sha256 for p in pages}
    document = build_document(db, "receipt", number)
    printed = flat(pdf_text(document.pdf))
    assert "3页" in printed and "1页" in printed
    render(document.pdf, 100)[0].save(tmp_path / "receipt.png")
    issue(db, admin, document, "pdf")
    # 补正 adds pages: the receipt issued before still says what was true then
    more = (captured(db, 1, "e"),)
    with db.session() as s:
        s.execute(text("UPDATE case_file SET status='supplementing', case_class='supplement' WHERE number=:n"),
                  {"n": number})
    supplement_materials(db, admin, number, form(db, "SB-002", seqs=[1]).received, pages=more)
    assert page_counts(db, case.id) == {1: 4, 2: 1}
    assert case_pages(db, case.id)[3].step == "supplement"
    reprint = flat(pdf_text(build_document(db, "receipt", number).pdf))
    assert "3页" in reprint and "4页" not in reprint and "补打" in reprint


def test_pages_are_checked_and_kept(db: Database, admin: Actor) -> None:
    page = captured(db, 1)
    with pytest.raises(ValidationError, match="材料清单"):
        accept_case(db, admin, form(db, "SB-002"), pages=(PageRef(99, page.sha256, page.size, 10, 10,
                                                                   page.captured_at),))
    missing = PageRef(1, "0" * 64, 100, 10, 10, page.captured_at)
    with pytest.raises(ValidationError, match="不在本机"):
        accept_case(db, admin, form(db, "SB-002"), pages=(missing,))
    with pytest.raises(ValidationError, match=f"最多 {MAX_PAGES_PER_MATERIAL} 页"):
        accept_case(db, admin, form(db, "SB-002"), pages=(page,) * (MAX_PAGES_PER_MATERIAL + 1))
    with db.session() as s:  # nothing of a refused acceptance was written
        assert s.scalar(text("SELECT count(*) FROM case_file")) == 0
        assert s.scalar(text("SELECT count(*) FROM case_page")) == 0
    number = accept_case(db, admin, form(db, "SB-002"), pages=(page,))
    with pytest.raises(IntegrityError, match="电子件只能追加"), db.engine.begin() as conn:
        conn.execute(text("UPDATE case_page SET sha256 = :h"), {"h": "1" * 64})
    with pytest.raises(IntegrityError, match="不能删除"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM case_page"))
    assert get_case(db, number) is not None
    assert blob_path(attachments_dir(db.path), page.sha256).is_file()


def test_pages_of_a_material_not_received_are_refused_naming_it(db: Database, admin: Actor) -> None:
    """The receipt lists received materials only: a page of an unticked one is refused, not kept unseen."""
    pages = (captured(db, 1, "a"), captured(db, 2, "b"), captured(db, 2, "c"))
    with pytest.raises(ValidationError, match="未勾选为已收，却有 2 页电子件") as refused:
        accept_case(db, admin, form(db, "SB-002", "supplement", seqs=[1]), pages=pages)
    assert refused.value.message.startswith("材料“2. ")
    with db.session() as s:  # nothing of the refused acceptance was written
        assert s.scalar(text("SELECT count(*) FROM case_file")) == 0
        assert s.scalar(text("SELECT count(*) FROM case_page")) == 0
    number = accept_case(db, admin, form(db, "SB-002"), pages=pages)  # every material ticked
    case = get_case(db, number)
    assert case is not None and page_counts(db, case.id) == {1: 1, 2: 2}
    # 补正: pages of a material neither received before nor brought now are refused the same way
    number = accept_case(db, admin, form(db, "LL-001", "supplement", seqs=[1, 2]))
    with pytest.raises(ValidationError, match="未勾选为已收"):
        supplement_materials(db, admin, number, form(db, "LL-001", seqs=[3]).received, pages=(captured(db, 4, "d"),))
    supplement_materials(db, admin, number, form(db, "LL-001", seqs=[3]).received, pages=(captured(db, 3, "e"),))
    case = get_case(db, number)
    assert case is not None and page_counts(db, case.id) == {3: 1}
