"""Demo data: Serres' service points, counters, appointment types, hours, a few bookings.

Idempotent (``update_or_create`` on natural keys; bookings only for demo citizens
who have none). Coordinates are ≈ approximate, good enough for a demo map.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import (
    Appointment,
    AppointmentType,
    Closure,
    Counter,
    OpeningHours,
    ServicePoint,
)
from dimos.core.exceptions import ApplicationError
from dimos.core.models import Municipality, MunicipalUnit

TYPES = [
    (
        "vevaiosi-monimis-katoikias",
        "Βεβαίωση μόνιμης κατοικίας",
        "Certificate of permanent residence",
        15,
        "Αστυνομική ταυτότητα ή διαβατήριο· λογαριασμός ΔΕΗ ή μισθωτήριο στο όνομά σας.",
        "Identity card or passport; an electricity bill or lease in your name.",
    ),
    (
        "dimotologio",
        "Δημοτολόγιο (πιστοποιητικά, μεταδημότευση, εγγραφή)",
        "Civil register (certificates, transfer, registration)",
        20,
        "Αστυνομική ταυτότητα· για μεταδημότευση, τα δικαιολογητικά που θα σας υποδείξει ο υπάλληλος.",
        "Identity card; for a transfer, the documents the clerk tells you.",
    ),
    (
        "karta-stathmefsis",
        "Κάρτα στάθμευσης μόνιμου κατοίκου",
        "Resident parking card",
        20,
        "Μισθωτήριο ή τίτλος ιδιοκτησίας, πρόσφατος λογαριασμός ρεύματος, άδεια κυκλοφορίας του οχήματος.",
        "Lease or title deed, a recent electricity bill, the vehicle's registration.",
    ),
    (
        "dimotiki-enimerotita",
        "Δημοτική ενημερότητα (βεβαίωση μη οφειλής)",
        "Municipal tax clearance",
        10,
        "ΑΦΜ και αστυνομική ταυτότητα.",
        "Tax number and identity card.",
    ),
    (
        "epikyrosi-gnisio",
        "Επικύρωση αντιγράφων / γνήσιο υπογραφής",
        "Certified copies / signature authentication",
        10,
        "Τα πρωτότυπα έγγραφα και αστυνομική ταυτότητα.",
        "The original documents and your identity card.",
    ),
]

WEEKDAYS = range(0, 5)

# (name_el, name_en, address, unit, lat, lon, slot, hours, counters[(name, capacity, [type codes])])
POINTS = [
    (
        "Δημαρχείο Σερρών",
        "Serres Town Hall",
        "Κωνσταντίνου Καραμανλή 1, 621 00 Σέρρες",
        "Σερρών",
        41.0880,
        23.5470,
        15,
        [(d, dt.time(8, 0), dt.time(14, 30)) for d in WEEKDAYS],
        [
            ("Γκισέ 1 · Δημοτολόγιο", 1, ["dimotologio", "vevaiosi-monimis-katoikias"]),
            ("Γκισέ 2 · Δημοτολόγιο", 1, ["dimotologio", "vevaiosi-monimis-katoikias"]),
            ("Γκισέ 3 · Στάθμευση", 1, ["karta-stathmefsis"]),
            ("Γκισέ 4 · Ταμείο", 1, ["dimotiki-enimerotita"]),
        ],
    ),
    (
        "ΚΕΠ Σερρών (Διοικητήριο)",
        "KEP Serres (Diikitirio)",
        "Διοικητήριο, Πλατεία Ελευθερίας, 621 00 Σέρρες",
        "Σερρών",
        41.0857,
        23.5490,
        10,
        [(d, dt.time(8, 0), dt.time(15, 0)) for d in WEEKDAYS]
        + [(1, dt.time(17, 0), dt.time(19, 0)), (3, dt.time(17, 0), dt.time(19, 0))],
        [
            ("Θέση Α", 2, ["epikyrosi-gnisio", "vevaiosi-monimis-katoikias", "dimotologio"]),
            ("Θέση Β", 2, ["epikyrosi-gnisio", "dimotiki-enimerotita"]),
        ],
    ),
    (
        "ΚΕΠ Λευκώνα",
        "KEP Lefkonas",
        "Κοινότητα Λευκώνα, 621 00 Λευκώνας Σερρών",
        "Λευκώνα",
        41.1000,
        23.5000,
        15,
        [(d, dt.time(8, 0), dt.time(14, 0)) for d in (0, 2, 4)],
        [("Γκισέ", 1, ["epikyrosi-gnisio", "vevaiosi-monimis-katoikias"])],
    ),
]


def seed_municipality(municipality: Municipality) -> dict[str, Any]:
    types = {}
    for code, name_el, name_en, minutes, bring_el, bring_en in TYPES:
        types[code], _ = AppointmentType.objects.update_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name_el": name_el,
                "name_en": name_en,
                "duration_minutes": minutes,
                "description_el": bring_el,
                "description_en": bring_en,
                "info_url": "/services/" if code != "epikyrosi-gnisio" else "https://www.gov.gr/",
                "is_active": True,
            },
        )
    points = {}
    for name_el, name_en, address, unit, lat, lon, slot, hours, counters in POINTS:
        point, _ = ServicePoint.objects.update_or_create(
            municipality=municipality,
            name_el=name_el,
            defaults={
                "name_en": name_en,
                "address": address,
                "unit": MunicipalUnit.objects.filter(municipality=municipality, name_el=unit).first(),
                "lat": lat,
                "lon": lon,
                "slot_minutes": slot,
                "horizon_days": 30,
                "notice_minutes": 60,
                "is_active": True,
            },
        )
        points[name_el] = point
        OpeningHours.objects.filter(municipality=municipality, point=point).delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(municipality=municipality, point=point, weekday=d, opens=o, closes=c)
            for d, o, c in hours
        )
        for counter_name, capacity, codes in counters:
            counter, _ = Counter.objects.update_or_create(
                municipality=municipality,
                point=point,
                name=counter_name,
                defaults={"capacity": capacity, "is_active": True},
            )
            counter.types.set([types[c] for c in codes])
    year = timezone.localdate().year
    Closure.objects.update_or_create(
        municipality=municipality,
        point=points["ΚΕΠ Λευκώνα"],
        date_from=dt.date(year, 12, 31),
        defaults={"date_to": dt.date(year, 12, 31), "reason": "Παραμονή Πρωτοχρονιάς"},
    )
    return {"types": types, "points": points}


def _book_demo(municipality: Municipality, objects: dict[str, Any]) -> int:
    from dimos.appointments.selectors import free_slots
    from dimos.appointments.services import appointment_book

    User = get_user_model()
    plan = [
        ("maria.papadopoulou", "Δημαρχείο Σερρών", "vevaiosi-monimis-katoikias"),
        ("nikos.georgiou", "Δημαρχείο Σερρών", "karta-stathmefsis"),
        ("eleni.dimitriou", "Δημαρχείο Σερρών", "dimotologio"),
    ]
    made = 0
    for username, point_name, code in plan:
        citizen = User.objects.filter(username=username).first()
        if citizen is None:
            continue
        has_live = Appointment.objects.filter(
            municipality=municipality,
            citizen=citizen,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=timezone.now(),
        ).exists()
        if has_live:
            continue
        point, appointment_type = objects["points"][point_name], objects["types"][code]
        days = free_slots(
            municipality=municipality,
            point=point,
            appointment_type=appointment_type,
            start=timezone.localdate(),
            days=14,
        )
        slot = next((d.slots[min(made * 2, len(d.slots) - 1)] for d in days if d.slots), None)
        if slot is None:
            continue
        try:
            appointment_book(
                municipality=municipality,
                citizen=citizen,
                point=point,
                appointment_type=appointment_type,
                starts_at=slot.starts_at,
            )
        except ApplicationError:
            continue
        made += 1
    return made


def seed(ctx: Any) -> None:
    objects = seed_municipality(ctx.serres)
    made = _book_demo(ctx.serres, objects)
    ctx.say(
        "Ραντεβού: /appointments/ (πολίτες), /staff/appointments/ (λίστα ημέρας, π.χ. clerk.serres)"
        + (f" · {made} νέα ραντεβού επίδειξης" if made else "")
    )
