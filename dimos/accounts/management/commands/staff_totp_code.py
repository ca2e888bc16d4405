"""Issue a one-time TOTP enrolment code from the command line (platform operators).

For the first administrator of a new municipality, who has nobody to issue them
one in the back office; every other code is issued by an administrator there.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dimos.accounts.enrolment import totp_enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time enrolment code for a staff member's TOTP authenticator (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        code = totp_enrolment_code_issue(user=user, actor=None)
        self.stdout.write(f"Enrolment code for {username}: {code}")
