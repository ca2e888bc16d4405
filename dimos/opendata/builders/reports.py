"""Citizen reports: what, where (already public), when and how fast — nothing about the reporter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone

from dimos.core.models import Municipality
from dimos.core.privacy import mask_personal_data
from dimos.opendata.registry import BuildResult, Column, DatasetSpec, dataset_builder, point_geometry
from dimos.reports.models import Report

REPORTS = DatasetSpec(
    key="reports",
    title_el="Αναφορές προβλημάτων πολιτών",
    title_en="Citizen problem reports",
    description_el=(
        "Οι δημόσιες αναφορές προβλημάτων (λακκούβες, φωτισμός, καθαριότητα κ.ά.): κατηγορία, κατάσταση, "
        "δημοτική ενότητα, ημερομηνίες, χρόνος επίλυσης σε ημέρες, σημείο και η δημόσια περιγραφή, με "
        "τηλέφωνα, e-mail και αριθμούς καλυμμένους. Κανένα στοιχείο του αναφέροντος."
    ),
    description_en=(
        "Public problem reports (potholes, street lights, cleaning, …): category, status, municipal unit, "
        "dates, days to resolve, location and the public description with phone numbers, e-mail addresses "
        "and numbers masked. Nothing about the reporter."
    ),
    themes=("GOVE", "REGI"),
    keywords=("reports", "open311", "fixmystreet"),
    keywords_el=("αναφορές", "προβλήματα", "πόλη"),
    frequency="DAILY",
    columns=(
        Column("id", "int", "Αριθμός αναφοράς (όπως στο Open311)", "Report number (as in Open311)"),
        Column("category", "text", "Κωδικός κατηγορίας (service_code)", "Category code (service_code)"),
        Column("category_name", "text", "Κατηγορία", "Category"),
        Column("status", "text", "Κατάσταση", "Status"),
        Column("unit", "text", "Δημοτική ενότητα", "Municipal unit"),
        Column("created", "timestamp", "Υποβλήθηκε (ISO 8601)", "Submitted (ISO 8601)"),
        Column("resolved", "timestamp", "Επιλύθηκε ή έκλεισε (ISO 8601)", "Resolved or closed (ISO 8601)"),
        Column("days_to_resolve", "numeric", "Ημέρες ως την επίλυση", "Days to resolve"),
        Column("lat", "numeric", "Γεωγραφικό πλάτος (WGS84)", "Latitude (WGS84)"),
        Column("lon", "numeric", "Γεωγραφικό μήκος (WGS84)", "Longitude (WGS84)"),
        Column("address", "text", "Δημόσιο σημείο", "Public address"),
        Column(
            "description",
            "text",
            "Δημόσια περιγραφή (καλυμμένα προσωπικά στοιχεία)",
            "Public description (personal data masked)",
        ),
    ),
    spatial=True,
    chart=("category_name", "days_to_resolve"),
)


@dataset_builder(REPORTS, geometry=point_geometry)
def reports(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    def rows() -> Iterator[dict[str, Any]]:
        tz = timezone.get_current_timezone()
        qs = (
            Report.objects.filter(municipality=municipality, is_public=True)
            .order_by("pk")
            .values_list(
                "pk",
                "category__code",
                "category__name_el",
                "status",
                "unit__name_el",
                "created_at",
                "fixed_at",
                "closed_at",
                "lat",
                "lon",
                "public_address",
                "public_description",
            )
        )
        for pk, code, cat, status, unit, created, fixed, closed, lat, lon, address, text in qs.iterator(
            chunk_size=5000
        ):
            resolved = fixed or closed
            yield {
                "id": pk,
                "category": code,
                "category_name": cat,
                "status": status,
                "unit": unit or "",
                "created": created.astimezone(tz).isoformat(),
                "resolved": resolved.astimezone(tz).isoformat() if resolved else "",
                "days_to_resolve": round((resolved - created).total_seconds() / 86400, 1)
                if resolved
                else None,
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "address": mask_personal_data(address),
                "description": mask_personal_data(text),
            }

    return BuildResult(rows=rows())
