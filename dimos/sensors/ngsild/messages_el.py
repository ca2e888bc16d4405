"""Greek for the NGSI-LD broker's error details (``Accept-Language: el``).

The broker writes its details in English, the language of the standard; this table gives each
the Greek a client asked for. ``{x}`` parts are carried over as they are (ids, names, numbers).
A detail with no Greek here is answered wholly in English, title included, so a ProblemDetails
body never mixes languages (``errors.NgsiError.body``)."""

from __future__ import annotations

import re
from functools import cache

TITLES_EL = {
    "InvalidRequest": "Το αίτημα είναι συντακτικά άκυρο ή έχει λανθασμένο περιεχόμενο",
    "BadRequestData": "Τα δεδομένα του αιτήματος δεν πληρούν τις απαιτήσεις της λειτουργίας",
    "AlreadyExists": "Το στοιχείο υπάρχει ήδη",
    "OperationNotSupported": "Η λειτουργία δεν υποστηρίζεται",
    "ResourceNotFound": "Ο πόρος δεν βρέθηκε",
    "InternalError": "Σφάλμα κατά την εκτέλεση της λειτουργίας",
    "TooComplexQuery": "Το ερώτημα είναι υπερβολικά σύνθετο",
    "TooManyResults": "Τα αποτελέσματα υπερβαίνουν το μέγιστο πλήθος",
    "NoMultiTenantSupport": "Ο broker δεν υποστηρίζει πολλούς μισθωτές",
    "NonexistentTenant": "Ο μισθωτής (δήμος) δεν υπάρχει",
    "Unauthorized": "Απαιτείται διαπιστευτήριο διασύνδεσης",
    "Forbidden": "Το διαπιστευτήριο δεν επιτρέπει αυτή τη λειτουργία",
    "NotAcceptable": "Κανένας από τους αποδεκτούς τύπους περιεχομένου δεν μπορεί να παραχθεί",
    "UnsupportedMediaType": "Ο τύπος περιεχομένου του αιτήματος δεν υποστηρίζεται",
}

DETAILS_EL = [
    ("Entity {id} already exists.", "Η οντότητα {id} υπάρχει ήδη."),
    ("Entity {id} appears twice.", "Η οντότητα {id} εμφανίζεται δύο φορές."),
    ("Entity {id} of type {type} was not found.", "Η οντότητα {id} τύπου {type} δεν βρέθηκε."),
    ("Entity {id} was not found.", "Η οντότητα {id} δεν βρέθηκε."),
    ("Entity {id} is of type {type}.", "Η οντότητα {id} είναι τύπου {type}."),
    ("Entity {id} has no attribute to update.", "Η οντότητα {id} δεν έχει χαρακτηριστικό προς ενημέρωση."),
    ("Entity {id} has no attribute {name}.", "Η οντότητα {id} δεν έχει χαρακτηριστικό «{name}»."),
    ("No NGSI-LD resource at {path}.", "Δεν υπάρχει πόρος NGSI-LD στη διεύθυνση {path}."),
    ("Method {m} is not allowed here.", "Η μέθοδος {m} δεν επιτρέπεται εδώ."),
    ("No such tenant.", "Δεν υπάρχει τέτοιος μισθωτής."),
    ("Tenant '{t}' does not exist.", "Ο μισθωτής «{t}» δεν υπάρχει."),
    (
        "No tenant is served at this address; send NGSILD-Tenant.",
        "Σε αυτή τη διεύθυνση δεν εξυπηρετείται μισθωτής· στείλτε NGSILD-Tenant.",
    ),
    ("The request body is not valid JSON.", "Το σώμα του αιτήματος δεν είναι έγκυρο JSON."),
    (
        "The request body nests arrays or objects too deeply.",
        "Το σώμα του αιτήματος έχει υπερβολικά βαθιά εμφώλευση πινάκων ή αντικειμένων.",
    ),
    (
        "An application/ld+json body must carry an @context.",
        "Ένα σώμα application/ld+json πρέπει να έχει @context.",
    ),
    ("An entity must be a JSON object.", "Μια οντότητα πρέπει να είναι αντικείμενο JSON."),
    (
        "The entity 'id' must be a URI (e.g. urn:ngsi-ld:ParkingSpot:001).",
        "Το «id» της οντότητας πρέπει να είναι URI (π.χ. urn:ngsi-ld:ParkingSpot:001).",
    ),
    ("The entity needs a 'type'.", "Η οντότητα χρειάζεται «type»."),
    (
        "Unknown entity type '{type}'. Supported: {list}.",
        "Άγνωστος τύπος οντότητας «{type}». Υποστηρίζονται: {list}.",
    ),
    ("Invalid attribute name '{name}'.", "Άκυρο όνομα χαρακτηριστικού «{name}»."),
    (
        "Multi-attributes (datasetId) are not supported: '{name}'.",
        "Τα πολλαπλά χαρακτηριστικά (datasetId) δεν υποστηρίζονται: «{name}».",
    ),
    ("'location' must be a GeoProperty.", "Το «location» πρέπει να είναι GeoProperty."),
    (
        "'location' must be a GeoJSON Point [lon, lat] within range.",
        "Το «location» πρέπει να είναι GeoJSON Point [μήκος, πλάτος] εντός ορίων.",
    ),
    ("Relationship '{name}' needs an 'object' URI.", "Η σχέση «{name}» χρειάζεται URI στο «object»."),
    (
        "Attribute '{name}' must have type Property and a value.",
        "Το χαρακτηριστικό «{name}» πρέπει να έχει type Property και value.",
    ),
    (
        "'{name}'.observedAt must be an ISO 8601 date-time with offset.",
        "Το observedAt του «{name}» πρέπει να είναι ημερομηνία-ώρα ISO 8601 με ζώνη ώρας.",
    ),
    ("'{name}'.observedAt is in the future.", "Το observedAt του «{name}» είναι στο μέλλον."),
    (
        "The body must be a non-empty JSON array of entities.",
        "Το σώμα πρέπει να είναι μη κενός πίνακας JSON οντοτήτων.",
    ),
    (
        "The body must be a non-empty JSON array of entity ids.",
        "Το σώμα πρέπει να είναι μη κενός πίνακας JSON με αναγνωριστικά οντοτήτων.",
    ),
    (
        "The body must be an object with at least one attribute.",
        "Το σώμα πρέπει να είναι αντικείμενο με ένα τουλάχιστον χαρακτηριστικό.",
    ),
    ("A batch may hold at most {n} entities; got {m}.", "Μια δέσμη χωρά έως {n} οντότητες· στάλθηκαν {m}."),
    ("Every entity needs an 'id'.", "Κάθε οντότητα χρειάζεται «id»."),
    ("options must be 'replace' or 'update'.", "Το options πρέπει να είναι «replace» ή «update»."),
    (
        "options 'replace' and 'update' exclude each other.",
        "Τα options «replace» και «update» αλληλοαποκλείονται.",
    ),
    ("options may only be 'noOverwrite'.", "Το options μπορεί να είναι μόνο «noOverwrite»."),
    ("Unknown parameter(s): {list}.", "Άγνωστες παράμετροι: {list}."),
    ("'{name}' must be a non-negative integer.", "Το «{name}» πρέπει να είναι μη αρνητικός ακέραιος."),
    ("'limit' may be at most {n}.", "Το «limit» μπορεί να είναι έως {n}."),
    ("'attrs' must list attribute names.", "Το «attrs» πρέπει να απαριθμεί ονόματα χαρακτηριστικών."),
    ("Invalid q term '{t}'.", "Άκυρος όρος q «{t}»."),
    ("Invalid attribute in q: '{name}'.", "Άκυρο χαρακτηριστικό στο q: «{name}»."),
    ("Invalid value in q: '{v}'.", "Άκυρη τιμή στο q: «{v}»."),
    ("Empty term in q.", "Κενός όρος στο q."),
    ("'timerel' must be before, after or between.", "Το «timerel» πρέπει να είναι before, after ή between."),
    ("'timeAt' needs 'timerel'.", "Το «timeAt» χρειάζεται «timerel»."),
    ("'between' needs 'endTimeAt' after 'timeAt'.", "Το «between» χρειάζεται «endTimeAt» μετά το «timeAt»."),
    ("'lastN' must be a positive integer.", "Το «lastN» πρέπει να είναι θετικός ακέραιος."),
    (
        "'timerel' needs 'timeAt' as an ISO 8601 date-time with offset.",
        "Το «timerel» χρειάζεται «timeAt», ημερομηνία-ώρα ISO 8601 με ζώνη ώρας.",
    ),
    ("A temporal query needs 'type' (or 'id').", "Ένα χρονικό ερώτημα χρειάζεται «type» (ή «id»)."),
    (
        "A temporal query needs 'timerel' and 'timeAt'.",
        "Ένα χρονικό ερώτημα χρειάζεται «timerel» και «timeAt».",
    ),
    (
        "Temporal aggregation needs 'timerel' and 'timeAt'.",
        "Η χρονική συνάθροιση χρειάζεται «timerel» και «timeAt».",
    ),
    ("'aggrPeriodDuration' needs 'aggrMethods'.", "Το «aggrPeriodDuration» χρειάζεται «aggrMethods»."),
    (
        "'aggrMethods' must list methods from: {list}; got '{raw}'.",
        "Το «aggrMethods» πρέπει να απαριθμεί μεθόδους από: {list}· στάλθηκε «{raw}».",
    ),
    (
        "'aggrPeriodDuration' must be an ISO 8601 duration such as PT1H: {raw}",
        "Το «aggrPeriodDuration» πρέπει να είναι διάρκεια ISO 8601, π.χ. PT1H: {raw}",
    ),
    (
        "'aggrPeriodDuration' must be at least one minute.",
        "Το «aggrPeriodDuration» πρέπει να είναι τουλάχιστον ένα λεπτό.",
    ),
    (
        "A geo-query needs 'georel', 'geometry' and 'coordinates'.",
        "Ένα γεωγραφικό ερώτημα χρειάζεται «georel», «geometry» και «coordinates».",
    ),
    ("Invalid georel '{g}'.", "Άκυρο georel «{g}»."),
    (
        "The integration credential presented is wrong, revoked or of another tenant.",
        "Το διαπιστευτήριο διασύνδεσης είναι λάθος, ανακλημένο ή άλλου μισθωτή.",
    ),
    (
        "Writes need an integration credential (Authorization: Bearer …); "
        "it is missing, wrong, revoked or of another tenant.",
        "Οι εγγραφές χρειάζονται διαπιστευτήριο διασύνδεσης (Authorization: Bearer …)· "
        "λείπει, είναι λάθος, ανακλημένο ή άλλου μισθωτή.",
    ),
    (
        "The credential lacks the scope this operation needs{on} ({scopes}).",
        "Στο διαπιστευτήριο λείπει το δικαίωμα που χρειάζεται η λειτουργία{on} ({scopes}).",
    ),
    (
        "Entity {id} is deactivated in the registry; it accepts no new readings.",
        "Η οντότητα {id} είναι απενεργοποιημένη στο μητρώο· δεν δέχεται νέες μετρήσεις.",
    ),
    (
        "The location of {id} ({lat}, {lon}) is outside the municipality.",
        "Η θέση της {id} ({lat}, {lon}) είναι έξω από τα όρια του δήμου.",
    ),
    (
        "Entity {id} has readings and is not deleted; deactivate it in the registry instead "
        "(its history is kept).",
        "Η οντότητα {id} έχει μετρήσεις και δεν διαγράφεται· απενεργοποιήστε την στο μητρώο "
        "(το ιστορικό της κρατιέται).",
    ),
]


@cache
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for english, greek in DETAILS_EL:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*?)", re.escape(english))
        out.append((re.compile(f"^{pattern}$", re.S), greek))
    return out


def greek_detail(detail: str) -> str | None:
    """The Greek of an English detail, or None when the table has none."""
    if re.search("[α-ωΑ-Ω]", detail):
        return detail  # already Greek (a registry message in the active language)
    for pattern, greek in _compiled():
        found = pattern.match(detail)
        if found:
            parts = found.groupdict()
            if parts.get("on"):  # " on urn:…" of the scope errors
                parts["on"] = " για την " + parts["on"].removeprefix(" on ")
            return greek.format(**parts)
    return None
