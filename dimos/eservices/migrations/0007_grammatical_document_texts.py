"""Issued documents' texts from the starter kit, made grammatical where a municipality kept them unchanged.

«του {{ municipality }}» gave «του Δήμος Σερρών», and the father's name was glued into the
sentence («… του Γεώργιος»). A text the municipality edited is left alone: only the exact
text the ``eservices`` kit shipped is replaced by the kit's new one.
"""

from django.db import migrations

# slug: (the text the kit shipped, the grammatical text it ships now)
TEXTS = {
    "monimi-katoikia": (
        "Βεβαιώνεται ότι ο/η {{ citizen_name }} του {{ father_name }}, κάτοικος {{ data.address }}, κατοικεί μόνιμα στην περιοχή του {{ municipality }} από {{ data.since }}.\n\nΗ βεβαίωση εκδίδεται ύστερα από την αίτηση με αρ. πρωτ. {{ application_protocol }}/{{ submitted }} και τα δικαιολογητικά που προσκόμισε, {{ data.purpose|lower }}.",
        "Βεβαιώνεται ότι το πρόσωπο με τα παραπάνω στοιχεία κατοικεί μόνιμα στη διεύθυνση {{ data.address }}, στην περιοχή του {{ municipality_genitive }}, από {{ data.since }}.\n\nΗ βεβαίωση εκδίδεται ύστερα από την αίτηση με αρ. πρωτ. {{ application_protocol }} της {{ submitted }} και τα δικαιολογητικά που τη συνόδευαν, {{ data.purpose|lower }}.",
    ),
    "karta-stathmefsis": (
        "Ο/Η {{ citizen_name }}, κάτοικος {{ data.address }}, δικαιούται να σταθμεύει το όχημα με αριθμό κυκλοφορίας {{ data.plate }} στις θέσεις μόνιμων κατοίκων της ζώνης του.\n\nΗ κάρτα ισχύει για ένα έτος από {{ date }}. Τοποθετήστε την εκτύπωση στο ταμπλό, ώστε να φαίνεται ο κωδικός QR.",
        "Το πρόσωπο με τα παραπάνω στοιχεία, κάτοικος {{ data.address }}, δικαιούται να σταθμεύει το όχημα με αριθμό κυκλοφορίας {{ data.plate }} στις θέσεις μόνιμων κατοίκων της ζώνης του.\n\nΗ κάρτα ισχύει για ένα έτος από {{ date }}. Τοποθετήστε την εκτύπωση στο ταμπλό, ώστε να φαίνεται ο κωδικός QR.",
    ),
    "dimotiki-enimerotita": (
        "Βεβαιώνεται ότι ο/η {{ citizen_name }} του {{ father_name }}, με ΑΦΜ {{ data.afm }}, δεν έχει ληξιπρόθεσμες οφειλές προς τον {{ municipality }} κατά την {{ date }}.\n\nΗ βεβαίωση ισχύει για έναν μήνα από την έκδοσή της και χορηγείται {{ data.purpose|lower }}.",
        "Βεβαιώνεται ότι το πρόσωπο με τα παραπάνω στοιχεία, με ΑΦΜ {{ data.afm }}, δεν έχει ληξιπρόθεσμες οφειλές προς τον {{ municipality_accusative }} κατά την {{ date }}.\n\nΗ βεβαίωση ισχύει για έναν μήνα από την έκδοσή της και χορηγείται {{ data.purpose|lower }}.",
    ),
    "eggrafi-dimotologio": (
        "Βεβαιώνεται ότι ο/η {{ citizen_name }} του {{ father_name }} και της {{ data.mother_name }}, με ΑΜΚΑ {{ data.amka }}, είναι εγγεγραμμένος/η στο δημοτολόγιο του {{ municipality }}{% if data.roll_number != '—' %} με αριθμό μερίδας {{ data.roll_number }}{% endif %}.\n\nΗ βεβαίωση χορηγείται {{ data.purpose|lower }}.",
        "Βεβαιώνεται ότι το πρόσωπο με τα παραπάνω στοιχεία, με ΑΜΚΑ {{ data.amka }}, είναι εγγεγραμμένο στο δημοτολόγιο του {{ municipality_genitive }}{% if data.roll_number != '—' %} με αριθμό μερίδας {{ data.roll_number }}{% endif %}.\n\nΗ βεβαίωση χορηγείται {{ data.purpose|lower }}.",
    ),
}


def forwards(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    for slug, (old, new) in TEXTS.items():
        Service.objects.filter(slug=slug, document_template=old).update(document_template=new)


def backwards(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    for slug, (old, new) in TEXTS.items():
        Service.objects.filter(slug=slug, document_template=new).update(document_template=old)


class Migration(migrations.Migration):
    dependencies = [("services", "0006_search_text"), ("core", "0005_municipality_name_cases_signatory")]

    operations = [migrations.RunPython(forwards, backwards)]
