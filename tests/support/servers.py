"""Servers the tests and benchmarks start on 127.0.0.1, and the waits that read their state instead of sleeping."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.project import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
SERVER_TIMEOUT_S = 3  # the session server's query budget, and its engine's own timeout
SERVER_LIMITS = (
    *("--query-timeout-s", str(SERVER_TIMEOUT_S), "--query-workers", "2"),
    *("--max-result-rows", "500", "--max-result-bytes", "300000"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, then kill what does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until(condition, timeout_s: float = 60, message: str = "the condition never held") -> None:
    """Poll `condition` every 50 ms until it holds; fail with `message` after `timeout_s` (a loaded machine is slow)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


def settled_health(url: str, timeout_s: float = 60) -> dict:
    """/health once every worker pool is at full strength again (replacements start in the background)."""
    deadline = time.monotonic() + timeout_s
    while True:
        body = requests.get(url + "/health", timeout=10).json()
        if body["status"] == "ok":
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"/health did not settle to ok within {timeout_s:g} s: {body}")
        time.sleep(0.1)


def process_running(pid: int) -> bool:
    """Until the process is a zombie or gone (ESRCH while reading means it is still exiting)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except ProcessLookupError:
        return True


def wait_for_busy_workers(server, count: int, timeout_s: float = 10) -> None:
    """Wait until /metrics shows `count` /sparql workers executing (instead of sleeping and hoping)."""

    def busy() -> float:
        metrics = requests.get(server.url + "/metrics", timeout=10).text
        return next(float(line.split()[1]) for line in metrics.splitlines() if line.startswith("aichr_sparql_workers_busy "))

    wait_until(lambda: busy() >= count, timeout_s, f"{count} workers never became busy")


class RunningServer:
    """`aichr-kg serve` in a subprocess on 127.0.0.1 and a free port."""

    def __init__(self, *extra_args: str, root: Path, env: dict | None = None):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = (ARTIFACTS / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aichr_kg", "serve", "--port", str(self.port), *extra_args],
            cwd=root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: `stop` leaves nothing of it behind
        )
        self._wait_until_healthy()

    def get(self, path: str, **options) -> requests.Response:
        """GET `path` over HTTP (requests' options: headers, params, allow_redirects, timeout)."""
        options.setdefault("timeout", 30)
        return requests.get(self.url + path, **options)

    def _wait_until_healthy(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log.name}")
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("server did not become healthy in time")

    def stop(self) -> None:
        """Stop the server, then whatever of its process group is left (a test may have orphaned a worker)."""
        stop_process(self.process)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class CountingStore:
    """A store that counts the requests it executes, to prove what a response cost."""

    def __init__(self, inner):
        self.inner = inner
        self.requests: list = []

    def execute(self, request):
        self.requests.append(request)
        return self.inner.execute(request)

    def status(self) -> dict:
        return self.inner.status()

    def close(self) -> None:
        self.inner.close()


def run_query(page) -> None:
    """Click Run and wait until the answer's page has loaded, its scripts run: its first element
    appearing is not enough (the history count, the tabs and the editor come from scripts after it)."""
    with page.expect_navigation():
        page.click("#run")
