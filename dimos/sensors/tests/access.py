"""Who may read and write every staff URL of the sensor platform (the role × URL walk).

Sensor operators and the municipal administrator run the platform; only the
administrator issues integration credentials (a municipality-wide token can write
every device). Clerks, school staff and the Region viewer have no business here.
"""

from dimos.core.access import ADMINS, SENSOR_STAFF, Access

ACCESS = {
    "sensors:dashboard": Access(read=SENSOR_STAFF),
    "sensors:device_list": Access(read=SENSOR_STAFF),
    "sensors:device_detail": Access(read=SENSOR_STAFF),
    "sensors:device_create": Access(read=SENSOR_STAFF, write=SENSOR_STAFF),
    "sensors:device_edit": Access(read=SENSOR_STAFF, write=SENSOR_STAFF),
    "sensors:device_activation": Access(write=SENSOR_STAFF),
    "sensors:device_delete": Access(write=SENSOR_STAFF),
    "sensors:alarm_detail": Access(read=SENSOR_STAFF, write=SENSOR_STAFF),
    "sensors:rules": Access(read=SENSOR_STAFF),
    "sensors:rule_create": Access(read=SENSOR_STAFF, write=SENSOR_STAFF),
    "sensors:rule_edit": Access(read=SENSOR_STAFF, write=SENSOR_STAFF),
    "sensors:credentials": Access(read=ADMINS, write=ADMINS),
    "sensors:credential_revoke": Access(write=ADMINS),
}
