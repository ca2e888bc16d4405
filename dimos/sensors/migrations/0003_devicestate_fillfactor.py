"""PostgreSQL: leave room in the latest-state pages so its constant rewrites stay HOT.

Every ingested batch rewrites one row per device in ``sensors_devicestate``. With full
pages the new row version lands on another page, each update adds index entries and
the dead versions pile up in front of every index probe (the NGSI-LD listing joins
this table). With free space on the page the update is HOT (no index change) and the
page is pruned as it is read. No effect on other databases."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sensors_devicestate SET (fillfactor = 50)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sensors_devicestate RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("sensors", "0002_device_types")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
