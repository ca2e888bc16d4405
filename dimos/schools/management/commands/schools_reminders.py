"""Send the daily reminders (expiring licences, overdue loans); run it from cron once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dimos.schools.services import licence_reminders_send, loan_overdue_reminders_send


class Command(BaseCommand):
    help = "Remind administrators of expiring licences and directors of overdue loans."

    def handle(self, *args: Any, **options: Any) -> None:
        licences = licence_reminders_send()
        loans = loan_overdue_reminders_send()
        self.stdout.write(f"licences reminded: {licences}; overdue loans reminded: {loans}")
