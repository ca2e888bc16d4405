"""gunicorn settings of the production web process (`make serve`, docs/deploy/dimos-web.service).

Threads beside processes (``gthread``): a slow staff page holds one thread, not a
whole worker, so cheap requests (a health check, the public pages) are not queued
behind it; chosen by measurement against sync processes (docs/adr/0005, ``python -m
bench load``). Tune with WEB_CONCURRENCY (processes, default 2 × cores),
WEB_THREADS (threads per process) and WEB_WORKER_CLASS (to measure another). The access log records the path without the
query string: query strings can carry what a person typed into a search box.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count())))
worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server: object, worker: object) -> None:
    """A worker that exits leaves its metrics behind for the others (prometheus_client multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
