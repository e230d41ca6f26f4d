"""A published IRI is forever: the IRIs of ours that were described before must still be (retired counts).

Each side of the comparison is a map from IRI to the file that describes it (paths relative to the
project), made from parsed Turtle files. `validate --changed-since REV` reads the earlier side
from git, `build` from the previous build's `described.json`; a release can read its own the same
way and call `vanished_findings`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Graph

from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.pipeline.links import described_iris
from aichr_kg.pipeline.load import LoadedGraph
from aichr_kg.pipeline.validate import Finding

DESCRIBED_FILE = "described.json"  # in a build: the IRIs it describes, each with its file
VANISHED = CANONICAL_BASE + "shapes/VanishedIri"


def described_by_file(files: Mapping[str, Graph]) -> dict[str, str]:
    """Each IRI of ours the files describe, with the first file (by name) that does."""
    found: dict[str, str] = {}
    for name in sorted(files):
        for iri in sorted(described_iris(files[name])):
            found.setdefault(str(iri), name)
    return found


def described_in_loaded(loaded: Iterable[LoadedGraph], root: Path) -> dict[str, str]:
    """The same map for graphs loaded with load_files (their subjects' files known), the first one's file first."""
    found: dict[str, str] = {}
    for graph in loaded:
        for iri in sorted(described_iris(graph.graph)):
            found.setdefault(str(iri), _relative(graph.subject_files[iri], root))
    return found


def _relative(path: Path, root: Path) -> str:
    resolved, top = path.resolve(), root.resolve()
    return resolved.relative_to(top).as_posix() if resolved.is_relative_to(top) else str(path)


def vanished_findings(before: Mapping[str, str], now: Mapping[str, str], since: str) -> list[Finding]:
    """A violation for each IRI described `since` (a revision, the previous build) that nothing describes now."""
    return [
        Finding(
            severity="violation",
            focus=iri,
            path=None,
            value=None,
            message=(
                f"{iri} was described in {file} at {since} and is described nowhere now: a published IRI "
                "must keep answering; retire it (aichr-kg retire IRI [--replaced-by NEW]) instead of removing it"
            ),
            shape=VANISHED,
            file=file,
            line=None,
        )
        for iri, file in sorted(before.items())
        if iri not in now
    ]


def write_described(folder: Path, described: Mapping[str, str]) -> None:
    (folder / DESCRIBED_FILE).write_text(json.dumps(dict(sorted(described.items())), indent=1) + "\n", encoding="utf-8")


def read_described(folder: Path) -> dict[str, str] | None:
    """What a build described, or None when it recorded nothing (no build, or one older than this record)."""
    path = folder / DESCRIBED_FILE
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None
