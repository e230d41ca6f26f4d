"""A server that reloads again and again holds the values of the release it serves, not of every
release it served: on data ten times ours, the memory of its process tree stops growing.

Each reload is a release with its own dataset hash (a copy of one build, hard-linked, with the hash
in its manifest changed: building twenty times would take minutes), and after each one the pages
that fill the per-release values are visited: names, ontology, counts, the completion document, the
saved-query catalog and its allowed values, the home timeline, the model diagram and kept answers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from statistics import mean

import pytest
import requests

from bench.synthetic import make_synthetic_project
from tests.support import ROOT, RunningServer, process_running, run_cli, settled_health, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.thorough]  # builds data ten times ours and serves twenty builds of it

COPIES = 10
RELOADS = 20
MIB = 1024 * 1024
# With values keyed by dataset hash and never dropped, the tree grew 1.6 MiB per reload here, steadily:
# 8.2 MiB between the means of reloads 11-15 and 16-20. With values freed with their release it grows
# over the first ten reloads (the allocator's arenas and the workers settling), then by noise only:
# -0.1, +1.5 and +2.1 MiB between those means in three runs on a loaded machine (Python's own
# allocations, traced, stay flat). A bound of 5 MiB, well under the old growth and well over that
# noise, tells the two apart.
MAX_LATE_GROWTH = 5 * MIB
PAGES = (
    "/",
    "/ontology",
    "/.well-known/void",
    "/sparql/completion.json",
    "/api",
    "/api/jaif-projects",
    "/sparql?query=SELECT+(COUNT(*)+AS+%3Fn)+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D",
)


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> Path:
    project = make_synthetic_project(ROOT, tmp_path_factory.mktemp("grown") / "project", COPIES)
    built = run_cli("build", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    return project


def release_copies(project: Path, count: int) -> list[Path]:
    """`count` releases of the build, each with a dataset hash of its own; files hard-linked (the store is opened read-only)."""
    build = (project / "build").resolve()
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    copies = []
    for number in range(count):
        copy = build.parent / f"copy-{number}"
        shutil.copytree(build, copy, copy_function=os.link)
        (copy / "manifest.json").unlink()  # a hard link: writing through it would change the original
        input_hash = hashlib.sha256(f"{manifest['input_hash']}-{number}".encode()).hexdigest()
        (copy / "manifest.json").write_text(json.dumps({**manifest, "input_hash": input_hash}), encoding="utf-8")
        copies.append(copy)
    return copies


def switch_to(project: Path, release: Path) -> None:
    """Point `build` at `release` in one rename, as a build does."""
    staged = project / "build.next"
    staged.symlink_to(release)
    staged.replace(project / "build")


def fill_values(server: RunningServer) -> None:
    for page in PAGES:
        answer = server.get(page, timeout=60)
        assert answer.status_code == 200, f"{page}: {answer.status_code}"


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process below it."""
    children = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        total += _resident_bytes(pid)
    return total


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (a process that exits meanwhile is left out)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    return children


def _resident_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (FileNotFoundError, ProcessLookupError):
        return 0  # exited since the tree was read


def reload(server: RunningServer, project: Path, release: Path) -> None:
    """Switch to `release`, wait until it is served and the one before it has stopped its workers."""
    before = settled_health(server.url)
    old_workers = set(before["stores"]["sparql"]["pids"]) | set(before["stores"]["pages"]["pids"])
    expected = json.loads((release / "manifest.json").read_text(encoding="utf-8"))["input_hash"]
    switch_to(project, release)
    wait_until(lambda: _served_hash(server) == expected, 60, f"release {release.name} was not picked up")
    settled_health(server.url)
    fill_values(server)
    wait_until(lambda: not any(process_running(pid) for pid in old_workers), 30, "the old release's workers live on")


def _served_hash(server: RunningServer) -> str:
    return requests.get(server.url + "/health", timeout=10).json()["dataset_hash"]


def test_memory_stops_growing_over_twenty_reloads(grown):
    releases = release_copies(grown, RELOADS)
    # One worker per pool keeps the reloads quick; the warm-up shares the page worker with the visits,
    # so a request waits for it (up to 30 s on a loaded machine) rather than being turned away busy.
    server = RunningServer(
        *("--reload-interval-s", "0.2", "--query-workers", "1", "--http-workers", "1", "--queue-wait-s", "30"), root=grown
    )
    try:
        fill_values(server)
        sizes = []
        for release in releases:
            reload(server, grown, release)
            sizes.append(tree_rss(server.process.pid))
    finally:
        server.stop()
    growth = mean(sizes[15:20]) - mean(sizes[10:15])
    shown = ", ".join(f"{size / MIB:.1f}" for size in sizes)
    assert growth < MAX_LATE_GROWTH, f"the tree grew {growth / MIB:.1f} MiB over five late reloads (MiB after each: {shown})"
