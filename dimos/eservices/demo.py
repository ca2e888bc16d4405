"""Demo data: a few applications in different states so the clerk's queue is not empty.

The catalogue itself (six services end to end, gov.gr links) is the ``eservices``
starter kit, applied by the core demo through ``municipality_bootstrap``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dimos.core.bootstrap import kits_apply
from dimos.core.capabilities import may_handle_application
from dimos.core.models import Municipality
from dimos.eservices.constants import Outcome, Status
from dimos.eservices.models import Application, Service


def seed_catalogue(municipality: Municipality) -> dict[str, Service]:
    """The ``eservices`` starter kit applied to ``municipality``, by slug.

    Kept for one release for benchmarks and older tests; new code calls
    ``dimos.core.bootstrap.kits_apply(municipality=…, kits=["eservices"])``.
    """
    kits_apply(municipality=municipality, kits=["eservices"])
    return {s.slug: s for s in Service.objects.filter(municipality=municipality)}


def _demo_applications(municipality: Municipality, catalogue: dict[str, Service]) -> None:
    """A few applications in different states, made through the real services."""
    from dimos.eservices import services

    User = get_user_model()
    clerk = User.objects.filter(username="clerk.serres").first()
    admin = User.objects.filter(username="admin.serres").first()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["maria.papadopoulou", "nikos.georgiou", "eleni.dimitriou"])
    }
    if clerk is None or len(people) < 3:
        return
    plan = [
        (
            "maria.papadopoulou",
            "dimotiki-enimerotita",
            {"purpose": "bank"},
            [Status.IN_REVIEW, Status.APPROVED],
        ),
        (
            "nikos.georgiou",
            "eggrafi-dimotologio",
            {"purpose": "any", "amka": "01017201235", "mother_name": "Αικατερίνη"},
            [Status.IN_REVIEW],
        ),
        (
            "eleni.dimitriou",
            "apokomidi-ogkodon",
            {
                "address": {"text": "Μεραρχίας 40, 621 23 Σέρρες", "lat": 41.0889, "lon": 23.5467},
                "items": ["furniture", "mattress"],
                "pieces": "3",
                "phone": "6900000000",
            },
            [],
        ),
        (
            "maria.papadopoulou",
            "eggrafi-dimotologio",
            {"purpose": "school", "amka": "", "mother_name": "Ελένη"},
            [],
        ),
    ]
    for username, slug, data, steps in plan:
        citizen, service = people[username], catalogue[slug]
        if Application.objects.filter(municipality=municipality, citizen=citizen, service=service).exists():
            continue
        with transaction.atomic():
            app = services.application_start(municipality=municipality, service=service, citizen=citizen)
            app = services.application_save_draft(
                application_id=app.pk, municipality=municipality, citizen=citizen, values=data
            )
            if services.application_missing(app):
                continue  # stays a draft (e.g. ΑΜΚΑ to be filled in by the citizen)
            app = services.application_submit(
                application_id=app.pk, municipality=municipality, citizen=citizen
            )
            # The civil-registry clerk moves their department's cases; the administrator the others.
            actor = clerk if may_handle_application(clerk, app.department_id) else admin
            for step in steps:
                services.application_transition(
                    application_id=app.pk,
                    municipality=municipality,
                    actor=actor,
                    to_status=step,
                    base_url="http://serres.localhost:8000",
                )


def seed(ctx: Any) -> None:
    """The catalogue comes from the ``eservices`` kit (core demo); here only example applications."""
    catalogue = {s.slug: s for s in Service.objects.filter(municipality=ctx.serres)}
    _demo_applications(ctx.serres, catalogue)
    links = sum(1 for s in catalogue.values() if s.outcome == Outcome.EXTERNAL)
    ctx.say(
        f"Ηλεκτρονικές υπηρεσίες: {len(catalogue) - links} υπηρεσίες του δήμου και {links} σύνδεσμοι gov.gr "
        "στο /services/· ουρά υπαλλήλων στο /staff/services/ (clerk.serres), επαλήθευση εγγράφων στο /verify/."
    )
