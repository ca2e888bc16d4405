import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dimos.core.exceptions import ValidationFailed
from dimos.core.files import read_upload, sanitize_image, sniff_content_type
from dimos.core.pdf import qr_data_uri, render_pdf
from dimos.core.qr import qr_svg
from dimos.core.testing_pdf import assert_accessible_pdf


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (3000, 1500), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (41.0, 5.0, 8.0), 3: "E", 4: (23.0, 32.0, 52.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_images_lose_exif_and_gps_and_are_scaled() -> None:
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    clean = sanitize_image(raw)
    result = Image.open(io.BytesIO(clean.data))
    assert not result.getexif()
    assert "exif" not in result.info
    assert max(result.size) == 2048
    assert Image.open(io.BytesIO(clean.thumbnail)).size[0] <= 320


def test_not_an_image_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        sanitize_image(b"%PDF-1.4 not an image")


def test_decompression_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")
    with pytest.raises(ValidationFailed):
        sanitize_image(out.getvalue())


def test_type_is_sniffed_not_trusted() -> None:
    assert sniff_content_type(b"%PDF-1.7") == "application/pdf"
    assert sniff_content_type(b"MZ\x90\x00") is None
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 executable", content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as exc:
        read_upload(fake, max_bytes=1000, allowed={"image/jpeg"})
    assert exc.value.field == "file"


def test_size_limit() -> None:
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2000, content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        read_upload(big, max_bytes=1000, allowed={"application/pdf"})


def test_pdf_is_tagged_greek_with_letterhead_and_same_bytes_each_time(serres: Any) -> None:
    serres.address, serres.phone = "Μεραρχίας 1, 621 22 Σέρρες", "23213 50100"
    data = render_pdf("pdf/base.html", {}, municipality=serres, title="Δοκιμή", subtitle="Υπότιτλος")
    text = assert_accessible_pdf(data, lang="el", texts=["ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ", "ΔΗΜΟΣ ΣΕΡΡΩΝ", "Υπότιτλος"])
    assert "Σελίδα 1 / 1" in text and "Μεραρχίας 1, 621 22 Σέρρες · 23213 50100" in text
    # Deterministic: the same content gives the same bytes (hashes of issued documents).
    assert render_pdf("pdf/base.html", {}, municipality=serres, title="Δοκιμή", subtitle="Υπότιτλος") == data


def test_pdf_in_english_says_so(serres: Any) -> None:
    data = render_pdf("pdf/base.html", {}, municipality=serres, title="Test", lang="en")
    text = assert_accessible_pdf(data, lang="en", texts=["HELLENIC REPUBLIC", "MUNICIPALITY OF SERRES"])
    assert "Page 1 / 1" in text


def test_pdf_fetches_nothing_but_its_fonts() -> None:
    from dimos.core.pdf import _url_fetcher, font_files

    fetcher = _url_fetcher()
    for url in ["file:///etc/passwd", "http://127.0.0.1:8000/", "https://example.org/x.png"]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.fetch(font_files()["regular"].as_uri()).read(4) == b"\x00\x01\x00\x00"


def test_qr_data_uri_is_an_svg() -> None:
    import base64

    uri = qr_data_uri("https://serres.localhost/verify/ABCD")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"<svg")


def test_qr_svg() -> None:
    svg = qr_svg("https://serres.localhost/verify/ABCD")
    assert svg.startswith("<svg") and "path" in svg


def test_images_lose_comments_xmp_and_icc_profiles() -> None:
    from PIL import ImageCms

    img = Image.new("RGB", (64, 48), "blue")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    img.save(
        out, format="JPEG", comment=b"tel 6912345678", icc_profile=icc, xmp=b"<x:xmpmeta>GPS</x:xmpmeta>"
    )
    raw = out.getvalue()
    assert b"6912345678" in raw and b"xmpmeta" in raw
    clean = sanitize_image(raw)
    assert b"6912345678" not in clean.data and b"xmpmeta" not in clean.data
    result = Image.open(io.BytesIO(clean.data))
    assert "comment" not in result.info and "icc_profile" not in result.info and "xmp" not in result.info
    assert b"6912345678" not in clean.thumbnail


def test_a_small_png_that_declares_36_megapixels_is_refused_for_anonymous_uploads() -> None:
    from dimos.core.exceptions import ValidationFailed
    from dimos.core.files import ANONYMOUS_MAX_IMAGE_PIXELS

    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG", optimize=True)
    raw = out.getvalue()
    assert len(raw) < 100_000
    with pytest.raises(ValidationFailed, match="pixel"):
        sanitize_image(raw, max_pixels=ANONYMOUS_MAX_IMAGE_PIXELS)


def test_a_zip_bomb_is_refused_from_its_directory_alone() -> None:
    import zipfile

    from dimos.core.files import check_zip_container

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationFailed, match="αποσυμπιέζεται"):
        check_zip_container(bomb)
    with pytest.raises(ValidationFailed, match="κατεστραμμένο"):
        check_zip_container(b"PK\x03\x04 not really a zip")


def test_an_ordinary_spreadsheet_passes_the_zip_check() -> None:
    from openpyxl import Workbook

    from dimos.core.files import check_zip_container

    book = Workbook()
    for row in range(500):
        book.active.append([f"SER-{row:06d}", "Φορητός υπολογιστής", "Dell", 2024])
    out = io.BytesIO()
    book.save(out)
    check_zip_container(out.getvalue())
