"""Bulk import of assets from CSV/XLSX and export, streaming in batches.

Dry run and apply share one code path: rows are validated and inserted in
batches inside one transaction; the database itself catches duplicate serials
(also against rows of earlier batches of the same file), so memory stays
constant whatever the file size. A dry run, or an "all or nothing" import that
found an error, rolls the whole transaction back: nothing is ever half-applied.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.core.csv_export import Column, csv_lines
from dimos.core.exceptions import ValidationFailed
from dimos.core.files import check_zip_container
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.schools.constants import AssetStatus, EventKind
from dimos.schools.models import Asset, AssetEvent, EquipmentModel, School

COLUMNS = [
    "model",
    "serial",
    "school",
    "room",
    "status",
    "purchase_date",
    "supplier",
    "order_ref",
    "cost",
    "warranty_end",
    "funding_source",
]
REQUIRED = {"model", "serial"}
# What a person reads at the top of an exported column; an import takes the code or
# the label in either language, so an exported file goes back in as it is.
LABELS = {
    "tag": gettext_lazy("Ετικέτα"),
    "model": gettext_lazy("Μοντέλο (κωδικός)"),
    "serial": gettext_lazy("Σειριακός αριθμός"),
    "school": gettext_lazy("Σχολείο"),
    "room": gettext_lazy("Αίθουσα"),
    "status": gettext_lazy("Κατάσταση"),
    "purchase_date": gettext_lazy("Ημερομηνία αγοράς"),
    "supplier": gettext_lazy("Προμηθευτής"),
    "order_ref": gettext_lazy("Αριθμός παραγγελίας"),
    "cost": gettext_lazy("Κόστος (€)"),
    "warranty_end": gettext_lazy("Λήξη εγγύησης"),
    "funding_source": gettext_lazy("Πηγή χρηματοδότησης"),
}
BATCH = 1000
IMPORTABLE_STATUSES = (AssetStatus.IN_STOCK, AssetStatus.DEPLOYED, AssetStatus.RETIRED)
MAX_REPORTED_ERRORS = 500


class Mode:
    DRY_RUN = "dry_run"
    VALID_ONLY = "valid_only"  # apply the valid rows, report the rest
    ALL_OR_NOTHING = "all_or_nothing"


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    mode: str
    rows: int = 0
    valid: int = 0
    applied: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False

    def add(self, row: int, fld: str, message: str) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, fld, message))
        else:
            self.truncated = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "rows": self.rows,
            "valid": self.valid,
            "applied": self.applied,
            "error_rows": self.error_rows,
            "errors": [e.__dict__ for e in self.errors],
            "truncated": self.truncated,
        }


class _Rollback(Exception):
    pass


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace("€", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+", text):  # Greek: 1.234,50
            text = text.replace(".", "").replace(",", ".")
        amount = Decimal(text)
    if amount < 0 or not amount.is_finite():
        raise InvalidOperation
    return amount.quantize(Decimal("0.01"))


def iter_rows(upload: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) from a CSV (UTF-8, ; or ,) or XLSX file, streaming."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        # The declared sizes first: a 1 MB file whose cell unpacks to 1 GiB never reaches openpyxl.
        data = upload.read()
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ValidationFailed(_("Το αρχείο δεν είναι έγκυρο XLSX."), field="file")
        check_zip_container(data, field="file")
        del data
        upload.seek(0)
        try:
            wb = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationFailed(_("Το αρχείο δεν είναι έγκυρο XLSX."), field="file") from exc
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            header = next(rows, None)
            columns = _header([str(h or "") for h in (header or [])])
            for n, values in enumerate(rows, start=2):
                if values is None or all(v in (None, "") for v in values):
                    continue
                yield n, {c: values[i] if i < len(values) else None for i, c in columns}
        finally:
            wb.close()
        return
    if not lower.endswith(".csv"):
        raise ValidationFailed(_("Ανεβάστε αρχείο CSV ή XLSX."), field="file")
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError as exc:
        raise ValidationFailed(_("Το CSV πρέπει να είναι σε κωδικοποίηση UTF-8."), field="file") from exc
    delimiter = ";" if first.count(";") > first.count(",") else ","
    columns = _header(next(csv.reader([first], delimiter=delimiter), []))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for n, values in enumerate(reader, start=2):
            if not values or all(not v.strip() for v in values):
                continue
            yield n, {c: values[i] if i < len(values) else "" for i, c in columns}
    except UnicodeDecodeError as exc:
        raise ValidationFailed(_("Το CSV πρέπει να είναι σε κωδικοποίηση UTF-8."), field="file") from exc
    except csv.Error as exc:
        raise ValidationFailed(_("Το CSV δεν διαβάζεται: %(e)s") % {"e": exc}, field="file") from exc


def _in_both_languages(labels: dict[str, Any]) -> dict[str, str]:
    """{label in Greek or English, lower-case: code}, codes included."""
    known = {code: code for code in labels}
    for language in ("el", "en"):
        with translation.override(language):
            known.update({str(label).strip().lower(): code for code, label in labels.items()})
    return known


def _header(names: list[str]) -> list[tuple[int, str]]:
    known = _in_both_languages(LABELS)
    normalised = [known.get(n.strip().lower(), n.strip().lower()) for n in names]
    missing = [c for c in sorted(REQUIRED) if c not in normalised]
    if missing:
        raise ValidationFailed(
            _("Λείπουν οι στήλες: %(cols)s. Αναμενόμενες στήλες: %(all)s.")
            % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)},
            field="file",
        )
    return [(i, n) for i, n in enumerate(normalised) if n in COLUMNS]


def _validate(
    n: int,
    raw: dict[str, Any],
    *,
    models: dict[str, EquipmentModel],
    schools: dict[str, School],
    report: ImportReport,
) -> dict[str, Any] | None:
    errors: list[tuple[str, str]] = []
    code = str(raw.get("model") or "").strip()
    model = models.get(code.lower())
    if not code:
        errors.append(("model", _("Λείπει το μοντέλο.")))
    elif model is None:
        errors.append(("model", _("Άγνωστο μοντέλο «%(v)s».") % {"v": code}))
    serial = str(raw.get("serial") or "").strip()
    if not serial:
        errors.append(("serial", _("Λείπει ο σειριακός αριθμός.")))
    elif len(serial) > 80:
        errors.append(("serial", _("Ο σειριακός αριθμός είναι πολύ μεγάλος.")))
    school_name = str(raw.get("school") or "").strip()
    school = schools.get(school_name.lower()) if school_name else None
    if school_name and school is None:
        errors.append(("school", _("Άγνωστο σχολείο «%(v)s».") % {"v": school_name}))
    status = str(raw.get("status") or "").strip().lower()
    status = _in_both_languages(dict(AssetStatus.choices)).get(status, status) or (
        AssetStatus.DEPLOYED if school else AssetStatus.IN_STOCK
    )
    if status not in IMPORTABLE_STATUSES:
        errors.append(
            (
                "status",
                _("Μη αποδεκτή κατάσταση «%(v)s» (%(ok)s).")
                % {"v": status, "ok": ", ".join(str(s.label) for s in IMPORTABLE_STATUSES)},
            )
        )
    elif status == AssetStatus.DEPLOYED and school is None and not school_name:
        errors.append(("school", _("Ένα πάγιο σε χρήση πρέπει να έχει σχολείο.")))
    values: dict[str, Any] = {}
    for fld in ("purchase_date", "warranty_end"):
        try:
            values[fld] = _parse_date(raw.get(fld))
        except ValueError:
            errors.append(
                (fld, _("Μη έγκυρη ημερομηνία «%(v)s» (ΕΕΕΕ-ΜΜ-ΗΗ ή ΗΗ/ΜΜ/ΕΕΕΕ).") % {"v": raw.get(fld)})
            )
    try:
        values["cost"] = _parse_money(raw.get("cost"))
    except (InvalidOperation, ValueError):
        errors.append(("cost", _("Μη έγκυρο ποσό «%(v)s».") % {"v": raw.get("cost")}))
    if errors:
        report.error_rows += 1
        for fld, message in errors:
            report.add(n, fld, message)
        return None
    return {
        "model": model,
        "serial": serial,
        "school": school,
        "room": str(raw.get("room") or "").strip()[:60],
        "status": status,
        "supplier": str(raw.get("supplier") or "").strip()[:150],
        "order_ref": str(raw.get("order_ref") or "").strip()[:60],
        "funding_source": str(raw.get("funding_source") or "").strip()[:150],
        **values,
    }


def _flush(
    batch: list[tuple[int, dict[str, Any]]], *, municipality: Municipality, actor: Any, report: ImportReport
) -> None:
    if not batch:
        return
    # Duplicate serials: against the database (earlier batches included) and within the batch.
    wanted = {(v["model"].pk, v["serial"]) for _n, v in batch}
    # model_id__in lets the (municipality, model, serial) unique index answer the lookup.
    taken = set(
        Asset.objects.filter(
            municipality=municipality,
            model_id__in={m for m, _s in wanted},
            serial__in={s for _m, s in wanted},
        ).values_list("model_id", "serial")
    )
    seen: set[tuple[int, str]] = set()
    good: list[tuple[int, dict[str, Any]]] = []
    for n, v in batch:
        key = (v["model"].pk, v["serial"])
        if key in taken or key in seen:
            report.error_rows += 1
            report.add(
                n,
                "serial",
                _("Διπλός σειριακός αριθμός «%(s)s» για το μοντέλο %(m)s.")
                % {"s": v["serial"], "m": v["model"].code},
            )
            continue
        seen.add(key)
        good.append((n, v))
    report.valid += len(good)
    if not good:
        return
    # Imported here: the services package imports this module (staged imports).
    from dimos.schools.services.assets import asset_tags_allocate

    tags = asset_tags_allocate(municipality=municipality, count=len(good))
    now = timezone.now()
    assets = Asset.objects.bulk_create(
        [
            Asset(municipality=municipality, tag=tag, created_at=now, updated_at=now, **v)
            for tag, (_n, v) in zip(tags, good, strict=True)
        ]
    )
    _history_rows(assets, actor=actor, now=now)
    report.applied += len(assets)


def _history_rows(assets: list[Asset], *, actor: Any, now: Any) -> None:
    """One "imported" history row per new asset, written by the database from the asset rows
    (INSERT … SELECT: no Python object per row, which keeps large imports fast)."""
    from django.db import connection

    event = AssetEvent._meta.db_table
    asset = Asset._meta.db_table
    ids = [a.pk for a in assets]
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {event} (municipality_id, asset_id, kind, actor_id, from_status, to_status, "  # noqa: S608
            f"from_school_id, to_school_id, from_room, to_room, comment, created_at) "
            f"SELECT municipality_id, id, %s, %s, '', status, NULL, school_id, '', room, '', %s "
            f"FROM {asset} WHERE id IN ({placeholders})",
            [EventKind.IMPORTED, actor_id, now, *ids],
        )


def import_assets(
    *, municipality: Municipality, upload: IO[bytes], name: str, mode: str, actor: Any
) -> ImportReport:
    """Validate (and unless dry run, apply) an asset file; see the module docstring."""
    if mode not in (Mode.DRY_RUN, Mode.VALID_ONLY, Mode.ALL_OR_NOTHING):
        raise ValidationFailed(_("Άγνωστος τρόπος εισαγωγής."), field="mode")
    report = ImportReport(mode=mode)
    models = {m.code.lower(): m for m in EquipmentModel.objects.filter(municipality=municipality)}
    schools = {s.name.lower(): s for s in School.objects.filter(municipality=municipality)}
    try:
        with transaction.atomic():
            batch: list[tuple[int, dict[str, Any]]] = []
            for n, raw in iter_rows(upload, name):
                report.rows += 1
                values = _validate(n, raw, models=models, schools=schools, report=report)
                if values is not None:
                    batch.append((n, values))
                if len(batch) >= BATCH:
                    _flush(batch, municipality=municipality, actor=actor, report=report)
                    batch = []
            _flush(batch, municipality=municipality, actor=actor, report=report)
            if report.rows == 0:
                raise ValidationFailed(_("Το αρχείο δεν έχει γραμμές δεδομένων."), field="file")
            if mode == Mode.DRY_RUN or (mode == Mode.ALL_OR_NOTHING and report.error_rows):
                raise _Rollback
            audit_record(
                action="schools.assets_imported",
                actor=actor,
                municipality=municipality,
                new={
                    "rows": report.rows,
                    "applied": report.applied,
                    "errors": report.error_rows,
                    "file": name[:100],
                },
            )
    except _Rollback:
        report.applied = 0
    report.errors.sort(key=lambda e: e.row)
    return report


# --- Export ------------------------------------------------------------------------------


def export_rows(qs: Any) -> Iterator[list[Any]]:
    """The assets as rows of values (dates, amounts, the status's label), without header."""
    statuses = {code: str(label) for code, label in AssetStatus.choices}
    for a in qs.select_related("model", "school").order_by("tag").iterator(chunk_size=2000):
        yield [
            a.tag,
            a.model.code,
            a.serial,
            a.school.name if a.school else "",
            a.room,
            statuses.get(a.status, a.status),
            a.purchase_date,
            a.supplier,
            a.order_ref,
            a.cost,
            a.warranty_end,
            a.funding_source,
        ]


def export_columns() -> list[Column]:
    return [Column(code, LABELS[code]) for code in ("tag", *COLUMNS)]


def export_csv_stream(qs: Any) -> Iterator[str]:
    """The CSV of ``qs`` in the active language (see ``dimos/core/csv_export.py``)."""
    return csv_lines(export_columns(), export_rows(qs))


def export_xlsx(qs: Any, target: IO[bytes]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Πάγια"))
    ws.append([c.header() for c in export_columns()])
    for row in export_rows(qs):
        ws.append(row)
    wb.save(target)
