"""One format for each thing: dates, amounts and CSV cells, in Greek and English."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from dimos.core import csv_export, formatting

DIMOS = Path(__file__).resolve().parents[2]
TEMPLATES = [p for p in DIMOS.rglob("*") if p.suffix in (".html", ".txt") and "templates" in p.parts]


@pytest.mark.parametrize("language", ["el", "en"])
def test_one_short_date_format_with_two_digit_day_and_month(language: str) -> None:
    with translation.override(language):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}').render(
            Context({"d": dt.date(2026, 12, 3), "t": dt.datetime(2026, 3, 5, 9, 7, 59, 999)})
        )
    assert rendered == "03/12/2026|05/03/2026 09:07"


def test_no_template_writes_a_date_pattern_of_its_own() -> None:
    """«3/12/2026» on one page and «03/12/2026» on the next came from patterns in templates."""
    # Only the one pattern (as a named format, or «d/m/Y H:i:s» where seconds matter).
    numeric = re.compile(r'(\|date:|\{% now )"(?!d/m/Y H:i:s")[jdnm]/[jdnm]/Y')
    offenders = [
        str(p.relative_to(DIMOS)) for p in TEMPLATES if numeric.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("el", Decimal("2190"), "2.190,00\u00a0€"),
        ("el", Decimal("188543"), "188.543,00\u00a0€"),
        ("el", Decimal("5.5"), "5,50\u00a0€"),
        ("en", Decimal("2190"), "€2,190.00"),
        ("el", None, ""),
    ],
)
def test_money_has_thousands_separators_and_two_decimals(language: str, value: object, expected: str) -> None:
    with translation.override(language):
        assert Template("{% load formatting %}{{ v|money }}").render(Context({"v": value})) == expected


def test_no_template_writes_an_amount_without_the_money_filter() -> None:
    bare = re.compile(r"\}\}\s*€")
    offenders = [str(p.relative_to(DIMOS)) for p in TEMPLATES if bare.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_number_groups_thousands_by_language() -> None:
    with translation.override("el"):
        assert formatting.number(12345) == "12.345" and formatting.number(6.22, 2) == "6,22"
    with translation.override("en"):
        assert formatting.number(12345) == "12,345"


def test_csv_cells_are_what_people_read() -> None:
    moment = timezone.make_aware(dt.datetime(2026, 7, 1, 9, 5, 3, 654321), dt.UTC)
    with translation.override("el"):
        assert csv_export.delimiter() == ";"
        assert csv_export.cell(moment) == "01/07/2026 12:05:03"  # Athens summer time, no microseconds
        assert csv_export.cell(Decimal("1890.5")) == "1890,5"  # a number the spreadsheet can sum
        assert csv_export.cell(True) == "Ναι" and csv_export.cell(None) == ""
        assert csv_export.cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"  # never a formula
    with translation.override("en"):
        assert csv_export.delimiter() == "," and csv_export.cell(False) == "No"
        assert csv_export.cell(Decimal("1890.5")) == "1890.5"


def test_no_export_writes_csv_by_itself() -> None:
    """One CSV helper: every export for people goes through ``dimos/core/csv_export.py``.

    The open-data distributions are the one other writer: a machine format fixed by the
    open-data rules (UTF-8 without BOM, comma, ISO dates, codes), not a spreadsheet for a clerk.
    """
    writers = [
        str(p.relative_to(DIMOS))
        for p in DIMOS.rglob("*.py")
        if "csv.writer(" in p.read_text(encoding="utf-8") and "tests" not in p.parts
    ]
    assert sorted(writers) == ["core/csv_export.py", "opendata/writers.py"]
