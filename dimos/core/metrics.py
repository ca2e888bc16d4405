"""Prometheus metrics: what an operator watches (docs/operations.md, "Runbook").

Counters and histograms are written where things happen (a request, a batch of
readings, a failed notification) with ``prometheus_client``. With several
processes (gunicorn workers, the task worker, the MQTT consumer) set
``PROMETHEUS_MULTIPROC_DIR`` to a directory they share: every process writes its
samples there and ``/metrics`` adds them up. Figures that live in the database
(the task queue, failed notifications) are read when ``/metrics`` is scraped, so
every process reports the same truth.

``/metrics`` is for the operators only: it answers when the request carries
``METRICS_TOKEN`` as a bearer token or comes from ``METRICS_ALLOWED_NETWORKS``,
and is a 404 otherwise (and when neither is configured). No label carries
personal data: views are labelled by their URL name, never by path.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUEST_SECONDS = Histogram(
    "dimos_http_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUEST_QUERIES = Histogram(
    "dimos_http_request_db_queries",
    "Database queries made to answer a request, by view.",
    ["view"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89),
)
INGEST_READINGS = Counter(
    "dimos_ingest_readings_total",
    "Sensor readings received, by door (http, ngsild, mqtt, ttn) and outcome (stored, duplicate, rejected).",
    ["door", "outcome"],
)
INGEST_LAG_SECONDS = Histogram(
    "dimos_ingest_lag_seconds",
    "From a reading's observation time to its commit, by door (MQTT consumer lag for mqtt and ttn).",
    ["door"],
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600),
)
MQTT_DEAD_LETTERS = Counter(
    "dimos_mqtt_dead_letters_total",
    "MQTT messages that could never be stored (acknowledged and logged, not retried), by reason.",
    ["reason"],
)


def observe_request(view: str, method: str, status: int, seconds: float, queries: int) -> None:
    status_class = f"{status // 100}xx"
    REQUEST_SECONDS.labels(view=view, method=method, status=status_class).observe(seconds)
    REQUEST_QUERIES.labels(view=view).observe(queries)


def observe_ingest(door: str, *, stored: int, duplicate: int = 0, rejected: int = 0) -> None:
    for outcome, count in (("stored", stored), ("duplicate", duplicate), ("rejected", rejected)):
        if count:
            INGEST_READINGS.labels(door=door, outcome=outcome).inc(count)


class DatabaseCollector(Collector):
    """Figures read from the database at scrape time: the task queue and the notification log."""

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # nothing to read at registration: the database is asked only when scraped

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count, Min, Q

        from dimos.core.constants import DeliveryStatus, TaskStatus
        from dimos.core.models import Notification, Task

        queue = Task.objects.aggregate(
            pending=Count("pk", filter=Q(status=TaskStatus.PENDING)),
            running=Count("pk", filter=Q(status=TaskStatus.RUNNING)),
            failed=Count("pk", filter=Q(status=TaskStatus.FAILED)),
            oldest=Min("created_at", filter=Q(status__in=[TaskStatus.PENDING, TaskStatus.RUNNING])),
        )
        depth = GaugeMetricFamily("dimos_tasks", "Background tasks by status.", labels=["status"])
        for status in ("pending", "running", "failed"):
            depth.add_metric([status], queue[status])
        yield depth
        oldest = queue["oldest"]
        yield GaugeMetricFamily(
            "dimos_tasks_oldest_pending_age_seconds",
            "Age of the oldest task not yet done (0 when the queue is empty): grows when no worker runs.",
            value=time.time() - oldest.timestamp() if oldest else 0,
        )
        failures = GaugeMetricFamily(
            "dimos_notifications_failed",
            "Notifications that failed for good, by channel.",
            labels=["channel"],
        )
        for row in (
            Notification.objects.filter(status=DeliveryStatus.FAILED)
            .values("channel")
            .annotate(n=Count("pk"))
        ):
            failures.add_metric([row["channel"]], row["n"])
        yield failures


_DATABASE = DatabaseCollector()
REGISTRY.register(_DATABASE)


def _registry() -> CollectorRegistry:
    """This process's registry, or every process's samples when they share a multiprocess directory."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_DATABASE)
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    presented = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(presented.encode(), f"Bearer {token}".encode()):
        return True
    from dimos.core.middleware import client_ip

    address = client_ip(request)
    if not address or not settings.METRICS_ALLOWED_NETWORKS:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics`` in the Prometheus text format, for the operators' network or token only."""
    if not _allowed(request):
        raise Http404("Not found")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Times every request and counts its queries, labelled by the view's URL name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _QueryCounter()
        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unresolved"
        observe_request(
            view, request.method or "", response.status_code, time.perf_counter() - started, counter.n
        )
        return response


class _QueryCounter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)
