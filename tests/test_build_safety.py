"""Builds that collide, are killed or find their files damaged never leave `serve` a broken build.

Every test works on its own copy of a project built once for this module, so the checkout's own
build is never touched; each runs the real `aichr-kg` processes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from aichr_kg.cli.commands import EXIT_BROKEN, EXIT_BUSY
from aichr_kg.pipeline.build_folders import LINK_PREFIX, LOCK, STAGING_PREFIX, build_lock
from aichr_kg.pipeline.integrity import open_build
from tests.support import RunningServer, copy_project, free_port, run_cli_process, wait_until

pytestmark = pytest.mark.slow  # real processes killed, built or fuzzed: the full suite runs them

RANDOM_KILLS, KILL_SEED = 4, 20240601  # and a fifth kill while a release is being written
QUICK_S = 60  # a refusal or an up-to-date check takes about a second


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> tuple[Path, float]:
    """A project with a good build, and how long that build took."""
    project = copy_project(tmp_path_factory.mktemp("good"))
    started = time.monotonic()
    result = run_cli_process("--root", str(project), "build")
    assert result.returncode == 0, result.stderr
    return project, time.monotonic() - started


@pytest.fixture()
def project(good_build, tmp_path) -> Path:
    """A private copy of the built project (its `build` link is relative, so the copy is whole)."""
    return Path(shutil.copytree(good_build[0], tmp_path / "project", symlinks=True))


def start_build(project: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "aichr_kg", "--root", str(project), "build", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def manifest_text(project: Path) -> str:
    return (project / "build" / "manifest.json").read_text()


def leftovers(project: Path) -> list[str]:
    return [p.name for p in (project / ".build").iterdir() if p.name.startswith((STAGING_PREFIX, LINK_PREFIX))]


def releases(project: Path) -> list[str]:
    return [p.name for p in (project / ".build").iterdir() if p.is_dir() and not p.name.startswith(STAGING_PREFIX)]


def assert_clean_failure(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    """Exit `code` with one line on stderr that holds `words`, and no traceback."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and all(word in lines[0] for word in words), result.stderr


def test_a_build_that_will_not_wait_is_refused_while_another_holds_the_lock(project):
    """The lock held here, for the whole check: a build that ends meanwhile cannot hand it over unseen."""
    with build_lock(project / "build", wait_s=0):
        impatient = run_cli_process("--root", str(project), "build", "--wait", "0", timeout=QUICK_S)
    assert_clean_failure(impatient, EXIT_BUSY, f"another build (pid {os.getpid()})", "--wait")


def test_two_forced_builds_at_once_take_turns(project):
    builds = [start_build(project, "--force"), start_build(project, "--force")]
    lock = project / ".build" / LOCK
    wait_until(lambda: lock.read_text().strip() in {str(b.pid) for b in builds})
    outputs = [b.communicate(timeout=120) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert not any("Traceback" in err for _, err in outputs)
    assert sum("waiting up to" in err for _, err in outputs) == 1, "one waited for the other"
    assert not leftovers(project) and len(releases(project)) == 2
    _, manifest = open_build(project / "build", full=True)
    server = RunningServer(root=project)
    try:
        dump = requests.get(server.url + "/download/aichr-kg.ttl.gz", timeout=10)
        assert len(dump.content) == manifest.outputs["dumps/aichr-kg.ttl.gz"].size
    finally:
        server.stop()


def kill_build(project: Path, when) -> str:
    """Start `build --force`, kill -9 it once `when(process)` is true; its stderr."""
    build = start_build(project, "--force")
    wait_until(lambda: when(build) or build.poll() is not None)
    build.send_signal(signal.SIGKILL)
    return build.communicate(timeout=30)[1]


def writing_its_release(project: Path, build: subprocess.Popen) -> bool:
    return any(name.startswith(f"{STAGING_PREFIX}{build.pid}-") for name in leftovers(project))


def test_kill_9_never_changes_what_serve_opens(project, good_build):
    random_moments = random.Random(KILL_SEED)
    good = manifest_text(project)
    for index in range(RANDOM_KILLS + 1):
        if index < RANDOM_KILLS:  # one moment in each quarter of a build's duration
            moment = time.monotonic() + good_build[1] * (index + random_moments.random()) / RANDOM_KILLS
            stderr = kill_build(project, lambda build, moment=moment: time.monotonic() >= moment)
        else:  # and one while the new release is being written
            stderr = kill_build(project, lambda build: writing_its_release(project, build))
        open_build(project / "build", full=True)  # what serve opens is whole, checked by hash
        if manifest_text(project) != good:
            assert "[5/5]" in stderr, "only a build that has written everything switches the build"
            good = manifest_text(project)
    assert leftovers(project), "the kill while writing left a staging folder"
    after = run_cli_process("--root", str(project), "build", timeout=QUICK_S)
    assert after.returncode == 0 and "up to date" in after.stderr, after.stderr
    assert manifest_text(project) == good and not leftovers(project)


def cut_in_half(path: Path) -> None:
    with path.open("r+b") as stream:
        stream.truncate(path.stat().st_size // 2)


def flip_a_byte(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


def largest_store_file(build: Path) -> Path:
    return max((build / "store").glob("*.sst"), key=lambda path: path.stat().st_size)


DAMAGE = {  # name: (file to damage, how, whether a size check sees it)
    "dataset-cut-in-half": (lambda build: build / "dataset.nq", cut_in_half, True),
    "store-file-truncated": (largest_store_file, cut_in_half, True),
    "store-CURRENT-deleted": (lambda build: build / "store" / "CURRENT", Path.unlink, True),
    "dump-truncated": (lambda build: build / "dumps" / "aichr-kg.ttl.gz", cut_in_half, True),
    "manifest-truncated": (lambda build: build / "manifest.json", cut_in_half, True),
    "store-file-bytes-flipped": (largest_store_file, flip_a_byte, False),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damage_is_refused_by_serve_and_rebuilt_by_build(project, damage):
    locate, spoil, size_check_sees_it = DAMAGE[damage]
    target = locate(project / "build")
    name = target.relative_to(project / "build").as_posix()
    spoil(target)
    verify = () if size_check_sees_it else ("--verify",)
    refused = run_cli_process("--root", str(project), "serve", "--port", str(free_port()), *verify, timeout=QUICK_S)
    assert_clean_failure(refused, EXIT_BROKEN, f"{project / 'build'} is damaged", name, "aichr-kg build")
    rebuilt = run_cli_process("--root", str(project), "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"because the build was damaged ({name}" in rebuilt.stderr
    open_build(project / "build", full=True)


def test_a_build_folder_from_before_releases_is_adopted(project):
    release = (project / "build").resolve()
    (project / "build").unlink()
    release.rename(project / "build")
    result = run_cli_process("--root", str(project), "build", timeout=QUICK_S)
    assert result.returncode == 0 and "up to date" in result.stderr, result.stderr
    assert (project / "build").is_symlink() and (project / "build").resolve().name.endswith("-migrated")
    open_build(project / "build", full=True)
