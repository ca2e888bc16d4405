"""Demo data: the Serres e-services catalogue (six services end to end, gov.gr links)
and a few applications in different states so the clerk's queue is not empty."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dimos.core.models import Department, Municipality
from dimos.eservices.constants import DeadlineKind, Outcome, Status
from dimos.eservices.models import Application, Service

_PURPOSE = [
    ["any", "Για κάθε νόμιμη χρήση", "For any lawful use"],
    ["bank", "Για υποβολή σε τράπεζα", "For a bank"],
    ["school", "Για υποβολή σε σχολείο ή πανεπιστήμιο", "For a school or university"],
    ["public", "Για υποβολή σε δημόσια υπηρεσία", "For a public authority"],
]


def _f(name: str, kind: str, label_el: str, label_en: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "label_el": label_el, "label_en": label_en, **extra}


IDENTITY = [
    _f("full_name", "text", "Ονοματεπώνυμο", "Full name", required=True, prefill="full_name"),
    _f("father_name", "text", "Πατρώνυμο", "Father's name", required=True, prefill="father_name"),
    _f("afm", "afm", "ΑΦΜ", "Tax number (ΑΦΜ)", required=True, prefill="afm"),
]

SERVICES: list[dict[str, Any]] = [
    {
        "slug": "monimi-katoikia",
        "title_el": "Βεβαίωση μόνιμης κατοικίας",
        "title_en": "Certificate of permanent residence",
        "description_el": "Βεβαιώνει ότι κατοικείτε μόνιμα σε διεύθυνση του Δήμου Σερρών. Χρειάζεται για τράπεζες, σχολεία, μετεγγραφές και δημόσιες υπηρεσίες.",
        "description_en": "Certifies that you permanently live at an address in the Municipality of Serres.",
        "eligibility_el": "Κάθε ενήλικος που κατοικεί μόνιμα στον Δήμο Σερρών.",
        "eligibility_en": "Any adult living permanently in the Municipality of Serres.",
        "required_documents": ["Λογαριασμός ΔΕΗ ή ύδρευσης ή μισθωτήριο στο όνομά σας (τελευταίου τριμήνου)"],
        "fee": 0,
        "legal_basis": "ν. 3463/2006 άρθ. 279",
        "deadline_days": 5,
        "deadline_kind": DeadlineKind.WORKING,
        "department": "dimotologio",
        "outcome": Outcome.DOCUMENT,
        "document_title": "Βεβαίωση μόνιμης κατοικίας",
        "document_template": (
            "Βεβαιώνεται ότι ο/η {{ citizen_name }} του {{ father_name }}, κάτοικος {{ data.address }}, "
            "κατοικεί μόνιμα στην περιοχή του {{ municipality }} από {{ data.since }}.\n\n"
            "Η βεβαίωση εκδίδεται ύστερα από την αίτηση με αρ. πρωτ. {{ application_protocol }}/{{ submitted }} "
            "και τα δικαιολογητικά που προσκόμισε, {{ data.purpose|lower }}."
        ),
        "form": [
            *IDENTITY,
            _f(
                "address",
                "address",
                "Διεύθυνση κατοικίας",
                "Home address",
                required=True,
                help_el="Οδός, αριθμός, Τ.Κ., π.χ. Μεραρχίας 12, 621 23 Σέρρες. Μπορείτε να σημειώσετε και το σημείο στον χάρτη.",
                help_en="Street, number, postcode.",
            ),
            _f("since", "date", "Κατοικώ εκεί από", "Living there since", required=True),
            _f("purpose", "choice", "Σκοπός", "Purpose", required=True, choices=_PURPOSE),
            _f(
                "proof",
                "file",
                "Αποδεικτικό κατοικίας",
                "Proof of residence",
                required=True,
                max_files=2,
                help_el="Λογαριασμός ΔΕΗ/ύδρευσης ή μισθωτήριο (PDF, JPG ή PNG, έως 5 MB).",
            ),
        ],
    },
    {
        "slug": "katalipsi-koinoxristou-xorou",
        "title_el": "Άδεια κατάληψης κοινόχρηστου χώρου",
        "title_en": "Permit to use public space",
        "description_el": "Για τραπεζοκαθίσματα καταστημάτων, έκθεση εμπορευμάτων ή προσωρινή τοποθέτηση οικοδομικών υλικών σε πεζοδρόμιο ή πλατεία.",
        "description_en": "For café tables, goods on display or temporary building materials on a pavement or square.",
        "eligibility_el": "Ιδιοκτήτες ή μισθωτές καταστημάτων και εργοταξίων.",
        "required_documents": ["Δημοτική ενημερότητα", "Σκαρίφημα ή τοπογραφικό με τις διαστάσεις του χώρου"],
        "fee": 0,
        "legal_basis": "ν. 1080/1980 άρθ. 3· Κανονισμός κοινόχρηστων χώρων Δήμου Σερρών",
        "deadline_days": 5,
        "deadline_kind": DeadlineKind.WORKING,
        "department": "esoda",
        "outcome": Outcome.DECISION,
        "form": [
            *IDENTITY,
            _f("business", "text", "Επωνυμία καταστήματος", "Business name", required=True),
            _f("location", "address", "Θέση του χώρου", "Location", required=True),
            _f(
                "use",
                "choice",
                "Χρήση",
                "Use",
                required=True,
                choices=[
                    ["tables", "Τραπεζοκαθίσματα", "Tables and chairs"],
                    ["goods", "Έκθεση εμπορευμάτων", "Goods on display"],
                    ["works", "Οικοδομικά υλικά / σκαλωσιά", "Building materials / scaffolding"],
                ],
            ),
            _f("area", "number", "Εμβαδόν (m²)", "Area (m²)", required=True, min=1, max=500),
            _f("date_from", "date", "Από", "From", required=True),
            _f("date_to", "date", "Έως", "Until", required=True),
            _f("plan", "file", "Σκαρίφημα του χώρου", "Drawing of the space", required=True),
            _f("clearance", "file", "Δημοτική ενημερότητα", "Municipal tax clearance", required=False),
        ],
    },
    {
        "slug": "karta-stathmefsis",
        "title_el": "Κάρτα στάθμευσης μόνιμου κατοίκου",
        "title_en": "Resident parking card",
        "description_el": "Στάθμευση χωρίς χρέωση στις ελεγχόμενες θέσεις της γειτονιάς σας στο κέντρο των Σερρών. Μία κάρτα ανά νοικοκυριό.",
        "description_en": "Free parking in the controlled zone of your neighbourhood in central Serres. One card per household.",
        "eligibility_el": "Μόνιμοι κάτοικοι της ζώνης ελεγχόμενης στάθμευσης με όχημα στο όνομά τους.",
        "required_documents": [
            "Μισθωτήριο ή τίτλος ιδιοκτησίας",
            "Λογαριασμός ΔΕΗ",
            "Άδεια κυκλοφορίας του οχήματος",
        ],
        "fee": 10,
        "legal_basis": "Κανονιστική απόφαση Δημοτικού Συμβουλίου για τη στάθμευση",
        "deadline_days": 10,
        "deadline_kind": DeadlineKind.WORKING,
        "department": "dimotiki-astynomia",
        "outcome": Outcome.DOCUMENT,
        "document_title": "Κάρτα στάθμευσης μόνιμου κατοίκου",
        "document_template": (
            "Ο/Η {{ citizen_name }}, κάτοικος {{ data.address }}, δικαιούται να σταθμεύει το όχημα με αριθμό "
            "κυκλοφορίας {{ data.plate }} στις θέσεις μόνιμων κατοίκων της ζώνης του.\n\n"
            "Η κάρτα ισχύει για ένα έτος από {{ date }}. Τοποθετήστε την εκτύπωση στο ταμπλό, ώστε να φαίνεται ο κωδικός QR."
        ),
        "form": [
            *IDENTITY,
            _f("address", "address", "Διεύθυνση κατοικίας", "Home address", required=True),
            _f(
                "plate",
                "text",
                "Αριθμός κυκλοφορίας",
                "Licence plate",
                required=True,
                max_length=10,
                help_el="Π.χ. ΕΡΖ 1234",
                help_en="E.g. ΕΡΖ 1234",
            ),
            _f(
                "owner",
                "yesno",
                "Το όχημα είναι στο όνομά μου",
                "The vehicle is registered to me",
                required=True,
            ),
            _f(
                "residence",
                "file",
                "Μισθωτήριο ή τίτλος και λογαριασμός ΔΕΗ",
                "Lease or deed and electricity bill",
                required=True,
                max_files=3,
            ),
            _f("registration", "file", "Άδεια κυκλοφορίας", "Vehicle registration", required=True),
        ],
    },
    {
        "slug": "apokomidi-ogkodon",
        "title_el": "Αποκομιδή ογκωδών αντικειμένων",
        "title_en": "Bulky waste collection",
        "description_el": "Ζητήστε να παραλάβουμε δωρεάν παλιά έπιπλα, στρώματα, ηλεκτρικές συσκευές ή κλαδέματα από το πεζοδρόμιο έξω από το σπίτι σας.",
        "description_en": "Ask us to collect old furniture, mattresses, appliances or garden waste from the pavement outside your home, free of charge.",
        "eligibility_el": "Κάθε κάτοικος ή επιχείρηση του δήμου.",
        "required_documents": [],
        "fee": 0,
        "legal_basis": "Κανονισμός Καθαριότητας Δήμου Σερρών",
        "deadline_days": 5,
        "deadline_kind": DeadlineKind.WORKING,
        "department": "kathariotita",
        "outcome": Outcome.DECISION,
        "form": [
            _f("full_name", "text", "Ονοματεπώνυμο", "Full name", required=True, prefill="full_name"),
            _f("address", "address", "Διεύθυνση παραλαβής", "Pick-up address", required=True),
            _f(
                "items",
                "multichoice",
                "Τι θα παραλάβουμε",
                "What to collect",
                required=True,
                choices=[
                    ["furniture", "Έπιπλα", "Furniture"],
                    ["mattress", "Στρώματα", "Mattresses"],
                    ["appliances", "Ηλεκτρικές συσκευές", "Appliances"],
                    ["garden", "Κλαδέματα", "Garden waste"],
                ],
            ),
            _f("pieces", "number", "Πλήθος τεμαχίων", "Number of pieces", required=True, min=1, max=30),
            _f(
                "phone",
                "text",
                "Τηλέφωνο επικοινωνίας",
                "Contact phone",
                required=True,
                max_length=20,
                prefill="phone",
            ),
            _f("photo", "file", "Φωτογραφία (προαιρετικά)", "Photo (optional)", max_files=2),
        ],
    },
    {
        "slug": "dimotiki-enimerotita",
        "title_el": "Δημοτική ενημερότητα",
        "title_en": "Municipal tax clearance",
        "description_el": "Βεβαίωση ότι δεν έχετε ληξιπρόθεσμες οφειλές προς τον Δήμο Σερρών (π.χ. για συμβόλαια, άδειες καταστημάτων, δημοπρασίες).",
        "description_en": "Certifies that you owe nothing overdue to the Municipality of Serres.",
        "eligibility_el": "Φυσικά πρόσωπα με ΑΦΜ.",
        "required_documents": [],
        "fee": 0,
        "legal_basis": "ν. 4172/2013 άρθ. 285 (ΚΕΔΕ)",
        "deadline_days": 3,
        "deadline_kind": DeadlineKind.WORKING,
        "department": "esoda",
        "outcome": Outcome.DOCUMENT,
        "document_title": "Βεβαίωση δημοτικής ενημερότητας",
        "document_template": (
            "Βεβαιώνεται ότι ο/η {{ citizen_name }} του {{ father_name }}, με ΑΦΜ {{ data.afm }}, "
            "δεν έχει ληξιπρόθεσμες οφειλές προς τον {{ municipality }} κατά την {{ date }}.\n\n"
            "Η βεβαίωση ισχύει για έναν μήνα από την έκδοσή της και χορηγείται {{ data.purpose|lower }}."
        ),
        "form": [*IDENTITY, _f("purpose", "choice", "Σκοπός", "Purpose", required=True, choices=_PURPOSE)],
    },
    {
        "slug": "eggrafi-dimotologio",
        "title_el": "Βεβαίωση εγγραφής στο δημοτολόγιο",
        "title_en": "Certificate of registration in the municipal roll",
        "description_el": "Βεβαιώνει ότι είστε εγγεγραμμένος/η δημότης του Δήμου Σερρών και τον αριθμό της μερίδας σας.",
        "description_en": "Certifies that you are registered as a citizen of the Municipality of Serres.",
        "eligibility_el": "Δημότες του Δήμου Σερρών.",
        "required_documents": [],
        "fee": 0,
        "legal_basis": "ν. 3463/2006 άρθ. 279· π.δ. 497/1991",
        "deadline_days": 3,
        "deadline_kind": DeadlineKind.WORKING,
        "department": "dimotologio",
        "outcome": Outcome.DOCUMENT,
        "document_title": "Βεβαίωση εγγραφής στο δημοτολόγιο",
        "document_template": (
            "Βεβαιώνεται ότι ο/η {{ citizen_name }} του {{ father_name }} και της {{ data.mother_name }}, "
            "με ΑΜΚΑ {{ data.amka }}, είναι εγγεγραμμένος/η στο δημοτολόγιο του {{ municipality }}"
            "{% if data.roll_number != '—' %} με αριθμό μερίδας {{ data.roll_number }}{% endif %}.\n\n"
            "Η βεβαίωση χορηγείται {{ data.purpose|lower }}."
        ),
        "form": [
            *IDENTITY,
            _f("mother_name", "text", "Μητρώνυμο", "Mother's name", required=True, prefill="mother_name"),
            _f("amka", "amka", "ΑΜΚΑ", "Social security number (ΑΜΚΑ)", required=True, prefill="amka"),
            _f(
                "roll_number",
                "text",
                "Αριθμός δημοτολογίου (αν τον γνωρίζετε)",
                "Municipal roll number (if known)",
                max_length=20,
            ),
            _f("purpose", "choice", "Σκοπός", "Purpose", required=True, choices=_PURPOSE),
        ],
    },
]

GOV_GR_LINKS = [
    (
        "gov-oikogeneiaki-katastasi",
        "Πιστοποιητικό οικογενειακής κατάστασης",
        "Family status certificate",
        "Εκδίδεται αμέσως από το gov.gr με τους κωδικούς TaxisNet.",
        "https://www.gov.gr/ipiresies/oikogeneia/oikogeneiake-katastase/pistopoietiko-oikogeneiakes-katastases",
    ),
    (
        "gov-gennisi",
        "Πιστοποιητικό γέννησης",
        "Birth certificate",
        "Ψηφιακό πιστοποιητικό από το Ληξιαρχείο μέσω gov.gr.",
        "https://www.gov.gr/ipiresies/oikogeneia/gennese/pistopoietiko-gennesis",
    ),
    (
        "gov-ypefthyni-dilosi",
        "Υπεύθυνη δήλωση και εξουσιοδότηση",
        "Solemn declaration and authorisation",
        "Ψηφιακή βεβαίωση εγγράφου χωρίς επίσκεψη σε ΚΕΠ.",
        "https://www.gov.gr/ipiresies/polites-kai-kathemerinoteta/psephiaka-eggrapha-gov-gr/ekdose-upeuthunes-deloses",
    ),
    (
        "gov-dimotologio",
        "Πιστοποιητικό εγγυτέρων συγγενών",
        "Next-of-kin certificate",
        "Από το Μητρώο Πολιτών μέσω gov.gr.",
        "https://www.gov.gr/ipiresies/oikogeneia/oikogeneiake-katastase/pistopoietiko-eggyteron-syggenon",
    ),
]


def seed_catalogue(municipality: Municipality) -> dict[str, Service]:
    departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
    found: dict[str, Service] = {}
    for position, spec in enumerate(SERVICES, start=1):
        values = {k: v for k, v in spec.items() if k not in ("slug", "department")}
        values["department"] = departments.get(spec["department"])
        values["position"] = position * 10
        values["is_active"] = True
        found[spec["slug"]], _ = Service.objects.update_or_create(
            municipality=municipality, slug=spec["slug"], defaults=values
        )
    for position, (slug, title_el, title_en, description, url) in enumerate(GOV_GR_LINKS, start=100):
        found[slug], _ = Service.objects.update_or_create(
            municipality=municipality,
            slug=slug,
            defaults={
                "title_el": title_el,
                "title_en": title_en,
                "description_el": description,
                "outcome": Outcome.EXTERNAL,
                "external_url": url,
                "position": position,
                "form": [],
                "is_active": True,
            },
        )
    return found


def _demo_applications(municipality: Municipality, catalogue: dict[str, Service]) -> None:
    """A few applications in different states, made through the real services."""
    from dimos.eservices import services

    User = get_user_model()
    clerk = User.objects.filter(username="clerk.serres").first()
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
            services.application_submit(application_id=app.pk, municipality=municipality, citizen=citizen)
            for step in steps:
                services.application_transition(
                    application_id=app.pk,
                    municipality=municipality,
                    actor=clerk,
                    to_status=step,
                    base_url="http://serres.localhost:8000",
                )


def seed(ctx: Any) -> None:
    catalogue = seed_catalogue(ctx.serres)
    seed_catalogue(ctx.neighbour)
    _demo_applications(ctx.serres, catalogue)
    ctx.say(
        f"Ηλεκτρονικές υπηρεσίες: {len(SERVICES)} υπηρεσίες του δήμου και {len(GOV_GR_LINKS)} σύνδεσμοι gov.gr "
        "στο /services/· ουρά υπαλλήλων στο /staff/services/ (clerk.serres), επαλήθευση εγγράφων στο /verify/."
    )
