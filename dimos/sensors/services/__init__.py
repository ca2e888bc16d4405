"""Every write of the sensor platform, one module per topic.

- ``device_types``: the DeviceType rows mirror the schema registry;
- ``devices``: the registry of devices;
- ``credentials``: integration credentials;
- ``ingest``: ``readings_ingest``, the ONE pipeline behind all three doors (HTTP batch,
  NGSI-LD, MQTT/TTN);
- ``alarms``: rules, their evaluation and the alarm workflow;
- ``rollups``: hourly rollups and retention.

The names are re-exported here so ``from dimos.sensors.services import readings_ingest``
and ``services.readings_ingest(...)`` keep working; new code may import from the topic
module. ``mock.patch`` must target the module that *uses* a name (e.g.
``dimos.sensors.services.ingest.rules_evaluate``).
"""

from dimos.sensors.services.alarms import (
    alarm_open,
    alarm_run_actions,
    alarm_transition,
    alarms_check_silent,
    rule_decision,
    rule_save,
    rules_evaluate,
)
from dimos.sensors.services.credentials import (
    TOKEN_PREFIX,
    credential_check,
    credential_create,
    credential_revoke,
    default_scopes,
)
from dimos.sensors.services.device_types import (
    device_type_fields,
    device_type_get,
    device_types_by_pk,
    device_types_cache_clear,
    device_types_plan,
    device_types_sync,
)
from dimos.sensors.services.devices import (
    NGSI_ID_RE,
    TTN_ID_RE,
    UnitLocator,
    code_from_ngsi_id,
    dev_eui_normalize,
    device_audit_view,
    device_create,
    device_delete,
    device_location_check,
    device_register,
    device_set_active,
    device_validate_static,
    ngsi_id_for,
)
from dimos.sensors.services.ingest import IngestOutcome, ItemResult, LatestState, ReadingIn, readings_ingest
from dimos.sensors.services.rollups import readings_purge, rollups_compute

__all__ = [
    "NGSI_ID_RE",
    "TOKEN_PREFIX",
    "TTN_ID_RE",
    "IngestOutcome",
    "ItemResult",
    "LatestState",
    "ReadingIn",
    "UnitLocator",
    "alarm_open",
    "alarm_run_actions",
    "alarm_transition",
    "alarms_check_silent",
    "code_from_ngsi_id",
    "credential_check",
    "credential_create",
    "credential_revoke",
    "default_scopes",
    "dev_eui_normalize",
    "device_audit_view",
    "device_create",
    "device_delete",
    "device_location_check",
    "device_register",
    "device_set_active",
    "device_type_fields",
    "device_type_get",
    "device_types_by_pk",
    "device_types_cache_clear",
    "device_types_plan",
    "device_types_sync",
    "device_validate_static",
    "ngsi_id_for",
    "readings_ingest",
    "readings_purge",
    "rollups_compute",
    "rule_decision",
    "rule_save",
    "rules_evaluate",
]
