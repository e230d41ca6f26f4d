"""A repository made from a copy of the project with two release tags and one fact changed between them."""

from __future__ import annotations

from pathlib import Path

from tests.support import committed_copy, git

ONTOLOGY = "https://w3id.org/aichr-japan/ontology/"
OLD_AMOUNT, NEW_AMOUNT = '"169934.75"', '"169934.00"'  # the actual cost of JAIF project 1, before and after


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def tagged_repository(target: Path) -> Path:
    """v1.0.0 is the project as it is; v1.1.0 corrects one cost; `latest` and `v1.1` are tags but not releases.
    A last commit, not released, moves the ontology to version 1.3.0 (1.2.0 becomes a version of the past)."""
    repo = committed_copy(target)
    git(repo, "tag", "v1.0.0")
    edit(repo / "data" / "jaif-projects.ttl", OLD_AMOUNT, NEW_AMOUNT)
    git(repo, "commit", "--quiet", "--all", "--message", "correct the cost of JAIF project 1")
    git(repo, "tag", "--annotate", "--message", "the corrected cost", "v1.1.0")
    git(repo, "tag", "latest")
    git(repo, "tag", "v1.1")
    ontology = repo / "ontology" / "aichr.ttl"
    edit(ontology, f"owl:versionIRI <{ONTOLOGY}1.2.0>", f"owl:versionIRI <{ONTOLOGY}1.3.0>")
    edit(ontology, f"owl:priorVersion <{ONTOLOGY}1.1.0>", f"owl:priorVersion <{ONTOLOGY}1.2.0>")
    git(repo, "commit", "--quiet", "--all", "--message", "ontology 1.3.0")
    return repo
