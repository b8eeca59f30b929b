"""Pages recorded on a case: checked, numbered per material, written in the step's own transaction.

A page is captured (and its image stored) before the case or the 补正 exists; the clerk may drop it
until then. Acceptance and 补正 then record the pages they carry with the case rows, in the same
transaction, and queue the images for the centre (blob_outbox): rows and the queue commit together, so
no page row ever waits for an image nobody will send. Recorded pages are never changed or deleted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import BlobUpload, CasePage
from app.models.base import table_of
from app.models.tracking import insert_tracked
from app.services.attachments.store import MAX_STORED_BYTES, SHA256, attachments_dir, blob_path
from app.services.errors import ValidationError

MAX_PAGES_PER_MATERIAL = 40
MAX_PAGES_PER_CASE = 200
SOURCES = {"camera": "高拍仪", "file": "扫描件"}


@dataclass(frozen=True)
class PageRef:
    """A page captured for a material and stored, not yet recorded on a case."""

    material_seq: int
    sha256: str
    size: int
    width: int
    height: int
    captured_at: datetime
    source: str = "camera"


@dataclass(frozen=True)
class PageRow:
    """A recorded page, as the case view lists it."""

    material_seq: int
    page_no: int
    sha256: str
    size: int
    width: int
    height: int
    captured_at: datetime
    staff_name: str
    source: str
    step: str


def check_pages(pages: list[PageRef] | tuple[PageRef, ...], materials: int, existing: Counter[int], folder: Path) -> None:
    """Bounds, and that every image is really held here: the one rule for F6 and 补正."""
    counts = Counter(existing)
    for page in pages:
        if not 1 <= page.material_seq <= materials:
            raise ValidationError("电子件所属的材料不在该事项的材料清单中")
        if not SHA256.match(page.sha256) or not 0 < page.size <= MAX_STORED_BYTES or page.source not in SOURCES:
            raise ValidationError("电子件数据无效")
        if not blob_path(folder, page.sha256).is_file():
            raise ValidationError("电子件图像文件不在本机，请重新拍摄")
        counts[page.material_seq] += 1
        if counts[page.material_seq] > MAX_PAGES_PER_MATERIAL:
            raise ValidationError(f"每份材料最多 {MAX_PAGES_PER_MATERIAL} 页电子件")
    if sum(counts.values()) > MAX_PAGES_PER_CASE:
        raise ValidationError(f"一个办件最多 {MAX_PAGES_PER_CASE} 页电子件")


def received_with_pages(ticked: Iterable[int], pages: Iterable[PageRef]) -> set[int]:
    """The materials received once pages are taken: paper that went under the camera was handed over,
    so a material with a page counts as received (the form ticks it as the page is taken)."""
    return set(ticked) | {p.material_seq for p in pages}


def check_received(pages: Iterable[PageRef], received: Iterable[int], names: list[str]) -> None:
    """The last line behind the form's ticks: pages of a material not received would be kept on the case
    while its receipt and record say the material never came, so they are refused, naming the material."""
    counts = Counter(p.material_seq for p in pages)
    unticked = sorted(set(counts) - set(received))
    if unticked:
        seq = unticked[0]
        name = names[seq - 1] if 1 <= seq <= len(names) else f"材料{seq}"
        raise ValidationError(f"材料“{seq}. {name}”未勾选为已收，却有 {counts[seq]} 页电子件："
                              "请勾选该材料，或删除这些电子件")


def _case_received(s: Session, case_id: str) -> tuple[set[int], list[str]]:
    """The materials the case records as received (after this step's own change) and the item's material names."""
    from app.models import Case

    row = s.execute(select(Case.materials, Case.item_snapshot).where(Case.id == case_id)).one()
    received = {int(r["seq"]) for r in json.loads(row.materials or "[]")}
    names = [str(m.get("name", "")) for m in json.loads(row.item_snapshot or "{}").get("materials", [])]
    return received, names


def existing_counts(s: Session, case_id: str) -> Counter[int]:
    rows = s.execute(select(CasePage.material_seq, func.count()).where(CasePage.case_id == case_id)
                     .group_by(CasePage.material_seq)).all()
    return Counter({int(seq): int(n) for seq, n in rows})


def record_pages(s: Session, db_path: Path, case_id: str, pages: list[PageRef] | tuple[PageRef, ...],
                 materials: int, actor: Actor, step: str) -> dict[str, int]:
    """Write the pages after the case's existing ones (numbered on per material) and queue their images;
    returns pages per material ("1": 3) for the step's event. Raises ValidationError, writing nothing."""
    if not pages:
        return {}
    existing = existing_counts(s, case_id)
    check_pages(pages, materials, existing, attachments_dir(db_path))
    check_received(pages, *_case_received(s, case_id))
    numbers = Counter(existing)
    rows = []
    for page in pages:
        numbers[page.material_seq] += 1
        rows.append({"case_id": case_id, "material_seq": page.material_seq, "page_no": numbers[page.material_seq],
                     "sha256": page.sha256, "size_bytes": page.size, "width": page.width, "height": page.height,
                     "captured_at": page.captured_at, "staff_name": actor.name[:30], "source": page.source,
                     "step": step})
    insert_tracked(s, CasePage, rows)
    queue_uploads(s, {p.sha256 for p in pages})
    return pages_by_material(pages)


def pages_by_material(pages: list[PageRef] | tuple[PageRef, ...]) -> dict[str, int]:
    """What a step's event says it added: {"1": 3, "2": 1} (material's place: pages)."""
    added = Counter(p.material_seq for p in pages)
    return {str(seq): n for seq, n in sorted(added.items())}


def queue_uploads(s: Session, hashes: set[str]) -> None:
    """Images for the centre's copy, sent after the rows (app.sync.blobs); a hash already queued stays once."""
    if not hashes:
        return
    now = utc_now()
    stmt = sqlite_insert(table_of(BlobUpload)).values(
        [{"sha256": h, "queued_at": now, "attempts": 0, "next_try_at": None, "last_error": ""} for h in sorted(hashes)])
    s.connection().execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))


def case_pages(db: Database, case_id: str) -> list[PageRow]:
    """Every page of a case, by material and page."""
    with db.session() as s:
        rows = s.scalars(select(CasePage).where(CasePage.case_id == case_id)
                         .order_by(CasePage.material_seq, CasePage.page_no)).all()
        return [PageRow(r.material_seq, r.page_no, r.sha256, r.size_bytes, r.width, r.height, r.captured_at,
                        r.staff_name, r.source, r.step) for r in rows]


def case_pages_of(db: Database, number: str) -> tuple[list[PageRow], set[str]]:
    """A case's pages by its number, and which of their images are held here (F7's card)."""
    from app.models import Case

    with db.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.number == number))
    pages = case_pages(db, case_id) if case_id else []
    return pages, held_here(db, pages)


def held_here(db: Database, pages: list[PageRow]) -> set[str]:
    """The pages' images this workstation holds (a director's workstation fetches the others on demand)."""
    folder = attachments_dir(db.path)
    return {p.sha256 for p in pages if blob_path(folder, p.sha256).is_file()}


def page_counts(db: Database, case_id: str) -> dict[int, int]:
    """Pages per material (what the receipt prints as 电子件 N 页)."""
    with db.session() as s:
        return dict(existing_counts(s, case_id))


def summary(counts: dict[int, int]) -> str:
    """"电子件 5 页（材料1：3 页，材料2：2 页）", or "" without pages."""
    total = sum(counts.values())
    if not total:
        return ""
    parts = "，".join(f"材料{seq}：{n} 页" for seq, n in sorted(counts.items()))
    return f"电子件 {total} 页（{parts}）"
