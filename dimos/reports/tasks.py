"""Background tasks of the reports app (thin: they call services)."""

from __future__ import annotations

from dimos.core.tasks import task


@task("reports.forward_to_body")
def forward_to_body_task(*, report_id: int) -> None:
    from dimos.reports.forwarding import report_forward_email

    report_forward_email(report_id=report_id)
