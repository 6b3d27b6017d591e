"""Child processes of the demo: the sandbox, Celery workers, the web server.

Each runs in its own process group with its output in a log file, and is stopped
with SIGTERM first (warm shutdown), SIGKILL only if it does not go.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings


class Child:
    def __init__(self, name: str, command: list[str], log: Path, env=None) -> None:
        self.name = name
        self.command = command
        self.log_path = log
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None

    def start(self) -> "Child":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        )

    def wait_for(self, predicate, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            if not self.running():
                raise RuntimeError(f"{self.name} exited; see {self.log_path}")
            time.sleep(0.2)
        raise RuntimeError(
            f"{self.name}: no {what} in {timeout:.0f}s; see {self.log_path}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        if not self.running():
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.process.wait(timeout=timeout)

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)


def manage(*args: str) -> list[str]:
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]


def celery_worker(name: str, concurrency: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"{name}@%h",
    ]


def celery_beat() -> list[str]:
    """Beat with the database scheduler (settings): no schedule file to keep."""
    return [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO"]
