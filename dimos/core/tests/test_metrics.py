"""/metrics: for the operators only, with request, query, task and notification figures."""

from __future__ import annotations

from typing import Any

from django.test import Client

from dimos.core.constants import Channel, DeliveryStatus
from dimos.core.models import Notification
from dimos.core.tasks import task_enqueue
from dimos.core.testing import SERRES_HOST


def test_metrics_are_off_unless_configured(anon_client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert anon_client.get("/metrics").status_code == 404


def test_a_wrong_token_or_another_network_sees_nothing(anon_client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = "s3cret-operator-token"
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert anon_client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 404
    assert Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="10.20.3.4").get("/metrics").status_code == 200


def test_the_operator_reads_requests_queries_tasks_and_failed_notifications(
    anon_client: Client, serres: Any, settings: Any
) -> None:
    settings.METRICS_TOKEN = "s3cret-operator-token"
    anon_client.get("/")
    task_enqueue("core.deliver_notification", {"notification_id": 0})
    Notification.objects.create(
        municipality=serres,
        key="test.failed",
        channel=Channel.SMS,
        language="el",
        recipient="+306900000000",
        subject="",
        body="x",
        status=DeliveryStatus.FAILED,
    )
    response = anon_client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-operator-token")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'dimos_http_request_duration_seconds_count{method="GET",status="2xx",view="core:home"}' in text
    assert 'dimos_http_request_db_queries_count{view="core:home"}' in text
    assert 'dimos_tasks{status="pending"} 1.0' in text
    assert "dimos_tasks_oldest_pending_age_seconds" in text
    assert 'dimos_notifications_failed{channel="sms"} 1.0' in text
    assert "+306900000000" not in text
