"""Public pages (parking, air quality, noise) and the operator dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.capabilities import Capability, has_capability
from dimos.core.forms import run_service
from dimos.core.pagination import capped_count, page_number, row_urls, slice_page
from dimos.core.tenancy import NOT_ALLOWED, require_municipality, staff_required, tenant_get_or_404
from dimos.sensors import eaqi, schemas, selectors, services
from dimos.sensors.charts import line_chart
from dimos.sensors.constants import AlarmStatus
from dimos.sensors.forms import AlarmTransitionForm, CredentialForm, DeviceFilterForm, DeviceForm, RuleForm
from dimos.sensors.labels import attribute_label, readings
from dimos.sensors.models import Alarm, Credential, Device, Rule

POLLUTANTS = ["pm25", "pm10", "no2", "o3", "so2"]


# --- Public -----------------------------------------------------------------------------


def parking(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    groups = selectors.parking_now(municipality)
    context = {"groups": groups, "now": timezone.now(), "total_free": sum(g.free for g in groups)}
    if request.htmx:
        return render(request, "sensors/partials/parking_list.html", context)
    return render(request, "sensors/parking.html", context)


def _station(device: Device) -> dict:
    values = selectors.state_of(device)
    overall, per = eaqi.station_index(values)
    return {
        "device": device,
        "values": values,
        "overall": overall,
        "pollutants": [
            {
                "code": p,
                "label": schemas.TYPES["AirQualityObserved"].attrs[p].label,
                "value": values[p],
                "band": per[p],
            }
            for p in POLLUTANTS
            if p in per
        ],
        "online": selectors.is_online(device),
        "seen": selectors.last_seen(device),
    }


def air_quality(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    stations = [_station(d) for d in selectors.public_devices(municipality, "AirQualityObserved")]
    return render(
        request, "sensors/air_quality.html", {"stations": stations, "bands": eaqi.BANDS, "edges": eaqi.EDGES}
    )


def _band_edges(pollutant: str) -> list[tuple[float, str]]:
    return list(zip(eaqi.EDGES[pollutant], [b.colour for b in eaqi.BANDS], strict=False))


def air_quality_station(request: HttpRequest, code: str) -> HttpResponse:
    municipality = require_municipality(request)
    device = tenant_get_or_404(
        selectors.public_devices(municipality, "AirQualityObserved"), municipality, code=code
    )
    now = timezone.now()
    station = _station(device)
    charts = []
    for pollutant in [p["code"] for p in station["pollutants"]]:
        label = schemas.TYPES["AirQualityObserved"].attrs[pollutant].label
        day = selectors.series(device, pollutant, since=now - timedelta(hours=24), bucket=timedelta(hours=1))
        week = selectors.series(device, pollutant, since=now - timedelta(days=7), bucket=timedelta(hours=6))
        charts.append(
            {
                "label": label,
                "day": line_chart(
                    day,
                    title=_("%(p)s, τελευταίες 24 ώρες (µg/m³)") % {"p": label},
                    unit="µg/m³",
                    bands=_band_edges(pollutant),
                ),
                "week": line_chart(
                    week,
                    title=_("%(p)s, τελευταίες 7 ημέρες (µg/m³)") % {"p": label},
                    unit="µg/m³",
                    bands=_band_edges(pollutant),
                    time_format="%d/%m",
                ),
                "day_rows": [(t, v, eaqi.band_for(pollutant, v)) for t, v in day],
            }
        )
    return render(
        request,
        "sensors/air_quality_station.html",
        {"station": station, "charts": charts, "bands": eaqi.BANDS},
    )


def noise(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    now = timezone.now()
    stations = []
    for device in selectors.public_devices(municipality, "NoiseLevelObserved"):
        day = selectors.series(device, "LAeq", since=now - timedelta(hours=24))
        stations.append(
            {
                "device": device,
                "values": selectors.state_of(device),
                "seen": selectors.last_seen(device),
                "chart": line_chart(day, title=_("LAeq, τελευταίες 24 ώρες (dB(A))"), unit="dB(A)"),
                "rows": day,
            }
        )
    return render(request, "sensors/noise.html", {"stations": stations})


# --- Staff ---------------------------------------------------------------------------------


def _device_row(device: Device) -> dict:
    online = selectors.is_online(device)
    return {
        "device": device,
        "online": online,
        "values": selectors.state_of(device),
        "seen": selectors.last_seen(device),
    }


@staff_required(capability=Capability.SENSORS_READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    alarms = list(selectors.open_alarms(municipality))
    alarmed = {a.device_id for a in alarms}
    rows = []
    for device in selectors.devices(municipality):
        row = _device_row(device)
        row["state"] = "alarm" if device.pk in alarmed else ("online" if row["online"] else "offline")
        rows.append(row)
    counts = {s: sum(1 for r in rows if r["state"] == s) for s in ("online", "offline", "alarm")}
    return render(request, "sensors/dashboard.html", {"rows": rows, "alarms": alarms, "counts": counts})


@staff_required(capability=Capability.SENSORS_READ)
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    device = tenant_get_or_404(selectors.devices(municipality), municipality, pk=pk)
    spec = schemas.TYPES[device.type.code]
    numeric = [n for n, a in spec.attrs.items() if a.measured and a.kind in ("number", "integer")]
    values = selectors.state_of(device)
    attribute = request.GET.get("attr") or next(
        (n for n in numeric if n in values), numeric[0] if numeric else ""
    )
    if attribute not in numeric:
        attribute = numeric[0] if numeric else ""
    now = timezone.now()
    day = selectors.series(device, attribute, since=now - timedelta(hours=24)) if attribute else []
    unit = schemas.unit_symbol(spec.attrs[attribute].unit) if attribute else ""
    return render(
        request,
        "sensors/device_detail.html",
        {
            "row": _device_row(device),
            "numeric": numeric,
            "attribute": attribute,
            "chart": line_chart(
                day,
                title=_("%(a)s, τελευταίες 24 ώρες") % {"a": attribute_label(device.type.code, attribute)}
                if attribute
                else "",
                unit=unit,
            ),
            "numeric_labels": [(n, attribute_label(device.type.code, n)) for n in numeric],
            "current": readings(device.type.code, values),
            "history": selectors.history(device),
            "alarms": device.alarms.select_related("rule", "device__type").order_by("-opened_at")[:20],
        },
    )


@staff_required(capability=Capability.SENSORS_READ)
def alarm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    alarm = tenant_get_or_404(
        Alarm.objects.select_related("device__type", "rule", "assignee"), municipality, pk=pk
    )
    may_operate = has_capability(request.user, Capability.SENSORS_OPERATE)
    if request.method == "POST" and not may_operate:
        raise PermissionDenied(NOT_ALLOWED)
    form = AlarmTransitionForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        moved = run_service(
            lambda: services.alarm_transition(
                municipality=municipality,
                alarm_id=alarm.pk,
                to_status=form.cleaned_data["status"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
                assignee=form.cleaned_data["assignee"],
            ),
            form=form,
        )
        if moved is not None:
            messages.success(request, _("Ο συναγερμός ενημερώθηκε."))
            return redirect("sensors:alarm_detail", pk=alarm.pk)
    return render(
        request,
        "sensors/alarm_detail.html",
        {
            "alarm": alarm,
            "form": form,
            "events": alarm.events.select_related("actor"),
            "can_move": may_operate and alarm.status != AlarmStatus.RESOLVED,
        },
    )


@staff_required(capability=Capability.SENSORS_OPERATE)
def rules(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    items = Rule.objects.filter(municipality=municipality).select_related("type", "department")
    return render(request, "sensors/rules.html", {"rules": items})


def _rule_form(request: HttpRequest, rule: Rule) -> HttpResponse:
    municipality = require_municipality(request)
    form = RuleForm(request.POST or None, instance=rule, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.municipality = municipality
        if run_service(lambda: services.rule_save(rule=rule, actor=request.user), form=form) is not None:
            messages.success(request, _("Ο κανόνας αποθηκεύτηκε."))
            return redirect("sensors:rules")
    return render(request, "sensors/rule_form.html", {"form": form, "rule": rule})


@staff_required(capability=Capability.SENSORS_OPERATE)
def rule_create(request: HttpRequest) -> HttpResponse:
    return _rule_form(request, Rule(municipality=require_municipality(request)))


@staff_required(capability=Capability.SENSORS_OPERATE)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    return _rule_form(request, tenant_get_or_404(Rule, municipality, pk=pk))


@staff_required(capability=Capability.SENSORS_CREDENTIALS)
def credentials(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = CredentialForm(request.POST or None, municipality=municipality)
    token = None
    if request.method == "POST" and form.is_valid():
        created = run_service(
            lambda: services.credential_create(
                municipality=municipality,
                name=form.cleaned_data["name"],
                vendor=form.cleaned_data["vendor"],
                device=form.cleaned_data["device"],
                scopes=form.cleaned_data["scopes"],
                actor=request.user,
            ),
            form=form,
        )
        if created is not None:
            token = created[1]
            form = CredentialForm(municipality=municipality)
    items = Credential.objects.filter(municipality=municipality).select_related("device")
    response = render(
        request, "sensors/credentials.html", {"form": form, "credentials": items, "token": token}
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required(capability=Capability.SENSORS_CREDENTIALS)
@require_POST
def credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    credential = tenant_get_or_404(Credential, municipality, pk=pk)
    services.credential_revoke(municipality=municipality, credential_id=credential.pk, actor=request.user)
    messages.success(request, _("Το διαπιστευτήριο ανακλήθηκε."))
    return redirect("sensors:credentials")


# --- Device registry -----------------------------------------------------------------------

REGISTRY_PAGE = 25


@staff_required(capability=Capability.SENSORS_READ)
def device_list(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    filters = DeviceFilterForm(request.GET or None, municipality=municipality)
    data = filters.cleaned_data if filters.is_valid() else {}
    unit = data.get("unit")
    qs = selectors.device_registry(
        municipality,
        type_code=data.get("type") or "",
        status=data.get("status") or "",
        unit_id=unit.pk if unit else None,
        search=data.get("q") or "",
    ).select_related("unit")
    devices, page = slice_page(qs, number=page_number(request), size=REGISTRY_PAGE)
    total, more = capped_count(qs)
    context = {
        "filters": filters,
        "page": page,
        "rows": _registry_rows(devices, may_operate=has_capability(request.user, Capability.SENSORS_OPERATE)),
        "total": total,
        "more": more,
        "may_operate": has_capability(request.user, Capability.SENSORS_OPERATE),
    }
    return render(request, "sensors/device_list.html", context)


@dataclass(frozen=True)
class RegistryRow:
    """One device of the registry as the strings the page shows, worked out once in Python."""

    url: str
    edit_url: str
    name: str
    ngsi_id: str
    type: str
    state: str  # "inactive", "online" or "offline"
    unit: str
    department: str
    dev_eui: str
    seen: str


def _registry_rows(devices: list[Device], *, may_operate: bool) -> list[RegistryRow]:
    now = timezone.now()
    detail, edit = row_urls("sensors:device_detail"), row_urls("sensors:device_edit")
    types: dict[int, str] = {}
    rows = []
    for d in devices:
        if d.type_id not in types:
            types[d.type_id] = d.type.name
        seen = selectors.last_seen(d)
        state = "inactive" if not d.is_active else "online" if selectors.is_online(d, now) else "offline"
        rows.append(
            RegistryRow(
                url=detail(d.pk),
                edit_url=edit(d.pk) if may_operate else "",
                name=d.name or d.code,
                ngsi_id=d.ngsi_id,
                type=types[d.type_id],
                state=state,
                unit=str(d.unit) if d.unit_id else "—",
                department=str(d.department) if d.department_id else "—",
                dev_eui=d.dev_eui or "—",
                seen=date_format(timezone.localtime(seen), "SHORT_DATETIME_FORMAT") if seen else "—",
            )
        )
    return rows


def _device_form(request: HttpRequest, device: Device | None) -> HttpResponse:
    municipality = require_municipality(request)
    initial = DeviceForm.initial_for(device) if device else {}
    form = DeviceForm(request.POST or None, initial=initial, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            lambda: services.device_register(
                municipality=municipality,
                actor=request.user,
                device_id=device.pk if device else None,
                type_code=data["type"],
                ngsi_id=data["ngsi_id"],
                name=data["name"],
                lat=data["lat"],
                lon=data["lon"],
                department=data["department"],
                ttn_device_id=data["ttn_device_id"],
                dev_eui=data["dev_eui"],
                mapping=data["mapping"],
            ),
            form=form,
        )
        if saved is not None:
            if saved.lat is not None and saved.unit is None:
                messages.warning(
                    request,
                    _("Η συσκευή αποθηκεύτηκε. Το σημείο δεν ανήκει σε καμία δημοτική ενότητα του δήμου."),
                )
            else:
                messages.success(request, _("Η συσκευή αποθηκεύτηκε."))
            return redirect("sensors:device_list")
    return render(
        request,
        "sensors/device_form.html",
        {
            "form": form,
            "device": device,
            "has_readings": bool(
                device and device.readings.filter(municipality_id=device.municipality_id).exists()
            ),
        },
    )


@staff_required(capability=Capability.SENSORS_OPERATE)
def device_create(request: HttpRequest) -> HttpResponse:
    return _device_form(request, None)


@staff_required(capability=Capability.SENSORS_OPERATE)
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    return _device_form(request, tenant_get_or_404(selectors.devices(municipality), municipality, pk=pk))


@staff_required(capability=Capability.SENSORS_OPERATE)
@require_POST
def device_activation(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    device = tenant_get_or_404(Device, municipality, pk=pk)
    active = request.POST.get("active") == "1"
    services.device_set_active(
        municipality=municipality, device_id=device.pk, active=active, actor=request.user
    )
    if active:
        messages.success(request, _("Η συσκευή ενεργοποιήθηκε ξανά."))
    else:
        messages.success(request, _("Η συσκευή απενεργοποιήθηκε· το ιστορικό της κρατήθηκε."))
    return redirect("sensors:device_edit", pk=device.pk)


@staff_required(capability=Capability.SENSORS_OPERATE)
@require_POST
def device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    device = tenant_get_or_404(Device, municipality, pk=pk)
    deleted = run_service(
        lambda: services.device_delete(municipality=municipality, device_id=device.pk, actor=request.user),
        request=request,
    )
    if deleted is None:
        return redirect("sensors:device_edit", pk=device.pk)
    messages.success(request, _("Η συσκευή διαγράφηκε."))
    return redirect("sensors:device_list")
