from django.db import migrations


def sync(apps, schema_editor):
    from dimos.sensors import schemas

    DeviceType = apps.get_model("sensors", "DeviceType")
    for code, spec in schemas.TYPES.items():
        DeviceType.objects.update_or_create(
            code=code,
            defaults={
                "name_el": spec.name_el,
                "name_en": spec.name_en,
                "is_public": spec.public,
                "offline_after_minutes": spec.offline_after_minutes,
                "schema": {
                    n: {"kind": a.kind, "unit": a.unit, "min": a.min, "max": a.max, "values": list(a.values),
                        "measured": a.measured}
                    for n, a in spec.attrs.items()
                },
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sensors", "0001_initial")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
