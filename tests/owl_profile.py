"""OWLAPI's OWL 2 DL profile check (what ROBOT's `validate-profile --profile DL` runs) on Turtle files.

DLProfile.java, beside this file, runs with Java's single-file source launcher on the OWLAPI jar that
owlready2 bundles (for Pellet), so the check needs no download and no build step, only a Java runtime.
"""

from __future__ import annotations

import importlib.util
import subprocess
from dataclasses import dataclass
from pathlib import Path

from java_runtime import JAVA

CHECKER = Path(__file__).with_name("DLProfile.java")
PROFILE_TIMEOUT_S = 120  # seconds here (most of it compiling the checker); the limit only stops a run that hangs


class ProfileCheckFailed(Exception):
    """The check did not run to the end: a file did not load, or it did not finish in time."""


@dataclass(frozen=True, order=True)
class Violation:
    """One breach of OWL 2 DL's rules: its OWLAPI kind, the IRI it is about ('' if none), the axiom."""

    kind: str
    term: str
    axiom: str


def owlapi_jar() -> Path:
    """The OWLAPI distribution jar inside the installed owlready2 package."""
    spec = importlib.util.find_spec("owlready2")
    if spec is None or spec.origin is None:
        raise ProfileCheckFailed("owlready2 is not installed: it bundles the OWLAPI jar the check runs on")
    jar = Path(spec.origin).parent / "pellet" / "owlapi-distribution-3.4.3-bin.jar"
    if not jar.is_file():
        raise ProfileCheckFailed(f"no OWLAPI jar at {jar}: this owlready2 bundles another version")
    return jar


def dl_violations(files: list[Path], *, timeout_s: float = PROFILE_TIMEOUT_S) -> list[Violation]:
    """The OWL 2 DL profile violations of the union of `files`, sorted."""
    command = [str(JAVA), "-cp", str(owlapi_jar()), str(CHECKER), *map(str, files)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ProfileCheckFailed(f"the profile check did not finish within {timeout_s:g} s") from None
    if run.returncode != 0:
        first_line = next(iter(run.stderr.strip().splitlines()), "")
        raise ProfileCheckFailed(f"the profile check exited with {run.returncode}: {first_line}")
    return sorted(Violation(*line.split("\t", 2)) for line in run.stdout.splitlines() if line)
