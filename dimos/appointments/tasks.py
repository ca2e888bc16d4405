"""Background tasks of the appointments app (thin: they call a service)."""

from __future__ import annotations

from dimos.core.tasks import task


@task("appointments.remind")
def remind_task(*, appointment_id: int, starts_at: str) -> None:
    from dimos.appointments.services import appointment_send_reminder

    appointment_send_reminder(appointment_id=appointment_id, starts_at=starts_at)
