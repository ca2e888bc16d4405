"""One report intake for every door: the web form and Open311 ``POST requests``.

The intake finds the category by its code, resolves the place (a point, or a
typed address or a street id against the municipality's street list), checks the
contact details, shows nearby open reports of the same category before a possible
duplicate is created, and limits anonymous web submissions per client address.
Every problem of that first step is reported at once. ``report_submit`` then
checks the rest and routes the report (municipal unit, department) and stores it.

The two doors speak to different readers, so a few messages come in two
wordings: a citizen on the page ("choose a category from the list") and a
developer of a client application, who needs the parameter's name
("unknown service_code").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.models import Municipality
from dimos.reports.constants import Source
from dimos.reports.models import Category, Open311Client, Report, Street
from dimos.reports.selectors import categories_active, duplicates_nearby, street_resolve
from dimos.reports.services.submit import Reporter, report_submit
from dimos.reports.services.validation import parse_coordinate
from dimos.reports.throttle import check_anonymous

_FOR_CITIZENS = {
    "category_missing": _("Επιλέξτε κατηγορία."),
    "category_unknown": _("Επιλέξτε κατηγορία από τη λίστα."),
    "half_point": _("Δείξτε το σημείο στον χάρτη, χρησιμοποιήστε τη θέση σας ή γράψτε τη διεύθυνση."),
    "no_place": _("Δείξτε το σημείο στον χάρτη, χρησιμοποιήστε τη θέση σας ή γράψτε τη διεύθυνση."),
    "street_unknown": _("Η διεύθυνση δεν βρέθηκε στον κατάλογο οδών· δείξτε το σημείο στον χάρτη."),
    "street_id_unknown": _("Η διεύθυνση δεν βρέθηκε στον κατάλογο οδών· δείξτε το σημείο στον χάρτη."),
}
_FOR_CLIENTS = {
    "category_missing": _("Απαιτείται η παράμετρος service_code."),
    "category_unknown": _("Άγνωστο service_code: %(c)s"),
    "half_point": _("Δώστε και lat και long."),
    "no_place": _("Δώστε τοποθεσία: lat και long, ή address_string, ή address_id."),
    "street_unknown": _("Η διεύθυνση δεν βρέθηκε στον κατάλογο οδών του δήμου: %(a)s"),
    "street_id_unknown": _("Άγνωστο address_id."),
}


@dataclass(frozen=True)
class Intake:
    """What the intake did: created ``report``, or found ``nearby`` open reports to show first."""

    category: Category
    report: Report | None = None
    nearby: list[tuple[Report, float]] = field(default_factory=list)


def _message(source: str, key: str, **params: str) -> str:
    wording = _FOR_CLIENTS if source == Source.OPEN311 else _FOR_CITIZENS
    return str(wording[key]) % params if params else str(wording[key])


def intake_category(municipality: Municipality, code: str, *, source: str = Source.WEB) -> Category:
    """The active category with this code (the Open311 ``service_code``), with its questions."""
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(_message(source, "category_missing"), field="category")
    category = categories_active(municipality).prefetch_related("attributes").filter(code=code).first()
    if category is None:
        raise ValidationFailed(
            _message(source, "category_unknown", c=code[:60]), field="category", code="unknown_category"
        )
    return category


def intake_place(
    municipality: Municipality,
    *,
    lat: Any = None,
    lon: Any = None,
    address: str = "",
    address_id: str = "",
    source: str = Source.WEB,
) -> tuple[float, float, str]:
    """(lat, lon, address) from a point, else from a street of the list (by id or by typed name)."""
    address = (address or "").strip()
    given = [value for value in (lat, lon) if value not in (None, "")]
    if len(given) == 2:
        return parse_coordinate(lat, field="lat"), parse_coordinate(lon, field="long"), address
    if given:
        raise ValidationFailed(_message(source, "half_point"), field="location")
    street: Street | None
    if address_id:
        street = (
            Street.objects.filter(municipality=municipality, pk=int(address_id)).first()
            if str(address_id).isdigit()
            else None
        )
        if street is None:
            raise ValidationFailed(_message(source, "street_id_unknown"), field="location")
    elif address:
        street = street_resolve(municipality, address)
        if street is None:
            raise ValidationFailed(_message(source, "street_unknown", a=address[:100]), field="location")
    else:
        raise ValidationFailed(_message(source, "no_place"), field="location")
    return street.lat, street.lon, address or street.name


def _contact_problems(email: str, media_url: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = [str(_("Μη έγκυρο email."))]
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            problems["media_url"] = [str(_("Μη έγκυρο media_url (διεύθυνση http/https)."))]
    return problems


def report_intake(
    *,
    municipality: Municipality,
    category_code: str,
    description: str,
    reporter: Reporter,
    lat: Any = None,
    lon: Any = None,
    address: str = "",
    address_id: str = "",
    attributes: dict[str, Any] | None = None,
    photos: list[Any] | None = None,
    source: str = Source.WEB,
    client: Open311Client | None = None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
    nearby_seen: bool = True,
    client_ip: str | None = None,
) -> Intake:
    """Take in a citizen's report from any door; see the module's docstring for the steps.

    ``nearby_seen=False`` (a web page without its script) returns the nearby open
    reports instead of creating one when there are any; ``client_ip`` counts an
    anonymous submission against the hourly limit.
    """
    problems: dict[str, list[str]] = {}
    category: Category | None = None
    place: tuple[float, float, str] | None = None
    try:
        category = intake_category(municipality, category_code, source=source)
    except ValidationFailed as exc:
        problems.update(exc.errors)
    try:
        place = intake_place(
            municipality, lat=lat, lon=lon, address=address, address_id=address_id, source=source
        )
    except ValidationFailed as exc:
        problems.update(exc.errors)
    problems.update(_contact_problems(reporter.email, media_url))
    if problems or category is None or place is None:
        first = next(iter(problems.values()))[0]
        raise ValidationFailed(first, errors=problems)
    lat_f, lon_f, address = place
    if not nearby_seen:
        nearby = duplicates_nearby(municipality, category, lat_f, lon_f)
        if nearby:
            return Intake(category=category, nearby=nearby)
    if client_ip and not getattr(reporter.user, "is_authenticated", False):
        check_anonymous(client_ip)
    report = report_submit(
        municipality=municipality,
        category=category,
        lat=lat_f,
        lon=lon_f,
        description=description,
        reporter=reporter,
        attributes=attributes,
        address=address,
        photos=photos,
        source=source,
        client=client,
        media_url=media_url,
        device_id=device_id,
        account_id=account_id,
        description_required=source != Source.OPEN311,
    )
    return Intake(category=category, report=report)
