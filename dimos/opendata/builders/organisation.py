"""The municipality itself: its units (boundaries as GeoJSON), departments and service points."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dimos.appointments.models import ServicePoint
from dimos.core.models import Department, Municipality, MunicipalUnit
from dimos.opendata.registry import BuildResult, Column, DatasetSpec, dataset_builder, point_geometry

UNITS = DatasetSpec(
    key="municipal-units",
    title_el="Δημοτικές ενότητες και τα όριά τους",
    title_en="Municipal units and their boundaries",
    description_el="Οι δημοτικές ενότητες του δήμου με πληθυσμό, έδρα και όρια (GeoJSON, WGS84).",
    description_en="The municipality's units with population, seat and boundaries (GeoJSON, WGS84).",
    themes=("REGI", "GOVE"),
    keywords=("boundaries", "administrative-units", "geojson"),
    keywords_el=("όρια", "δημοτικές ενότητες"),
    frequency="IRREG",
    columns=(
        Column("id", "int", "Κωδικός", "Identifier"),
        Column("name", "text", "Ονομασία", "Name"),
        Column("name_en", "text", "Ονομασία (αγγλικά)", "Name (English)"),
        Column("population", "int", "Πληθυσμός", "Population"),
        Column("seat_lat", "numeric", "Έδρα: γεωγραφικό πλάτος", "Seat latitude"),
        Column("seat_lon", "numeric", "Έδρα: γεωγραφικό μήκος", "Seat longitude"),
    ),
    hvd_category="c_ac64a52d",
    spatial=True,
    chart=("name", "population"),
)


def _unit_geometry(row: dict[str, Any]) -> dict[str, Any] | None:
    return row.get("_geometry")


@dataset_builder(UNITS, geometry=_unit_geometry)
def units(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    return BuildResult(
        rows=iter(
            {
                "id": u.pk,
                "name": u.name_el,
                "name_en": u.name_en,
                "population": u.population,
                "seat_lat": u.seat_lat,
                "seat_lon": u.seat_lon,
                "_geometry": u.boundary,  # not a column: the GeoJSON writer takes it as the geometry
            }
            for u in MunicipalUnit.objects.filter(municipality=municipality).order_by("name_el")
        )
    )


DEPARTMENTS = DatasetSpec(
    key="departments",
    title_el="Οργανωτικές μονάδες του δήμου",
    title_en="Departments of the municipality",
    description_el="Διευθύνσεις και τμήματα του δήμου με την ιεραρχία τους.",
    description_en="The municipality's directorates and departments with their hierarchy.",
    themes=("GOVE",),
    keywords=("organisation", "departments"),
    keywords_el=("οργανόγραμμα", "τμήματα"),
    frequency="IRREG",
    columns=(
        Column("code", "text", "Κωδικός", "Code"),
        Column("name", "text", "Ονομασία", "Name"),
        Column("name_en", "text", "Ονομασία (αγγλικά)", "Name (English)"),
        Column("parent", "text", "Κωδικός ανώτερης μονάδας", "Parent code"),
    ),
)


@dataset_builder(DEPARTMENTS)
def departments(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    return BuildResult(
        rows=iter(
            {"code": code, "name": el, "name_en": en, "parent": parent or ""}
            for code, el, en, parent in Department.objects.filter(municipality=municipality)
            .order_by("code")
            .values_list("code", "name_el", "name_en", "parent__code")
        )
    )


POINTS = DatasetSpec(
    key="service-points",
    title_el="Σημεία εξυπηρέτησης πολιτών",
    title_en="Citizen service points",
    description_el="Τα σημεία εξυπηρέτησης του δήμου (ΚΕΠ, ταμεία, γραφεία) με διεύθυνση και θέση.",
    description_en="The municipality's service points (one-stop shops, cash desks, offices) with address and location.",
    themes=("GOVE", "REGI"),
    keywords=("service-points", "appointments", "offices"),
    keywords_el=("σημεία εξυπηρέτησης", "ΚΕΠ"),
    frequency="IRREG",
    columns=(
        Column("name", "text", "Ονομασία", "Name"),
        Column("name_en", "text", "Ονομασία (αγγλικά)", "Name (English)"),
        Column("address", "text", "Διεύθυνση", "Address"),
        Column("unit", "text", "Δημοτική ενότητα", "Municipal unit"),
        Column("lat", "numeric", "Γεωγραφικό πλάτος (WGS84)", "Latitude (WGS84)"),
        Column("lon", "numeric", "Γεωγραφικό μήκος (WGS84)", "Longitude (WGS84)"),
    ),
    spatial=True,
)


@dataset_builder(POINTS, geometry=point_geometry)
def service_points(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    return BuildResult(
        rows=iter(
            {"name": el, "name_en": en, "address": address, "unit": unit or "", "lat": lat, "lon": lon}
            for el, en, address, unit, lat, lon in ServicePoint.objects.filter(
                municipality=municipality, is_active=True
            )
            .order_by("name_el")
            .values_list("name_el", "name_en", "address", "unit__name_el", "lat", "lon")
        )
    )
