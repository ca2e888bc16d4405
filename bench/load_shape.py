"""The production shape for ``bench/load.py``: gunicorn, task worker and MQTT consumer as the
Procfile runs them, pinned to the server core, and ``wrk`` pinned to the other one."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "load"
LOAD_DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dimos_bench_load")
LOAD_CACHE_URL = os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/5")
MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")
SERVER_CORE, CLIENT_CORE = "1", "0"
HOST = "serres.localhost"
FLOOR = "/__bench_floor__"
ENTITY_PREFIX = "urn:ngsi-ld:ParkingSpot:bench-"
BATCH = 1000
RUNS = 3


# --- The production shape --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Shape:
    """gunicorn + task worker + MQTT consumer, as the Procfile starts them, pinned to the server core."""

    def __init__(
        self, *, worker_class: str | None = None, workers: int | None = None, threads: int | None = None
    ) -> None:
        self.port = _free_port()
        self.prefix = f"load-{uuid.uuid4().hex[:8]}/"
        self.env = {**os.environ, "WEB_BIND": f"127.0.0.1:{self.port}", "PYTHONUNBUFFERED": "1"}
        self.env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="dimos-load-prom-")
        if worker_class:
            self.env["WEB_WORKER_CLASS"] = worker_class
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if threads:  # gunicorn turns "sync" with more than one thread into gthread
            self.env["WEB_THREADS"] = str(threads)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def _spawn(self, name: str, argv: list[str]) -> None:
        self.procs[name] = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, *argv],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def start(self) -> Shape:
        py = sys.executable
        self._spawn("web", [py, "-m", "gunicorn", "-c", "gunicorn.conf.py", "dimos.wsgi:application"])
        self.worker_start()
        self.mqtt_start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if get(self.url(FLOOR))[0] == 200:
                    return self
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_start(self) -> None:
        self._spawn("worker", [sys.executable, "manage.py", "run_worker"])

    def mqtt_start(self) -> None:
        argv = [sys.executable, "manage.py", "sensors_mqtt", "--url", MQTT_URL]
        self._spawn("mqtt", [*argv, "--client-id", f"dimos-{self.prefix[:-1]}", "--prefix", self.prefix])

    def kill(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop(self) -> None:
        for name in list(self.procs):
            self.kill(name)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request (no redirect followed): the status a measured URL must answer with 200."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Host": HOST, **(headers or {})})  # noqa: S310 (http only)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# --- wrk -----------------------------------------------------------------------------------------


def wrk(
    shape: Shape,
    path: str,
    *,
    seconds: float,
    c: int = 8,
    script: str = "get.lua",
    headers: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    background: bool = False,
) -> dict[str, Any] | subprocess.Popen[str]:
    """One wrk run (one thread, so a script's counter is unique) pinned to the client core."""
    composed = Path(tempfile.gettempdir()) / f"dimos-load-{os.getpid()}-{script}"
    composed.write_text((SCRIPTS / script).read_text() + (SCRIPTS / "done.lua").read_text())
    argv = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{c}", f"-d{max(1, round(seconds))}s"]
    argv += ["--timeout", "10s", "-s", str(composed), "-H", f"Host: {HOST}"]
    for key, value in (headers or {}).items():
        argv += ["-H", f"{key}: {value}"]
    proc = subprocess.Popen(
        [*argv, shape.url(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return proc if background else wrk_result(proc)


def wrk_result(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate()
    line = next((x for x in out.splitlines() if x.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {out[-500:]} {err[-500:]}")
    figures = json.loads(line[5:])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(figures[k] for k in ("non2xx", "connect", "read", "write", "timeout"))
    return figures


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    rps = [r["rps"] for r in runs]
    return {
        "rps_median": round(statistics.median(rps), 1),
        "rps_spread": [round(min(rps), 1), round(max(rps), 1)],
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p95_ms": round(statistics.median(r["p95_ms"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
        "errors": sum(r["errors"] for r in runs),
    }


def compare(
    shape: Shape,
    name: str,
    path: str,
    *,
    seconds: float,
    target: str,
    max_ratio: float | None,
    c: int = 8,
    check_headers: dict[str, str] | None = None,
    per_run_env: Any = None,
    env: dict[str, str] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Endpoint and floor alternated, RUNS runs each at concurrency ``c``."""
    if check_headers is not None or kwargs.get("script", "get.lua") == "get.lua":
        status, body = get(shape.url(path), check_headers or kwargs.get("headers"))
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    # Warm-up, not recorded: every worker has loaded its code and opened its connections.
    wrk(shape, path, seconds=1, c=c, env=per_run_env(RUNS) if per_run_env else env, **kwargs)
    wrk(shape, FLOOR, seconds=1, c=c)
    endpoint_runs, floor_runs = [], []
    for i in range(RUNS):
        run_env = per_run_env(i) if per_run_env else env
        endpoint_runs.append(wrk(shape, path, seconds=seconds, c=c, env=run_env, **kwargs))
        floor_runs.append(wrk(shape, FLOOR, seconds=seconds, c=c))
    endpoint, floor = _summary(endpoint_runs), _summary(floor_runs)
    ratio = floor["rps_median"] / endpoint["rps_median"] if endpoint["rps_median"] else float("inf")
    row = {
        "name": name,
        "path": path.split("?")[0],
        "concurrency": c,
        "endpoint": endpoint,
        "floor": floor,
        "ratio": round(ratio, 2),
        "target": target,
        "meets_target": (ratio <= max_ratio and endpoint["errors"] == 0) if max_ratio else None,
    }
    print(f"  {name}: {endpoint['rps_median']} req/s vs floor {floor['rps_median']}, ratio {row['ratio']}")
    return row
