"""municipality_bootstrap and the starter kits: a municipality from data, not code."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dimos.appointments.models import AppointmentType, Counter, OpeningHours, ServicePoint
from dimos.core.bootstrap import kit_load, kit_names, kits_apply, municipality_bootstrap
from dimos.core.exceptions import ApplicationError
from dimos.core.models import AuditEvent, Department, Municipality, MunicipalUnit
from dimos.core.tests.factories import SQUARE, MunicipalityFactory
from dimos.eservices.models import Service
from dimos.reports.models import Category, CategoryAttribute, CategoryGroup, ExternalBody, RoutingRule

KITS = ["departments", "report-categories", "eservices", "appointments"]
UNIT = {"name_el": "Κιλκίς", "name_en": "Kilkis", "population": 24000, "boundary": SQUARE}


def _bootstrap(**overrides: Any) -> Municipality:
    values: dict[str, Any] = {
        "slug": "kilkis",
        "name_el": "Δήμος Κιλκίς",
        "name_en": "Municipality of Kilkis",
        "code": "KIL",
        "hostnames": ["kilkis.localhost"],
        "open311_jurisdiction": "kilkis.gr",
        "centre_lat": 40.993,
        "centre_lon": 22.875,
        "units": [UNIT],
        "kits": KITS,
        **overrides,
    }
    return municipality_bootstrap(**values)


def _rows(kit: str, section: str) -> list[dict[str, Any]]:
    return kit_load(kit).sections[section]


def _counts(municipality: Municipality) -> tuple[int, ...]:
    models = (Department, CategoryGroup, Category, CategoryAttribute, Service, AppointmentType, MunicipalUnit)
    return tuple(m.objects.filter(municipality=municipality).count() for m in models)


def test_it_creates_the_municipality_and_everything_in_the_kits(db):
    kilkis = _bootstrap(profile={"phone": "23410 00000"})

    assert (kilkis.slug, kilkis.code, kilkis.hostnames, kilkis.phone) == (
        "kilkis",
        "KIL",
        ["kilkis.localhost"],
        "23410 00000",
    )
    assert MunicipalUnit.objects.get(municipality=kilkis).name_en == "Kilkis"
    assert _counts(kilkis) == (
        len(_rows("departments", "departments")),
        len(_rows("report-categories", "report_groups")),
        len(_rows("report-categories", "report_categories")),
        sum(len(c.get("attributes", [])) for c in _rows("report-categories", "report_categories")),
        len(_rows("eservices", "eservices")),
        len(_rows("appointments", "appointment_types")),
        1,
    )
    esoda = Department.objects.get(municipality=kilkis, code="esoda")
    assert esoda.parent.code == "oikonomikes"
    pothole = Category.objects.get(municipality=kilkis, code="pothole")
    assert (pothole.group.code, pothole.department.code) == ("roads", "odopoiia")
    clearance = Service.objects.get(municipality=kilkis, slug="dimotiki-enimerotita")
    assert clearance.department == esoda and clearance.form and clearance.is_active
    event = AuditEvent.objects.get(action="municipality.bootstrap")
    assert event.municipality == kilkis and event.new_values["kits"] == KITS


def test_a_small_municipality_leaves_entries_for_missing_departments_unassigned(db):
    small = _bootstrap(kits=["departments-small", "report-categories"])

    assert not Category.objects.get(municipality=small, code="illegal-parking").department
    assert Category.objects.get(municipality=small, code="street-light").department.code == "ilektrofotismos"


def test_service_points_get_their_hours_and_counters_with_types(db):
    serres = MunicipalityFactory(slug="serres")
    kits_apply(municipality=serres, kits=["appointments", "serres-service-points"])

    hall = ServicePoint.objects.get(municipality=serres, name_el="Δημαρχείο Σερρών")
    assert OpeningHours.objects.filter(point=hall).count() == 5
    counter = Counter.objects.get(point=hall, name="Γκισέ 3 · Στάθμευση")
    assert [t.code for t in counter.types.all()] == ["karta-stathmefsis"]


def test_a_local_kit_links_the_water_utility_and_routes_by_unit(db):
    serres = MunicipalityFactory(slug="serres")
    MunicipalUnit.objects.create(municipality=serres, name_el="Ορεινής", name_en="Oreini", boundary=SQUARE)
    kits_apply(municipality=serres, kits=["serres-reports", "departments", "report-categories"])

    assert Category.objects.get(municipality=serres, code="water-leak").external_body.code == "deya-serron"
    rule = RoutingRule.objects.get(municipality=serres, category__code="pothole")
    assert (rule.unit.name_el, rule.department.code) == ("Ορεινής", "technikes")


def test_running_it_again_duplicates_nothing_and_keeps_the_municipalitys_edits(db):
    kilkis = _bootstrap()
    first = _counts(kilkis)
    Service.objects.filter(municipality=kilkis, slug="karta-stathmefsis").update(title_el="Κάρτα στάθμευσης")

    again = _bootstrap(name_en="Kilkis")

    assert again.pk == kilkis.pk and again.name_en == "Kilkis"
    assert _counts(kilkis) == first
    assert Service.objects.get(municipality=kilkis, slug="karta-stathmefsis").title_el == "Κάρτα στάθμευσης"
    assert AuditEvent.objects.filter(action="municipality.bootstrap_again").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "SER"}, "Ο κωδικός SER ανήκει ήδη σε άλλον δήμο."),
        (
            {"hostnames": ["Serres.localhost"]},
            "Το όνομα διακομιστή serres.localhost ανήκει ήδη στον δήμο serres.",
        ),
        (
            {"open311_jurisdiction": "serres.gr"},
            "Το Open311 jurisdiction serres.gr ανήκει ήδη σε άλλον δήμο.",
        ),
        ({"code": "kil"}, "Μη έγκυρος κωδικός «kil»"),
        ({"slug": "Κιλκίς"}, "Μη έγκυρο slug «Κιλκίς»"),
        ({"hostnames": []}, "Χρειάζεται τουλάχιστον ένα όνομα διακομιστή."),
        ({"kits": ["departments", "bins"]}, "Άγνωστο πακέτο «bins»"),
        ({"kits": ["../../settings"]}, "Άγνωστο πακέτο «../../settings»"),
        ({"kits": ["/etc/passwd.json"]}, "Άγνωστο πακέτο «/etc/passwd.json»"),
        ({"profile": {"mayor": "x"}}, "Άγνωστα στοιχεία δήμου: mayor."),
        ({"units": [{"name_el": "Χωρίς όριο"}]}, "Η δημοτική ενότητα αρ. 1 χρειάζεται"),
        ({"boundary": {"type": "Point", "coordinates": [23.5, 41.0]}}, "Το όριο πρέπει να είναι GeoJSON"),
    ],
)
def test_bad_input_is_refused_with_its_message_and_nothing_is_written(overrides, message, serres):
    before = (Municipality.objects.count(), Department.objects.count())

    with pytest.raises(ApplicationError) as caught:
        _bootstrap(**overrides)

    assert message in caught.value.message
    assert (Municipality.objects.count(), Department.objects.count()) == before


def _kit(tmp_path: Path, content: Any, name: str = "local.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"title_el": "Σπασμένο", "departments": [', "Το αρχείο local.json δεν είναι έγκυρο JSON"),
        (["not", "an", "object"], "Το αρχείο local.json πρέπει να είναι αντικείμενο JSON"),
        ({"title_el": "x", "bins": []}, "Το αρχείο local.json έχει άγνωστη ενότητα «bins»"),
        ({"title_el": "x", "departments": {}}, "η ενότητα «departments» πρέπει να είναι λίστα"),
        (
            {"title_el": "x", "departments": [{"code": "a", "name_el": "Α"}]},
            "local.json, departments[0] (a): λείπει το πεδίο «name_en»",
        ),
        (
            {"title_el": "x", "departments": [{"code": "a", "name_el": "Α", "name_en": "A", "nmae": "?"}]},
            "local.json, departments[0] (a): άγνωστο πεδίο «nmae»",
        ),
        (
            {
                "title_el": "x",
                "eservices": [{"slug": "s", "title_el": "Σ", "outcome": "document", "fee": [1]}],
            },
            "local.json, eservices[0] (s): λάθος τύπος τιμής στο πεδίο «fee»",
        ),
        (
            {"title_el": "x", "eservices": [{"slug": "s", "title_el": "Σ", "outcome": "teleport"}]},
            "local.json, eservices[0] (s): outcome:",
        ),
        (
            {"title_el": "x", "report_categories": [{"code": "c", "group": "nope", "name_el": "Κ"}]},
            "local.json, report_categories[0] (c): άγνωστη ομάδα κατηγοριών «nope»",
        ),
        (
            {
                "title_el": "x",
                "service_points": [
                    {
                        "name_el": "Σ",
                        "address": "Α",
                        "opening_hours": [{"weekdays": [0], "opens": "8", "closes": "x"}],
                    }
                ],
            },
            "local.json, service_points[0] (Σ).opening_hours[0]: μη έγκυρη ώρα «8»",
        ),
    ],
)
def test_a_malformed_kit_names_the_file_and_the_entry(tmp_path, content, message, db):
    with pytest.raises(ApplicationError) as caught:
        _bootstrap(kits=["departments", _kit(tmp_path, content)])

    assert message in caught.value.message
    assert not Municipality.objects.filter(slug="kilkis").exists()


def test_every_shipped_kit_loads():
    assert {"departments", "report-categories", "eservices", "appointments"} <= set(kit_names())
    for name in kit_names():
        assert kit_load(name).title_el


def test_the_command_lists_the_kits(db):
    out = io.StringIO()
    call_command("municipality_bootstrap", "--list-kits", stdout=out)

    for name in kit_names():
        assert name in out.getvalue()
    assert "eservices" in out.getvalue() and "Κατάλογος ηλεκτρονικών υπηρεσιών" in out.getvalue()


def test_the_command_creates_a_municipality_from_files(tmp_path, db):
    boundary = tmp_path / "kilkis.geojson"
    boundary.write_text(json.dumps({"type": "Feature", "geometry": SQUARE, "properties": {}}))
    units = tmp_path / "units.geojson"
    units.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": SQUARE, "properties": {"name_el": "Κιλκίς"}}],
            }
        )
    )
    out = io.StringIO()
    call_command(
        "municipality_bootstrap",
        "--slug=kilkis",
        "--name-el=Δήμος Κιλκίς",
        "--name-en=Municipality of Kilkis",
        "--code=KIL",
        "--host=kilkis.localhost",
        "--centre=40.993,22.875",
        f"--boundary={boundary}",
        f"--units={units}",
        "--kit=departments",
        "--kit=eservices",
        stdout=out,
    )

    kilkis = Municipality.objects.get(slug="kilkis")
    assert kilkis.open311_jurisdiction == "kilkis.gr" and kilkis.boundary == SQUARE
    assert MunicipalUnit.objects.get(municipality=kilkis).name_el == "Κιλκίς"
    assert Service.objects.filter(municipality=kilkis).count() == len(_rows("eservices", "eservices"))
    assert "Δήμος Κιλκίς (KIL)" in out.getvalue()


def test_the_command_takes_a_kit_file_by_path(tmp_path, db):
    local = _kit(
        tmp_path, {"title_el": "Τοπικό", "departments": [{"code": "kep", "name_el": "ΚΕΠ", "name_en": "KEP"}]}
    )
    call_command(
        "municipality_bootstrap",
        "--slug=kilkis",
        "--name-el=Δήμος Κιλκίς",
        "--name-en=Municipality of Kilkis",
        "--code=KIL",
        "--host=kilkis.localhost",
        "--centre=40.993,22.875",
        f"--kit={local}",
        stdout=io.StringIO(),
    )

    assert Department.objects.get(municipality__slug="kilkis").code == "kep"


def test_the_command_reports_bad_input_as_a_command_error(serres):
    with pytest.raises(CommandError, match="Ο κωδικός SER ανήκει ήδη σε άλλον δήμο"):
        call_command(
            "municipality_bootstrap",
            "--slug=kilkis",
            "--name-el=Δήμος Κιλκίς",
            "--name-en=Municipality of Kilkis",
            "--code=SER",
            "--host=kilkis.localhost",
            "--centre=40.993,22.875",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="Missing: --slug"):
        call_command("municipality_bootstrap", stdout=io.StringIO())


def test_external_bodies_are_created_once(db):
    serres = MunicipalityFactory(slug="serres")
    kits_apply(municipality=serres, kits=["departments", "report-categories", "serres-reports"])
    kits_apply(municipality=serres, kits=["serres-reports"])

    assert ExternalBody.objects.filter(municipality=serres).count() == 1
