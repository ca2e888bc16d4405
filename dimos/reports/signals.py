"""Every save or delete of what the public reports caches show moves the reports data version.

Connected in ``ReportsConfig.ready()``. Writes that bypass signals
(``QuerySet.update``, ``bulk_create``) call ``data_changed`` themselves, next to the write.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from dimos.core.models import Department
from dimos.core.versions import data_changed
from dimos.reports.constants import DATA_TOPIC
from dimos.reports.models import Category, CategoryGroup, ExternalBody, Report, ReportPhoto, ReportUpdate

# The models whose rows appear in the Open311 list, its updates and the map data.
WATCHED = (Report, ReportUpdate, ReportPhoto, Category, CategoryGroup, ExternalBody, Department)


def reports_data_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A receiver: the public reports data of the instance's municipality changed."""
    data_changed(getattr(instance, "municipality_id", None), DATA_TOPIC)


def connect_data_version() -> None:
    """Connect ``reports_data_changed`` to every save and delete of the watched models."""
    for model in WATCHED:
        post_save.connect(
            reports_data_changed, sender=model, dispatch_uid=f"reports-version-save-{model.__name__}"
        )
        post_delete.connect(
            reports_data_changed, sender=model, dispatch_uid=f"reports-version-delete-{model.__name__}"
        )
