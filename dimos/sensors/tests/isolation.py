"""Isolation cases for every staff URL of the sensors app (see dimos/core/isolation.py)."""

from __future__ import annotations

from typing import Any

from dimos.core.isolation import IsolationCase
from dimos.sensors import services
from dimos.sensors.constants import RuleKind, Source
from dimos.sensors.models import Alarm, DeviceType, Rule


def cases(ctx: Any) -> list[IsolationCase]:
    device = services.device_create(
        municipality=ctx.serres,
        type_code="WasteContainer",
        code="iso-bin",
        name="Κάδος-Απομόνωσης-Σερρών",
        lat=41.09,
        lon=23.55,
    )
    rule = services.rule_save(
        rule=Rule(
            municipality=ctx.serres,
            type=DeviceType.objects.get(code="WasteContainer"),
            name="Κανόνας-Απομόνωσης-Σερρών",
            kind=RuleKind.SILENT,
            silent_hours=3,
        ),
        actor=None,
    )
    alarm = Alarm.objects.create(
        municipality=ctx.serres, device=device, rule=rule, message="Συναγερμός-Απομόνωσης"
    )
    services.readings_ingest(
        municipality=ctx.serres,
        items=[
            services.ReadingIn(
                device=device, observed_at="2026-01-01T10:00:00Z", values={"fillingLevel": 0.5}
            )
        ],
        source=Source.SIMULATOR,
    )
    credential, _token = services.credential_create(municipality=ctx.serres, name="Κλειδί-Απομόνωσης-Σερρών")
    return [
        IsolationCase("sensors:dashboard", marker="Κάδος-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:device_detail", {"pk": device.pk}, marker="Κάδος-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:device_list", marker="Κάδος-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:device_list", query="?q=iso-bin", marker="Κάδος-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:device_create"),
        IsolationCase(
            "sensors:device_create",
            method="POST",
            data={"type": "WasteContainer", "ngsi_id": "urn:ngsi-ld:WasteContainer:walk-new", "name": "x"},
        ),
        IsolationCase("sensors:device_edit", {"pk": device.pk}, marker="Κάδος-Απομόνωσης-Σερρών"),
        IsolationCase(
            "sensors:device_edit",
            {"pk": device.pk},
            method="POST",
            data={"type": "WasteContainer", "ngsi_id": "urn:ngsi-ld:WasteContainer:stolen", "name": "x"},
        ),
        IsolationCase("sensors:device_activation", {"pk": device.pk}, method="POST", data={"active": "0"}),
        IsolationCase("sensors:device_delete", {"pk": device.pk}, method="POST"),
        IsolationCase("sensors:alarm_detail", {"pk": alarm.pk}, marker="Κανόνας-Απομόνωσης-Σερρών"),
        IsolationCase(
            "sensors:alarm_detail", {"pk": alarm.pk}, method="POST", data={"status": "acknowledged"}
        ),
        IsolationCase("sensors:rules", marker="Κανόνας-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:rule_create"),
        IsolationCase("sensors:rule_create", method="POST", data={"name": ""}),
        IsolationCase("sensors:rule_edit", {"pk": rule.pk}, marker="Κανόνας-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:rule_edit", {"pk": rule.pk}, method="POST", data={"name": ""}),
        IsolationCase("sensors:credentials", marker="Κλειδί-Απομόνωσης-Σερρών"),
        IsolationCase("sensors:credentials", method="POST", data={"name": "Κλειδί-του-περιπάτου"}),
        IsolationCase("sensors:credential_revoke", {"pk": credential.pk}, method="POST"),
    ]
