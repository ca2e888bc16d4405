"""Uploaded files: type sniffed from content, images re-encoded without metadata.

Architecture rule 7: the name and the browser's Content-Type are never trusted.
Images are decoded with Pillow (with a pixel cap against decompression bombs),
EXIF/GPS and every other metadata dropped, scaled to a maximum side, and written
again as JPEG or PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dimos.core.exceptions import ValidationFailed

# Magic numbers of the types the platform accepts.
_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "application/pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"PK\x03\x04", 0, "application/zip"),  # also .docx/.xlsx/.odt containers
]
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/zip": "zip",
}
MAX_IMAGE_PIXELS = 40_000_000  # ≈ 8000 × 5000; larger is refused as a possible decompression bomb
# Anonymous uploads (a citizen's report photo) get a lower cap: a 12-megapixel phone photo fits, and
# nobody can make the server decode a 36-megapixel image (hundreds of MB) for free.
ANONYMOUS_MAX_IMAGE_PIXELS = 16_000_000


def sniff_content_type(head: bytes) -> str | None:
    """The MIME type from the file's first bytes, or None when not recognised."""
    for signature, offset, mime in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if mime == "image/webp" and head[:4] != b"RIFF":
                continue
            return mime
    return None


def read_upload(
    upload: object, *, max_bytes: int, allowed: set[str], field: str = "file"
) -> tuple[bytes, str]:
    """Read an uploaded file fully, checking its size and sniffed type."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationFailed(
            _("Το αρχείο είναι πολύ μεγάλο (όριο %(mb).0f MB).") % {"mb": max_bytes / 1_048_576}, field=field
        )
    data = upload.read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        raise ValidationFailed(
            _("Το αρχείο είναι πολύ μεγάλο (όριο %(mb).0f MB).") % {"mb": max_bytes / 1_048_576}, field=field
        )
    if not data:
        raise ValidationFailed(_("Το αρχείο είναι κενό."), field=field)
    mime = sniff_content_type(data[:32])
    if mime not in allowed:
        raise ValidationFailed(
            _("Ο τύπος του αρχείου δεν επιτρέπεται. Επιτρέπονται: %(types)s.")
            % {"types": ", ".join(sorted(EXTENSIONS.get(a, a) for a in allowed))},
            field=field,
        )
    return data, mime


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes


def sanitize_image(
    data: bytes,
    *,
    max_side: int = 2048,
    thumb_side: int = 320,
    field: str = "photo",
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> CleanImage:
    """Decode, strip all metadata, orient, downscale and re-encode an image.

    The pixel count is read from the header and checked against ``max_pixels``
    before anything is decoded; JPEGs are decoded at a reduced scale when the
    result will be downscaled anyway. The output is built from the pixels alone,
    so no metadata of any kind survives (EXIF, GPS, comments, XMP, ICC profiles).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > max_pixels:
                raise ValidationFailed(_("Η εικόνα έχει υπερβολικά πολλά pixel."), field=field)
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            if img.format == "JPEG":
                img.draft("RGB", (max_side, max_side))
            img.load()
            img = ImageOps.exif_transpose(img)
            has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
            img = img.convert("RGBA" if has_alpha else "RGB")
            img.thumbnail((max_side, max_side))
            img = Image.frombytes(img.mode, img.size, img.tobytes())  # pixels only: no info, no metadata
            out = io.BytesIO()
            if has_alpha:
                img.save(out, format="PNG", optimize=True)
                content_type = "image/png"
            else:
                img.save(out, format="JPEG", quality=85, optimize=True)
                content_type = "image/jpeg"
            thumb = img.copy()
            thumb.thumbnail((thumb_side, thumb_side))
            thumb_out = io.BytesIO()
            thumb.convert("RGB").save(thumb_out, format="JPEG", quality=80)
            return CleanImage(out.getvalue(), content_type, img.width, img.height, thumb_out.getvalue())
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationFailed(_("Η εικόνα έχει υπερβολικά πολλά pixel."), field=field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(_("Το αρχείο δεν είναι έγκυρη εικόνα."), field=field) from exc


MAX_ZIP_UNCOMPRESSED = 50 * 1024 * 1024  # an .xlsx of 10,000 inventory rows is a few MB unpacked
MAX_ZIP_RATIO = 100  # spreadsheets compress 5-20×; 1,000× is a bomb


def check_zip_container(
    data: bytes, *, field: str = "file", max_uncompressed: int = MAX_ZIP_UNCOMPRESSED
) -> None:
    """Refuse a zip container (.xlsx, .docx, .odt) whose entries would unpack too large.

    Reads only the central directory (the declared sizes), before any entry is
    opened, so a 1 MB file that expands to 1 GiB is refused at no cost.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationFailed(_("Το αρχείο είναι κατεστραμμένο ή δεν είναι έγκυρο."), field=field) from exc
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if len(entries) > 10_000 or total > max_uncompressed or total / packed > MAX_ZIP_RATIO:
        raise ValidationFailed(
            _("Το αρχείο αποσυμπιέζεται σε υπερβολικό μέγεθος (όριο %(mb).0f MB).")
            % {"mb": max_uncompressed / 1_048_576},
            field=field,
        )
