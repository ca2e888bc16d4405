from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dimos.core.models import Municipality
from dimos.core.tenancy import host_map_invalidate


@receiver([post_save, post_delete], sender=Municipality)
def _municipality_changed(instance: Municipality, **kwargs: Any) -> None:
    host_map_invalidate(instance.pk)
