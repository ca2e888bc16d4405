"""AlarmEvent becomes a ``core.HistoryEntry``: it gets its municipality (added nullable,
filled from the alarm, then made non-null) and the common column definitions (wider
status and comment columns; no data changes)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def backfill_municipality(apps, schema_editor):
    AlarmEvent = apps.get_model("sensors", "AlarmEvent")
    Alarm = apps.get_model("sensors", "Alarm")
    AlarmEvent.objects.filter(municipality__isnull=True).update(
        municipality_id=models.Subquery(
            Alarm.objects.filter(pk=models.OuterRef("alarm_id")).values("municipality_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0006_delete_listingversion"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="alarmevent",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.municipality",
                verbose_name="δήμος",
            ),
        ),
        migrations.RunPython(backfill_municipality, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="alarmevent",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.municipality",
                verbose_name="δήμος",
            ),
        ),
        migrations.AlterModelOptions(
            name="alarmevent",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "μεταβολή συναγερμού",
                "verbose_name_plural": "ιστορικό συναγερμών",
            },
        ),
        migrations.AlterField(
            model_name="alarmevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="από",
            ),
        ),
        migrations.AlterField(
            model_name="alarmevent",
            name="comment",
            field=models.TextField(blank=True, verbose_name="σχόλιο"),
        ),
        migrations.AlterField(
            model_name="alarmevent",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="πότε"),
        ),
        migrations.AlterField(
            model_name="alarmevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="από κατάσταση"),
        ),
        migrations.AlterField(
            model_name="alarmevent",
            name="to_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="σε κατάσταση"),
        ),
    ]
