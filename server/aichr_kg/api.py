"""The Python API: what `aichr-kg build` and `diff` do, as functions returning typed results.

A program, a notebook or another project's CI calls these instead of a process and its exit code,
the way pySHACL's `validate()` stands beside its command line. Each takes the project's folder (the
one holding `ontology/`, `data/` and `shapes/`) and keyword-only options named as the command's flags;
none reads the environment, so a call means the same wherever it runs. `aichr_kg` exports them:

    >>> import aichr_kg
    >>> aichr_kg.build(".").manifest.graphs["data"].triples > 0
    True
"""

from __future__ import annotations

from pathlib import Path

from aichr_kg.changes.compare import compare
from aichr_kg.changes.revisions import at_revision, working_tree
from aichr_kg.changes.wording import Report, describe
from aichr_kg.config import Settings, load_settings
from aichr_kg.pipeline.build import BuildResult
from aichr_kg.pipeline.build import build as build_dataset

__all__ = ["build", "diff"]


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
