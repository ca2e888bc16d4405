"""An XLSX bomb (issue 11): a small file whose one cell unpacks to hundreds of MB is refused unopened."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dimos.core.exceptions import ValidationFailed
from dimos.core.testing import SERRES_HOST, client_for
from dimos.schools.importer import Mode, import_assets
from dimos.schools.models import Asset
from dimos.schools.tests.factories import world

CELL_BYTES = 256 * 1024 * 1024  # five times the 50 MB limit; a 1 GiB cell is refused the same way
SHEET = "xl/worksheets/sheet1.xml"
XMLNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A real workbook whose second row holds one inline string of ``CELL_BYTES`` letters."""
    wb = Workbook()
    wb.active.append(["model", "serial"])
    base = io.BytesIO()
    wb.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info, src.read(info.filename))
                continue
            with dst.open(SHEET, "w", force_zip64=True) as fh:
                fh.write(
                    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{XMLNS}"><sheetData>'
                    '<row r="1"><c r="A1" t="inlineStr"><is><t>model</t></is></c></row>'
                    '<row r="2"><c r="A2" t="inlineStr"><is><t>'.encode()
                )
                chunk = b"A" * (1024 * 1024)
                for _ in range(CELL_BYTES // len(chunk)):
                    fh.write(chunk)
                fh.write(b"</t></is></c></row></sheetData></worksheet>")
    data = out.getvalue()
    assert len(data) < 1024 * 1024  # small on the wire
    return data


def test_the_bomb_is_refused_before_openpyxl_unpacks_it(serres, bomb) -> None:
    w = world(serres, full=False)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationFailed) as refused:
            import_assets(
                municipality=w.municipality,
                upload=io.BytesIO(bomb),
                name="b.xlsx",
                mode=Mode.DRY_RUN,
                actor=None,
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.field == "file"
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1_048_576:.0f} MB while refusing"


def test_the_import_page_refuses_the_bomb_at_the_field_in_greek(serres, bob, bomb) -> None:
    world(serres, full=False)
    before = Asset.objects.count()
    client = client_for(bob, SERRES_HOST)
    response = client.post(reverse("schools:asset_import"), {"file": SimpleUploadedFile("bomb.xlsx", bomb)})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "υπερβολικό μέγεθος" in " ".join(errors["file"])
    assert Asset.objects.count() == before
    assert client.session.get("schools_import") is None
