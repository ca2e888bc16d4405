"""The sections a starter kit may hold, each with its shape and how it is applied.

Every section entry is checked against its declared keys before anything is
written (unknown keys are refused, so a typo does not silently drop content),
then created with ``full_clean`` so the model's own validation names the entry
at fault. Entries refer to each other by code: a category to its group and its
department, a counter to appointment types. A department that the municipality
does not have leaves the entry unassigned (a small municipality has fewer
departments); any other unknown reference is an error.

The app models are imported inside the appliers: core stays importable without
the apps, and a kit section only touches the app it fills.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from dimos.core.exceptions import ApplicationError
from dimos.core.models import Department, Municipality, MunicipalUnit

TEXT = (str,)
NUMBER = (int, float)
OPTIONAL_TEXT = (str, type(None))


@dataclass
class KitContext:
    """What the appliers share while one municipality is being filled."""

    municipality: Municipality
    created: Tally[str] = field(default_factory=Tally)

    def department(self, code: str | None) -> Department | None:
        if not code:
            return None
        return Department.objects.filter(municipality=self.municipality, code=code).first()

    def unit(self, name_el: str | None) -> MunicipalUnit | None:
        if not name_el:
            return None
        return MunicipalUnit.objects.filter(municipality=self.municipality, name_el=name_el).first()


@dataclass(frozen=True)
class Section:
    """One kind of kit content: required and optional keys with their JSON types."""

    required: Mapping[str, tuple[type, ...]]
    optional: Mapping[str, tuple[type, ...]]
    applier: Callable[[KitContext, dict[str, Any], str], None]
    nested: Mapping[str, Section] = field(default_factory=dict)

    def check(self, entry: Any, *, where: str) -> None:
        if not isinstance(entry, dict):
            raise _error(where, _("κάθε εγγραφή πρέπει να είναι αντικείμενο JSON"))
        for key in self.required:
            if key not in entry:
                raise _error(where, _("λείπει το πεδίο «%(key)s»") % {"key": key})
        for key, value in entry.items():
            types = self.required.get(key) or self.optional.get(key)
            if types is None:
                raise _error(where, _("άγνωστο πεδίο «%(key)s»") % {"key": key})
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise _error(where, _("λάθος τύπος τιμής στο πεδίο «%(key)s»") % {"key": key})
            if key in self.nested:
                for index, item in enumerate(value):
                    self.nested[key].check(item, where=f"{where}.{key}[{index}]")

    def apply(self, ctx: KitContext, entry: dict[str, Any], *, where: str) -> None:
        self.applier(ctx, entry, where)


def _error(where: str, problem: str) -> ApplicationError:
    return ApplicationError(f"{where}: {problem}", code="malformed_kit")


def _create(
    ctx: KitContext, model: type[models.Model], where: str, lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, bool]:
    """The row with ``lookup``, or a new one validated by the model (never overwritten)."""
    found = model._default_manager.filter(**lookup).first()
    if found is not None:
        return found, False
    obj = model(**lookup, **values)
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise _error(where, problems) from exc
    obj.save()
    ctx.created[model._meta.label] += 1
    return obj, True


def _pick(entry: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: entry[k] for k in keys if k in entry}


# --- core -----------------------------------------------------------------------


def _department(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    parent = None
    if entry.get("parent"):
        parent = ctx.department(entry["parent"])
        if parent is None:
            raise _error(where, _("άγνωστη γονική υπηρεσία «%(code)s»") % {"code": entry["parent"]})
    _create(
        ctx,
        Department,
        where,
        {"municipality": ctx.municipality, "code": entry["code"]},
        {**_pick(entry, "name_el", "name_en", "email"), "parent": parent},
    )


# --- reports --------------------------------------------------------------------


def _report_group(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.reports.models import CategoryGroup

    _create(
        ctx,
        CategoryGroup,
        where,
        {"municipality": ctx.municipality, "code": entry["code"]},
        _pick(entry, "name_el", "name_en", "icon", "order"),
    )


def _report_category(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.reports.models import Category, CategoryAttribute, CategoryGroup

    group = CategoryGroup.objects.filter(municipality=ctx.municipality, code=entry["group"]).first()
    if group is None:
        raise _error(where, _("άγνωστη ομάδα κατηγοριών «%(code)s»") % {"code": entry["group"]})
    values = _pick(
        entry,
        "name_el",
        "name_en",
        "icon",
        "deadline_days",
        "deadline_kind",
        "allow_anonymous",
        "duplicate_radius_m",
        "keywords",
        "order",
    )
    values["description_el"] = entry.get("description_el", entry["name_el"])
    values["description_en"] = entry.get("description_en", entry.get("name_en", ""))
    category, _created = _create(
        ctx,
        Category,
        where,
        {"municipality": ctx.municipality, "code": entry["code"]},
        {**values, "group": group, "department": ctx.department(entry.get("department"))},
    )
    for index, attribute in enumerate(entry.get("attributes", [])):
        _create(
            ctx,
            CategoryAttribute,
            f"{where}.attributes[{index}]",
            {"municipality": ctx.municipality, "category": category, "code": attribute["code"]},
            _pick(attribute, "datatype", "required", "description_el", "description_en", "order", "values"),
        )


def _category(ctx: KitContext, code: str, where: str) -> Any:
    from dimos.reports.models import Category

    category = Category.objects.filter(municipality=ctx.municipality, code=code).first()
    if category is None:
        raise _error(where, _("άγνωστη κατηγορία αναφορών «%(code)s»") % {"code": code})
    return category


def _external_body(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.reports.models import ExternalBody

    body, _created = _create(
        ctx,
        ExternalBody,
        where,
        {"municipality": ctx.municipality, "code": entry["code"]},
        _pick(entry, "name_el", "name_en", "email", "website"),
    )
    for code in entry.get("categories", []):
        category = _category(ctx, code, where)
        if category.external_body_id is None:
            category.external_body = body
            category.save(update_fields=["external_body", "updated_at"])


def _routing_rule(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.reports.models import RoutingRule

    category = _category(ctx, entry["category"], where)
    department = ctx.department(entry["department"])
    if department is None:
        return
    for name in entry["units"]:
        unit = ctx.unit(name)
        if unit is not None:
            _create(
                ctx,
                RoutingRule,
                where,
                {"municipality": ctx.municipality, "category": category, "unit": unit},
                {"department": department},
            )


# --- e-services -----------------------------------------------------------------


def _eservice(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.eservices.models import Service

    values = {k: v for k, v in entry.items() if k not in ("slug", "department")}
    _create(
        ctx,
        Service,
        where,
        {"municipality": ctx.municipality, "slug": entry["slug"]},
        {**values, "department": ctx.department(entry.get("department")), "is_active": True},
    )


# --- appointments ---------------------------------------------------------------


def _appointment_type(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.appointments.models import AppointmentType

    values = _pick(
        entry, "name_el", "name_en", "duration_minutes", "description_el", "description_en", "info_url"
    )
    _create(
        ctx,
        AppointmentType,
        where,
        {"municipality": ctx.municipality, "code": entry["code"]},
        {**values, "is_active": True},
    )


def _time(value: str, where: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise _error(where, _("μη έγκυρη ώρα «%(value)s» (ΩΩ:ΛΛ)") % {"value": value}) from exc


def _service_point(ctx: KitContext, entry: dict[str, Any], where: str) -> None:
    from dimos.appointments.models import AppointmentType, Counter, OpeningHours, ServicePoint

    values = _pick(entry, "name_en", "address", "lat", "lon", "slot_minutes", "directions_el")
    values.setdefault("slot_minutes", 15)
    point, created = _create(
        ctx,
        ServicePoint,
        where,
        {"municipality": ctx.municipality, "name_el": entry["name_el"]},
        {
            **values,
            "unit": ctx.unit(entry.get("unit")),
            "horizon_days": entry.get("horizon_days", 30),
            "notice_minutes": entry.get("notice_minutes", 60),
            "is_active": True,
        },
    )
    if created:  # the hours of an existing point are the municipality's, not the kit's
        for index, period in enumerate(entry.get("opening_hours", [])):
            here = f"{where}.opening_hours[{index}]"
            for weekday in period["weekdays"]:
                _create(
                    ctx,
                    OpeningHours,
                    here,
                    {
                        "municipality": ctx.municipality,
                        "point": point,
                        "weekday": weekday,
                        "opens": _time(period["opens"], here),
                        "closes": _time(period["closes"], here),
                    },
                    {},
                )
    for index, spec in enumerate(entry.get("counters", [])):
        here = f"{where}.counters[{index}]"
        counter, created = _create(
            ctx,
            Counter,
            here,
            {"municipality": ctx.municipality, "point": point, "name": spec["name"]},
            {"capacity": spec.get("capacity", 1), "is_active": True},
        )
        if not created:
            continue
        types = list(AppointmentType.objects.filter(municipality=ctx.municipality, code__in=spec["types"]))
        missing = sorted(set(spec["types"]) - {t.code for t in types})
        if missing:
            raise _error(here, _("άγνωστα είδη ραντεβού: %(codes)s") % {"codes": ", ".join(missing)})
        counter.types.set(types)


_ATTRIBUTE = Section(
    required={"code": TEXT, "datatype": TEXT},
    optional={
        "required": (bool,),
        "description_el": TEXT,
        "description_en": TEXT,
        "order": (int,),
        "values": (list,),
    },
    applier=lambda ctx, entry, where: None,
)
_HOURS = Section(
    required={"weekdays": (list,), "opens": TEXT, "closes": TEXT}, optional={}, applier=lambda *a: None
)
_COUNTER = Section(
    required={"name": TEXT, "types": (list,)}, optional={"capacity": (int,)}, applier=lambda *a: None
)

SECTIONS: dict[str, Section] = {
    "departments": Section(
        required={"code": TEXT, "name_el": TEXT, "name_en": TEXT},
        optional={"parent": OPTIONAL_TEXT, "email": TEXT},
        applier=_department,
    ),
    "report_groups": Section(
        required={"code": TEXT, "name_el": TEXT, "name_en": TEXT},
        optional={"icon": TEXT, "order": (int,)},
        applier=_report_group,
    ),
    "report_categories": Section(
        required={"code": TEXT, "group": TEXT, "name_el": TEXT},
        optional={
            "name_en": TEXT,
            "department": OPTIONAL_TEXT,
            "icon": TEXT,
            "deadline_days": (int,),
            "deadline_kind": TEXT,
            "allow_anonymous": (bool,),
            "duplicate_radius_m": (int,),
            "keywords": TEXT,
            "order": (int,),
            "description_el": TEXT,
            "description_en": TEXT,
            "attributes": (list,),
        },
        applier=_report_category,
        nested={"attributes": _ATTRIBUTE},
    ),
    "external_bodies": Section(
        required={"code": TEXT, "name_el": TEXT},
        optional={"name_en": TEXT, "email": TEXT, "website": TEXT, "categories": (list,)},
        applier=_external_body,
    ),
    "routing_rules": Section(
        required={"category": TEXT, "units": (list,), "department": TEXT},
        optional={},
        applier=_routing_rule,
    ),
    "eservices": Section(
        required={"slug": TEXT, "title_el": TEXT, "outcome": TEXT},
        optional={
            "title_en": TEXT,
            "description_el": TEXT,
            "description_en": TEXT,
            "eligibility_el": TEXT,
            "eligibility_en": TEXT,
            "required_documents": (list,),
            "fee": (*NUMBER, str),
            "legal_basis": TEXT,
            "deadline_days": (int,),
            "deadline_kind": TEXT,
            "department": OPTIONAL_TEXT,
            "form": (list,),
            "external_url": TEXT,
            "document_title": TEXT,
            "document_template": TEXT,
            "position": (int,),
        },
        applier=_eservice,
    ),
    "appointment_types": Section(
        required={"code": TEXT, "name_el": TEXT, "duration_minutes": (int,)},
        optional={"name_en": TEXT, "description_el": TEXT, "description_en": TEXT, "info_url": TEXT},
        applier=_appointment_type,
    ),
    "service_points": Section(
        required={"name_el": TEXT, "address": TEXT},
        optional={
            "name_en": TEXT,
            "unit": OPTIONAL_TEXT,
            "lat": NUMBER,
            "lon": NUMBER,
            "slot_minutes": (int,),
            "horizon_days": (int,),
            "notice_minutes": (int,),
            "directions_el": TEXT,
            "opening_hours": (list,),
            "counters": (list,),
        },
        applier=_service_point,
        nested={"opening_hours": _HOURS, "counters": _COUNTER},
    ),
}
