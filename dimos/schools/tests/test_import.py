"""Bulk import with bad rows (dry run, valid only, all or nothing) and export."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import translation
from openpyxl import Workbook, load_workbook

from dimos.core.exceptions import ValidationFailed
from dimos.schools.importer import Mode, export_csv_stream, export_xlsx, import_assets
from dimos.schools.models import Asset, AssetEvent, AssetTagCounter
from dimos.schools.tests.factories import world

HEADER = "model;serial;school;room;status;purchase_date;supplier;order_ref;cost;warranty_end;funding_source\n"


def csv_file(rows: list[str]) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode("utf-8"))


@pytest.fixture
def w(serres):
    return world(serres, full=False)


def good(n: int, school: str = "1ο Δημοτικό Σχολείο Σερρών") -> str:
    return f"tab-10;IMP-{n};{school};Α{n};deployed;2024-09-0{1 + n % 9};Info Quest;ΣΥΜ-12;1.234,50;01/09/2026;Περιφέρεια ΚΜ"


BAD = [
    good(1),
    "tab-99;IMP-2;;;;;;;;;",  # row 3: unknown model
    "tab-10;IMP-3;1ο Δημοτικό Σχολείο Σερρών;;deployed;31/02/2024;;;;;",  # row 4: malformed date
    "tab-10;SN-TAB-1;;;in_stock;;;;;;",  # row 5: duplicate of an existing serial
    good(5),
    "tab-10;IMP-5;;;in_stock;;;;;;",  # row 7: duplicate of row 6 in the same file
    "tab-10;IMP-8;Άγνωστο Σχολείο;;;;;;abc;;",  # row 8: unknown school and bad cost
]


def test_dry_run_reports_each_bad_row_and_applies_nothing(w) -> None:
    before = Asset.objects.count()
    report = import_assets(
        municipality=w.municipality, upload=csv_file(BAD), name="a.csv", mode=Mode.DRY_RUN, actor=None
    )
    assert (report.rows, report.valid, report.error_rows, report.applied) == (7, 2, 5, 0)
    found = {(e.row, e.field) for e in report.errors}
    assert found == {
        (3, "model"),
        (4, "purchase_date"),
        (5, "serial"),
        (7, "serial"),
        (8, "school"),
        (8, "cost"),
    }
    messages = " ".join(e.message for e in report.errors)
    assert "tab-99" in messages and "31/02/2024" in messages and "SN-TAB-1" in messages
    assert Asset.objects.count() == before
    assert AssetTagCounter.objects.get(municipality=w.municipality).last_number == 2  # rolled back too


def test_all_or_nothing_applies_nothing_when_a_row_is_bad(w) -> None:
    before = Asset.objects.count()
    report = import_assets(
        municipality=w.municipality, upload=csv_file(BAD), name="a.csv", mode=Mode.ALL_OR_NOTHING, actor=None
    )
    assert report.applied == 0 and report.error_rows == 5
    assert Asset.objects.count() == before


def test_valid_only_applies_the_valid_rows(w) -> None:
    report = import_assets(
        municipality=w.municipality, upload=csv_file(BAD), name="a.csv", mode=Mode.VALID_ONLY, actor=None
    )
    assert report.applied == 2
    a = Asset.objects.get(serial="IMP-1")
    assert a.tag == "SER-000003" and a.school == w.school and str(a.cost) == "1234.50"
    assert a.warranty_end.isoformat() == "2026-09-01" and a.status == "deployed"
    assert AssetEvent.objects.get(asset=a).kind == "imported"


def test_clean_file_all_or_nothing_applies_everything(w) -> None:
    report = import_assets(
        municipality=w.municipality,
        upload=csv_file([good(i) for i in range(1, 4)]),
        name="a.csv",
        mode=Mode.ALL_OR_NOTHING,
        actor=None,
    )
    assert report.applied == 3 and not report.errors


def test_duplicates_across_batches_are_caught(w, monkeypatch) -> None:
    monkeypatch.setattr("dimos.schools.importer.BATCH", 2)
    rows = [good(1), good(2), good(3), "tab-10;IMP-1;;;in_stock;;;;;;"]
    report = import_assets(
        municipality=w.municipality, upload=csv_file(rows), name="a.csv", mode=Mode.DRY_RUN, actor=None
    )
    assert [(e.row, e.field) for e in report.errors] == [(5, "serial")]


def test_xlsx_import(w) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["model", "serial", "school", "purchase_date", "cost"])
    import datetime

    ws.append(["tab-10", "X-1", "2ο Δημοτικό Σχολείο Σερρών", datetime.datetime(2023, 5, 4), 99.5])
    ws.append(["ib-75", "X-2", None, "not a date", None])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    report = import_assets(
        municipality=w.municipality, upload=out, name="a.XLSX", mode=Mode.VALID_ONLY, actor=None
    )
    assert report.applied == 1 and [(e.row, e.field) for e in report.errors] == [(3, "purchase_date")]
    assert Asset.objects.get(serial="X-1").purchase_date.isoformat() == "2023-05-04"


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"serial\nx\n", "a.csv", "model"),  # missing required column
        (b"model;serial\n", "a.csv", "γραμμές"),  # no data rows
        (b"\xff\xfe\x00junk", "a.csv", "UTF-8"),
        (b"PK\x03\x04 not really", "a.xlsx", "XLSX"),
        (b"model;serial\n", "a.txt", "CSV"),
    ],
)
def test_bad_files_get_a_clear_message(w, content, name, needle) -> None:
    with pytest.raises(ValidationFailed) as exc:
        import_assets(
            municipality=w.municipality, upload=io.BytesIO(content), name=name, mode=Mode.DRY_RUN, actor=None
        )
    assert needle in exc.value.message and exc.value.field == "file"


def test_export_csv_and_xlsx_round_trip(w) -> None:
    with translation.override("el"):
        text = "".join(export_csv_stream(Asset.objects.filter(municipality=w.municipality)))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Ετικέτα", "Μοντέλο (κωδικός)", "Σειριακός αριθμός"] and len(rows) == 3
    assert rows[1][:3] == ["SER-000001", "tab-10", "SN-TAB-1"]
    assert rows[1][5] in ("Σε χρήση", "Σε αποθήκη")  # the label, never «deployed»
    out = io.BytesIO()
    with translation.override("el"):
        export_xlsx(Asset.objects.filter(municipality=w.municipality), out)
    out.seek(0)
    sheet = load_workbook(out).active
    assert sheet.max_row == 3 and sheet["A2"].value == "SER-000001" and sheet["A1"].value == "Ετικέτα"


@pytest.mark.parametrize("language", ["el", "en"])
def test_an_exported_file_imports_back_as_it_is(w, language: str) -> None:
    """Translated headers and status labels go back in: the export is the import's template."""
    Asset.objects.filter(municipality=w.municipality).update(
        cost=Decimal("1890.50"), purchase_date=date(2024, 9, 1)
    )
    with translation.override(language):
        text = "".join(export_csv_stream(Asset.objects.filter(municipality=w.municipality)))
    Asset.objects.filter(municipality=w.municipality).update(serial=Concat("serial", Value("-old")))
    report = import_assets(
        municipality=w.municipality,
        upload=io.BytesIO(text.encode("utf-8")),
        name="back.csv",
        mode=Mode.DRY_RUN,
        actor=None,
    )
    assert (report.rows, report.valid, report.error_rows) == (2, 2, 0), report.errors
