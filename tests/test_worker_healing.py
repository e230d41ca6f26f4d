"""Workers heal before anyone notices: `kill -9` of idle and busy query workers and of the page
worker, against a real server; no query is sent to a dead worker and none waits for a spawn."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
import requests

from tests.support import RunningServer, process_running, settled_health, wait_for_busy_workers, wait_until

pytestmark = pytest.mark.slow  # real processes killed, built or fuzzed: the full suite runs them

CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def healing_server(built):
    """One query worker and one page worker, a 3 s budget and a queue wait far shorter than a spawn."""
    running = RunningServer(
        "--query-workers",
        "1",
        "--page-workers",
        "1",
        "--query-timeout-s",
        "3",
        "--queue-wait-s",
        "0.5",
        "--result-cache-mb",
        "0",  # every query must reach the workers under test
        root=built.parent,
    )
    yield running
    running.stop()


def _pids(server, pool: str) -> list[int]:
    return settled_health(server.url)["stores"][pool]["pids"]


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not process_running(pid), 10, f"worker {pid} outlived SIGKILL")


def _query(server, text: str = CHEAP) -> requests.Response:
    return requests.get(server.url + "/sparql", params={"query": text}, timeout=30)


def test_an_idle_query_worker_killed_is_replaced_before_the_next_query(healing_server):
    for _ in range(3):
        [victim] = _pids(healing_server, "sparql")
        _kill(victim)
        answers = [_query(healing_server, f"{CHEAP} # {n}") for n in range(5)]
        assert [a.status_code for a in answers] == [200] * 5, [a.text for a in answers]
        health = settled_health(healing_server.url)
        assert health["status"] == "ok" and victim not in health["stores"]["sparql"]["pids"]


def test_a_busy_query_worker_killed_is_retried_on_the_spare_and_the_next_query_is_served(healing_server):
    [victim] = _pids(healing_server, "sparql")
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(r=_query(healing_server, RUNAWAY)))
    thread.start()
    wait_for_busy_workers(healing_server, 1)
    _kill(victim)
    thread.join(timeout=30)
    # run once more on the spare, within what is left of the budget, where it is stopped in turn
    assert outcome["r"].status_code == 503 and outcome["r"].headers.get("Retry-After"), outcome["r"].text
    assert "stopped" in outcome["r"].text
    settled_health(healing_server.url)  # both workers the runaway held are replaced (a spawn can take seconds here)
    assert _query(healing_server).status_code == 200


def test_a_query_worker_that_crashes_under_a_query_is_told_as_a_crash_not_as_memory(healing_server):
    [victim] = _pids(healing_server, "sparql")
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(r=_query(healing_server, RUNAWAY)))
    thread.start()
    wait_for_busy_workers(healing_server, 1)
    os.kill(victim, signal.SIGSEGV)  # what a stack overflow in the engine does
    thread.join(timeout=30)
    assert outcome["r"].status_code == 400, outcome["r"].text
    assert "crashed (SIGSEGV)" in outcome["r"].text and "memory" not in outcome["r"].text
    settled_health(healing_server.url)
    assert _query(healing_server).status_code == 200


def test_after_a_runaway_is_stopped_the_next_query_does_not_wait_for_a_spawn(healing_server):
    """The queue waits 0.5 s, less than a worker takes to start: only a warm spare can answer in time."""
    before = settled_health(healing_server.url)
    spares = _spare_pids(healing_server, before)
    stopped = _query(healing_server, RUNAWAY)
    assert stopped.status_code == 503 and "stopped" in stopped.text
    assert _query(healing_server).status_code == 200
    now_active = requests.get(healing_server.url + "/health", timeout=10).json()["stores"]["sparql"]["pids"]
    assert now_active != before["stores"]["sparql"]["pids"] and set(now_active) <= set(spares), "the spare took over"


def test_a_killed_page_worker_leaves_health_alive_and_pages_served(healing_server):
    [victim] = _pids(healing_server, "pages")
    _kill(victim)
    health = requests.get(healing_server.url + "/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] in ("ok", "degraded")
    assert requests.get(healing_server.url + "/doc/project/jaif-01", timeout=30).status_code == 200
    assert settled_health(healing_server.url)["status"] == "ok"


def test_health_reports_a_pool_below_strength_as_degraded(healing_server):
    """Both the active worker and the spare killed at once: the pool is short until a spawn finishes."""
    settled_health(healing_server.url)
    body = requests.get(healing_server.url + "/health", timeout=10).json()
    pids = [*body["stores"]["sparql"]["pids"], *_spare_pids(healing_server, body)]
    for pid in pids:
        _kill(pid)
    degraded = requests.get(healing_server.url + "/health", timeout=10)
    assert degraded.status_code == 200 and degraded.json()["status"] in ("degraded", "busy"), (pids, degraded.text)
    assert settled_health(healing_server.url)["status"] == "ok"


def _spare_pids(server, health: dict) -> list[int]:
    """Processes under the server (its HTTP workers' children) that are neither pool's active workers: the spares."""
    active = {*health["stores"]["sparql"]["pids"], *health["stores"]["pages"]["pids"]}
    return [pid for pid in _descendants(server.process.pid) if pid not in active and _is_worker(pid)]


def _descendants(pid: int) -> list[int]:
    """Every thread's children: a worker started by a pool's background thread is that thread's child."""
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in _read_or_empty(task / "children").split()]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _read_or_empty(path: Path) -> str:
    """A thread may end between listing and reading it."""
    try:
        return path.read_text(encoding="ascii")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def _is_worker(pid: int) -> bool:
    """A spawned worker, not multiprocessing's resource tracker (also a child, also in multiprocessing)."""
    return "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(encoding="utf-8", errors="replace")
