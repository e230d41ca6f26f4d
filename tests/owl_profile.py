"""OWLAPI's OWL 2 DL profile check (what ROBOT's `validate-profile --profile DL` runs) on Turtle files.

DLProfile.java, beside this file, runs on the OWLAPI jar that owlready2 bundles (for Pellet), so the
check needs no download. It is compiled once (`compile_checker`, with the JDK's javac) and each check
then starts a JVM on the compiled class, instead of compiling the source again in every run.
"""

from __future__ import annotations

import importlib.util
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from java_runtime import JAVA, JAVA_MEMORY_MB, JAVAC

CHECKER = Path(__file__).with_name("DLProfile.java")
PROFILE_TIMEOUT_S = 120  # seconds; the limit only stops a run that hangs
COMPILE_TIMEOUT_S = 180


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
    jars = sorted((Path(spec.origin).parent / "pellet").glob("owlapi-distribution-*.jar"))
    if not jars:
        raise ProfileCheckFailed(f"no OWLAPI jar in {Path(spec.origin).parent / 'pellet'}: this owlready2 bundles none")
    return jars[-1]


def compile_checker(classes: Path) -> Path:
    """DLProfile.java compiled into `classes` (made if missing); the folder to put on the class path."""
    classes.mkdir(parents=True, exist_ok=True)
    command = [str(JAVAC), "-cp", str(owlapi_jar()), "-d", str(classes), str(CHECKER)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S, check=False)
    if run.returncode != 0:
        raise ProfileCheckFailed(f"the checker did not compile: {run.stderr.strip()[:500]}")
    return classes


def dl_violations(files: list[Path], classes: Path, *, timeout_s: float = PROFILE_TIMEOUT_S) -> list[Violation]:
    """The OWL 2 DL profile violations of the union of the Turtle `files`, sorted.

    The files are merged into one N-Triples document first: OWLAPI types each term from the
    declarations in the document it parses, so a data file checked apart from the ontology would be
    reported as punning every property the ontology declares.
    """
    with tempfile.TemporaryDirectory(prefix="dl-profile-") as folder:
        merged = Path(folder) / "merged.nt"
        _merge(files).serialize(merged, format="nt", encoding="utf-8")
        return _check(merged, classes, timeout_s)


def _merge(files: list[Path]) -> Graph:
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except (SyntaxError, ValueError) as error:  # rdflib's BadSyntax is a SyntaxError
            raise ProfileCheckFailed(f"{path.name} is not Turtle: {error}") from None
    return graph


def _check(merged: Path, classes: Path, timeout_s: float) -> list[Violation]:
    class_path = f"{owlapi_jar()}:{classes}"
    command = [str(JAVA), f"-Xmx{JAVA_MEMORY_MB}m", "-cp", class_path, CHECKER.stem, str(merged)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ProfileCheckFailed(f"the profile check did not finish within {timeout_s:g} s") from None
    if run.returncode != 0:
        first_line = next(iter(run.stderr.strip().splitlines()), "")
        raise ProfileCheckFailed(f"the profile check exited with {run.returncode}: {first_line}")
    return sorted(Violation(*line.split("\t", 2)) for line in run.stdout.splitlines() if line)
