"""The attribute shapes of the official Smart Data Models ``schema.json`` (frozen here, as every
migration is): ParkingSpot ``category`` is an array, flows are in E32 (litre per hour), a
streetlight's current may reach 1000 A, ``binFullnessThreshold`` is 0–100 as in the official
example. ``manage.py sensors_sync_types`` keeps the rows in step with the live registry."""

from django.db import migrations

CHANGES = {
    "ParkingSpot": {"category": {"kind": "enumlist"}},
    "Streetlight": {"current": {"max": 1000}},
    "WasteContainer": {"binFullnessThreshold": {"unit": "", "min": 0, "max": 100}},
    "WaterConsumptionObserved": {"minFlow": {"unit": "E32"}, "maxFlow": {"unit": "E32"}},
}


def forward(apps, schema_editor):
    DeviceType = apps.get_model("sensors", "DeviceType")
    for row in DeviceType.objects.filter(code__in=CHANGES):
        schema = dict(row.schema)
        for name, change in CHANGES[row.code].items():
            if name in schema:
                schema[name] = {**schema[name], **change}
        row.schema = schema
        row.save(update_fields=["schema"])


class Migration(migrations.Migration):
    dependencies = [("sensors", "0012_ttn_device_id_label")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
