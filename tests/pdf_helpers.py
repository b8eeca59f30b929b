"""Reading PDFs in tests: text, rendered pages and the barcodes on them."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    """Text with all white space removed: table cells wrap names across lines."""
    return "".join(text.split())


def render(data: bytes, dpi: int = 200) -> list[Image.Image]:
    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def barcodes(data: bytes, dpi: int = 200) -> list[tuple[str, str]]:
    found = []
    for image in render(data, dpi):
        found += [(b.format.name, b.text) for b in zxingcpp.read_barcodes(image)]
    return found


def unembedded_fonts(data: bytes) -> list[str]:
    missing = []
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font["/BaseFont"]))
    return missing
