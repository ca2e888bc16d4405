"""Demo data: Serres' schools with realistic inventories, standards and a draft proposal.

Idempotent: schools, catalogue and standards are upserted; each school's
inventory, loans and repairs are created once (deterministic serials); the
proposal gets its versions only the first time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from dimos.core.geo import unit_at
from dimos.schools import services
from dimos.schools.constants import AssetStatus, EventKind, PriorityRule, SchoolType, StandardBasis
from dimos.schools.models import (
    Asset,
    AssetEvent,
    EquipmentCategory,
    EquipmentModel,
    Licence,
    Loan,
    Proposal,
    Repair,
    School,
    SchoolYear,
    Standard,
)
from dimos.schools.selectors import current_school_year

CATEGORIES = [
    ("tablet", "Ταμπλέτα", "Tablet"),
    ("laptop", "Φορητός υπολογιστής", "Laptop"),
    ("desktop", "Επιτραπέζιος υπολογιστής", "Desktop computer"),
    ("board", "Διαδραστικός πίνακας", "Interactive whiteboard"),
    ("projector", "Προβολικό", "Projector"),
    ("doccam", "Κάμερα εγγράφων", "Document camera"),
    ("printer3d", "Τρισδιάστατος εκτυπωτής", "3D printer"),
    ("robotics", "Πακέτο εκπαιδευτικής ρομποτικής", "Educational robotics kit"),
    ("network", "Δικτυακός εξοπλισμός", "Network equipment"),
]
# code, category, manufacturer, name, price (€, VAT incl.), expected life (years)
MODELS = [
    ("tab-lenovo-m10", "tablet", "Lenovo", 'Tab M10 (3rd gen) 10,1"', "229.00", 4),
    ("tab-samsung-a9", "tablet", "Samsung", 'Galaxy Tab A9+ 11"', "259.00", 4),
    ("lap-lenovo-v15", "laptop", "Lenovo", "V15 G4 i5/16GB/512GB", "689.00", 5),
    ("lap-hp-250", "laptop", "HP", "250 G8 i3/8GB/256GB", "549.00", 5),
    ("pc-dell-3000", "desktop", "Dell", "OptiPlex 3000 SFF i5", "719.00", 6),
    ("ib-benq-75", "board", "BenQ", 'RM7503 75" διαδραστική οθόνη', "2190.00", 8),
    ("ib-smart-65", "board", "SMART", 'Board MX265 65"', "1890.00", 8),
    ("proj-epson-w52", "projector", "Epson", "EB-W52 WXGA", "479.00", 6),
    ("cam-ipevo-v4k", "doccam", "IPEVO", "V4K Ultra HD", "119.00", 6),
    ("3d-prusa-mk4", "printer3d", "Prusa Research", "MK4 (συναρμολογημένος)", "1299.00", 6),
    ("rob-spike-prime", "robotics", "LEGO Education", "SPIKE Prime σετ", "439.00", 6),
    ("rob-beebot", "robotics", "TTS", "Bee-Bot σετ 6 τεμαχίων", "389.00", 6),
    ("net-ubnt-u6", "network", "Ubiquiti", "UniFi U6+ access point", "169.00", 7),
]
STANDARDS = {
    SchoolType.PRIMARY: [
        ("board", StandardBasis.PER_CLASSROOM, 1, 1, "ib-benq-75"),
        ("laptop", StandardBasis.PER_TEACHER, 1, 1, "lap-lenovo-v15"),
        ("tablet", StandardBasis.PER_PUPILS, 1, 4, "tab-samsung-a9"),
        ("doccam", StandardBasis.PER_CLASSROOM, 1, 2, "cam-ipevo-v4k"),
        ("robotics", StandardBasis.PER_SCHOOL, 4, 1, "rob-spike-prime"),
        ("printer3d", StandardBasis.PER_SCHOOL, 1, 1, "3d-prusa-mk4"),
        ("network", StandardBasis.PER_CLASSROOM, 1, 3, "net-ubnt-u6"),
    ],
    SchoolType.KINDERGARTEN: [
        ("board", StandardBasis.PER_CLASSROOM, 1, 1, "ib-smart-65"),
        ("laptop", StandardBasis.PER_TEACHER, 1, 1, "lap-lenovo-v15"),
        ("tablet", StandardBasis.PER_PUPILS, 1, 5, "tab-lenovo-m10"),
        ("robotics", StandardBasis.PER_SCHOOL, 1, 1, "rob-beebot"),
    ],
}

# ≈ locations: city schools spread around the centre of Serres; villages at their seats.
CITY = (41.0857, 23.5480)


def _schools() -> list[dict[str, Any]]:
    rng = random.Random(2026)
    rows: list[dict[str, Any]] = []
    for n in [*range(1, 9), *range(10, 17)]:  # 15 primary schools, the 9th left out
        classrooms = rng.randint(6, 12)
        rows.append(
            {
                "name": f"{n}ο Δημοτικό Σχολείο Σερρών",
                "school_type": SchoolType.PRIMARY,
                "classrooms": classrooms,
                "pupils": classrooms * rng.randint(18, 24) + rng.randint(0, 12),
                "lat": CITY[0] + rng.uniform(-0.018, 0.018),
                "lon": CITY[1] + rng.uniform(-0.022, 0.022),
                "address": f"Σέρρες, {['Μεραρχίας', 'Βενιζέλου', 'Μητροπόλεως', 'Ανθίμου Γαζή', 'Κωνσταντινουπόλεως', 'Π. Μελά', 'Εθνικής Αντιστάσεως', 'Μ. Ασίας'][n % 8]} {rng.randint(2, 90)}",
            }
        )
    for n in range(1, 11):
        classrooms = rng.randint(1, 2)
        rows.append(
            {
                "name": f"{n}ο Νηπιαγωγείο Σερρών",
                "school_type": SchoolType.KINDERGARTEN,
                "classrooms": classrooms,
                "pupils": classrooms * rng.randint(15, 23),
                "lat": CITY[0] + rng.uniform(-0.02, 0.02),
                "lon": CITY[1] + rng.uniform(-0.025, 0.025),
                "address": "Σέρρες",
            }
        )
    for name, kind, lat, lon, classrooms, pupils in [
        ("Δημοτικό Σχολείο Λευκώνα", SchoolType.PRIMARY, 41.1003, 23.4998, 6, 118),
        ("Δημοτικό Σχολείο Σκουτάρεως", SchoolType.PRIMARY, 41.0203, 23.5703, 6, 96),
        ("Δημοτικό Σχολείο Μητρουσίου", SchoolType.PRIMARY, 41.0702, 23.4603, 4, 64),
        ("Νηπιαγωγείο Λευκώνα", SchoolType.KINDERGARTEN, 41.1010, 23.5010, 1, 19),
        ("Νηπιαγωγείο Σκουτάρεως", SchoolType.KINDERGARTEN, 41.0210, 23.5710, 1, 16),
    ]:
        rows.append(
            {
                "name": name,
                "school_type": kind,
                "classrooms": classrooms,
                "pupils": pupils,
                "lat": lat,
                "lon": lon,
                "address": name.split()[-1],
            }
        )
    return rows


def _inventory(
    school: School, pupils: int, teachers: int, rng: random.Random
) -> list[tuple[str, str, date | None]]:
    """(model code, room, purchase date) of a school's existing equipment: uneven on purpose."""
    items: list[tuple[str, str, date | None]] = []
    wealth = rng.random()  # some schools were equipped by earlier programmes, some not

    def bought(lo: int, hi: int) -> date:
        return date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))

    rooms = [f"Αίθουσα {i}" for i in range(1, school.classrooms + 1)]
    if school.school_type == SchoolType.PRIMARY:
        for room in rooms:
            if rng.random() < 0.25 + 0.6 * wealth:
                items.append((rng.choice(["ib-benq-75", "ib-smart-65"]), room, bought(2016, 2024)))
            elif rng.random() < 0.7:
                items.append(("proj-epson-w52", room, bought(2014, 2021)))
            if rng.random() < 0.3 * wealth + 0.1:
                items.append(("cam-ipevo-v4k", room, bought(2020, 2024)))
        for _ in range(int(teachers * (0.3 + 0.6 * wealth))):
            items.append(
                (rng.choice(["lap-hp-250", "lap-lenovo-v15"]), "Γραφείο εκπαιδευτικών", bought(2017, 2025))
            )
        for _ in range(rng.randint(8, 15)):
            items.append(("pc-dell-3000", "Εργαστήριο πληροφορικής", bought(2016, 2024)))
        for _ in range(int(pupils / 4 * wealth * 0.8)):
            items.append(
                (rng.choice(["tab-lenovo-m10", "tab-samsung-a9"]), "Ντουλάπι tablet", bought(2020, 2025))
            )
        for _ in range(int(4 * wealth)):
            items.append(("rob-spike-prime", "Εργαστήριο πληροφορικής", bought(2021, 2024)))
        if wealth > 0.7:
            items.append(("3d-prusa-mk4", "Εργαστήριο πληροφορικής", bought(2023, 2024)))
        for _ in range(max(1, school.classrooms // 4)):
            items.append(("net-ubnt-u6", "Διάδρομος", bought(2018, 2024)))
    else:
        for room in rooms:
            if rng.random() < 0.5 * wealth + 0.1:
                items.append(("ib-smart-65", room, bought(2018, 2024)))
        for _ in range(int(teachers * wealth)):
            items.append(("lap-hp-250", "Γραφείο", bought(2018, 2025)))
        for _ in range(int(pupils / 5 * wealth * 0.7)):
            items.append(("tab-lenovo-m10", "Ντουλάπι", bought(2020, 2025)))
        if wealth > 0.5:
            items.append(("rob-beebot", "Τάξη", bought(2021, 2024)))
    return items


def seed(ctx: Any) -> None:
    serres = ctx.serres
    today = timezone.localdate()
    year = current_school_year(today)
    cats = {}
    for code, name, name_en in CATEGORIES:
        cats[code], _ = EquipmentCategory.objects.update_or_create(
            municipality=serres, code=code, defaults={"name": name, "name_en": name_en}
        )
    models = {}
    for code, cat, manufacturer, name, price, life in MODELS:
        models[code], _ = EquipmentModel.objects.update_or_create(
            municipality=serres,
            code=code,
            defaults={
                "category": cats[cat],
                "manufacturer": manufacturer,
                "name": name,
                "unit_price": Decimal(price),
                "expected_life_years": life,
            },
        )
    for kind, rows in STANDARDS.items():
        for cat, basis, quantity, per, model in rows:
            Standard.objects.update_or_create(
                municipality=serres,
                school_type=kind,
                category=cats[cat],
                defaults={"basis": basis, "quantity": quantity, "per": per, "model": models[model]},
            )

    director = get_user_model().objects.filter(username="director.school").first()
    rng = random.Random(9)
    schools: list[tuple[School, int, int]] = []
    for row in _schools():
        pupils = row.pop("pupils")
        school, _ = School.objects.update_or_create(municipality=serres, name=row["name"], defaults=row)
        school.unit = unit_at(serres, school.lat, school.lon)
        if director is not None and row["name"] == "1ο Δημοτικό Σχολείο Σερρών":
            school.director = director
        school.save()
        teachers = max(2, round(pupils / (11 if row["school_type"] == SchoolType.PRIMARY else 12)))
        for y, p in ((year - 1, pupils + rng.randint(-12, 12)), (year, pupils)):
            SchoolYear.objects.update_or_create(
                municipality=serres,
                school=school,
                year=y,
                defaults={"pupils": max(10, p), "teachers": teachers},
            )
        schools.append((school, pupils, teachers))

    created = 0
    for idx, (school, pupils, teachers) in enumerate(schools, start=1):
        if Asset.objects.filter(municipality=serres, school=school).exists():
            continue
        items = _inventory(school, pupils, teachers, random.Random(1000 + idx))
        tags = services.asset_tags_allocate(municipality=serres, count=len(items))
        assets = Asset.objects.bulk_create(
            Asset(
                municipality=serres,
                tag=tag,
                model=models[code],
                serial=f"{code.split('-')[1].upper()}{idx:02d}{n:04d}",
                status=AssetStatus.DEPLOYED,
                school=school,
                room=room,
                purchase_date=bought,
                supplier=rng.choice(
                    ["Πληροφορική Σερρών Α.Ε.", "Info Quest Technologies", "Κωτσόβολος B2B", "Space Hellas"]
                ),
                order_ref=f"ΣΥΜ-{bought.year}-{rng.randint(10, 99)}" if bought else "",
                cost=models[code].unit_price,
                warranty_end=bought.replace(year=bought.year + 2) if bought else None,
                funding_source=rng.choice(
                    ["Τακτικός προϋπολογισμός", "ΕΣΠΑ 2014-2020", "Ταμείο Ανάκαμψης", "Δωρεά"]
                ),
            )
            for n, (tag, (code, room, bought)) in enumerate(zip(tags, items, strict=True), start=1)
        )
        AssetEvent.objects.bulk_create(
            AssetEvent(
                municipality=serres,
                asset=a,
                kind=EventKind.IMPORTED,
                to_status=a.status,
                to_school=school,
                to_room=a.room,
                comment="Αρχική απογραφή",
            )
            for a in assets
        )
        created += len(assets)
        # A few devices past their life are retired; a few are spare in stock.
        for a in assets[:: max(7, len(assets) // 3)]:
            if a.past_life:
                services.asset_transition(
                    asset=a, to_status=AssetStatus.RETIRED, actor=None, comment="Απόσυρση λόγω παλαιότητας"
                )

    # Loans and repairs at the director's school (and a couple elsewhere), once.
    first = schools[0][0]
    if not Loan.objects.filter(municipality=serres).exists():
        tablets = list(
            Asset.objects.filter(
                municipality=serres, school=first, model__category__code="tablet", status=AssetStatus.DEPLOYED
            )[:4]
        )
        people = [
            ("pupil", "Γ. Π.", "Ε1", "Κηδεμόνας Γ. Π."),
            ("pupil", "Α. Κ.", "ΣΤ2", "Κηδεμόνας Α. Κ."),
            ("teacher", "Ε. Δ.", "", ""),
            ("pupil", "Μ. Λ.", "Δ1", "Κηδεμόνας Μ. Λ."),
        ]
        for i, (asset, (kind, name, klass, guardian)) in enumerate(zip(tablets, people, strict=False)):
            loan = services.loan_checkout(
                asset=asset,
                borrower_kind=kind,
                borrower_name=name,
                pupil_class=klass,
                guardian_name=guardian,
                guardian_consent=kind == "pupil",
                due_date=today + timedelta(days=60 + 10 * i),
                actor=director,
            )
            if i == 3:  # one overdue loan for the reminders
                Loan.objects.filter(pk=loan.pk).update(
                    start_date=today - timedelta(days=90), due_date=today - timedelta(days=5)
                )
    if not Repair.objects.filter(municipality=serres).exists():
        board = Asset.objects.filter(
            municipality=serres, school=first, model__category__code="board", status=AssetStatus.DEPLOYED
        ).first()
        if board is not None:
            services.repair_report(
                asset=board,
                description="Η διαδραστική οθόνη της αίθουσας δεν αναγνωρίζει την αφή στο κάτω μισό.",
                actor=director,
            )
        for school, _p, _t in schools[3:6]:
            asset = Asset.objects.filter(
                municipality=serres, school=school, status=AssetStatus.DEPLOYED
            ).first()
            if asset is not None:
                repair = services.repair_report(
                    asset=asset, description="Δεν ενεργοποιείται· πιθανή βλάβη τροφοδοτικού.", actor=None
                )
                services.repair_update(
                    repair=repair,
                    status="at_supplier",
                    supplier="Πληροφορική Σερρών Α.Ε.",
                    cost=Decimal("65.00"),
                    actor=None,
                )

    for product, vendor, seats, days, cost in [
        ("LEGO Education SPIKE App (σχολική άδεια)", "LEGO Education", 400, 300, "0"),
        ("Λογισμικό διαδραστικών πινάκων SMART Learning Suite", "SMART Technologies", 120, 35, "4800.00"),
        ("Πλατφόρμα σχεδίασης 3Δ για σχολεία", "Autodesk", 200, 500, "0"),
    ]:
        licence, _ = Licence.objects.update_or_create(
            municipality=serres,
            product=product,
            defaults={
                "vendor": vendor,
                "seats": seats,
                "valid_until": today + timedelta(days=days),
                "cost": Decimal(cost),
                "funding_source": "Τακτικός προϋπολογισμός",
            },
        )
        if not licence.assignments.exists():
            for school, _p, _t in schools[:: 3 if seats > 150 else 5][:8]:
                services.licence_assign(
                    licence=licence, school=school, seats=min(30, seats // 10), actor=None
                )

    title = "Ψηφιακός εξοπλισμός σχολείων Δήμου Σερρών 2026"
    proposal, made = Proposal.objects.get_or_create(
        municipality=serres,
        title=title,
        defaults={"funding_programme": "Πρόγραμμα «Κεντρική Μακεδονία 2021-2027»"},
    )
    if made or not proposal.versions.exists():
        services.proposal_version_build(
            proposal=proposal,
            budget_cap=Decimal("250000"),
            rule=PriorityRule.GAP_PER_PUPIL,
            actor=None,
            note="Πρώτο σχέδιο",
        )
        services.proposal_version_build(
            proposal=proposal,
            budget_cap=Decimal("320000"),
            rule=PriorityRule.GAP_PER_PUPIL,
            actor=None,
            note="Μετά τη συνάντηση με την Περιφέρεια",
        )
    ctx.say(
        f"Ψηφιακά σχολεία: {len(schools)} σχολεία, {Asset.objects.filter(municipality=serres).count()} πάγια "
        f"(+{created} νέα)· /staff/schools/ (admin.serres) και «Το σχολείο μου» (director.school)."
    )


def background(stop: Any) -> None:
    """In the demo, send the daily reminders (expiring licences, overdue loans) once an hour.

    Both are idempotent per day/expiry date; production runs ``manage.py schools_reminders`` from cron.
    """
    import logging
    import time

    from django.db import close_old_connections

    log = logging.getLogger("dimos.schools")
    next_run = 0.0
    while not stop():
        if time.monotonic() >= next_run:
            close_old_connections()
            try:
                services.licence_reminders_send()
                services.loan_overdue_reminders_send()
            except Exception:
                log.exception("schools demo reminders failed")
            next_run = time.monotonic() + 3600
        time.sleep(1)
