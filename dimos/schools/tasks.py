"""Background tasks (thin): daily reminders of expiring licences and overdue loans."""

from __future__ import annotations

from dimos.core.tasks import task


@task("schools.licence_reminders")
def licence_reminders() -> None:
    from dimos.schools.services import licence_reminders_send

    licence_reminders_send()


@task("schools.loan_reminders")
def loan_reminders() -> None:
    from dimos.schools.services import loan_overdue_reminders_send

    loan_overdue_reminders_send()
