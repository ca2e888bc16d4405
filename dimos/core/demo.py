"""Demo data for the core: the Municipality of Serres, a neighbour, staff, citizens.

Both municipalities are made by ``municipality_bootstrap`` with starter kits
(``dimos/core/kits/``); this module keeps only what is demo-only: the ≈ outlines
and unit seats, the demo mailboxes, staff and citizens.

Coordinates and boundaries marked ≈ are approximate (good enough for a demo map,
not for cadastral use): unit boundaries are Voronoi cells of the unit seats
clipped to an approximate municipal outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from shapely.geometry import MultiPoint, Polygon, mapping
from shapely.ops import voronoi_diagram

from dimos.core.bootstrap import kit_load, municipality_bootstrap
from dimos.core.constants import StaffRole
from dimos.core.models import Department, Municipality

DEMO_PASSWORD = "dimos-demo-2026"  # noqa: S105  (printed by make demo; demo only)


@dataclass
class DemoContext:
    """What the core seed hands to every app's ``demo.seed``."""

    serres: Municipality
    neighbour: Municipality
    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


# ≈ outline of the Municipality of Serres (lon, lat), about 600 km².
SERRES_OUTLINE = [
    (23.42, 41.00),
    (23.52, 40.975),
    (23.63, 40.99),
    (23.69, 41.06),
    (23.70, 41.20),
    (23.68, 41.32),
    (23.55, 41.34),
    (23.43, 41.30),
    (23.40, 41.17),
    (23.41, 41.06),
    (23.42, 41.00),
]
SERRES_UNITS = [
    ("Σερρών", "Serres", 60256, 41.0857, 23.5480),
    ("Σκουτάρεως", "Skoutari", 6606, 41.0200, 23.5700),
    ("Καπετάν Μητρουσίου", "Kapetan Mitrousi", 7159, 41.0700, 23.4600),
    ("Λευκώνα", "Lefkonas", 4430, 41.1000, 23.5000),
    ("Ορεινής", "Oreini", 1042, 41.2600, 23.4500),
    ("Άνω Βροντούς", "Ano Vrontou", 679, 41.2800, 23.6300),
]
# ≈ neighbour to the west: the Municipality of Heraclea (Ηράκλεια).
HERACLEA_OUTLINE = [
    (23.14, 41.04),
    (23.41, 41.06),
    (23.40, 41.17),
    (23.43, 41.30),
    (23.20, 41.30),
    (23.12, 41.16),
    (23.14, 41.04),
]
HERACLEA_UNITS = [
    ("Ηράκλειας", "Irakleia", 4700, 41.18, 23.28),
    ("Στρυμόνα", "Strymonas", 2800, 41.10, 23.36),
]

# Kept for one release for older tests and benchmarks: the rows of the ``departments`` kit.
SERRES_DEPARTMENTS = [
    (d["code"], d["name_el"], d["name_en"], d.get("parent"))
    for d in kit_load("departments").sections["departments"]
]

# Demo citizens: fictional people with checksum-valid ΑΦΜ/ΑΜΚΑ.
DEMO_CITIZENS = [
    ("maria.papadopoulou", "Μαρία", "Παπαδοπούλου", "Γεώργιος", "Ελένη", 1985),
    ("nikos.georgiou", "Νίκος", "Γεωργίου", "Δημήτριος", "Αικατερίνη", 1972),
    ("eleni.dimitriou", "Ελένη", "Δημητρίου", "Κωνσταντίνος", "Σοφία", 1994),
]


def make_afm(seed: int) -> str:
    """A checksum-valid, obviously fictional ΑΦΜ (starts with 9) for demo citizens."""
    body = f"9{seed:07d}"[:8]
    total = sum(int(d) * 2 ** (8 - i) for i, d in enumerate(body))
    return body + str(total % 11 % 10)


def _units_from_seats(outline: list[tuple[float, float]], seats: list[tuple[float, float]]) -> list[dict]:
    boundary = Polygon(outline)
    cells = voronoi_diagram(MultiPoint(seats), envelope=boundary.buffer(0.5))
    result = []
    for lon, lat in seats:
        from shapely.geometry import Point

        cell = next(c for c in cells.geoms if c.covers(Point(lon, lat)))
        result.append(mapping(cell.intersection(boundary)))
    return result


def _municipality(
    *,
    slug: str,
    identity: dict[str, Any],
    profile: dict[str, Any],
    outline: list[tuple[float, float]],
    units: list[tuple],
    kits: list[str],
) -> Municipality:
    """The municipality through ``municipality_bootstrap``, with ≈ unit boundaries."""
    polygons = _units_from_seats(outline, [(u[4], u[3]) for u in units])
    municipality = municipality_bootstrap(
        slug=slug,
        **identity,
        boundary=_as_plain(mapping(Polygon(outline))),
        units=[
            {
                "name_el": name_el,
                "name_en": name_en,
                "population": population,
                "seat_lat": lat,
                "seat_lon": lon,
                "boundary": _as_plain(polygon),
            }
            for (name_el, name_en, population, lat, lon), polygon in zip(units, polygons, strict=True)
        ],
        kits=kits,
        profile=profile,
    )
    # Demo-only: every department gets a mailbox on the demo's own domain, and
    # those that issue documents a (fictitious) signatory.
    for department in Department.objects.filter(municipality=municipality):
        email = f"{department.code}@{slug}.dimos.localhost"
        name, capacity = DEMO_SIGNATORIES.get(department.code, ("", ""))
        if (department.email, department.signatory_name, department.signatory_capacity) != (
            email,
            name,
            capacity,
        ):
            department.email = email
            department.signatory_name, department.signatory_capacity = name, capacity
            department.save(update_fields=["email", "signatory_name", "signatory_capacity", "updated_at"])
    return municipality


# Who signs the documents a department issues (fictitious people, demo only).
DEMO_SIGNATORIES = {
    "dimotologio": ("Ελένη Καραγιάννη", "Η Προϊσταμένη του Τμήματος Δημοτολογίου και Ληξιαρχείου"),
    "esoda": ("Νικόλαος Παπαγεωργίου", "Ο Προϊστάμενος του Τμήματος Εσόδων"),
    "dimotiki-astynomia": ("Αθανάσιος Δημητρίου", "Ο Διοικητής της Δημοτικής Αστυνομίας"),
}


def _as_plain(geo: Any) -> Any:
    """shapely's mapping() uses tuples; JSON fields want lists."""
    if isinstance(geo, dict):
        return {k: _as_plain(v) for k, v in geo.items()}
    if isinstance(geo, list | tuple):
        return [_as_plain(v) for v in geo]
    return geo


def _staff(
    username: str,
    *,
    first: str,
    last: str,
    role: str,
    municipality: Municipality | None,
    department: Department | None = None,
    admin: bool = False,
) -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name = first, last
    user.role, user.municipality, user.department = role, municipality, department
    user.is_staff = admin
    user.email = f"{username}@staff.dimos.localhost"
    user.email_verified = True
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


SERRES_KITS = [
    "departments",
    "report-categories",
    "eservices",
    "appointments",
    "serres-reports",
    "serres-service-points",
]
IRAKLEIA_KITS = ["departments-small", "report-categories", "eservices"]


def seed() -> DemoContext:
    serres = _municipality(
        slug="serres",
        identity={
            "name_el": "Δήμος Σερρών",
            "name_genitive": "Δήμου Σερρών",
            "name_accusative": "Δήμο Σερρών",
            "name_en": "Municipality of Serres",
            "code": "SER",
            "hostnames": ["serres.localhost", "127.0.0.1", "localhost", "testserver"],
            "open311_jurisdiction": "serres.gr",
            "centre_lat": 41.0857,
            "centre_lon": 23.5480,
        },
        profile={
            "primary_colour": "#003476",
            "address": "Κωνσταντίνου Καραμανλή 1, 621 00 Σέρρες",
            "phone": "23213 50100",
            "email": "info@serres.dimos.localhost",
            "website": "https://www.serres.gr",
            "dpo_email": "dpo@serres.dimos.localhost",
            "accessibility_email": "access@serres.dimos.localhost",
            # ≈ Serres celebrates its liberation (1913) on 29 June; configurable per municipality.
            "local_holidays": ["06-29"],
        },
        outline=SERRES_OUTLINE,
        units=SERRES_UNITS,
        kits=SERRES_KITS,
    )
    neighbour = _municipality(
        slug="irakleia",
        identity={
            "name_el": "Δήμος Ηράκλειας",
            "name_genitive": "Δήμου Ηράκλειας",
            "name_accusative": "Δήμο Ηράκλειας",
            "name_en": "Municipality of Irakleia",
            "code": "IRA",
            "hostnames": ["irakleia.localhost"],
            "open311_jurisdiction": "irakleia.gr",
            "centre_lat": 41.18,
            "centre_lon": 23.28,
        },
        profile={
            "primary_colour": "#5a2d82",
            "address": "Ηράκλεια Σερρών, 622 00",
            "phone": "23250 22222",
            "email": "info@irakleia.dimos.localhost",
            "local_holidays": [],
        },
        outline=HERACLEA_OUTLINE,
        units=HERACLEA_UNITS,
        kits=IRAKLEIA_KITS,
    )
    ctx = DemoContext(serres=serres, neighbour=neighbour)
    deps = {d.code: d for d in Department.objects.filter(municipality=serres)}
    other_deps = {d.code: d for d in Department.objects.filter(municipality=neighbour)}

    _staff(
        "admin.serres",
        first="Άννα",
        last="Καραγιάννη",
        role=StaffRole.MUNICIPAL_ADMIN,
        municipality=serres,
        department=deps["pliroforiki"],
        admin=True,
    )
    _staff(
        "head.protokollo",
        first="Γιώργος",
        last="Αθανασίου",
        role=StaffRole.DEPARTMENT_HEAD,
        municipality=serres,
        department=deps["dimotologio"],
    )
    _staff(
        "clerk.serres",
        first="Σοφία",
        last="Ιωάννου",
        role=StaffRole.CLERK,
        municipality=serres,
        department=deps["dimotologio"],
    )
    _staff(
        "clerk.technikes",
        first="Πέτρος",
        last="Νικολάου",
        role=StaffRole.SENSOR_OPERATOR,
        municipality=serres,
        department=deps["ilektrofotismos"],
    )
    _staff(
        "head.technikes",
        first="Δημήτρης",
        last="Παππάς",
        role=StaffRole.DEPARTMENT_HEAD,
        municipality=serres,
        department=deps["odopoiia"],
    )
    _staff(
        "education.serres",
        first="Ελένη",
        last="Χατζή",
        role=StaffRole.EDUCATION_OFFICER,
        municipality=serres,
        department=deps["paideia"],
    )
    _staff(
        "director.school",
        first="Κατερίνα",
        last="Μαυρίδου",
        role=StaffRole.SCHOOL_DIRECTOR,
        municipality=serres,
        department=deps["paideia"],
    )
    _staff(
        "admin.irakleia",
        first="Λάμπρος",
        last="Στεφανίδης",
        role=StaffRole.MUNICIPAL_ADMIN,
        municipality=neighbour,
        department=other_deps.get("pliroforiki"),
        admin=True,
    )
    _staff(
        "clerk.irakleia",
        first="Ευαγγελία",
        last="Τσακίρη",
        role=StaffRole.CLERK,
        municipality=neighbour,
        department=other_deps["dimotologio"],
    )
    _staff(
        "mayor.serres",
        first="Αλέξανδρος",
        last="Χρυσάφης",
        role=StaffRole.MAYOR,
        municipality=serres,
    )
    _staff(
        "region.viewer",
        first="Ιωάννα",
        last="Κεντρικού",
        role=StaffRole.REGION_VIEWER,
        municipality=None,
    )

    User = get_user_model()
    for i, (username, first, last, father, mother, year) in enumerate(DEMO_CITIZENS, start=1):
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.father_name, user.mother_name = (
            first,
            last,
            father,
            mother,
        )
        user.birth_year, user.afm = year, make_afm(1000 + i)
        user.email, user.email_verified = f"{username}@example.org", True
        user.set_unusable_password()
        user.save()

    ctx.say(f"Λογαριασμοί προσωπικού (κωδικός για όλους: {DEMO_PASSWORD}):")
    for name, what in [
        ("admin.serres", "διαχειριστής Δήμου Σερρών (και /admin/)"),
        ("clerk.serres", "υπάλληλος, Τμήμα Δημοτολογίου"),
        ("head.protokollo", "προϊστάμενος, Τμήμα Δημοτολογίου"),
        ("clerk.technikes", "χειριστής αισθητήρων, Τμήμα Ηλεκτροφωτισμού"),
        ("education.serres", "υπάλληλος παιδείας, Τμήμα Παιδείας"),
        ("head.technikes", "προϊστάμενος, Τμήμα Οδοποιίας"),
        ("director.school", "διευθύντρια σχολείου"),
        ("mayor.serres", "δήμαρχος Σερρών (πίνακας δεικτών)"),
        ("region.viewer", "Περιφέρεια Κεντρικής Μακεδονίας (συγκεντρωτικά στοιχεία όλων)"),
        ("admin.irakleia", "διαχειριστής Δήμου Ηράκλειας (δεύτερος δήμος)"),
    ]:
        ctx.say(f"  {name:18} {what}")
    ctx.say(
        "Πολίτες: «Σύνδεση με TaxisNet (επίδειξη)» → επιλέξτε Μαρία Παπαδοπούλου, Νίκο Γεωργίου ή Ελένη Δημητρίου."
    )
    return ctx
