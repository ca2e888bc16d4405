"""Lean single-entity NGSI-LD writes: PATCH attrs in a bounded number of queries, nothing
shared across entities in its transaction, the rules evaluated by the ingestion pipeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.sensors import services
from dimos.sensors.constants import AlarmStatus, CredentialScope, Direction, RuleKind
from dimos.sensors.models import Alarm, DeviceState, DeviceType, Reading, Rule

from .test_ngsild import Api, problem

pytestmark = pytest.mark.django_db

# PostgreSQL: the credential, the entity (device, state, rules, open alarms) and ONE statement
# that stores the reading and merges the state. SQLite (the embedded default) merges the state
# in Python inside a transaction: 3 more statements (docs/sensors/storage.md).
MAX_QUERIES = {"postgresql": 3, "sqlite": 7}


def _prop(value: Any, minutes_ago: int) -> dict[str, Any]:
    stamp = (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()
    return {"type": "Property", "value": value, "observedAt": stamp}


def _rule(serres: Any, **kw: Any) -> Rule:
    return services.rule_save(
        rule=Rule(municipality=serres, type=DeviceType.objects.get(code="WasteContainer"), **kw), actor=None
    )


@pytest.fixture
def full_bin(serres: Any) -> Rule:
    return _rule(
        serres,
        name="Γεμάτος κάδος",
        kind=RuleKind.THRESHOLD,
        attribute="fillingLevel",
        direction=Direction.ABOVE,
        threshold=0.8,
        clear_threshold=0.3,
    )


def test_patch_attrs_query_count(token: str, bin_: Any, full_bin: Rule) -> None:
    api = Api(token)
    path = f"/entities/{bin_.ngsi_id}/attrs"
    # The first write creates the attribute (and marks the credential used: once a minute).
    assert api.post(path, {"fillingLevel": _prop(0.2, 30)}).status_code == 204
    for level, minutes_ago in ((0.4, 20), (0.5, 10)):
        with CaptureQueriesContext(connection) as queries:
            response = api.send("patch", path, {"fillingLevel": _prop(level, minutes_ago)})
        assert response.status_code == 204, response.content
        assert len(queries) <= MAX_QUERIES[connection.vendor], [q["sql"][:120] for q in queries]
        # Nothing shared across entities is written: only this device's rows.
        writes = [
            q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "WITH"))
        ]
        assert writes and all("sensors_reading" in w or "sensors_devicestate" in w for w in writes)
    assert Reading.objects.filter(device=bin_).count() == 3
    assert DeviceState.objects.get(device=bin_).values["fillingLevel"] == 0.5
    assert not Alarm.objects.exists()


def test_single_entity_writes_trip_and_clear_rules(token: str, bin_: Any, full_bin: Rule) -> None:
    api = Api(token)
    path = f"/entities/{bin_.ngsi_id}/attrs"
    assert api.post(path, {"fillingLevel": _prop(0.9, 30)}).status_code == 204
    alarm = Alarm.objects.get(device=bin_, rule=full_bin)
    assert alarm.status == AlarmStatus.OPEN
    assert api.send("patch", path, {"fillingLevel": _prop(0.95, 20)}).status_code == 204
    assert Alarm.objects.count() == 1  # still full: no second alarm
    assert api.send("patch", path, {"fillingLevel": _prop(0.1, 10)}).status_code == 204
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RESOLVED
    assert list(alarm.events.values_list("to_status", flat=True)) == ["open", "resolved"]


def test_an_alarm_resolved_by_a_person_is_not_moved_again(token: str, bin_: Any, full_bin: Rule) -> None:
    api = Api(token)
    path = f"/entities/{bin_.ngsi_id}/attrs"
    api.post(path, {"fillingLevel": _prop(0.9, 30)})
    alarm = Alarm.objects.get()
    ctx = _ctx(api, bin_.municipality)
    from dimos.sensors.ngsild import convert
    from dimos.sensors.ngsild.writes import entity_attrs_write, write_target

    device, known = write_target(ctx, bin_.ngsi_id)
    assert known.open_alarm_ids == {(bin_.pk, full_bin.pk): alarm.pk}
    # Between the entity's lookup and the write a person resolves the alarm.
    Alarm.objects.filter(pk=alarm.pk).update(status=AlarmStatus.RESOLVED, resolved_at=timezone.now())
    parsed = convert.parse_fragment("WasteContainer", {"fillingLevel": _prop(0.1, 10)})
    entity_attrs_write(
        municipality=bin_.municipality,
        device=device,
        parsed=parsed,
        mode="patch",
        credential=ctx.credential,
        known_rules=known,
    )
    assert list(Alarm.objects.get().events.values_list("to_status", flat=True)) == ["open"]


def _ctx(api: Api, municipality: Any) -> Any:
    from django.test import RequestFactory

    from dimos.sensors.ngsild.negotiation import Ctx

    request = RequestFactory().patch("/", HTTP_AUTHORIZATION=api.headers["HTTP_AUTHORIZATION"])
    return Ctx(request, municipality)


def test_an_older_observation_does_not_overwrite_the_state(token: str, bin_: Any) -> None:
    api = Api(token)
    path = f"/entities/{bin_.ngsi_id}/attrs"
    level, temperature = _prop(0.7, 5), _prop(12.0, 5)
    temperature["observedAt"] = level["observedAt"]  # one observation of two attributes
    api.post(path, {"fillingLevel": level, "temperature": temperature})
    # A late reading (observed earlier) is stored but does not replace the latest value.
    assert api.send("patch", path, {"fillingLevel": _prop(0.2, 30)}).status_code == 204
    state = DeviceState.objects.get(device=bin_)
    assert state.values["fillingLevel"] == 0.7 and state.values["temperature"] == 12.0
    assert Reading.objects.filter(device=bin_).count() == 2
    # A newer one of one attribute replaces that attribute only.
    assert api.send("patch", path, {"fillingLevel": _prop(0.3, 1)}).status_code == 204
    state.refresh_from_db()
    assert state.values == {"fillingLevel": 0.3, "temperature": 12.0}


def test_patch_keeps_the_credential_scopes(serres: Any, bin_: Any, spot: Any) -> None:
    reader = services.credential_create(municipality=serres, name="r", scopes=[CredentialScope.READ])[1]
    own = services.credential_create(
        municipality=serres, name="own", device=spot, scopes=[CredentialScope.WRITE_DEVICE]
    )[1]
    path = f"/entities/{bin_.ngsi_id}/attrs"
    Api(token=services.credential_create(municipality=serres, name="w")[1]).post(
        path, {"fillingLevel": _prop(0.2, 30)}
    )
    problem(Api(reader).send("patch", path, {"fillingLevel": _prop(0.3, 20)}), "Forbidden", 403)
    # A device-bound credential does not even see another private device.
    response = Api(own).send("patch", path, {"fillingLevel": _prop(0.3, 20)})
    assert response.status_code in (403, 404)
    assert Reading.objects.filter(device=bin_).count() == 1
