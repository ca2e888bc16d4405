"""Background tasks (thin): daily reminders, and the cleanup of abandoned import files."""

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


@task("schools.import_cleanup")
def import_cleanup() -> None:
    """Delete staged import files nobody applied; reschedules itself while files wait."""
    from dimos.schools.services import import_cleanup_run

    import_cleanup_run()
