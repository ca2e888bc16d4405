from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dimos.core.auth import user_cache_forget
from dimos.core.models import AuditEvent, Department, Municipality, MunicipalUnit
from dimos.core.pagecache import data_changed
from dimos.core.tenancy import host_map_invalidate


@receiver([post_save, post_delete], sender=Municipality)
def _municipality_changed(instance: Municipality, **kwargs: Any) -> None:
    host_map_invalidate(instance.pk)


@receiver([post_save, post_delete], sender=get_user_model())
def _user_changed(instance: Any, **kwargs: Any) -> None:
    user_cache_forget([instance.pk])


@receiver([post_save, post_delete], sender=Department)
def _department_changed(instance: Department, **kwargs: Any) -> None:
    # Cached users carry their department and its parent: forget those who do.
    users = get_user_model()._default_manager.filter(
        Q(department_id=instance.pk) | Q(department__parent_id=instance.pk)
    )
    user_cache_forget(users.values_list("pk", flat=True))


# Versions of staff pages (dimos/core/pagecache.py): forget them on commit.


@receiver(post_save, sender=AuditEvent)
def _audit_changed(instance: AuditEvent, **kwargs: Any) -> None:
    if instance.municipality_id is not None:
        data_changed("audit", instance.municipality_id)


@receiver([post_save, post_delete], sender=Department)
@receiver([post_save, post_delete], sender=MunicipalUnit)
def _structure_changed(instance: Any, **kwargs: Any) -> None:
    data_changed("departments", instance.municipality_id)
    data_changed("structure", instance.municipality_id)
