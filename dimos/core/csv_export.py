"""The one way Dimos writes a CSV file that people open in a spreadsheet.

What Greek Excel needs to open a file as columns and not as one long line:
UTF-8 *with* a byte-order mark, and ``;`` as the separator (in Greek the comma
is the decimal mark). Headers are translated labels, never field codes; values
are what a person reads on the page (``Εισερχόμενο``, not ``in``; ``Ναι`` not
``yes``), times are local and to the second, numbers carry the language's
decimal mark without grouping (so the spreadsheet still reads them as numbers).

Every export builds ``Column``s and rows and hands them to ``csv_response``;
the helper decides the dialect from the active language. Cells that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` at the start of a
text) are quoted with an apostrophe: a citizen's subject line must not become
a formula on the clerk's computer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from dimos.core.i18n import is_english

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: its code (for the program) and its label (for the person)."""

    code: str
    label: Any  # a lazy translation, read in the language of the request

    def header(self) -> str:
        return str(self.label)


def delimiter() -> str:
    """``;`` for Greek (whose decimal mark is the comma), ``,`` for English."""
    return "," if is_english() else ";"


def cell(value: Any) -> str:
    """A value as a person reads it in a spreadsheet cell, in the active language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ναι") if value else _("Όχι")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local.replace(microsecond=0), "SHORT_DATE_FORMAT") + local.strftime(
            " %H:%M:%S"
        )
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True, force_grouping=False)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` hands the line back (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file, line by line: BOM and translated header, then the rows as cells."""
    writer = csv.writer(_Echo(), delimiter=delimiter())
    yield BOM + writer.writerow([c.header() for c in columns])
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


def _in_language(language: str, lines: Iterator[str]) -> Iterator[str]:
    # A streaming body is read after the view has returned: keep the request's language.
    with translation.override(language):
        yield from lines


def csv_response(
    filename: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A download of ``rows`` under ``columns``, streamed (see the module's docstring)."""
    language = translation.get_language() or "el"
    body = _in_language(language, csv_lines(columns, rows))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
