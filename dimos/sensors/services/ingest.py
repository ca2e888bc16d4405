"""Every write of the sensor platform.

The heart is ``readings_ingest``: the ONE pipeline behind all three doors (HTTP
batch, NGSI-LD, MQTT/TTN). It validates every item against its type, stores the
valid readings in bulk (idempotent on device + observed time), merges them into
the latest state with one upsert, and hands the new states to the rules. An item
is stored whole or not at all; invalid items never block valid ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.metrics import INGEST_LAG_SECONDS, observe_ingest
from dimos.core.models import Municipality
from dimos.sensors import schemas
from dimos.sensors.constants import FUTURE_TOLERANCE_SECONDS
from dimos.sensors.models import Credential, Device, DeviceState, Reading
from dimos.sensors.services.alarms import KnownRules, rules_evaluate
from dimos.sensors.services.device_types import device_types_by_pk


@dataclass
class ReadingIn:
    """One reading as a door received it. ``device`` is a Device or a reference
    (NGSI-LD id or short code); ``observed_at`` a datetime or an ISO string."""

    device: Any
    observed_at: Any
    values: dict[str, Any]
    key: Any = None  # extra de-duplication key (TTN: dev_eui, f_cnt, received_at)


@dataclass
class ItemResult:
    index: int
    status: str  # created | duplicate | error
    device: str = ""
    observed_at: str = ""
    error: str = ""
    field: str = ""


@dataclass
class IngestOutcome:
    results: list[ItemResult] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for r in self.results if r.status == "created")

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.results if r.status == "duplicate")

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results if r.status == "error")


_DEVICE_FIELDS = ["id", "municipality_id", "type_id", "ngsi_id", "code", "is_active"]


def _devices_pg(municipality: Municipality, field: str, values: set[str]) -> list[Device]:
    """PostgreSQL: the references travel as ONE JSON parameter (the client-side cursor
    would split and quote a placeholder per item of a 1000-item IN list) and are joined
    to the devices, a hash join or index probes whatever the table statistics say
    (``= ANY(ARRAY(subquery))`` degrades to a filter over the whole municipality)."""
    table = Device._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT d.id, d.municipality_id, d.type_id, d.ngsi_id, d.code, d.is_active FROM "{table}" d '  # noqa: S608 (constants only)
            f"JOIN jsonb_array_elements_text(%s::jsonb) AS r(ref) ON d.{field} = r.ref "
            "WHERE d.municipality_id = %s",
            [json.dumps(list(values)), municipality.pk],
        )
        rows = cursor.fetchall()
    return [Device.from_db(connection.alias, _DEVICE_FIELDS, row) for row in rows]


def _resolve_devices(municipality: Municipality, refs: set[str]) -> dict[str, Device]:
    if not refs:
        return {}
    found: dict[str, Device] = {}
    types = device_types_by_pk()
    urns = {r for r in refs if ":" in r}
    codes = refs - urns
    if connection.vendor == "postgresql":
        parts: list[Any] = [
            _devices_pg(municipality, "ngsi_id", urns) if urns else (),
            _devices_pg(municipality, "code", codes) if codes else (),
        ]
    else:
        qs = Device.objects.filter(municipality=municipality).only(*_DEVICE_FIELDS).order_by()
        parts = [
            qs.filter(ngsi_id__in=urns) if urns else (),
            qs.filter(code__in=codes) if codes else (),
        ]
    for part in parts:
        for device in part:
            if device.type_id not in types:
                types = device_types_by_pk(refresh=True)
            device._state.fields_cache["type"] = types[device.type_id]  # shared, no query per device
            found[device.ngsi_id] = device
            found[device.code] = device
    return found


def readings_ingest(
    *,
    municipality: Municipality,
    items: list[ReadingIn],
    source: str,
    credential: Credential | None = None,
    now: datetime | None = None,
    known_rules: KnownRules | None = None,
) -> IngestOutcome:
    """Validate, store (bulk, idempotent), update latest state, evaluate rules.

    ``known_rules``: the rules and open alarms of the items' devices, when the caller read
    them already (the single-entity NGSI-LD path); otherwise they are read here."""
    now = now or timezone.now()
    outcome = IngestOutcome()
    refs = {i.device for i in items if isinstance(i.device, str)}
    devices = _resolve_devices(municipality, refs)
    accepted: list[tuple[int, Device, datetime, dict[str, Any]]] = []
    seen: set[tuple[int, datetime]] = set()
    seen_keys: set[Any] = set()
    horizon = now + timedelta(seconds=FUTURE_TOLERANCE_SECONDS)
    for index, item in enumerate(items):
        result = ItemResult(index=index, status="error")
        outcome.results.append(result)
        if isinstance(item.device, Device):
            device = item.device
        else:
            device = devices.get(item.device) if isinstance(item.device, str) else None
        result.device = device.ngsi_id if device else str(item.device or "")[:200]
        if device is None or device.municipality_id != municipality.pk:
            result.error, result.field = _("Άγνωστη συσκευή."), "device"
            continue
        if not device.is_active:
            result.error, result.field = (
                _("Η συσκευή είναι απενεργοποιημένη· δεν δέχεται μετρήσεις."),
                "device",
            )
            continue
        if credential is not None and not credential.may_write(device.pk):
            result.error, result.field = _("Το διαπιστευτήριο δεν αφορά αυτή τη συσκευή."), "device"
            continue
        observed = (
            item.observed_at
            if isinstance(item.observed_at, datetime)
            else schemas.parse_time(item.observed_at)
        )
        if observed is None:
            result.error, result.field = _("Μη έγκυρη ώρα μέτρησης (ISO 8601 με ζώνη ώρας)."), "observedAt"
            continue
        result.observed_at = observed.isoformat()
        if observed > horizon:
            result.error, result.field = _("Η ώρα μέτρησης είναι στο μέλλον."), "observedAt"
            continue
        if not isinstance(item.values, dict) or not item.values:
            result.error, result.field = _("Η μέτρηση δεν έχει τιμές."), "values"
            continue
        clean: dict[str, Any] = {}
        try:
            for name, value in item.values.items():
                clean[name] = schemas.check_value(device.type.code, name, value, measured_only=True)
        except schemas.AttrError as exc:
            result.error, result.field = str(exc), "values"
            continue
        pair = (device.pk, observed)
        if pair in seen or (item.key is not None and item.key in seen_keys):
            result.status = "duplicate"
            continue
        seen.add(pair)
        if item.key is not None:
            seen_keys.add(item.key)
        result.status = "created"
        accepted.append((index, device, observed, clean))
    if not accepted:
        _observe(outcome, source, [])
        return outcome
    if connection.vendor == "postgresql":
        # ONE statement stores the readings, tells which are new (an existing one, from an
        # earlier or a concurrent batch, is a duplicate) and merges them into the latest
        # states under the row locks of the upsert: atomic by itself, no transaction needed.
        stored, states = _store_pg(municipality, accepted, now, source)
        fresh = _fresh(outcome, accepted, stored)
        by_pk = {device.pk: device for device, _observed, _clean in fresh}
        merged = [(by_pk[state.device_id], state) for state in states]
    else:
        with transaction.atomic(savepoint=False):
            stored = _insert_readings(municipality, accepted, now, source)
            fresh = _fresh(outcome, accepted, stored)
            merged = _states_merge(municipality, fresh, now) if fresh else []
    if merged and (known_rules is None or any(known_rules.by_type.values())):
        # The rules see the committed states (a side effect of the store, as the architecture
        # wants); their alarm writes are atomic among themselves. Inside a caller's
        # transaction this is part of it.
        with transaction.atomic(savepoint=False):
            rules_evaluate(municipality=municipality, states=merged, now=now, known=known_rules)
    _observe(outcome, source, [observed for _device, observed, _clean in fresh])
    return outcome


def _fresh(
    outcome: IngestOutcome,
    accepted: list[tuple[int, Device, datetime, dict[str, Any]]],
    stored: set[tuple[int, datetime]],
) -> list[tuple[Device, datetime, dict[str, Any]]]:
    """The accepted readings actually stored; the others are marked duplicates."""
    fresh = []
    for index, device, observed, clean in accepted:
        if (device.pk, observed) in stored:
            fresh.append((device, observed, clean))
        else:
            outcome.results[index].status = "duplicate"
    return fresh


def _observe(outcome: IngestOutcome, source: str, stored_times: list[datetime]) -> None:
    """Readings by door and outcome, and the lag from observation to commit (dimos/core/metrics.py)."""
    observe_ingest(source, stored=outcome.created, duplicate=outcome.duplicates, rejected=outcome.errors)
    if stored_times:
        now = timezone.now()
        lag = INGEST_LAG_SECONDS.labels(door=source)
        for observed in stored_times:
            lag.observe(max(0.0, (now - observed).total_seconds()))


# Rows per multi-row statement (6 parameters each; well under both backends' limits).
_CHUNK = 1000


@dataclass
class LatestState:
    """A device's latest state while a batch is merged (no model instance per device)."""

    device_id: int
    observed_at: datetime
    received_at: datetime
    values: dict[str, Any]
    observed: dict[str, str]


# The per-attribute merge of new readings into the latest state, in SQL: an attribute is
# taken from the new readings when its observation time is not older than the stored one
# (the same rule as ``_states_merge``), atomically under the upsert's row lock.
_NEWER = "st.observed ->> n.key IS NULL OR (st.observed ->> n.key)::timestamptz <= n.value::timestamptz"
_STORE_PG = f"""
WITH r AS (
    SELECT * FROM jsonb_to_recordset(%(doc)s::jsonb) AS r(d bigint, t timestamptz, v jsonb, s text)
), ins AS (
    INSERT INTO {Reading._meta.db_table} (municipality_id, device_id, observed_at, received_at, "values", source)
    SELECT %(m)s, r.d, r.t, %(now)s, r.v, %(source)s FROM r
    ON CONFLICT (municipality_id, device_id, observed_at) DO NOTHING
    RETURNING device_id, observed_at
), latest AS (
    SELECT DISTINCT ON (r.d, e.key) r.d, r.t, e.key, e.value, r.s
    FROM r JOIN ins ON ins.device_id = r.d AND ins.observed_at = r.t CROSS JOIN jsonb_each(r.v) AS e
    ORDER BY r.d, e.key, r.t DESC
), fresh AS (
    SELECT d, max(t) AS o, jsonb_object_agg(key, value) AS v, jsonb_object_agg(key, s) AS ob
    FROM latest GROUP BY d
), up AS (
    INSERT INTO {DeviceState._meta.db_table} AS st
        (device_id, municipality_id, observed_at, received_at, "values", observed)
    SELECT d, %(m)s, o, %(now)s, v, ob FROM fresh
    ON CONFLICT (device_id) DO UPDATE SET
        observed_at = GREATEST(st.observed_at, excluded.observed_at),
        received_at = excluded.received_at,
        "values" = st."values" || COALESCE((
            SELECT jsonb_object_agg(n.key, excluded."values" -> n.key)
            FROM jsonb_each_text(excluded.observed) AS n WHERE {_NEWER}), '{{}}'::jsonb),
        observed = st.observed || COALESCE((
            SELECT jsonb_object_agg(n.key, to_jsonb(n.value))
            FROM jsonb_each_text(excluded.observed) AS n WHERE {_NEWER}), '{{}}'::jsonb)
    RETURNING device_id, observed_at, "values", observed
)
SELECT 'r', device_id, observed_at, NULL, NULL FROM ins
UNION ALL
SELECT 's', device_id, observed_at, "values"::text, observed::text FROM up
"""  # noqa: S608 (table names are constants)


def _store_pg(
    municipality: Municipality,
    accepted: list[tuple[int, Device, datetime, dict[str, Any]]],
    now: datetime,
    source: str,
) -> tuple[set[tuple[int, datetime]], list[LatestState]]:
    """PostgreSQL: insert the readings and merge them into the latest states in ONE statement
    whose rows travel as one JSON document (json.dumps in C, one literal to quote).

    Returns the (device, observed time) pairs actually inserted and the merged states."""
    doc = json.dumps([{"d": d.pk, "t": t.isoformat(), "v": v, "s": t.isoformat()} for _, d, t, v in accepted])
    with connection.cursor() as cursor:
        cursor.execute(_STORE_PG, {"doc": doc, "m": municipality.pk, "now": now, "source": source})
        rows = cursor.fetchall()
    stored = {(device_id, observed) for kind, device_id, observed, _v, _o in rows if kind == "r"}
    states = [
        LatestState(
            device_id=device_id,
            observed_at=observed,
            received_at=now,
            values=json.loads(values),
            observed=json.loads(observed_map),
        )
        for kind, device_id, observed, values, observed_map in rows
        if kind == "s"
    ]
    return stored, states


def _insert_readings(
    municipality: Municipality,
    accepted: list[tuple[int, Device, datetime, dict[str, Any]]],
    now: datetime,
    source: str,
) -> set[tuple[int, datetime]]:
    """SQLite: one multi-row INSERT per 1000 readings; a reading already stored (by an earlier
    or a concurrent door) is ignored (ON CONFLICT). Returns the pairs actually inserted."""
    table = Reading._meta.db_table
    ops = connection.ops
    values_field = Reading._meta.get_field("values")
    received = ops.adapt_datetimefield_value(now)
    stored: set[tuple[int, datetime]] = set()
    for start in range(0, len(accepted), _CHUNK):
        chunk = accepted[start : start + _CHUNK]
        params: list[Any] = []
        keys: dict[tuple[int, str], datetime] = {}
        for _index, device, observed, clean in chunk:
            stamp = ops.adapt_datetimefield_value(observed)
            keys[(device.pk, stamp)] = observed
            params += [
                municipality.pk,
                device.pk,
                stamp,
                received,
                values_field.get_db_prep_value(clean, connection),
                source,
            ]
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (municipality_id, device_id, observed_at, received_at, "values", source) '  # noqa: S608 (constants only)
                f"VALUES {rows} ON CONFLICT (municipality_id, device_id, observed_at) DO NOTHING "
                "RETURNING device_id, observed_at",
                params,
            )
            # The driver may hand the stored text back as a (naive UTC) datetime.
            stored.update((pk, keys[(pk, str(stamp))]) for pk, stamp in cursor.fetchall())
    return stored


def _states_merge(
    municipality: Municipality, fresh: list[tuple[Device, datetime, dict[str, Any]]], now: datetime
) -> list[tuple[Device, LatestState]]:
    """SQLite: merge new readings into the latest state (per attribute, the newest wins); one
    upsert. (PostgreSQL does the same merge in SQL, in ``_store_pg``.)"""
    by_device: dict[int, Device] = {}
    for device, _observed, _values in fresh:
        by_device[device.pk] = device
    table = DeviceState._meta.db_table
    found = list(
        DeviceState.objects.filter(device_id__in=by_device).values_list(
            "device_id", "observed_at", "received_at", "values", "observed"
        )
    )
    current: dict[int, LatestState] = {
        pk: LatestState(
            device_id=pk, observed_at=obs, received_at=rec, values=values, observed=observed or {}
        )
        for pk, obs, rec, values, observed in found
    }
    for device, observed, clean in sorted(fresh, key=lambda r: r[1]):
        state = current.get(device.pk)
        if state is None:
            state = current[device.pk] = LatestState(
                device_id=device.pk, observed_at=observed, received_at=now, values={}, observed={}
            )
        stamp = observed.isoformat()
        for name, value in clean.items():
            previous = state.observed.get(name)
            if previous is None or schemas.parse_time(previous) <= observed:
                state.values[name] = value
                state.observed[name] = stamp
        state.observed_at = max(state.observed_at, observed)
        state.received_at = now
    states = list(current.values())
    ops = connection.ops
    json_field = DeviceState._meta.get_field("values")
    for start in range(0, len(states), _CHUNK):
        chunk = states[start : start + _CHUNK]
        params: list[Any] = []
        for st in chunk:
            params += [
                st.device_id,
                municipality.pk,
                ops.adapt_datetimefield_value(st.observed_at),
                ops.adapt_datetimefield_value(st.received_at),
                json_field.get_db_prep_value(st.values, connection),
                json_field.get_db_prep_value(st.observed, connection),
            ]
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (device_id, municipality_id, observed_at, received_at, "values", observed) '  # noqa: S608
                f"VALUES {rows} ON CONFLICT (device_id) DO UPDATE SET observed_at = excluded.observed_at, "
                'received_at = excluded.received_at, "values" = excluded."values", observed = excluded.observed',
                params,
            )
    return [(by_device[pk], state) for pk, state in current.items()]
