"""The image store: every page normalised once (upright, longest side capped, JPEG) and kept by its SHA-256.

Content addressing makes a second capture of the same bytes free, lets the centre and a backup check
what they carry, and means a stored file is never rewritten: <data>/attachments/ab/cdef….jpg. The file is
written under a temporary name and renamed, so a crash never leaves a half image under a hash name.
Pillow is imported only here, when an image is normalised or read.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from app.paths import make_private_dir, make_private_file
from app.services.errors import ValidationError

MAX_INPUT_BYTES = 40 * 1024 * 1024  # one photo or scanned file as it arrives (a 600 dpi A4 PNG is ~25 MB)
MAX_INPUT_PIXELS = 60_000_000  # decoded size: refused before Pillow allocates it (a "pixel bomb")
LONGEST_SIDE = 2480  # A4 at 300 dpi: small print stays legible, a page is ~0.3–1 MB
QUALITY = 80
FALLBACK_QUALITY = 60  # a very busy page (a photo of a photo) tried once more, smaller
MAX_STORED_BYTES = 3 * 1024 * 1024  # what one stored page may weigh: the centre refuses more
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredImage:
    """A page as stored: its hash names the file."""

    sha256: str
    size: int
    width: int
    height: int


def attachments_dir(db_path: Path) -> Path:
    """The store beside a database: `attachments/` for the workstation, `attachments-training/` for training,
    so training pages never mix with real ones."""
    stem = Path(db_path).stem
    return Path(db_path).parent / ("attachments" if stem == "workstation" else f"attachments-{stem}")


def blob_path(folder: Path, sha256: str) -> Path:
    if not SHA256.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return folder / sha256[:2] / f"{sha256[2:]}.jpg"


def normalise(data: bytes) -> tuple[bytes, int, int]:
    """JPEG bytes of the image, turned upright by its EXIF orientation, longest side at most LONGEST_SIDE,
    RGB, without metadata (a phone's GPS position has no place in a case file). Bad input raises
    ValidationError in Chinese and nothing is stored."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise ValidationError("图像为空")
    if len(data) > MAX_INPUT_BYTES:
        raise ValidationError(f"图像文件过大（超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB）")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_INPUT_PIXELS or min(image.size) < 1:
                raise ValidationError("图像尺寸过大，请降低高拍仪或扫描仪的分辨率后重试")
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # JPEG: decode at a reduced scale directly
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError("无法识别的图像文件（支持 JPEG、PNG、BMP、TIFF 和 PDF）") from exc
    rgb.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    for quality in (QUALITY, FALLBACK_QUALITY):
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=quality, optimize=True)
        encoded = out.getvalue()
        if len(encoded) <= MAX_STORED_BYTES:
            return encoded, rgb.width, rgb.height
    raise ValidationError("图像压缩后仍超过 3 MB，无法保存；请检查高拍仪设置")


def put(folder: Path, jpeg: bytes, width: int, height: int) -> StoredImage:
    """Keep normalised bytes under their hash (once: the same bytes again change nothing)."""
    digest = hashlib.sha256(jpeg).hexdigest()
    target = blob_path(folder, digest)
    if not target.exists():
        make_private_dir(target.parent)
        make_private_dir(folder)
        part = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(jpeg)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        make_private_file(target)
    return StoredImage(digest, len(jpeg), width, height)


def store_image(folder: Path, data: bytes) -> StoredImage:
    """Normalise and keep one image (a camera frame or a scanned page)."""
    jpeg, width, height = normalise(data)
    return put(folder, jpeg, width, height)


def read_blob(folder: Path, sha256: str) -> bytes | None:
    """The stored bytes, or None when this workstation does not hold them (yet) or they fail their hash."""
    try:
        data = blob_path(folder, sha256).read_bytes()
    except (OSError, ValueError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def put_checked(folder: Path, sha256: str, data: bytes) -> bool:
    """Keep bytes from this node's own backup when they are what their hash says (no image decoding:
    restores run before Pillow is needed)."""
    if not SHA256.match(sha256) or len(data) > MAX_STORED_BYTES or hashlib.sha256(data).hexdigest() != sha256:
        return False
    put(folder, data, 0, 0)
    return True


def put_verified(folder: Path, sha256: str, data: bytes) -> bool:
    """Keep bytes that came from elsewhere (the centre) only when they are what their hash says and an image."""
    if not SHA256.match(sha256) or len(data) > MAX_STORED_BYTES or hashlib.sha256(data).hexdigest() != sha256:
        return False
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (OSError, ValueError):
        return False
    put(folder, data, width, height)
    return True
