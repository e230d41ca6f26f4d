"""The Python API: what `aichr-kg validate`, `build` and `diff` do, as functions returning typed results.

A program, a notebook or another project's CI calls these instead of a process and its exit code,
the way pySHACL's `validate()` stands beside its command line. Each takes the project's folder (the
one holding `ontology/`, `data/` and `shapes/`) and keyword-only options named as the command's flags;
none reads the environment, so a call means the same wherever it runs. `aichr_kg` exports them:

    >>> import aichr_kg
    >>> aichr_kg.validate(".").conforms
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aichr_kg.changes.compare import compare
from aichr_kg.changes.revisions import at_revision, working_tree
from aichr_kg.changes.since import scope_since, vanished_since
from aichr_kg.changes.wording import Report, describe
from aichr_kg.config import Settings, load_settings
from aichr_kg.dataset.catalog_check import check_catalog
from aichr_kg.errors import UsageError
from aichr_kg.pipeline.build import BuildResult
from aichr_kg.pipeline.build import build as build_dataset
from aichr_kg.pipeline.links import link_findings, merge_findings
from aichr_kg.pipeline.load import LoadedGraph, load_files, load_in_context
from aichr_kg.pipeline.reports import render_report
from aichr_kg.pipeline.validate import ValidationOutcome, validate_graph
from aichr_kg.saved.catalog import read_saved_queries

__all__ = ["Validation", "build", "diff", "validate"]


@dataclass(frozen=True)
class Validation:
    """What `validate` found: the findings (SHACL, links, vanished IRIs), other problems, and notes on its scope."""

    outcome: ValidationOutcome
    problems: tuple[str, ...] = ()  # saved queries that do not parse, a releases' catalog that does not conform
    notes: tuple[str, ...] = ()  # what was validated, and what was left out of the findings

    @property
    def conforms(self) -> bool:
        return self.outcome.conforms and not self.problems


def validate(
    root: str | Path = ".",
    *,
    files: Sequence[str | Path] = (),
    alone: bool = False,
    changed_since: str | None = None,
    ontology: str | Path | None = None,
    shapes: str | Path | None = None,
    base_iri: str | None = None,
) -> Validation:
    """SHACL-validate the project's data/ with its ontology, and check its links, as `aichr-kg validate` does.

    `files` are validated in the context of data/ and only their resources' findings kept (`alone`: by
    themselves, links unchecked); `changed_since`, a git revision, validates only what a change since then
    can affect, and refuses an IRI described then and no longer. TurtleSyntaxError for a file that does
    not parse, UsageError for options that do not go together.
    """
    return validate_project(
        _settings(root, base_iri), files=files, alone=alone, changed_since=changed_since, ontology=ontology, shapes=shapes
    )


def validate_project(
    settings: Settings,
    *,
    files: Sequence[str | Path] = (),
    alone: bool = False,
    changed_since: str | None = None,
    ontology: str | Path | None = None,
    shapes: str | Path | None = None,
) -> Validation:
    """`validate` with the project's settings given whole (the CLI's, read from the environment and flags)."""
    paths = [Path(file) for file in files]
    if changed_since is not None and (paths or alone or ontology or shapes):
        raise UsageError("--changed-since validates the project's data/: give no FILE, --alone, --ontology or --shapes")
    data, scope = _data_to_validate(settings, paths, alone)
    ontology_graph = load_files([Path(ontology) if ontology else settings.ontology_dir])
    shapes_graph = load_files([Path(shapes) if shapes else settings.shapes_dir]).graph
    focus, notes = None, []
    if changed_since is not None:
        since = scope_since(settings.root, changed_since, data.graph, shapes_graph, ontology_graph.graph)
        focus, notes = since.focus, [since.reason]
    outcome = validate_graph(data, shapes_graph, ontology_graph.graph, scope=scope, focus=focus)
    if not alone:  # links are checked against the whole project, which --alone leaves out
        outcome = merge_findings(outcome, link_findings(data, ontology_graph), scope)
    if changed_since is not None:
        outcome = merge_findings(outcome, vanished_since(settings.root, changed_since, data, ontology_graph))
    if outcome.left_out:
        notes.append(
            f"{outcome.left_out} finding(s) about resources of other files not shown (validate without FILE to see all)."
        )
    problems = [] if paths else _project_problems(settings, ontology_graph, data)
    return Validation(outcome, tuple(problems), tuple(notes))


def _data_to_validate(settings: Settings, paths: list[Path], alone: bool) -> tuple[LoadedGraph, frozenset | None]:
    """What `validate` loads, and the resources whose findings it reports (None: all of them)."""
    if not paths or alone:
        return load_files(paths or [settings.data_dir]), None
    return load_in_context(paths, settings.data_dir)


def _project_problems(settings: Settings, ontology: LoadedGraph, data: LoadedGraph) -> list[str]:
    """What a whole-project validation checks beside the data: the saved queries, and the releases' catalog."""
    problems = read_saved_queries(settings.queries_dir)[1]
    catalog = check_catalog(settings.releases_dir, ontology.graph, data.graph, settings.base_iri)
    if not catalog.conforms:
        problems += ["the catalog (/catalog) does not conform to DCAT-AP 3.0.0:", render_report(catalog, "text").rstrip()]
    return problems


def build(
    root: str | Path = ".",
    *,
    engine: str = "rules",
    force: bool = False,
    base_iri: str | None = None,
    wait_s: float = 300.0,
) -> BuildResult:
    """Build the project into `build/` as `aichr-kg build` does, quietly; skipped when nothing changed.

    The result's `manifest` is None when the data does not conform (its `validation` says why).
    """
    return build_dataset(_settings(root, base_iri), engine=engine, force=force, quiet=True, wait_s=wait_s)


def diff(revision: str, other: str | None = None, *, root: str | Path = ".", engine: str = "rules") -> Report:
    """The facts added, removed and changed from git `revision` to `other` (default: the working tree)."""
    project = _settings(root, None).root
    before = at_revision(project, revision)
    after = at_revision(project, other) if other else working_tree(project)
    return describe(compare(before, after, engine=engine))


def _settings(root: str | Path, base_iri: str | None) -> Settings:
    return load_settings(environ={}, root=Path(root), base_iri=base_iri)
