"""A running server picks up a new build without a restart and without a failed request."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from conftest import RunningServer, copy_project, run_cli, settled_health

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
    assert all(not _alive(pid) for pid in old_workers), "the old release's workers were stopped once drained"


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


def _wait_for_new_dataset(server: RunningServer, old_hash: str, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        health = requests.get(server.url + "/health", timeout=10).json()
        if health["dataset_hash"] != old_hash:
            return settled_health(server.url)
        time.sleep(0.2)
    raise AssertionError("the server did not switch to the new build")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
