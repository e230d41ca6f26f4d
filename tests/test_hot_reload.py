"""A running server picks up a new build, or a new publication to the store it shares with other
front ends, without a restart and without a failed request."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from engines import OxigraphEngine, publish_to
from tests.support import RunningServer, copy_project, process_running, run_cli, settled_health, wait_until

pytestmark = pytest.mark.slow  # builds twice and serves

LABEL = "AICHR Seminar on Promoting CSR and Human Rights in ASEAN"
RENAMED = "AICHR Seminar on Promoting CSR and Human Rights in ASEAN (renamed)"
FIND = 'SELECT ?s WHERE { ?s rdfs:label "%s"@en }'


def _count(server: RunningServer, label: str) -> int:
    response = requests.post(
        server.url + "/sparql", data={"query": FIND % label}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    )
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


@pytest.fixture(scope="module")
def reloading(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("reload"))
    assert run_cli("build", cwd=project).returncode == 0
    running = RunningServer("--reload-interval-s", "0.5", root=project)
    yield project, running
    running.stop()


def test_a_new_build_is_served_without_a_restart_or_a_failed_request(reloading):
    project, server = reloading
    before = settled_health(server.url)
    assert _count(server, LABEL) == 1 and _count(server, RENAMED) == 0
    statuses: list[int] = []
    stop = threading.Event()

    def keep_querying() -> None:
        while not stop.is_set():
            statuses.append(requests.get(server.url + "/sparql", params={"query": FIND % LABEL}, timeout=30).status_code)

    hammer = threading.Thread(target=keep_querying)
    hammer.start()
    try:
        data = project / "data" / "bhr-projects.ttl"
        data.write_text(data.read_text(encoding="utf-8").replace(f'"{LABEL}"@en', f'"{RENAMED}"@en'), encoding="utf-8")
        assert run_cli("build", cwd=project).returncode == 0
        after = _wait_for_new_dataset(server, before["dataset_hash"])
    finally:
        stop.set()
        hammer.join(30)
    assert _count(server, RENAMED) == 1 and _count(server, LABEL) == 0
    assert statuses and set(statuses) == {200}, "every query during the switch was answered"
    old_workers = set(before["stores"]["sparql"]["pids"]) | set(before["stores"]["pages"]["pids"])
    assert old_workers.isdisjoint(after["stores"]["sparql"]["pids"]), "new workers serve the new release"
    # stopped one by one in the background once the old release is drained
    wait_until(lambda: not any(process_running(pid) for pid in old_workers), 30, "the old release's workers live on")


def test_a_damaged_new_build_is_refused_and_the_old_one_kept(reloading):
    project, server = reloading
    before = settled_health(server.url)
    release = (project / "build").resolve()
    damaged = release.parent / (release.name + "-damaged")
    damaged.mkdir()
    (damaged / "manifest.json").write_text((release / "manifest.json").read_text(encoding="utf-8"), encoding="utf-8")
    link = project / "build"
    link.unlink()
    link.symlink_to(damaged)
    try:
        time.sleep(2)  # several checks of the watcher
        assert settled_health(server.url)["dataset_hash"] == before["dataset_hash"]
        assert requests.get(server.url + "/sparql", params={"query": FIND % RENAMED}, timeout=30).status_code == 200
    finally:
        link.unlink()
        link.symlink_to(release)


def test_two_front_ends_on_one_engine_both_switch_to_a_new_publication(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("shared"))
    engine = OxigraphEngine(tmp_path_factory.mktemp("engine"))
    engine.start()
    front_ends: list[RunningServer] = []
    try:
        assert run_cli("build", cwd=project).returncode == 0
        assert publish_to(engine, project).returncode == 0
        args = ("--endpoint", engine.query_url, "--reload-interval-s", "0.5")
        front_ends = [RunningServer(*args, root=project) for _ in range(2)]
        old_hash = settled_health(front_ends[0].url)["dataset_hash"]
        assert all(_count(front, LABEL) == 1 for front in front_ends)
        data = project / "data" / "bhr-projects.ttl"
        data.write_text(data.read_text(encoding="utf-8").replace(f'"{LABEL}"@en', f'"{RENAMED}"@en'), encoding="utf-8")
        assert run_cli("build", cwd=project).returncode == 0
        assert publish_to(engine, project).returncode == 0
        for front in front_ends:
            assert _wait_for_new_dataset(front, old_hash)["dataset_hash"] != old_hash
            assert _count(front, RENAMED) == 1 and _count(front, LABEL) == 0
    finally:
        for front in front_ends:
            front.stop()
        engine.stop()


def _wait_for_new_dataset(server: RunningServer, old_hash: str, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        health = requests.get(server.url + "/health", timeout=10).json()
        if health["dataset_hash"] != old_hash:
            return settled_health(server.url)
        time.sleep(0.2)
    raise AssertionError("the server did not switch to the new build")
