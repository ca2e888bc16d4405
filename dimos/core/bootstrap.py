"""A municipality from data: ``municipality_bootstrap`` and the starter kits.

A starter kit is a JSON file in ``dimos/core/kits/`` (or any path) holding product
content a new municipality starts from: departments, report categories and their
routing, the e-services catalogue with its forms, appointment types and service
points. The municipality then owns that content and edits it in the admin, so a
kit only *adds what is missing*: re-running it never duplicates a row and never
overwrites what the municipality changed since.

The same service is called by ``manage.py municipality_bootstrap``, by the demo
(``manage.py demo_data``) and later by the Region's onboarding form; it prints
nothing and raises ``ApplicationError`` for bad input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dimos.core.bootstrap_sections import SECTIONS, KitContext
from dimos.core.exceptions import ApplicationError
from dimos.core.greek import greek_name_cases
from dimos.core.models import Municipality, MunicipalUnit
from dimos.core.services import audit_record

KITS_DIR = Path(__file__).resolve().parent / "kits"

# Fields of Municipality a caller may set besides the required ones.
PROFILE_FIELDS = frozenset(
    {
        "primary_colour",
        "address",
        "phone",
        "email",
        "website",
        "dpo_email",
        "accessibility_email",
        "local_holidays",
    }
)
_CODE = re.compile(r"^[A-Z0-9]{2,8}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
_KIT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Kit:
    """One starter kit: its name, where it came from and its validated content."""

    name: str
    path: Path
    title_el: str
    title_en: str
    sections: dict[str, list[dict[str, Any]]]


def kit_names() -> list[str]:
    """The names of the kits shipped in ``dimos/core/kits/``, sorted."""
    return sorted(p.stem for p in KITS_DIR.glob("*.json"))


def kits_available() -> list[Kit]:
    """Every shipped kit, loaded and validated (for ``--list-kits``)."""
    return [kit_load(name) for name in kit_names()]


def kit_load(name_or_path: str | Path) -> Kit:
    """Read and validate one kit, by shipped name (``eservices``) or by ``Path``.

    A string is only ever a shipped kit's name, so a form that passes on what a
    person typed cannot make the service read another file on the server.
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path):
        path = name_or_path
    else:
        path = KITS_DIR / f"{text}.json" if _KIT_NAME.match(text) else KITS_DIR / "-"
    if not path.is_file():
        raise ApplicationError(
            _("Άγνωστο πακέτο «%(kit)s». Διαθέσιμα: %(names)s.")
            % {"kit": text, "names": ", ".join(kit_names())},
            code="unknown_kit",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApplicationError(
            _("Το αρχείο %(file)s δεν είναι έγκυρο JSON: %(error)s") % {"file": path.name, "error": exc},
            code="malformed_kit",
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("title_el"), str):
        raise ApplicationError(
            _("Το αρχείο %(file)s πρέπει να είναι αντικείμενο JSON με «title_el».") % {"file": path.name},
            code="malformed_kit",
        )
    sections: dict[str, list[dict[str, Any]]] = {}
    for key, value in data.items():
        if key in ("title_el", "title_en", "description_el", "description_en"):
            continue
        if key not in SECTIONS:
            raise ApplicationError(
                _("Το αρχείο %(file)s έχει άγνωστη ενότητα «%(section)s». Γνωστές: %(known)s.")
                % {"file": path.name, "section": key, "known": ", ".join(SECTIONS)},
                code="malformed_kit",
            )
        if not isinstance(value, list):
            raise ApplicationError(
                _("Το αρχείο %(file)s: η ενότητα «%(section)s» πρέπει να είναι λίστα.")
                % {"file": path.name, "section": key},
                code="malformed_kit",
            )
        for index, entry in enumerate(value):
            SECTIONS[key].check(entry, where=_where(path.name, key, index, entry))
        sections[key] = value
    return Kit(
        name=path.stem,
        path=path,
        title_el=data["title_el"],
        title_en=str(data.get("title_en", "")),
        sections=sections,
    )


def _where(file: str, section: str, index: int, entry: Any) -> str:
    """``eservices.json, eservices[2] (karta-stathmefsis)``: names the file and the entry."""
    label = ""
    if isinstance(entry, dict):
        label = next((str(entry[k]) for k in ("code", "slug", "name_el", "category") if k in entry), "")
    return f"{file}, {section}[{index}]" + (f" ({label})" if label else "")


@transaction.atomic
def municipality_bootstrap(
    *,
    slug: str,
    name_el: str,
    name_en: str,
    code: str,
    hostnames: Sequence[str],
    open311_jurisdiction: str,
    centre_lat: float,
    centre_lon: float,
    boundary: Mapping[str, Any] | None = None,
    units: Iterable[Mapping[str, Any]] = (),
    kits: Iterable[str | Path] = (),
    profile: Mapping[str, Any] | None = None,
    name_genitive: str = "",
    name_accusative: str = "",
    actor: Any = None,
) -> Municipality:
    """Create (or complete) a municipality and apply starter kits to it, atomically.

    Idempotent: the municipality is found by ``slug`` and updated with the given
    values; units are matched by Greek name; kit entries by their natural key
    (code, slug or Greek name), and only missing ones are created. Every kit is
    loaded and validated before anything is written.
    """
    profile = dict(profile or {})
    unknown = set(profile) - PROFILE_FIELDS
    if unknown:
        raise ApplicationError(
            _("Άγνωστα στοιχεία δήμου: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="invalid"
        )
    hostnames = [h.strip().lower() for h in hostnames if h.strip()]
    _check_identity(slug=slug, code=code, hostnames=hostnames, jurisdiction=open311_jurisdiction)
    if not name_el.strip() or not name_en.strip():
        raise ApplicationError(_("Χρειάζεται όνομα στα ελληνικά και στα αγγλικά."), field="name_el")
    if not (-90 <= centre_lat <= 90 and -180 <= centre_lon <= 180):
        raise ApplicationError(_("Μη έγκυρο κέντρο (γεωγραφικό πλάτος, μήκος)."), field="centre_lat")
    if boundary is not None and boundary.get("type") not in ("Polygon", "MultiPolygon"):
        raise ApplicationError(_("Το όριο πρέπει να είναι GeoJSON Polygon ή MultiPolygon."), field="boundary")
    # The cases Greek sentences need («του Δήμου Σερρών», «στον Δήμο Σερρών»):
    # what the caller confirmed, else the suggestion (``greek_name_cases``).
    genitive, accusative = greek_name_cases(name_el)
    name_genitive = " ".join(name_genitive.split()) or genitive
    name_accusative = " ".join(name_accusative.split()) or accusative
    loaded = [kit_load(k) for k in kits]
    units = list(units)
    for index, unit in enumerate(units):
        if not isinstance(unit, Mapping) or not unit.get("name_el") or not unit.get("boundary"):
            raise ApplicationError(
                _("Η δημοτική ενότητα αρ. %(n)s χρειάζεται «name_el» και «boundary».") % {"n": index + 1},
                field="units",
            )

    municipality, created = Municipality.objects.update_or_create(
        slug=slug,
        defaults={
            "name_el": name_el,
            "name_en": name_en,
            "name_genitive": name_genitive,
            "name_accusative": name_accusative,
            "code": code,
            "hostnames": hostnames,
            "open311_jurisdiction": open311_jurisdiction,
            "centre_lat": centre_lat,
            "centre_lon": centre_lon,
            **({"boundary": dict(boundary)} if boundary is not None else {}),
            **profile,
        },
    )
    for unit in units:
        MunicipalUnit.objects.update_or_create(
            municipality=municipality,
            name_el=unit["name_el"],
            defaults={
                "name_en": unit.get("name_en") or unit["name_el"],
                "population": unit.get("population"),
                "seat_lat": unit.get("seat_lat"),
                "seat_lon": unit.get("seat_lon"),
                "boundary": unit["boundary"],
            },
        )
    made = _apply(municipality, loaded)
    audit_record(
        action="municipality.bootstrap" if created else "municipality.bootstrap_again",
        actor=actor,
        obj=municipality,
        municipality=municipality,
        new={"slug": slug, "code": code, "kits": [k.name for k in loaded], "created": made},
    )
    return municipality


@transaction.atomic
def kits_apply(
    *, municipality: Municipality, kits: Iterable[str | Path], actor: Any = None
) -> dict[str, int]:
    """Apply starter kits to an existing municipality; returns how many rows of each model were new."""
    loaded = [kit_load(k) for k in kits]
    made = _apply(municipality, loaded)
    audit_record(
        action="municipality.kits_apply",
        actor=actor,
        obj=municipality,
        municipality=municipality,
        new={"kits": [k.name for k in loaded], "created": made},
    )
    return made


def _apply(municipality: Municipality, loaded: list[Kit]) -> dict[str, int]:
    ctx = KitContext(municipality=municipality)
    # Section by section across the kits, so a later kit may refer to what an
    # earlier section of any kit creates (a water utility to its categories).
    for section, spec in SECTIONS.items():
        for kit in loaded:
            for index, entry in enumerate(kit.sections.get(section, [])):
                spec.apply(ctx, entry, where=_where(kit.path.name, section, index, entry))
    return dict(ctx.created)


def _check_identity(*, slug: str, code: str, hostnames: list[str], jurisdiction: str) -> None:
    """Refuse a slug, code, host name or Open311 jurisdiction that is malformed or another's."""
    if not _SLUG.match(slug):
        raise ApplicationError(
            _("Μη έγκυρο slug «%(slug)s»: λατινικά πεζά, ψηφία και παύλες.") % {"slug": slug}, field="slug"
        )
    if not _CODE.match(code):
        raise ApplicationError(
            _("Μη έγκυρος κωδικός «%(code)s»: 2–8 κεφαλαία λατινικά ή ψηφία.") % {"code": code}, field="code"
        )
    if not hostnames:
        raise ApplicationError(_("Χρειάζεται τουλάχιστον ένα όνομα διακομιστή."), field="hostnames")
    others = Municipality.objects.exclude(slug=slug)
    if others.filter(code=code).exists():
        raise ApplicationError(
            _("Ο κωδικός %(code)s ανήκει ήδη σε άλλον δήμο.") % {"code": code}, field="code", code="duplicate"
        )
    if others.filter(open311_jurisdiction=jurisdiction).exists():
        raise ApplicationError(
            _("Το Open311 jurisdiction %(value)s ανήκει ήδη σε άλλον δήμο.") % {"value": jurisdiction},
            field="open311_jurisdiction",
            code="duplicate",
        )
    # Host names live in a JSON list; with at most a few dozen municipalities per
    # deployment, comparing in Python works the same on SQLite and PostgreSQL.
    for other in others.only("slug", "hostnames"):
        taken = sorted(set(hostnames) & {h.lower() for h in other.hostnames or []})
        if taken:
            raise ApplicationError(
                _("Το όνομα διακομιστή %(host)s ανήκει ήδη στον δήμο %(other)s.")
                % {"host": taken[0], "other": other.slug},
                field="hostnames",
                code="duplicate",
            )
