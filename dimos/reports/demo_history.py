"""A realistic demo history of citizen reports for Serres (several hundred, Greek).

Used by the demo (public map, statistics, staff queue) and to train the category
suggestion classifier. Texts are generated from phrases typical of Greek city
reporting systems, with the usual variety of citizens' spelling (some without
accents, some in capitals). Locations are ≈ points in the city and villages.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.utils import timezone

from dimos.core.geo import unit_at
from dimos.core.greek import normalize_greek
from dimos.core.models import Municipality
from dimos.core.privacy import mask_personal_data
from dimos.reports.constants import OPEN_STATUSES, ReportStatus, Source, UpdateKind
from dimos.reports.models import Category, Report, ReportUpdate
from dimos.reports.selectors import route_for

DEMO_MARK = "demo-history"

PHRASES: dict[str, list[str]] = {
    "pothole": [
        "Μεγάλη λακκούβα {where}, τα αυτοκίνητα πέφτουν μέσα",
        "Λακκούβα στο οδόστρωμα {where} γεμάτη νερά",
        "Έχει φθαρεί η άσφαλτος {where} και έχουν ανοίξει λάκκοι",
        "Επικίνδυνη λακκούβα {where}, κινδυνεύουν οι μοτοσικλετιστές",
        "Μετά τα έργα έμεινε τρύπα στον δρόμο {where}",
        "Βούλιαξε το οδόστρωμα {where}",
        "Σπασμένη άσφαλτος και χαλίκια {where}",
        "Λακκούβες σε όλο το μήκος του δρόμου {where}",
    ],
    "pavement": [
        "Σπασμένες πλάκες στο πεζοδρόμιο {where}",
        "Το πεζοδρόμιο {where} έχει ξηλωθεί και δεν περνάει καροτσάκι",
        "Λείπει η ράμπα αναπήρων στη διάβαση {where}",
        "Κουνιούνται οι πλάκες του πεζοδρομίου {where}, σκόνταψε ηλικιωμένη",
        "Οι ρίζες του δέντρου σήκωσαν το πεζοδρόμιο {where}",
        "Τρύπα στο πεζοδρόμιο {where}",
    ],
    "street-light": [
        "Η λάμπα του στύλου {where} είναι σβηστή",
        "Δεν ανάβει ο φανοστάτης {where} εδώ και μέρες",
        "Αναβοσβήνει η λάμπα οδοφωτισμού {where}",
        "Σκοτάδι {where}, καμένος λαμπτήρας",
        "Ο οδοφωτισμός {where} ανάβει και την ημέρα",
        "Σβηστές κολόνες φωτισμού {where}, δεν βλέπουμε το βράδυ",
        "Χαλασμένο φωτιστικό {where}",
        "Κρέμεται το φωτιστικό του στύλου {where}",
    ],
    "waste-bin": [
        "Ο κάδος απορριμμάτων {where} ξεχειλίζει",
        "Γεμάτοι κάδοι σκουπιδιών {where}, μυρίζει",
        "Δεν πέρασε το απορριμματοφόρο {where} εδώ και τρεις μέρες",
        "Σκουπίδια πεταμένα γύρω από τον κάδο {where}",
        "Ο μπλε κάδος ανακύκλωσης {where} είναι γεμάτος",
        "Σπασμένο καπάκι στον κάδο {where}, τα σκουπίδια σκορπίζονται",
        "Χρειάζεται πλύσιμο ο κάδος {where}",
    ],
    "bulky-items": [
        "Πετάξανε έναν καναπέ {where}",
        "Παλιά στρώματα και έπιπλα {where} εδώ και μια εβδομάδα",
        "Ογκώδη αντικείμενα, ένα ψυγείο και μια ντουλάπα {where}",
        "Μπάζα και ξύλα από ανακαίνιση {where}",
        "Πεταμένη ηλεκτρική κουζίνα δίπλα στους κάδους {where}",
        "Κλαδιά και ογκώδη απορρίμματα {where} περιμένουν αποκομιδή",
    ],
    "pruning": [
        "Τα κλαδιά του δέντρου {where} ακουμπάνε στα καλώδια",
        "Χρειάζεται κλάδεμα το δέντρο {where}, κρύβει την πινακίδα",
        "Ψηλά χόρτα στο πάρκο {where}",
        "Έπεσε κλαδί {where} μετά τον αέρα",
        "Ξερό δέντρο {where} κινδυνεύει να πέσει",
        "Τα παρτέρια {where} είναι απεριποίητα και γεμάτα αγριόχορτα",
        "Να κοπούν τα χόρτα στην παιδική χαρά {where}",
    ],
    "stray-animals": [
        "Αγέλη αδέσποτων σκύλων {where} γαβγίζει στα παιδιά",
        "Τραυματισμένος αδέσποτος σκύλος {where}",
        "Αδέσποτα σκυλιά κυνηγούν τους ποδηλάτες {where}",
        "Νεκρό ζώο στον δρόμο {where}",
        "Εγκαταλελειμμένα κουτάβια {where}",
        "Επιθετικός αδέσποτος σκύλος {where}",
    ],
    "illegal-parking": [
        "Αυτοκίνητο παρκαρισμένο πάνω στη ράμπα {where}",
        "Παράνομη στάθμευση στη διάβαση πεζών {where}",
        "Διπλοπαρκαρισμένα αυτοκίνητα {where} κλείνουν τον δρόμο",
        "Φορτηγό σταθμεύει πάνω στο πεζοδρόμιο {where}",
        "Σταθμευμένο όχημα μπροστά στην είσοδο του γκαράζ {where}",
        "Παρκάρουν στη θέση ΑμεΑ {where}",
    ],
    "abandoned-vehicle": [
        "Εγκαταλελειμμένο αυτοκίνητο {where} εδώ και μήνες",
        "Παρατημένο σκουριασμένο όχημα χωρίς πινακίδες {where}",
        "Εγκαταλελειμμένη μοτοσικλέτα {where}",
        "Αυτοκίνητο με σκασμένα λάστιχα παρατημένο {where}",
        "Τρέιλερ εγκαταλελειμμένο {where}",
    ],
    "storm-drain": [
        "Βουλωμένο φρεάτιο {where}, με τη βροχή πλημμυρίζει ο δρόμος",
        "Η σχάρα των ομβρίων {where} είναι γεμάτη φύλλα",
        "Λιμνάζουν νερά {where} γιατί έχει φράξει το φρεάτιο",
        "Σπασμένη σχάρα φρεατίου {where}",
        "Λείπει το καπάκι του φρεατίου {where}, επικίνδυνο",
        "Πλημμυρίζει η διασταύρωση {where} σε κάθε βροχή",
    ],
    "water-leak": [
        "Τρέχουν νερά από το οδόστρωμα {where}, διαρροή από σωλήνα",
        "Διαρροή νερού από τον μετρητή {where}",
        "Σπασμένος αγωγός ύδρευσης {where}",
        "Βγαίνει νερό από το πεζοδρόμιο {where} εδώ και δύο μέρες",
        "Χαμηλή πίεση και διαρροή νερού {where}",
        "Σκασμένη σωλήνα του δικτύου {where}, χάνεται πόσιμο νερό",
    ],
    "vandalism": [
        "Γκράφιτι στον τοίχο του σχολείου {where}",
        "Σπασμένο παγκάκι {where}",
        "Κατέστρεψαν την κούνια στην παιδική χαρά {where}",
        "Σπασμένη στάση λεωφορείου {where}",
        "Βανδαλισμένη πινακίδα {where}",
        "Έσπασαν τα φωτιστικά του πάρκου {where}",
    ],
}

WHERE = [
    "στην οδό {s}",
    "στην {s}",
    "επί της {s}",
    "στη γωνία {s} και {t}",
    "μπροστά στο {n} της {s}",
    "κοντά στην πλατεία Ελευθερίας",
    "δίπλα στο Μπεζεστένι",
    "στον δρόμο για τον Κουλά",
    "έξω από το {k}ο Δημοτικό Σχολείο",
    "στη γειτονιά μας, {s} {n}",
    "πίσω από τη Μητρόπολη",
    "στα Άγια Ανάργυρα",
    "στο χωριό",
]

EXTRAS = [
    "",
    "",
    "",
    " Παρακαλώ να έρθει συνεργείο.",
    " Το έχουμε αναφέρει και τηλεφωνικά.",
    " Είναι επικίνδυνο για τα παιδιά.",
    " Ευχαριστώ.",
    " Ισχύει εδώ και εβδομάδες.",
]

# ≈ points: city streets and a few villages.
POINTS = [
    (41.0857, 23.5480),
    (41.0866, 23.5468),
    (41.0830, 23.5530),
    (41.0885, 23.5505),
    (41.0905, 23.5442),
    (41.0872, 23.5512),
    (41.0843, 23.5439),
    (41.0898, 23.5478),
    (41.0821, 23.5465),
    (41.0930, 23.5520),
    (41.0862, 23.5492),
    (41.0850, 23.5455),
    (41.0815, 23.5500),
    (41.0877, 23.5440),
    (41.0200, 23.5700),
    (41.0700, 23.4600),
    (41.1000, 23.5000),
    (41.2600, 23.4500),
    (41.2800, 23.6300),
]
STREETS = [
    "Μεραρχίας",
    "Δορυλαίου",
    "Ραιδεστού",
    "Μπεκιάρη",
    "Κοσμά Αλεξανδρίδη",
    "Καισαρείας",
    "Κυδωνίων",
    "Εξοχών",
    "Μητροπόλεως",
    "Βενιζέλου",
    "Εθνικής Αντιστάσεως",
    "Ομονοίας",
    "Κωνσταντίνου Καραμανλή",
]
# Relative frequency of categories (street lights and bins dominate, as in real systems).
WEIGHTS = {
    "pothole": 12,
    "pavement": 7,
    "street-light": 16,
    "waste-bin": 15,
    "bulky-items": 8,
    "pruning": 8,
    "stray-animals": 5,
    "illegal-parking": 7,
    "abandoned-vehicle": 4,
    "storm-drain": 6,
    "water-leak": 5,
    "vandalism": 5,
}


# Citizens do not always pick the "right" category: pairs that are often confused.
CONFUSED = {
    "pothole": "pavement",
    "pavement": "pothole",
    "waste-bin": "bulky-items",
    "bulky-items": "waste-bin",
    "storm-drain": "water-leak",
    "water-leak": "storm-drain",
    "vandalism": "street-light",
    "illegal-parking": "abandoned-vehicle",
    "abandoned-vehicle": "illegal-parking",
    "pruning": "vandalism",
}


def _text(rng: random.Random, code: str) -> str:
    if code in CONFUSED and rng.random() < 0.08:
        code = CONFUSED[code]
    where = rng.choice(WHERE).format(
        s=rng.choice(STREETS), t=rng.choice(STREETS), n=rng.randint(1, 120), k=rng.randint(1, 20)
    )
    text = rng.choice(PHRASES[code]).format(where=where) + rng.choice(EXTRAS)
    style = rng.random()
    if style < 0.15:
        text = normalize_greek(text)  # typed without accents
    elif style < 0.2:
        text = text.upper()
    return text


def seed_history(
    municipality: Municipality, categories: dict[str, Category], *, count: int = 600, seed: int = 2026
) -> int:
    """Create ``count`` past reports once (idempotent: skipped if they exist)."""
    if Report.objects.filter(municipality=municipality, device_id=DEMO_MARK).exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    codes = [c for c in WEIGHTS if c in categories]
    weights = [WEIGHTS[c] for c in codes]
    units = {}
    reports = []
    for _i in range(count):
        code = rng.choices(codes, weights)[0]
        category = categories[code]
        lat0, lon0 = rng.choice(POINTS)
        lat, lon = lat0 + rng.uniform(-0.004, 0.004), lon0 + rng.uniform(-0.005, 0.005)
        key = (round(lat, 3), round(lon, 3))
        if key not in units:
            units[key] = unit_at(municipality, lat, lon)
        unit = units[key]
        created = now - dt.timedelta(days=rng.uniform(0, 180), minutes=rng.randint(0, 600))
        age_days = (now - created).days
        roll = rng.random()
        if category.external_body_id:
            status = ReportStatus.FORWARDED if age_days < 20 else ReportStatus.CLOSED
        elif (age_days > 30 and roll < 0.75) or (age_days > 7 and roll < 0.45):
            status = rng.choice(
                [ReportStatus.FIXED, ReportStatus.CLOSED, ReportStatus.CLOSED, ReportStatus.FIXED]
            )
        elif roll < 0.5:
            status = rng.choice(
                [ReportStatus.IN_PROGRESS, ReportStatus.ACTION_SCHEDULED, ReportStatus.CONFIRMED]
            )
        elif roll < 0.55:
            status = ReportStatus.NOT_RESPONSIBLE
        else:
            status = ReportStatus.SUBMITTED
        fixed_at = None
        if status in (ReportStatus.FIXED, ReportStatus.CLOSED):
            fixed_at = created + dt.timedelta(days=rng.uniform(0.3, 2.5) * max(category.deadline_days, 1))
            fixed_at = min(fixed_at, now)
        is_open = status in OPEN_STATUSES
        description = _text(rng, code)
        reports.append(
            Report(
                municipality=municipality,
                category=category,
                unit=unit,
                department=None if category.external_body_id else route_for(municipality, category, unit),
                external_body=category.external_body,
                status=status,
                is_open=is_open,
                is_public=True,
                priority=rng.choice([2, 2, 2, 2, 3, 1, 4]),
                lat=lat,
                lon=lon,
                description=description,
                public_description=mask_personal_data(description),
                attributes={"size": rng.choice(["small", "medium", "large"])} if code == "pothole" else {},
                source=rng.choice([Source.WEB, Source.WEB, Source.WEB, Source.OPEN311]),
                device_id=DEMO_MARK,
                tracking_token=secrets.token_urlsafe(32),
                supporters_count=rng.choice([0, 0, 0, 0, 1, 2, 5]),
                deadline=category.deadline_from(
                    timezone.localdate(created), list(municipality.local_holidays or [])
                ),
                created_at=created,
                updated_at=fixed_at or created,
                fixed_at=fixed_at
                if status == ReportStatus.FIXED or (status == ReportStatus.CLOSED and fixed_at)
                else None,
                closed_at=None if is_open else (fixed_at or created + dt.timedelta(days=3)),
            )
        )
    Report.objects.bulk_create(reports, batch_size=500)
    updates = []
    for report in Report.objects.filter(municipality=municipality, device_id=DEMO_MARK).only(
        "pk", "status", "created_at", "updated_at", "closed_at"
    ):
        updates.append(
            ReportUpdate(
                municipality=municipality,
                report=report,
                kind=UpdateKind.CREATED,
                to_status=ReportStatus.SUBMITTED,
                status=ReportStatus.SUBMITTED,
                is_public=True,
                created_at=report.created_at,
            )
        )
        if report.status != ReportStatus.SUBMITTED:
            updates.append(
                ReportUpdate(
                    municipality=municipality,
                    report=report,
                    kind=UpdateKind.STATUS,
                    from_status=ReportStatus.SUBMITTED,
                    to_status=report.status,
                    status=report.status,
                    is_public=True,
                    created_at=report.closed_at or report.updated_at,
                )
            )
    ReportUpdate.objects.bulk_create(updates, batch_size=1000)
    return count


def history_count(municipality: Municipality) -> int:
    return Report.objects.filter(municipality=municipality, device_id=DEMO_MARK).count()
