"""A scanned file as pages: an image is one page, a PDF (from a scanner's "scan to PDF") one page each.

Bounded before anything is decoded: the file's size, and for a PDF its page count, so a 2,000-page
file picked by mistake is refused with a message instead of filling the disk.
"""

from __future__ import annotations

import io
from pathlib import Path

from app.services.attachments.store import MAX_INPUT_BYTES, StoredImage, put
from app.services.attachments.store import normalise as normalise_image
from app.services.errors import ValidationError

PDF_MAX_PAGES = 30
PDF_DPI = 200  # enough for print-size text; a page renders to about 1650 x 2340
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")
FILE_FILTER = "扫描件 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.pdf)"


def read_scanned(path: Path) -> bytes:
    """The file's bytes, refused when it is too large (checked before reading it)."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ValidationError(f"文件过大（超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB）：{Path(path).name}")
        return Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取文件 {Path(path).name}：{exc.strerror or exc}") from exc


def pdf_pages(data: bytes) -> list[bytes]:
    """Each page of a PDF as PNG bytes, rendered on white."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValidationError("无法打开该 PDF 文件（可能已损坏或有密码）") from exc
    try:
        if len(document) > PDF_MAX_PAGES:
            raise ValidationError(f"PDF 共 {len(document)} 页，超过一次可添加的 {PDF_MAX_PAGES} 页，请拆分后添加")
        pages = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=PDF_DPI / 72, fill_color=(255, 255, 255, 255))
            out = io.BytesIO()
            bitmap.to_pil().convert("RGB").save(out, "PNG")
            pages.append(out.getvalue())
        return pages
    finally:
        document.close()


def store_scanned(folder: Path, path: Path) -> list[StoredImage]:
    """Every page of a scanned file, normalised and stored; nothing is stored when any page is refused."""
    data = read_scanned(path)
    images = pdf_pages(data) if data[:5] == b"%PDF-" else [data]
    normalised = [normalise_image(image) for image in images]
    return [put(folder, jpeg, width, height) for jpeg, width, height in normalised]
