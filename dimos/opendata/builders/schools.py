"""Schools: equipment per school and category, devices per pupil, funding proposals.

No pupil or guardian data: a school's pupil count is its published size, not a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Count

from dimos.core.models import Municipality
from dimos.opendata.registry import BuildResult, Column, DatasetSpec, dataset_builder, point_geometry
from dimos.schools.constants import AssetStatus
from dimos.schools.models import Asset, Proposal, School, SchoolYear

IN_SERVICE = [AssetStatus.IN_STOCK, AssetStatus.DEPLOYED, AssetStatus.ON_LOAN, AssetStatus.IN_REPAIR]
SCHOOL = Column("school", "text", "Σχολική μονάδα", "School")

EQUIPMENT = DatasetSpec(
    key="school-equipment",
    title_el="Εξοπλισμός σχολείων ανά κατηγορία",
    title_en="School equipment per category",
    description_el="Πλήθος ειδών εξοπλισμού σε λειτουργία (όχι αποσυρμένα) ανά σχολική μονάδα και κατηγορία.",
    description_en="Number of equipment items in service (not retired) per school and category.",
    themes=("EDUC",),
    keywords=("schools", "equipment", "digital-schools"),
    keywords_el=("σχολεία", "εξοπλισμός"),
    frequency="DAILY",
    columns=(
        SCHOOL,
        Column("category", "text", "Κατηγορία εξοπλισμού", "Equipment category"),
        Column("items", "int", "Είδη σε λειτουργία", "Items in service"),
        Column("deployed", "int", "Σε χρήση στο σχολείο", "In use at the school"),
    ),
    chart=("category", "items"),
)


@dataset_builder(EQUIPMENT)
def equipment(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    qs = (
        Asset.objects.filter(municipality=municipality, school__isnull=False, status__in=IN_SERVICE)
        .values("school__name", "model__category__name", "status")
        .annotate(n=Count("pk"))
    )
    for row in qs:
        cell = cells[(row["school__name"], row["model__category__name"])]
        cell["items"] += row["n"]
        cell["deployed"] += row["n"] if row["status"] == AssetStatus.DEPLOYED else 0
    return BuildResult(
        rows=iter(
            {"school": s, "category": c, "items": v["items"], "deployed": v["deployed"]}
            for (s, c), v in sorted(cells.items())
        )
    )


DEVICES = DatasetSpec(
    key="school-devices-per-pupil",
    title_el="Συσκευές ανά μαθητή σε κάθε σχολείο",
    title_en="Devices per pupil at each school",
    description_el="Μαθητές του τελευταίου σχολικού έτους, είδη εξοπλισμού σε λειτουργία και συσκευές ανά μαθητή, ανά σχολική μονάδα.",
    description_en="Pupils of the latest school year, equipment items in service and devices per pupil, per school.",
    themes=("EDUC",),
    keywords=("schools", "devices-per-pupil", "digital-schools"),
    keywords_el=("σχολεία", "συσκευές ανά μαθητή"),
    frequency="DAILY",
    columns=(
        SCHOOL,
        Column("school_type", "text", "Τύπος σχολείου", "School type"),
        Column("school_year", "int", "Σχολικό έτος (έναρξη)", "School year (start)"),
        Column("pupils", "int", "Μαθητές", "Pupils"),
        Column("devices", "int", "Είδη εξοπλισμού σε λειτουργία", "Equipment items in service"),
        Column("devices_per_pupil", "numeric", "Συσκευές ανά μαθητή", "Devices per pupil"),
        Column("lat", "numeric", "Γεωγραφικό πλάτος (WGS84)", "Latitude (WGS84)"),
        Column("lon", "numeric", "Γεωγραφικό μήκος (WGS84)", "Longitude (WGS84)"),
    ),
    spatial=True,
    chart=("school", "devices_per_pupil"),
)


@dataset_builder(DEVICES, geometry=point_geometry)
def devices(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    latest: dict[int, tuple[int, int]] = {}
    for school_id, year, pupils in SchoolYear.objects.filter(municipality=municipality).values_list(
        "school_id", "year", "pupils"
    ):
        if school_id not in latest or year > latest[school_id][0]:
            latest[school_id] = (year, pupils)
    counts = dict(
        Asset.objects.filter(municipality=municipality, school__isnull=False, status__in=IN_SERVICE)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )

    def rows() -> Iterator[dict[str, Any]]:
        for school in School.objects.filter(municipality=municipality, is_active=True).order_by("name"):
            year, pupils = latest.get(school.pk, (None, None))
            n = counts.get(school.pk, 0)
            yield {
                "school": school.name,
                "school_type": school.school_type,
                "school_year": year,
                "pupils": pupils,
                "devices": n,
                "devices_per_pupil": round(n / pupils, 2) if pupils else None,
                "lat": school.lat,
                "lon": school.lon,
            }

    return BuildResult(rows=rows())


PROPOSALS = DatasetSpec(
    key="school-proposals",
    title_el="Προτάσεις χρηματοδότησης εξοπλισμού σχολείων",
    title_en="School equipment funding proposals",
    description_el="Οι προτάσεις χρηματοδότησης εξοπλισμού του δήμου: πρόγραμμα, κατάσταση, ανάγκη και χρηματοδοτούμενο ποσό της τελευταίας έκδοσης.",
    description_en="The municipality's equipment funding proposals: programme, status, need and funded amount of the latest version.",
    themes=("EDUC", "GOVE"),
    keywords=("schools", "proposals", "funding"),
    keywords_el=("σχολεία", "χρηματοδότηση", "προτάσεις"),
    frequency="DAILY",
    columns=(
        Column("title", "text", "Τίτλος", "Title"),
        Column("funding_programme", "text", "Πρόγραμμα χρηματοδότησης", "Funding programme"),
        Column("status", "text", "Κατάσταση (draft, submitted, funded)", "Status (draft, submitted, funded)"),
        Column("created", "date", "Δημιουργήθηκε", "Created"),
        Column("versions", "int", "Εκδόσεις", "Versions"),
        Column(
            "total_need_eur",
            "numeric",
            "Συνολική ανάγκη (€), τελευταία έκδοση",
            "Total need (EUR), latest version",
        ),
        Column(
            "total_funded_eur",
            "numeric",
            "Χρηματοδοτούμενο ποσό (€), τελευταία έκδοση",
            "Funded amount (EUR), latest version",
        ),
    ),
    chart=("title", "total_funded_eur"),
)


@dataset_builder(PROPOSALS)
def proposals(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    def rows() -> Iterator[dict[str, Any]]:
        qs = (
            Proposal.objects.filter(municipality=municipality)
            .prefetch_related("versions")
            .order_by("created_at")
        )
        for proposal in qs:
            versions = sorted(proposal.versions.all(), key=lambda v: v.number)
            last = versions[-1] if versions else None
            yield {
                "title": proposal.title,
                "funding_programme": proposal.funding_programme,
                "status": proposal.status,
                "created": proposal.created_at.date().isoformat(),
                "versions": len(versions),
                "total_need_eur": float(last.total_need) if last else None,
                "total_funded_eur": float(last.total_funded) if last else None,
            }

    return BuildResult(rows=rows())
