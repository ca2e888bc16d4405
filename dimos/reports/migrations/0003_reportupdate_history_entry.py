# ReportUpdate is a core HistoryEntry: its ``text`` is now ``comment``, stored in the
# same column (db_column="text"), so the rename touches only Django's state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_open311_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name='reportupdate', old_name='text', new_name='comment'),
                migrations.AlterField(
                    model_name='reportupdate',
                    name='comment',
                    field=models.TextField(blank=True, db_column='text', verbose_name='σχόλιο'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name='reportupdate',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='από'),
        ),
        migrations.AlterField(
            model_name='reportupdate',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='πότε'),
        ),
        migrations.AlterField(
            model_name='reportupdate',
            name='from_status',
            field=models.CharField(blank=True, max_length=20, verbose_name='από κατάσταση'),
        ),
        migrations.AlterField(
            model_name='reportupdate',
            name='to_status',
            field=models.CharField(blank=True, max_length=20, verbose_name='σε κατάσταση'),
        ),
    ]
