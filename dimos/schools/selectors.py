"""Reads that are more than a get; every one takes the municipality explicitly."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from dimos.core.greek import latin_keys
from dimos.core.models import Municipality
from dimos.core.search import search_words
from dimos.schools.constants import COUNTED_STATUSES, OPEN_REPAIR_STATUSES, AssetStatus, LoanStatus
from dimos.schools.models import (
    Asset,
    Loan,
    Repair,
    School,
    SchoolYear,
    Standard,
)
from dimos.schools.planning import Need, required_quantity


def current_school_year(today: date | None = None) -> int:
    """The school year that runs on ``today`` (it starts on 1 September)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def school_year_stats(*, municipality: Municipality, year: int) -> dict[int, tuple[int, int]]:
    """(pupils, teachers) per school for ``year``, else the school's latest earlier year."""
    found: dict[int, tuple[int, int]] = {}
    rows = (
        SchoolYear.objects.filter(municipality=municipality, year__lte=year)
        .order_by("school_id", "-year")
        .values_list("school_id", "pupils", "teachers")
    )
    for school_id, pupils, teachers in rows:
        found.setdefault(school_id, (pupils, teachers))
    return found


def counted_assets(*, municipality: Municipality, today: date) -> dict[tuple[int, int], int]:
    """Assets a school has per (school, category): counted statuses, within expected life."""
    rows = (
        Asset.objects.filter(municipality=municipality, status__in=COUNTED_STATUSES, school__isnull=False)
        .values_list("school_id", "model__category_id", "model__expected_life_years", "purchase_date")
        .annotate(n=Count("id"))
        .order_by()
    )
    have: dict[tuple[int, int], int] = defaultdict(int)
    for school_id, category_id, life, bought, n in rows:
        if bought is not None:
            try:
                end = bought.replace(year=bought.year + life)
            except ValueError:  # 29 February
                end = bought.replace(year=bought.year + life, day=28)
            if end <= today:
                continue
        have[(school_id, category_id)] += n
    return have


def needs(*, municipality: Municipality, year: int | None = None, today: date | None = None) -> list[Need]:
    """Every (school, category) the municipality's standards cover, with required and counted."""
    today = today or timezone.localdate()
    year = year or current_school_year(today)
    stats = school_year_stats(municipality=municipality, year=year)
    have = counted_assets(municipality=municipality, today=today)
    standards: dict[str, list[Standard]] = defaultdict(list)
    for standard in Standard.objects.filter(municipality=municipality).select_related("category", "model"):
        standards[standard.school_type].append(standard)
    result: list[Need] = []
    for school in School.objects.filter(municipality=municipality, is_active=True).only(
        "pk", "name", "school_type", "classrooms"
    ):
        pupils, teachers = stats.get(school.pk, (0, 0))
        for st in standards.get(school.school_type, []):
            result.append(
                Need(
                    school_id=school.pk,
                    school_name=school.name,
                    category_id=st.category_id,
                    category_name=st.category.name,
                    model_id=st.model_id,
                    unit_price=st.model.unit_price,
                    required=required_quantity(
                        basis=st.basis,
                        quantity=st.quantity,
                        per=st.per,
                        classrooms=school.classrooms,
                        teachers=teachers,
                        pupils=pupils,
                    ),
                    have=have.get((school.pk, st.category_id), 0),
                    pupils=pupils,
                )
            )
    return result


def overview(*, municipality: Municipality, today: date | None = None) -> list[dict[str, Any]]:
    """One row per school: pupils, devices, devices per pupil, age, past life, open repairs."""
    today = today or timezone.localdate()
    year = current_school_year(today)
    stats = school_year_stats(municipality=municipality, year=year)
    per_school: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"devices": 0, "past_life": 0, "age_sum": 0.0, "aged": 0}
    )
    rows = (
        Asset.objects.filter(municipality=municipality, school__isnull=False)
        .exclude(status=AssetStatus.RETIRED)
        .values_list("school_id", "model__expected_life_years", "purchase_date")
        .annotate(n=Count("id"))
        .order_by()
    )
    for school_id, life, bought, n in rows:
        entry = per_school[school_id]
        entry["devices"] += n
        if bought is not None:
            age = (today - bought).days / 365.25
            entry["age_sum"] += age * n
            entry["aged"] += n
            if age >= life:
                entry["past_life"] += n
    repairs = dict(
        Repair.objects.filter(municipality=municipality, status__in=OPEN_REPAIR_STATUSES)
        .values_list("school_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    loans = dict(
        Loan.objects.filter(municipality=municipality, status=LoanStatus.ACTIVE)
        .values_list("school_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = []
    for school in sorted(
        School.objects.filter(municipality=municipality, is_active=True).select_related("unit"),
        key=school_sort_key,
    ):
        pupils, teachers = stats.get(school.pk, (0, 0))
        entry = per_school.get(school.pk, {"devices": 0, "past_life": 0, "age_sum": 0.0, "aged": 0})
        result.append(
            {
                "school": school,
                "pupils": pupils,
                "teachers": teachers,
                "devices": entry["devices"],
                "per_pupil": round(entry["devices"] / pupils, 2) if pupils else None,
                "avg_age": round(entry["age_sum"] / entry["aged"], 1) if entry["aged"] else None,
                "past_life": entry["past_life"],
                "open_repairs": repairs.get(school.pk, 0),
                "active_loans": loans.get(school.pk, 0),
            }
        )
    return result


_TYPE_ORDER = {"primary": 0, "kindergarten": 1, "secondary": 2}


def school_sort_key(school: School) -> tuple[int, int, str]:
    """Primary schools first, then kindergartens; «2ο» before «10ο»; villages after the numbered ones."""
    head = school.name.split("ο", 1)[0]
    number = int(head) if head.isdigit() else 10_000
    return (_TYPE_ORDER.get(school.school_type, 9), number, school.name)


def overdue_loans(*, municipality: Municipality, today: date | None = None) -> Any:
    today = today or timezone.localdate()
    return Loan.objects.filter(municipality=municipality, status=LoanStatus.ACTIVE, due_date__lt=today)


def asset_search(qs: Any, *, q: str = "", status: str = "", school: str = "", category: str = "") -> Any:
    """The inventory's filters. ``q`` is accent- and case-blind and looks at the tag, the serial
    number, the model (manufacturer, name) and the category; a tag or serial typed with the keyboard
    left in Greek («σερ-000017») is read as the Latin keys it was typed on (SER-000017)."""
    q = q.strip()
    if q:
        keys = latin_keys(q)
        by_words = Q()
        for word in search_words(q):
            # Every word somewhere: «φορητος dell» is a Dell of the laptops category.
            by_words &= Q(model__search_text__contains=word) | Q(model__category__search_text__contains=word)
        qs = qs.filter(
            Q(tag__icontains=q)
            | Q(serial__icontains=q)
            | Q(tag__icontains=keys)
            | Q(serial__icontains=keys)
            | by_words
        )
    if status:
        qs = qs.filter(status=status)
    if school.isdigit():
        qs = qs.filter(school_id=int(school))
    if category.isdigit():
        qs = qs.filter(model__category_id=int(category))
    return qs


def money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")


def audit_by_scan(*, municipality: Municipality, school: School, scanned: str) -> dict[str, list[Any]]:
    """Compare the labels scanned (or typed) at a school with what should be there.

    ``scanned`` holds tags or scanned QR addresses (…/assets/<pk>) separated by
    white space. The answer lists what was found, what is missing, what is out on
    loan, what belongs to another school and the tags nobody knows.
    """
    tags = set()
    for raw in scanned.split():
        token = raw.strip().rstrip("/")
        if "/" in token:  # a scanned QR gives the asset URL: …/assets/<pk>
            tail = token.rsplit("/", 1)[-1]
            found = (
                Asset.objects.filter(municipality=municipality, pk=int(tail))
                .values_list("tag", flat=True)
                .first()
                if tail.isdigit()
                else None
            )
            token = found or token
        tags.add(token.upper())
    at_school = Asset.objects.filter(municipality=municipality, school=school).select_related("model")
    expected = at_school.exclude(status__in=[AssetStatus.RETIRED, AssetStatus.ON_LOAN])
    known = {
        a.tag: a
        for a in Asset.objects.filter(municipality=municipality, tag__in=tags).select_related(
            "school", "model"
        )
    }
    return {
        "found": [a for a in expected if a.tag in tags],
        "missing": [a for a in expected if a.tag not in tags],
        "on_loan": list(at_school.filter(status=AssetStatus.ON_LOAN)),
        "elsewhere": [a for t, a in known.items() if a.school_id != school.pk],
        "unknown": sorted(t for t in tags if t not in known),
    }
