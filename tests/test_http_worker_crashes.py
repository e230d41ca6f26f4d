"""The server never exits because an HTTP worker died: crashed workers are replaced, with backoff,
for as long as it runs, and /health and /metrics say how many and whether they crash in a row."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from aichr_kg.web.supervisor import FIRST_BACKOFF_S, MAX_BACKOFF_S, CrashLedger, read_worker_crashes
from tests.support import RunningServer, process_running, wait_until

pytestmark = pytest.mark.slow


def children(pid: int) -> set[int]:
    """The pids of the processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
        except OSError:
            continue
    return found


def replaced(server: RunningServer, killed: int, timeout_s: float = 60) -> set[int]:
    """Wait until the killed worker is gone and both workers again run their query workers (the app is made)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        workers = children(server.process.pid)
        if killed not in workers and len(workers) == 2 and all(len(children(worker)) >= 2 for worker in workers):
            return workers
        time.sleep(0.2)
    raise AssertionError(f"worker {killed} was not replaced within {timeout_s} s")


def answers(server: RunningServer, timeout_s: float = 30) -> bool:
    """Whether the server answers a query within `timeout_s` (a replacement may still be opening its socket)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            return server.get(
                "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}
            ).json()["boolean"]
        except requests.ConnectionError:
            time.sleep(0.2)
    return False


def test_killed_http_workers_are_replaced_and_reported_and_the_server_keeps_answering(built) -> None:
    server = RunningServer("--http-workers", "2", "--query-workers", "1", root=built.parent)
    try:
        workers = children(server.process.pid)
        assert len(workers) == 2
        for kill in (signal.SIGSEGV, signal.SIGKILL, signal.SIGSEGV, signal.SIGKILL):
            victim = max(workers)  # the newest: granian alone exits when a respawned worker dies within 5.5 s
            os.kill(victim, kill)
            workers = replaced(server, victim)
            assert server.process.poll() is None, "the server exited"
            assert answers(server)
        health = server.get("/health").json()
        assert health["status"] == "degraded"
        assert health["http_workers"]["restarts"] == 4 and health["http_workers"]["crash_loop"]
        assert health["http_workers"]["last_exit"] == "signal SIGKILL"
        assert "aichr_http_worker_restarts 4.0" in server.get("/metrics").text
    finally:
        server.stop()
    log = Path(server.log.name).read_text()
    assert "crashed (signal SIGSEGV)" in log and "crashes in a row" in log
    assert "crash loop detected" not in log.lower()


def test_the_wait_before_a_respawn_doubles_with_crashes_in_a_row_and_resets_after_a_quiet_spell(tmp_path) -> None:
    ledger = CrashLedger(tmp_path / "crashes.json")
    waits = [ledger.record("signal SIGSEGV", now) for now in (100.0, 101.0, 102.0, 103.0)]
    assert waits == [0.0, FIRST_BACKOFF_S, 2 * FIRST_BACKOFF_S, 4 * FIRST_BACKOFF_S]
    assert read_worker_crashes(ledger.path).in_a_row == 4
    assert max(ledger.record("signal SIGSEGV", 104.0 + n) for n in range(20)) == MAX_BACKOFF_S
    assert ledger.record("status 1", 1_000.0) == 0.0
    assert read_worker_crashes(ledger.path).crash_loop is False
    assert read_worker_crashes(ledger.path).restarts == 25


def test_http_workers_and_their_query_workers_stop_when_the_supervisor_is_killed(built) -> None:
    """A supervisor killed outright (SIGKILL, an OOM kill) leaves no worker serving on its own."""
    server = RunningServer("--http-workers", "2", "--query-workers", "1", root=built.parent)
    try:
        wait_until(lambda: len(children(server.process.pid)) == 2, 30, "two HTTP workers never ran")
        workers = children(server.process.pid)
        query_workers = set().union(*(children(worker) for worker in workers))
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        left = workers | query_workers
        wait_until(lambda: not any(process_running(pid) for pid in left), 30, "a worker outlived its supervisor")
    finally:
        server.stop()
