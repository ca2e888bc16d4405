"""Demo data for reports: Serres' categories, routing, the water utility, streets, an Open311 key.

Street coordinates are ≈ approximate (good enough for a demo map, not for
cadastral use).
"""

from __future__ import annotations

from typing import Any

from dimos.core.models import Department, Municipality, MunicipalUnit
from dimos.reports.constants import AttributeType, DeadlineKind
from dimos.reports.models import (
    Category,
    CategoryAttribute,
    CategoryGroup,
    ExternalBody,
    Open311Client,
    ResponseTemplate,
    RoutingRule,
    Street,
)

# The Open311 key of the demo (printed by `make demo`, listed in the README).
DEMO_OPEN311_KEY = "o311_serres_demo_2026"

GROUPS = [
    # code, name_el, name_en, icon, order
    ("roads", "Οδοί και πεζοδρόμια", "Roads and pavements", "🛣️", 1),
    ("lighting", "Φωτισμός", "Street lighting", "💡", 2),
    ("cleaning", "Καθαριότητα", "Cleaning and waste", "🗑️", 3),
    ("green", "Πράσινο και ζώα", "Parks, trees and animals", "🌳", 4),
    ("traffic", "Στάθμευση και οχήματα", "Parking and vehicles", "🚗", 5),
    ("water", "Νερό και όμβρια", "Water and drainage", "💧", 6),
    ("public-space", "Κοινόχρηστοι χώροι", "Public spaces", "🏛️", 7),
]

# code, group, name_el, name_en, department, icon, deadline, kind, anonymous, radius, keywords
CATEGORIES: list[tuple[Any, ...]] = [
    (
        "pothole",
        "roads",
        "Λακκούβα / φθορά οδοστρώματος",
        "Pothole / damaged road surface",
        "odopoiia",
        "🕳️",
        15,
        DeadlineKind.WORKING,
        True,
        30,
        "λακκούβα, άσφαλτος, οδόστρωμα",
    ),
    (
        "pavement",
        "roads",
        "Πεζοδρόμια",
        "Pavements",
        "odopoiia",
        "🚶",
        20,
        DeadlineKind.WORKING,
        True,
        50,
        "πεζοδρόμιο, πλάκες, ράμπα",
    ),
    (
        "street-light",
        "lighting",
        "Σβηστός ή χαλασμένος λαμπτήρας οδοφωτισμού",
        "Street light out or broken",
        "ilektrofotismos",
        "💡",
        5,
        DeadlineKind.WORKING,
        True,
        50,
        "λάμπα, φωτισμός, κολόνα",
    ),
    (
        "waste-bin",
        "cleaning",
        "Υπερχείλιση κάδου / αποκομιδή απορριμμάτων",
        "Overflowing bin / waste collection",
        "kathariotita",
        "🗑️",
        2,
        DeadlineKind.CALENDAR,
        True,
        50,
        "κάδος, σκουπίδια, απορρίμματα",
    ),
    (
        "bulky-items",
        "cleaning",
        "Ογκώδη αντικείμενα",
        "Bulky items",
        "kathariotita",
        "🛋️",
        5,
        DeadlineKind.WORKING,
        True,
        50,
        "έπιπλα, στρώματα, ογκώδη",
    ),
    (
        "pruning",
        "green",
        "Κλαδέματα και πράσινο",
        "Pruning and green spaces",
        "prasino",
        "🌳",
        20,
        DeadlineKind.WORKING,
        True,
        50,
        "δέντρο, κλαδιά, χόρτα, πάρκο",
    ),
    (
        "stray-animals",
        "green",
        "Αδέσποτα ζώα",
        "Stray animals",
        "prasino",
        "🐕",
        5,
        DeadlineKind.WORKING,
        True,
        100,
        "σκύλοι, γάτες, αδέσποτα",
    ),
    (
        "illegal-parking",
        "traffic",
        "Παράνομη στάθμευση",
        "Illegal parking",
        "dimotiki-astynomia",
        "🅿️",
        1,
        DeadlineKind.CALENDAR,
        False,
        30,
        "στάθμευση, πάρκαρισμα, ράμπα",
    ),
    (
        "abandoned-vehicle",
        "traffic",
        "Εγκαταλελειμμένα οχήματα",
        "Abandoned vehicles",
        "dimotiki-astynomia",
        "🚙",
        20,
        DeadlineKind.WORKING,
        True,
        30,
        "αυτοκίνητο, εγκαταλελειμμένο, όχημα",
    ),
    (
        "storm-drain",
        "water",
        "Φράξιμο φρεατίου / όμβρια",
        "Blocked drain / storm water",
        "odopoiia",
        "🌧️",
        5,
        DeadlineKind.WORKING,
        True,
        50,
        "φρεάτιο, σχάρα, πλημμύρα, όμβρια",
    ),
    (
        "water-leak",
        "water",
        "Διαρροή νερού",
        "Water leak",
        None,
        "🚰",
        2,
        DeadlineKind.WORKING,
        True,
        50,
        "διαρροή, νερό, σωλήνας, ΔΕΥΑ",
    ),
    (
        "vandalism",
        "public-space",
        "Βανδαλισμοί",
        "Vandalism",
        "technikes",
        "🧱",
        15,
        DeadlineKind.WORKING,
        True,
        50,
        "γκράφιτι, ζημιά, παγκάκι",
    ),
]

ATTRIBUTES = {
    "pothole": [
        (
            "size",
            AttributeType.SINGLE,
            True,
            "Πόσο μεγάλη είναι;",
            "How big is it?",
            1,
            [
                {"key": "small", "name": "Μικρή (< 30 cm)"},
                {"key": "medium", "name": "Μεσαία (30–100 cm)"},
                {"key": "large", "name": "Μεγάλη (> 1 m)"},
            ],
        ),
    ],
    "street-light": [
        (
            "pole_number",
            AttributeType.STRING,
            False,
            "Αριθμός στύλου (αν φαίνεται)",
            "Pole number (if visible)",
            1,
            [],
        ),
        (
            "light_state",
            AttributeType.SINGLE,
            False,
            "Τι συμβαίνει;",
            "What is wrong?",
            2,
            [
                {"key": "off", "name": "Σβηστός"},
                {"key": "flickering", "name": "Αναβοσβήνει"},
                {"key": "day", "name": "Ανάβει τη μέρα"},
            ],
        ),
    ],
    "waste-bin": [
        (
            "bin_type",
            AttributeType.MULTI,
            False,
            "Τι κάδος;",
            "Which bin?",
            1,
            [
                {"key": "general", "name": "Σύμμεικτα (πράσινος)"},
                {"key": "recycling", "name": "Ανακύκλωση (μπλε)"},
                {"key": "organic", "name": "Οργανικά (καφέ)"},
            ],
        ),
    ],
}

# ≈ street points in the city of Serres.
STREETS = [
    ("Πλατεία Ελευθερίας", 41.0857, 23.5480),
    ("Κωνσταντίνου Καραμανλή", 41.0866, 23.5468),
    ("Μεραρχίας", 41.0830, 23.5530),
    ("Δορυλαίου", 41.0885, 23.5505),
    ("Ραιδεστού", 41.0905, 23.5442),
    ("Μπεκιάρη", 41.0872, 23.5512),
    ("Κοσμά Αλεξανδρίδη", 41.0843, 23.5439),
    ("Καισαρείας", 41.0898, 23.5478),
    ("Κυδωνίων", 41.0821, 23.5465),
    ("Εξοχών", 41.0930, 23.5520),
    ("Μητροπόλεως", 41.0862, 23.5492),
    ("Βενιζέλου", 41.0850, 23.5455),
    ("Εθνικής Αντιστάσεως", 41.0815, 23.5500),
    ("Ομονοίας", 41.0877, 23.5440),
]

TEMPLATES = [
    (
        "Παραλαβή από συνεργείο",
        "Η αναφορά σας ανατέθηκε σε συνεργείο του Δήμου. Ευχαριστούμε.",
        "Your report has been assigned to a municipal crew. Thank you.",
        "in_progress",
    ),
    (
        "Προγραμματισμός εργασίας",
        "Η αποκατάσταση έχει προγραμματιστεί για τις επόμενες ημέρες.",
        "The repair has been scheduled for the coming days.",
        "action_scheduled",
    ),
    (
        "Αποκαταστάθηκε",
        "Το πρόβλημα αποκαταστάθηκε. Ευχαριστούμε που το αναφέρατε!",
        "The problem has been fixed. Thank you for reporting it!",
        "fixed",
    ),
    (
        "Εκτός αρμοδιότητας",
        "Το θέμα δεν ανήκει στις αρμοδιότητες του Δήμου.",
        "This matter is not the municipality's responsibility.",
        "not_responsible",
    ),
]


def seed_categories(municipality: Municipality) -> dict[str, Category]:
    """Groups, categories, attributes, the water utility and routing rules (idempotent)."""
    deps = {d.code: d for d in Department.objects.filter(municipality=municipality)}
    deya, _ = ExternalBody.objects.update_or_create(
        municipality=municipality,
        code="deya-serron",
        defaults={
            "name_el": "ΔΕΥΑ Σερρών",
            "name_en": "Municipal Water and Sewerage Company of Serres (DEYA)",
            "email": f"vlaves@deya.{municipality.slug}.dimos.localhost",
            "website": "https://www.deyaser.gr",
        },
    )
    groups = {}
    for code, name_el, name_en, icon, order in GROUPS:
        groups[code], _ = CategoryGroup.objects.update_or_create(
            municipality=municipality,
            code=code,
            defaults={"name_el": name_el, "name_en": name_en, "icon": icon, "order": order},
        )
    categories = {}
    for order, (code, group, name_el, name_en, dep, icon, days, kind, anon, radius, keywords) in enumerate(
        CATEGORIES
    ):
        categories[code], _ = Category.objects.update_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "group": groups[group],
                "name_el": name_el,
                "name_en": name_en,
                "department": deps.get(dep) if dep else None,
                "external_body": deya if code == "water-leak" else None,
                "icon": icon,
                "deadline_days": days,
                "deadline_kind": kind,
                "allow_anonymous": anon,
                "duplicate_radius_m": radius,
                "keywords": keywords,
                "order": order,
                "description_el": name_el,
                "description_en": name_en,
            },
        )
    for code, rows in ATTRIBUTES.items():
        for attr_code, datatype, required, q_el, q_en, order, values in rows:
            CategoryAttribute.objects.update_or_create(
                municipality=municipality,
                category=categories[code],
                code=attr_code,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    "description_el": q_el,
                    "description_en": q_en,
                    "order": order,
                    "values": values,
                },
            )
    # Category × unit: in the mountain units the Directorate of Technical Services
    # itself handles the roads (no roads crew up there).
    if "technikes" in deps:
        for unit in MunicipalUnit.objects.filter(
            municipality=municipality, name_el__in=["Ορεινής", "Άνω Βροντούς"]
        ):
            for code in ("pothole", "pavement", "storm-drain"):
                RoutingRule.objects.update_or_create(
                    municipality=municipality,
                    category=categories[code],
                    unit=unit,
                    defaults={"department": deps["technikes"]},
                )
    return categories


def seed(ctx: Any) -> None:
    serres = ctx.serres
    seed_categories(serres)
    seed_categories(ctx.neighbour)
    for name, lat, lon in STREETS:
        Street.objects.update_or_create(municipality=serres, name=name, defaults={"lat": lat, "lon": lon})
    for title, el, en, status in TEMPLATES:
        ResponseTemplate.objects.update_or_create(
            municipality=serres, title=title, defaults={"text_el": el, "text_en": en, "status": status}
        )
    categories = {c.code: c for c in Category.objects.filter(municipality=serres)}
    from dimos.reports.classifier import train
    from dimos.reports.demo_history import seed_history

    if seed_history(serres, categories):
        result = train(serres)
        if result.accuracy is not None:
            ctx.say(
                f"Αναφορές: {result.samples} παλαιότερες αναφορές επίδειξης· πρόταση κατηγορίας "
                f"με ακρίβεια {result.accuracy:.0%} σε δεδομένα ελέγχου."
            )
    from dimos.reports.services import hash_key, open311_client_issue

    if not Open311Client.objects.filter(key_hash=hash_key(DEMO_OPEN311_KEY)).exists():
        open311_client_issue(municipality=serres, name="Εφαρμογή επίδειξης Open311", raw_key=DEMO_OPEN311_KEY)
    ctx.say(
        f"  Open311   : /open311/v2/ on the demo's address (jurisdiction_id=serres.gr, api_key={DEMO_OPEN311_KEY})"
    )
