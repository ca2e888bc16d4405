# The public text of a report: the description and address with personal data masked.
# Existing reports get theirs computed here, so every public output reads one field.

from django.db import migrations, models


def fill_public_text(apps, schema_editor):
    from dimos.core.privacy import mask_personal_data

    Report = apps.get_model("reports", "Report")
    batch = []
    for report in Report.objects.only("pk", "description", "address").iterator(chunk_size=500):
        report.public_description = mask_personal_data(report.description)
        report.public_address = mask_personal_data(report.address)[:250]
        batch.append(report)
        if len(batch) >= 500:
            Report.objects.bulk_update(batch, ["public_description", "public_address"])
            batch = []
    if batch:
        Report.objects.bulk_update(batch, ["public_description", "public_address"])


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_reportupdate_history_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="public_description",
            field=models.TextField(blank=True, max_length=4000, verbose_name="δημόσια περιγραφή"),
        ),
        migrations.AddField(
            model_name="report",
            name="public_address",
            field=models.CharField(blank=True, max_length=250, verbose_name="δημόσιο σημείο"),
        ),
        migrations.RunPython(fill_public_text, migrations.RunPython.noop),
    ]
