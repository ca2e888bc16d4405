#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dimos.settings")
    # A developer's bare `python manage.py makemigrations` should just work. Only
    # when nothing is configured at all (no SECRET_KEY, no DEBUG) do we assume a
    # development checkout; any deployment sets SECRET_KEY, so it never gets here
    # and keeps the strict production defaults.
    if (
        not os.environ.get("SECRET_KEY")
        and not os.environ.get("SECRET_KEY_FILE")
        and "DEBUG" not in os.environ
    ):
        os.environ["DEBUG"] = "true"
        print(
            "manage.py: no SECRET_KEY or DEBUG in the environment: running with development settings",
            file=sys.stderr,
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
