"""`validate --changed-since HEAD` after a one-project change, against a full `validate`, on synthetic data.

Both are timed as a user runs them (the CLI as a process, start-up included) on a git repository of
the synthetic project (bench/synthetic.py, one file per copy, as a data repository grows) whose working
tree relabels one copied project. Their
verdicts and findings are checked equal before the times are reported.

Run alone: `python -m bench.changed_since [COPIES ...]` (default 10).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from aichr_kg.namespaces import CANONICAL_BASE
from bench.stats import print_table, timed
from bench.synthetic import make_synthetic_project
from tests.support import git, run_cli

ROOT = Path(__file__).resolve().parents[1]

EDITED = f"<{CANONICAL_BASE}id/project/jaif-03-c1> <http://www.w3.org/2000/01/rdf-schema#label> "


def changed_since_against_full(workdir: Path, copies: int) -> dict:
    """Seconds of each run after relabelling one project in a committed `copies`x project."""
    project = make_synthetic_project(ROOT, workdir / f"changed-since-{copies}x", copies, file_per_copy=True)
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "synthetic")
    _relabel_one_project(project / "data" / "synthetic-1.ttl")
    changed, changed_s = timed(lambda: _validate(project, "--changed-since", "HEAD"))
    full, full_s = timed(lambda: _validate(project))
    if (changed.returncode, json.loads(changed.stdout)) != (full.returncode, json.loads(full.stdout)):
        raise AssertionError(f"at {copies}x --changed-since and a full validation disagree")
    focus = re.search(r"validating (\d+) focus node", changed.stderr)
    return {
        "scale": f"{copies}x",
        "focus_nodes": int(focus.group(1)) if focus else "all",
        "changed_since_s": changed_s,
        "full_s": full_s,
        "ratio": full_s / changed_s,
    }


def _relabel_one_project(data: Path) -> None:
    text = data.read_text(encoding="utf-8")
    edited = re.sub(rf"^({re.escape(EDITED)})\"", r'\1"Relabelled: ', text, count=1, flags=re.MULTILINE)
    if edited == text:
        raise AssertionError(f"no label of project jaif-03-c1 in {data}")
    data.write_text(edited, encoding="utf-8")


def _validate(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return run_cli("validate", "--format", "json", *arguments, cwd=project)


def print_changed_since(rows: list[dict]) -> None:
    print_table("validate --changed-since HEAD after a one-project change, against a full validate (seconds)", rows)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        print_changed_since([changed_since_against_full(Path(scratch), int(n)) for n in sys.argv[1:] or ["10"]])
