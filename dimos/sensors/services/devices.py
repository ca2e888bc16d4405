"""The device registry: create, register or edit, deactivate, delete."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import NotFound, ValidationFailed
from dimos.core.geo import geometry, municipality_contains, unit_at, valid_lat_lon
from dimos.core.models import Municipality, MunicipalUnit
from dimos.core.services import audit_record
from dimos.sensors import schemas
from dimos.sensors.models import Device, DeviceState, Reading, VendorMapping
from dimos.sensors.services.device_types import device_type_get


class UnitLocator:
    """Municipal unit of many points with one query (``unit_at`` for a batch)."""

    def __init__(self, municipality: Municipality) -> None:
        from shapely import prepared

        self.units = [
            (unit, prepared.prep(geometry(unit.boundary)))
            for unit in MunicipalUnit.objects.filter(municipality=municipality)
        ]

    def __call__(self, lat: float | None, lon: float | None) -> MunicipalUnit | None:
        from shapely.geometry import Point

        if lat is None or lon is None or not valid_lat_lon(lat, lon):
            return None
        point = Point(lon, lat)
        return next((unit for unit, geom in self.units if geom.covers(point)), None)


def ngsi_id_for(type_code: str, code: str) -> str:
    return f"urn:ngsi-ld:{type_code}:{code}"


def code_from_ngsi_id(ngsi_id: str) -> str:
    tail = ngsi_id.rsplit(":", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_-]+", "-", tail)[:100] or secrets.token_hex(4)


def device_validate_static(type_code: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """Static attributes as NGSI-LD fragments; values of schema attributes are checked.

    Plain values become ``{"type": "Property", "value": …}``; a string starting with
    ``urn:`` for a ``ref…`` attribute becomes a Relationship.
    """
    clean: dict[str, Any] = {}
    for name, raw in attrs.items():
        if isinstance(raw, dict) and raw.get("type") in ("Property", "Relationship", "GeoProperty"):
            fragment = dict(raw)
        elif name.startswith("ref") and isinstance(raw, str) and raw.startswith("urn:"):
            fragment = {"type": "Relationship", "object": raw}
        else:
            fragment = {"type": "Property", "value": raw}
        if fragment["type"] == "Property" and name in schemas.TYPES[type_code].attrs:
            try:
                fragment["value"] = schemas.check_value(type_code, name, fragment.get("value"))
            except schemas.AttrError as exc:
                raise ValidationFailed(str(exc), field=name) from exc
        clean[name] = fragment
    return clean


def device_location_check(municipality: Municipality, lat: float, lon: float | None) -> None:
    """A device stands inside its municipality: the registry and NGSI-LD refuse any other point."""
    if not municipality_contains(municipality, lat, lon):  # type: ignore[arg-type]
        raise ValidationFailed(
            _(
                "Το σημείο (%(lat).5f, %(lon).5f) είναι έξω από τα όρια του δήμου· η συσκευή δεν "
                "αποθηκεύτηκε. Διορθώστε τις συντεταγμένες (πλάτος, μήκος σε δεκαδικές μοίρες WGS84)."
            )
            % {"lat": lat, "lon": lon},
            field="lat",
            code="outside_municipality",
        )


@transaction.atomic
def device_create(
    *,
    municipality: Municipality,
    type_code: str,
    code: str = "",
    ngsi_id: str = "",
    name: str = "",
    group: str = "",
    lat: float | None = None,
    lon: float | None = None,
    department: Any = None,
    vendor: str = "",
    ttn_device_id: str = "",
    dev_eui: str = "",
    attrs: dict[str, Any] | None = None,
    actor: Any = None,
) -> Device:
    device_type = device_type_get(type_code)
    if not code and not ngsi_id:
        raise ValidationFailed(_("Δώστε κωδικό ή αναγνωριστικό NGSI-LD."), field="code")
    code = code or code_from_ngsi_id(ngsi_id)
    ngsi_id = ngsi_id or ngsi_id_for(type_code, code)
    if (lat is None) != (lon is None) or (lat is not None and not valid_lat_lon(lat, lon)):
        raise ValidationFailed(_("Μη έγκυρη θέση συσκευής."), field="lat")
    dev_eui = dev_eui.upper()
    if dev_eui and (len(dev_eui) != 16 or any(c not in "0123456789ABCDEF" for c in dev_eui)):
        raise ValidationFailed(_("Το DevEUI είναι 16 δεκαεξαδικά ψηφία."), field="dev_eui")
    if Device.objects.filter(municipality=municipality).filter(Q(ngsi_id=ngsi_id) | Q(code=code)).exists():
        raise ValidationFailed(
            _("Υπάρχει ήδη συσκευή με αυτό το αναγνωριστικό."), field="code", code="already_exists"
        )
    device = Device.objects.create(
        municipality=municipality,
        type=device_type,
        ngsi_id=ngsi_id,
        code=code,
        name=name,
        group=group,
        lat=lat,
        lon=lon,
        unit=unit_at(municipality, lat, lon) if lat is not None else None,
        department=department,
        vendor=vendor,
        ttn_device_id=ttn_device_id,
        dev_eui=dev_eui,
        attrs=device_validate_static(type_code, attrs or {}),
    )
    audit_record(action="sensors.device_created", actor=actor, obj=device, new={"ngsi_id": ngsi_id})
    return device


NGSI_ID_RE = re.compile(r"^urn:ngsi-ld:([A-Za-z][A-Za-z0-9_]*):([A-Za-z0-9][A-Za-z0-9_.:~-]*)$")
TTN_ID_RE = re.compile(r"^[a-z0-9](?:-?[a-z0-9]){2,35}$")


def dev_eui_normalize(raw: str) -> str:
    """``70-b3-d5-7e-d0-00-00-42`` → ``70B3D57ED0000042``; raises ValidationFailed if not 16 hex digits."""
    value = re.sub(r"[\s:-]", "", raw or "").upper()
    if value and not re.fullmatch(r"[0-9A-F]{16}", value):
        raise ValidationFailed(
            _(
                "Το DevEUI είναι 16 δεκαεξαδικά ψηφία (0-9, A-F), π.χ. 70B3D57ED0000042· "
                "παύλες, άνω-κάτω τελείες και κενά αγνοούνται."
            ),
            field="dev_eui",
        )
    return value


@transaction.atomic
def device_register(
    *,
    municipality: Municipality,
    actor: Any,
    device_id: int | None = None,
    type_code: str,
    ngsi_id: str,
    name: str = "",
    lat: float | None = None,
    lon: float | None = None,
    department: Any = None,
    ttn_device_id: str = "",
    dev_eui: str = "",
    mapping: VendorMapping | None = None,
) -> Device:
    """Create (``device_id`` None) or edit a device from the operator's registry.

    Every bad input raises ValidationFailed with the field at fault; nothing is written then.
    The municipal unit is computed from the point."""
    device = None
    if device_id is not None:
        device = Device.objects.select_for_update().filter(municipality=municipality, pk=device_id).first()
        if device is None:
            raise NotFound(_("Η συσκευή δεν βρέθηκε."))
    if type_code not in schemas.TYPES:
        raise ValidationFailed(_("Επιλέξτε έναν από τους διαθέσιμους τύπους συσκευών."), field="type")
    device_type = device_type_get(type_code)
    ngsi_id = (ngsi_id or "").strip()
    match = NGSI_ID_RE.match(ngsi_id)
    if match is None or match.group(1) != type_code:
        raise ValidationFailed(
            _(
                "Το αναγνωριστικό NGSI-LD έχει τη μορφή urn:ngsi-ld:%(type)s:<κωδικός> "
                "(λατινικά γράμματα, ψηφία, - _ . :), π.χ. urn:ngsi-ld:%(type)s:serres-001."
            )
            % {"type": type_code},
            field="ngsi_id",
        )
    others = Device.objects.filter(municipality=municipality)
    if device is not None:
        others = others.exclude(pk=device.pk)
        if (
            device.type_id != device_type.pk
            and Reading.objects.filter(municipality_id=device.municipality_id, device=device).exists()
        ):
            raise ValidationFailed(
                _("Ο τύπος δεν αλλάζει σε συσκευή που έχει ήδη μετρήσεις· καταχωρίστε νέα συσκευή."),
                field="type",
            )
    if others.filter(ngsi_id=ngsi_id).exists():
        raise ValidationFailed(
            _("Υπάρχει ήδη συσκευή του δήμου με αυτό το αναγνωριστικό NGSI-LD· δώστε άλλο."), field="ngsi_id"
        )
    if (lat is None) != (lon is None):
        raise ValidationFailed(_("Δώστε και γεωγραφικό πλάτος και μήκος, ή κανένα από τα δύο."), field="lat")
    if lat is not None and not valid_lat_lon(lat, lon):
        raise ValidationFailed(
            _("Το πλάτος είναι από -90 έως 90 και το μήκος από -180 έως 180 μοίρες."), field="lat"
        )
    if lat is not None:
        device_location_check(municipality, lat, lon)
    if department is not None and department.municipality_id != municipality.pk:
        raise ValidationFailed(_("Η υπηρεσία δεν ανήκει στον δήμο."), field="department")
    ttn_device_id = (ttn_device_id or "").strip()
    if ttn_device_id and not TTN_ID_RE.match(ttn_device_id):
        raise ValidationFailed(
            _(
                "Το αναγνωριστικό συσκευής στο TTN έχει 3-36 πεζά λατινικά γράμματα, ψηφία και μονές παύλες, π.χ. bin-0042."
            ),
            field="ttn_device_id",
        )
    if ttn_device_id and others.filter(ttn_device_id=ttn_device_id).exists():
        raise ValidationFailed(
            _("Άλλη συσκευή του δήμου έχει ήδη αυτό το αναγνωριστικό TTN."), field="ttn_device_id"
        )
    dev_eui = dev_eui_normalize(dev_eui)
    if dev_eui and others.filter(dev_eui=dev_eui).exists():
        raise ValidationFailed(_("Άλλη συσκευή του δήμου έχει ήδη αυτό το DevEUI."), field="dev_eui")
    if mapping is not None:
        if mapping.municipality_id != municipality.pk:
            raise ValidationFailed(_("Η αντιστοίχιση προμηθευτή δεν βρέθηκε."), field="mapping")
        if mapping.type_id != device_type.pk:
            raise ValidationFailed(
                _("Η αντιστοίχιση «%(mapping)s» αφορά άλλον τύπο συσκευής (%(type)s).")
                % {"mapping": mapping.application_id, "type": mapping.type.code},
                field="mapping",
            )
    fields = {
        "type": device_type,
        "ngsi_id": ngsi_id,
        "name": (name or "").strip()[:200],
        "lat": lat,
        "lon": lon,
        "unit": unit_at(municipality, lat, lon) if lat is not None else None,
        "department": department,
        "ttn_device_id": ttn_device_id,
        "dev_eui": dev_eui,
        "vendor": (mapping.vendor or mapping.application_id)[:100] if mapping else "",
    }
    if device is None:
        code = code_from_ngsi_id(ngsi_id)
        if Device.objects.filter(municipality=municipality, code=code).exists():
            code = f"{code[:90]}-{secrets.token_hex(4)}"
        device = Device.objects.create(municipality=municipality, code=code, **fields)
        audit_record(action="sensors.device_created", actor=actor, obj=device, new=device_audit_view(device))
        return device
    old = device_audit_view(device)
    for key, value in fields.items():
        setattr(device, key, value)
    device.modified_at = timezone.now()
    device.save()
    audit_record(
        action="sensors.device_updated", actor=actor, obj=device, old=old, new=device_audit_view(device)
    )
    return device


def device_audit_view(device: Device) -> dict[str, Any]:
    """What an audit event records of a device (the same on every door)."""
    return {
        "type": device.type.code,
        "ngsi_id": device.ngsi_id,
        "name": device.name,
        "lat": device.lat,
        "lon": device.lon,
        "unit": device.unit_id,
        "department": device.department_id,
        "ttn_device_id": device.ttn_device_id,
        "dev_eui": device.dev_eui,
        "vendor": device.vendor,
        "is_active": device.is_active,
    }


@transaction.atomic
def device_set_active(*, municipality: Municipality, device_id: int, active: bool, actor: Any) -> Device:
    """Deactivate (keeps the history, refuses new readings) or reactivate a device."""
    device = Device.objects.select_for_update().filter(municipality=municipality, pk=device_id).first()
    if device is None:
        raise NotFound(_("Η συσκευή δεν βρέθηκε."))
    if device.is_active != active:
        device.is_active = active
        device.modified_at = timezone.now()
        device.save(update_fields=["is_active", "modified_at"])
        audit_record(
            action="sensors.device_reactivated" if active else "sensors.device_deactivated",
            actor=actor,
            obj=device,
            old={"is_active": not active},
            new={"is_active": active},
        )
    return device


@transaction.atomic
def device_delete(
    *, municipality: Municipality, device_id: int, actor: Any, via: dict[str, Any] | None = None
) -> Device:
    """Delete a device registered by mistake; one with readings is refused (deactivate it instead),
    with code ``has_readings``. ``via`` names the door and credential for the audit event.

    Returns the deleted device (no longer in the database)."""
    device = Device.objects.select_for_update().filter(municipality=municipality, pk=device_id).first()
    if device is None:
        raise NotFound(_("Η συσκευή δεν βρέθηκε."))
    if (
        Reading.objects.filter(municipality_id=device.municipality_id, device=device).exists()
        or DeviceState.objects.filter(device=device).exists()
    ):
        raise ValidationFailed(
            _(
                "Η συσκευή έχει μετρήσεις και δεν διαγράφεται· απενεργοποιήστε την για να κρατηθεί το ιστορικό."
            ),
            code="has_readings",
        )
    audit_record(
        action="sensors.device_deleted", actor=actor, obj=device, old=device_audit_view(device), new=via
    )
    device.delete()
    return device
