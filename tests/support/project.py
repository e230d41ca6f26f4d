"""The project as the tests and benchmarks use it: its folder, copies of it, git, and the CLI as a process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from aichr_kg.pipeline.manifest import Manifest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
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
