"""Fast HTML for long lists (the clerk's queue): rows built once in Python.

A Django template loop with includes and filters costs tens of microseconds per
cell; the queue renders dozens of rows on every request, so its rows are
assembled here with ``format_html`` (escaping every value) instead.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.eservices.constants import OPEN_STATUSES, Status

_BADGE = {
    Status.REJECTED: "badge-bad",
    Status.ISSUED: "badge-ok",
    Status.APPROVED: "badge-ok",
    Status.CLOSED: "badge-ok",
    Status.AWAITING_CITIZEN: "badge-warn",
}


# The columns the queue shows, read as plain tuples (no model instances to build).
QUEUE_COLUMNS = (
    "pk", "status", "deadline", "paused_on", "protocol__number", "protocol__year",
    "service__title_el", "service__title_en", "citizen__first_name", "citizen__last_name",
    "assignee__first_name", "assignee__last_name", "assignee__username",
)  # fmt: skip


def _deadline(
    status: str, deadline: Any, paused: Any, today: dt.date, soon: dt.date, labels: dict[str, str]
) -> SafeString:
    if not deadline:
        return format_html("—")
    text = deadline.strftime("%d/%m/%Y")
    if paused:
        return format_html('{} <span class="muted">({})</span>', text, labels["paused"])
    if status in OPEN_STATUSES and deadline < today:
        return format_html('<span class="overdue">{} · {}</span>', text, labels["overdue"])
    if status in OPEN_STATUSES and deadline <= soon:
        return format_html('<span class="due-soon">{} · {}</span>', text, labels["soon"])
    return format_html("{}", text)


def queue_rows(rows: Iterable[tuple[Any, ...]], *, today: dt.date, soon: dt.date) -> SafeString:
    """Table rows from ``QUEUE_COLUMNS`` tuples."""
    labels = {"paused": _("σε αναμονή"), "overdue": _("εκπρόθεσμη"), "soon": _("λήγει σύντομα")}
    status_labels = dict(Status.choices)
    english = (get_language() or "el").startswith("en")
    base = reverse("services:staff_application", args=[0])[:-2]  # ".../applications/"
    return format_html_join(
        "\n",
        '<tr><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td>'
        '<td><span class="badge {}">{}</span></td><td>{}</td><td>{}</td></tr>',
        (
            (
                base,
                pk,
                f"{number}/{year}" if number else "",
                (title_en or title_el) if english else title_el,
                f"{first} {last}".strip(),
                _BADGE.get(status, "badge-info"),
                status_labels.get(status, status),
                _deadline(status, deadline, paused, today, soon, labels),
                (f"{a_first} {a_last}".strip() or a_user) if a_user else "—",
            )
            for (
                pk,
                status,
                deadline,
                paused,
                number,
                year,
                title_el,
                title_en,
                first,
                last,
                a_first,
                a_last,
                a_user,
            ) in rows
        ),
    )


def _day(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


@lru_cache(maxsize=8)
def _verify_labels(language: str) -> dict[str, str]:
    """The page's fixed texts in one language, translated and escaped once."""
    with translation.override(language):
        texts = {
            "title": _("Επαλήθευση εγγράφου"),
            "result": _("Αποτέλεσμα"),
            "valid": "✔ " + _("Έγκυρο έγγραφο"),
            "revoked": "✖ " + _("Το έγγραφο ανακλήθηκε"),
            "superseded": "⚠ " + _("Το έγγραφο αντικαταστάθηκε"),
            "since": _("Από"),
            "newer": _("Νεότερο έγγραφο"),
            "protocol_short": _("αρ. πρωτ."),
            "type": _("Τύπος εγγράφου"),
            "issuer": _("Εκδότης"),
            "protocol": _("Αριθμός πρωτοκόλλου"),
            "issued": _("Ημερομηνία έκδοσης"),
            "code": _("Κωδικός"),
            "privacy": _(
                "Για την προστασία των προσωπικών δεδομένων δεν εμφανίζονται στοιχεία του προσώπου. "
                "Συγκρίνετε το περιεχόμενο με το έγγραφο που έχετε ή ελέγξτε το αρχείο παρακάτω."
            ),
        }
    return {key: html.escape(str(value)) for key, value in texts.items()}


def verify_result(document: Any, *, code_display: str, upload_panel: str) -> SafeString:
    """The verification page's content for a found document (the not-found case is a template).

    Built here rather than by the template engine: it is rendered on every public
    lookup of a new code. Fixed texts come translated and escaped from
    ``_verify_labels``; every value from the database is escaped here.
    """
    t = _verify_labels(get_language() or "el")
    status = document.status
    verdict = t.get(status, t["superseded"])
    extra = ""
    if status != "valid":
        extra += f"<dt>{t['since']}</dt><dd>{_day(document.status_changed_at)}</dd>"
    if document.superseded_by:
        extra += (
            f"<dt>{t['newer']}</dt><dd>{t['protocol_short']} "
            f"{html.escape(str(document.superseded_by.protocol.label))}</dd>"
        )
    e = html.escape
    return mark_safe(
        f'<h1>{t["title"]}</h1>\n<div class="two-col">\n<section aria-labelledby="res-h">\n'
        f'  <h2 id="res-h" class="visually-hidden">{t["result"]}</h2>\n'
        f'  <p class="verify-status verify-{e(status)}" role="status" data-testid="verify-status">{verdict}</p>\n'
        '  <dl class="kv">\n'
        f"    <dt>{t['type']}</dt><dd>{e(str(document.title))}</dd>\n"
        f"    <dt>{t['issuer']}</dt><dd>{e(str(document.municipality.name))}</dd>\n"
        f"    <dt>{t['protocol']}</dt><dd>{e(str(document.protocol.label))}</dd>\n"
        f"    <dt>{t['issued']}</dt><dd>{_day(document.issued_at)}</dd>\n"
        f"    <dt>{t['code']}</dt><dd>{e(code_display)}</dd>\n    {extra}\n"
        f'  </dl>\n  <p class="muted">{t["privacy"]}</p>\n</section>\n{upload_panel}\n</div>\n'
    )
