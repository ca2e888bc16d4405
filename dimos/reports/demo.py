"""Demo data for reports: Serres' streets, response templates, report history, an Open311 key.

The categories, their routing and the water utility are starter kits
(``report-categories``, ``serres-reports``) applied by the core demo.

Street coordinates are ≈ approximate (good enough for a demo map, not for
cadastral use).
"""

from __future__ import annotations

from typing import Any

from dimos.core.bootstrap import kits_apply
from dimos.core.models import Municipality
from dimos.reports.models import (
    Category,
    Open311Client,
    ResponseTemplate,
    Street,
)

# The Open311 key of the demo (printed by `make demo`, listed in the README).
DEMO_OPEN311_KEY = "o311_serres_demo_2026"

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
    """The report categories as the demo has them: the ``report-categories`` starter kit
    plus Serres' water utility and mountain routing (``serres-reports``).

    Kept for one release for benchmarks and older tests; new code calls
    ``dimos.core.bootstrap.kits_apply``.
    """
    kits_apply(municipality=municipality, kits=["report-categories", "serres-reports"])
    return {c.code: c for c in Category.objects.filter(municipality=municipality)}


def seed(ctx: Any) -> None:
    serres = ctx.serres
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
