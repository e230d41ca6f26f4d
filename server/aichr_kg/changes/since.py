"""What `validate --changed-since REV` validates: the focus nodes a change since REV can affect, or everything.

The working tree's data is validated whole (ontology, data, as a full `validate`), but only at the
focus nodes a change since REV can affect (changes/affected.py), so its findings are those a full
run gives at those nodes. A change of the ontology or the shapes can affect any node, and so can a
large change cheaply: both run in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.term import Node

from aichr_kg.changes.affected import FullRun, affected_focus_nodes, shapes_reach
from aichr_kg.changes.revisions import (
    changed_files,
    each_file_at_revision,
    files_at_revision,
    folder_at_revision,
    unchanged_since,
)
from aichr_kg.pipeline.load import LoadedGraph, load_files
from aichr_kg.pipeline.published import described_by_file, described_in_loaded, vanished_findings
from aichr_kg.pipeline.validate import Finding

LARGE_CHANGE = 0.2  # above this share of the data's resources affected, one full run costs about the same


@dataclass(frozen=True)
class ValidationScope:
    """The focus nodes to validate (None: all of them), and why, in a sentence for the user."""

    focus: frozenset[Node] | None
    reason: str


def scope_since(root: Path, revision: str, data: Graph, shapes: Graph, ontology: Graph) -> ValidationScope:
    """What to validate for the change from `revision` to the working tree."""
    try:
        focus = _affected(root, revision, data, shapes, ontology)
    except FullRun as reason:
        return ValidationScope(None, f"validating everything: {reason}.")
    return ValidationScope(focus, f"validating {len(focus)} focus node(s) a change since {revision} can affect.")


def vanished_since(root: Path, revision: str, data: LoadedGraph, ontology: LoadedGraph) -> list[Finding]:
    """The IRIs described at `revision` that nothing describes in the working tree (retired ones are described).
    Only the files that differ are read at `revision`: an IRI an unchanged file describes is still described."""
    paths = [*changed_files(root, revision, "ontology"), *changed_files(root, revision, "data")]
    before = described_by_file(each_file_at_revision(root, revision, paths))
    now = described_in_loaded([data, ontology], root)
    return vanished_findings(before, now, revision)


def _affected(root: Path, revision: str, data: Graph, shapes: Graph, ontology: Graph) -> frozenset[Node]:
    """The affected focus nodes; FullRun when the ontology or the shapes changed, or the change is large.
    Only the data files that differ are read at `revision`: the others state the same triples."""
    for folder, now in (("ontology", ontology), ("shapes", shapes)):
        if not (unchanged_since(root, revision, folder) or isomorphic(folder_at_revision(root, revision, folder), now)):
            raise FullRun(f"the {folder} changed since {revision}")
    paths = changed_files(root, revision, "data")
    before = files_at_revision(root, revision, paths)
    after = load_files([root / path for path in paths if (root / path).is_file()]).graph
    focus = affected_focus_nodes(before, after, data, shapes_reach(shapes))
    resources = set(data.subjects())
    share = len(resources & focus) / max(len(resources), 1)
    if share > LARGE_CHANGE:
        raise FullRun(f"the change since {revision} affects {share:.0%} of the resources (more than {LARGE_CHANGE:.0%})")
    return frozenset(focus)
