"""Forwarding a report to an external body (e.g. the water utility) by e-mail."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from dimos.core.links import public_base_url
from dimos.reports.models import Report


def report_forward_email(*, report_id: int) -> None:
    """Send the body what it needs to act: what, where, when; never the reporter's personal data."""
    report = Report.objects.select_related("municipality", "category", "external_body", "unit").get(
        pk=report_id
    )
    body = report.external_body
    if body is None:
        return
    base = public_base_url(report.municipality)
    with translation.override("el"):
        text = render_to_string(
            "reports/forward_email.txt", {"report": report, "body": body, "base_url": base}
        )
    subject, _, message = text.strip().partition("\n")
    EmailMessage(
        subject=subject.strip(),
        body=message.strip(),
        to=[body.email],
        reply_to=[report.municipality.email] if report.municipality.email else None,
    ).send(fail_silently=False)
