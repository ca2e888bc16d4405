"""Changes in the back office that alter free slots invalidate the cached grids."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from dimos.appointments.models import AppointmentType, Closure, Counter, OpeningHours, schedule_touch


@receiver([post_save, post_delete], sender=OpeningHours)
@receiver([post_save, post_delete], sender=Counter)
def _point_schedule_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    schedule_touch(point_ids=[instance.point_id])


@receiver([post_save, post_delete], sender=Closure)
def _closure_changed(sender: Any, instance: Closure, **kwargs: Any) -> None:
    if instance.point_id:
        schedule_touch(point_ids=[instance.point_id])
    else:
        schedule_touch(municipality_id=instance.municipality_id)


@receiver([post_save, post_delete], sender=AppointmentType)
def _type_changed(sender: Any, instance: AppointmentType, **kwargs: Any) -> None:
    schedule_touch(municipality_id=instance.municipality_id)


@receiver(m2m_changed, sender=Counter.types.through)
def _counter_types_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Counter):
        schedule_touch(point_ids=[instance.point_id])
    else:
        schedule_touch(municipality_id=instance.municipality_id)
