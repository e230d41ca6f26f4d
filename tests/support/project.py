"""The project as the tests and benchmarks use it: its folder, copies of it, git, and the CLI as a process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from aichr_kg.cli import main
from aichr_kg.pipeline.manifest import Manifest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`aichr-kg ARGS` through `main()` in this process, as if run in `cwd` with `env` added to the
    environment: its exit code, standard output and error as a process would give them, without the
    second or so a new interpreter costs. `run_cli_process` runs a real one (a test per command does)."""
    out, err = _ThisThread(sys.stdout), _ThisThread(sys.stderr)
    with _inside(cwd, env, stdin), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's usage errors and --help
            code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    return subprocess.CompletedProcess(["aichr-kg", *args], code, out.captured.getvalue(), err.captured.getvalue())


class _ThisThread(io.TextIOBase):
    """A standard stream that keeps what the command's thread writes, and passes on what other threads
    write (a server thread of another test may print while the command runs)."""

    def __init__(self, passed_on: TextIO) -> None:
        self.captured, self.passed_on, self.thread = io.StringIO(), passed_on, threading.current_thread()

    def write(self, text: str) -> int:
        return (self.captured if threading.current_thread() is self.thread else self.passed_on).write(text)

    def flush(self) -> None:
        self.passed_on.flush()


@contextlib.contextmanager
def _inside(cwd: Path, env: dict | None, stdin: str | None) -> Iterator[None]:
    """The working folder, environment and standard input of one in-process command, restored after it."""
    before_cwd, before_env, before_stdin = Path.cwd(), dict(os.environ), sys.stdin
    os.chdir(cwd)
    os.environ.update(env or {})
    sys.stdin = io.StringIO(stdin or "")
    try:
        yield
    finally:
        os.chdir(before_cwd)
        os.environ.clear()
        os.environ.update(before_env)
        sys.stdin = before_stdin


def run_cli_process(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run `aichr-kg` as a separate process, as a user or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "aichr_kg", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def copy_project(target: Path) -> Path:
    """The project's inputs (not its build) copied into `target`, for tests that build or damage a build."""
    for folder in ("ontology", "data", "shapes", "queries"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder)
    return target


def git(repo: Path, *arguments: str) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *arguments]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def committed_copy(target: Path) -> Path:
    """A copy of the project's inputs as the first commit of a new repository."""
    repo = copy_project(target)
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "the project as it is")
    return repo


def bare_manifest(input_hash: str) -> Manifest:
    """A manifest naming only its dataset, for a ServedBuild that tests make by hand."""
    return Manifest(input_hash=input_hash, engine="rules", built_at="", triples=0, graphs={}, outputs={}, inputs={})


PROJECTS, MEETINGS = Path("data/jaif-projects.ttl"), Path("data/meetings.ttl")


def copy_block_as(project: Path, old: str, new: str) -> None:
    """Describe `new` in data/jaif-projects.ttl as `old` is described (the successor of a rename)."""
    text = (project / PROJECTS).read_text(encoding="utf-8")
    block = text.split(f"\n{old}\n", 1)[1].split("\n\n", 1)[0]
    (project / PROJECTS).write_text(text + f"\n{new}\n{block}\n", encoding="utf-8")


def rename_links(project: Path, old: str, new: str) -> None:
    """The links of data/meetings.ttl to `old` made links to `new`."""
    text = (project / MEETINGS).read_text(encoding="utf-8")
    (project / MEETINGS).write_text(text.replace(f"{old} ", f"{new} "), encoding="utf-8")


def retired_copy(target: Path) -> Path:
    """A built copy of the project in which project:jaif-03 is retired for project:jaif-03x (its links
    moved) and initiative:goj-10 is retired without a successor, as a maintainer would do it."""
    project = copy_project(target)
    copy_block_as(project, "project:jaif-03", "project:jaif-03x")
    assert main(["--root", str(project), "retire", "project:jaif-03", "--replaced-by", "project:jaif-03x"]) == 0
    assert main(["--root", str(project), "retire", "initiative:goj-10", "--reason", "Not an initiative of Japan."]) == 0
    rename_links(project, "project:jaif-03", "project:jaif-03x")
    assert main(["--root", str(project), "build"]) == 0
    return project
