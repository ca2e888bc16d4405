"""A Mosquitto of its own for the loss tests and ``python -m bench mqtt``.

Started from the ``mosquitto`` binary on a free port, with the settings of
docs/deploy/mosquitto.conf (``documented_settings``) or any others, so the tests check
the configuration the deployment guide asks for, and never change the shared broker.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

DOCUMENTED = Path(__file__).resolve().parents[3] / "docs" / "deploy" / "mosquitto.conf"


def documented_settings() -> list[str]:
    """docs/deploy/mosquitto.conf up to its site-specific part (listener, auth, paths)."""
    text = DOCUMENTED.read_text(encoding="utf-8").split("# --- site")[0]
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def mosquitto_binary() -> str | None:
    found = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    return found if os.path.exists(found) else None


class LocalBroker:
    """``mosquitto -c`` with ``lines`` plus a listener on a free port and a store in ``workdir``."""

    def __init__(self, lines: list[str], workdir: Path) -> None:
        binary = mosquitto_binary()
        if binary is None:
            raise FileNotFoundError("the mosquitto binary is missing (apt-get install mosquitto)")
        self.binary = binary
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.conf = workdir / "mosquitto.conf"
        self.conf.write_text(
            "\n".join([*lines, f"persistence_location {workdir}/", f"listener {self.port} 127.0.0.1"])
            + "\nallow_anonymous true\n",
            encoding="utf-8",
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"mosquitto did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
