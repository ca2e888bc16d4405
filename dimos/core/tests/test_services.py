from typing import Any

from django.core import mail
from django.test import Client

from dimos.core.constants import DeliveryStatus, TaskStatus
from dimos.core.models import AuditEvent, Notification, NotificationTemplate, Task
from dimos.core.services import audit_record, notify
from dimos.core.tasks import task, task_enqueue, tasks_reclaim_stale, tasks_run_pending


def test_audit_record_keeps_actor_object_values(serres: Any, alice: Any) -> None:
    event = audit_record(action="unit.rename", actor=alice, obj=serres, old={"a": 1}, new={"a": 2})
    assert event.actor == alice
    assert event.object_type == "core.municipality"
    assert event.old_values == {"a": 1} and event.new_values == {"a": 2}


def test_audit_records_the_client_ip_of_the_request(serres: Any, bob: Any) -> None:
    from dimos.core.context import current_ip

    token = current_ip.set("192.0.2.10")
    try:
        event = audit_record(action="x", actor=bob, municipality=serres)
    finally:
        current_ip.reset(token)
    assert event.ip_address == "192.0.2.10"
    assert AuditEvent.objects.count() == 1


def test_notify_renders_and_delivers_by_email(serres: Any, citizen: Any) -> None:
    notify(municipality=serres, key="core.test", context={"what": "δοκιμή"}, user=citizen)
    notification = Notification.objects.get()
    assert notification.status == DeliveryStatus.QUEUED
    assert tasks_run_pending() == 1
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert mail.outbox[0].to == ["maria@example.org"]
    assert "δοκιμή" in mail.outbox[0].body


def test_a_municipality_may_override_a_template(serres: Any, citizen: Any) -> None:
    NotificationTemplate.objects.create(
        municipality=serres,
        key="core.test",
        channel="email",
        language="el",
        subject="Θέμα {{ what }}",
        body="Δικό μας κείμενο: {{ what }}",
    )
    notify(municipality=serres, key="core.test", context={"what": "Χ"}, user=citizen)
    assert Notification.objects.get().subject == "Θέμα Χ"


def test_unverified_email_gets_nothing(serres: Any, citizen: Any) -> None:
    citizen.email_verified = False
    assert notify(municipality=serres, key="core.test", context={}, user=citizen) == []


def test_failed_delivery_is_logged_and_retried(serres: Any, citizen: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "dimos.core.tests.test_services.BrokenBackend"
    notify(municipality=serres, key="core.test", context={"what": "x"}, user=citizen)
    tasks_run_pending()
    notification = Notification.objects.get()
    assert notification.status == DeliveryStatus.QUEUED
    assert notification.attempts == 1 and "SMTP down" in notification.last_error
    assert Task.objects.filter(status=TaskStatus.PENDING).count() == 1  # the retry


def test_sms_goes_through_the_backend(serres: Any, citizen: Any) -> None:
    from dimos.core.sms import MemorySmsBackend

    MemorySmsBackend.outbox.clear()
    citizen.phone, citizen.phone_verified = "6900000000", True
    notify(municipality=serres, key="core.test", context={"what": "y"}, user=citizen, channels=("sms",))
    tasks_run_pending()
    assert MemorySmsBackend.outbox and MemorySmsBackend.outbox[0][0] == "6900000000"


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionError("SMTP down")


calls: list[int] = []


@task("core.tests.flaky")
def flaky(*, n: int) -> None:
    calls.append(n)
    if n < 0:
        raise ValueError("boom")


def test_task_runs_once_and_failures_are_retried_then_failed(db: Any, settings: Any) -> None:
    calls.clear()
    task_enqueue("core.tests.flaky", {"n": 1})
    bad = task_enqueue("core.tests.flaky", {"n": -1})
    Task.objects.filter(pk=bad.pk).update(max_attempts=1)
    assert tasks_run_pending() == 2
    assert tasks_run_pending() == 0  # nothing runs twice
    assert calls.count(1) == 1
    bad.refresh_from_db()
    assert bad.status == TaskStatus.FAILED and "boom" in bad.last_error


def test_stale_running_tasks_are_reclaimed(db: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    t = task_enqueue("core.tests.flaky", {"n": 2})
    Task.objects.filter(pk=t.pk).update(
        status=TaskStatus.RUNNING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert tasks_reclaim_stale() == 1
    assert tasks_run_pending() == 1


def test_healthz_reports_database_and_tasks(anon_client: Client) -> None:
    body = anon_client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert "pending" in body["tasks"]
