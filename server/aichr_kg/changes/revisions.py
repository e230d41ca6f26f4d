"""The project's ontology and data as they are at a git revision, or in the working tree.

A revision's files are read from git's object store (`git ls-tree`, `git cat-file`), never checked
out, so the working tree, the index and the current branch stay as they are. Each file is parsed by
the project's own loader as if it were in the working tree (same name, same base for relative IRIs),
so both sides of a comparison mean the same by the same text.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from aichr_kg.errors import RevisionError
from aichr_kg.pipeline.load import load_files, parse_turtle_bytes

FOLDERS = ("ontology", "data")  # what a change to the graph is made of (shapes and queries are not facts)
FILE_MODES = ("100644", "100755")  # regular files; symbolic links and submodules hold no Turtle of ours


@dataclass(frozen=True)
class Snapshot:
    """One side of a comparison: the revision as given and its commit (None for the working tree), its graphs."""

    revision: str | None
    commit: str | None
    ontology: Graph
    data: Graph

    @cached_property
    def asserted(self) -> Graph:
        """Ontology and data as one graph: what this side states."""
        return self.ontology + self.data

    @property
    def name(self) -> str:
        """How people call this side: 'HEAD~1 (3c03a0e)', '3c03a0e', 'the working tree'."""
        if self.revision is None or self.commit is None:
            return "the working tree"
        short = self.commit[:7]
        return short if self.commit.startswith(self.revision.lower()) else f"{self.revision} ({short})"


def working_tree(root: Path) -> Snapshot:
    """The Turtle under ontology/ and data/ as it is on disk now (untracked files included)."""
    graphs = [load_files(sorted((root / folder).rglob("*.ttl"))).graph for folder in FOLDERS]
    return Snapshot(revision=None, commit=None, ontology=graphs[0], data=graphs[1])


def at_revision(root: Path, revision: str) -> Snapshot:
    """The Turtle under ontology/ and data/ as committed at `revision` (a folder absent there is empty)."""
    commit = commit_of(root, revision)
    graphs = [_folder_at(root, revision, commit, folder) for folder in FOLDERS]
    return Snapshot(revision=revision, commit=commit, ontology=graphs[0], data=graphs[1])


def folder_at_revision(root: Path, revision: str, folder: str) -> Graph:
    """The Turtle under `folder` (shapes/, say) as committed at `revision` (empty if there was no such folder)."""
    return _folder_at(root, revision, commit_of(root, revision), folder)


def unchanged_since(root: Path, revision: str, folder: str) -> bool:
    """Whether `folder` in the working tree holds exactly the files committed at `revision` (byte for byte),
    asked of git without parsing anything; False means only that some file differs or is new."""
    commit = commit_of(root, revision)
    differs = subprocess.run(["git", "diff", "--quiet", commit, "--", folder], cwd=root, capture_output=True, check=False)
    return differs.returncode == 0 and not git_output(root, revision, "ls-files", "--others", "-z", "--", folder)


def changed_files(root: Path, revision: str, folder: str) -> list[str]:
    """The Turtle files under `folder` that differ between `revision` and the working tree (added,
    removed or edited), as paths from `root` (which may be below the repository's top); the others
    hold the same triples on both sides."""
    commit = commit_of(root, revision)
    listed = git_output(root, revision, "diff", "--relative", "--name-only", "--no-renames", "-z", commit, "--", folder)
    listed += git_output(root, revision, "ls-files", "--others", "-z", "--", folder)
    return sorted({path for path in listed.decode().split("\0") if path.endswith(".ttl")})


def files_at_revision(root: Path, revision: str, paths: list[str]) -> Graph:
    """These files as committed at `revision`, parsed and merged (a file absent there adds nothing)."""
    merged = Graph()
    for graph in each_file_at_revision(root, revision, paths).values():
        merged += graph
    return merged


def each_file_at_revision(root: Path, revision: str, paths: list[str]) -> dict[str, Graph]:
    """These files as committed at `revision`, each parsed, by path (a file absent there is left out)."""
    if not paths:
        return {}
    commit = commit_of(root, revision)
    present = git_output(root, revision, "ls-tree", "-r", "-z", "--name-only", commit, "--", *paths).decode().split("\0")
    # ./: from `root`, not the repository's top
    return {path: _parsed_blob(root, revision, path, f"{commit}:./{path}") for path in sorted(set(paths) & set(present))}


def commit_of(root: Path, revision: str) -> str:
    """The commit `revision` names; a RevisionError if it names none (or looks like an option)."""
    if revision.startswith("-"):
        raise RevisionError(revision, "a revision does not start with '-'")
    return git_output(root, revision, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()


def _folder_at(root: Path, revision: str, commit: str, folder: str) -> Graph:
    """Every *.ttl under `folder` at `commit`, parsed and merged; errors name the file as `revision:path`."""
    merged = Graph()
    listing = git_output(root, revision, "ls-tree", "-r", "-z", commit, "--", folder).decode()
    for entry in filter(None, listing.split("\0")):
        header, path = entry.split("\t", 1)
        mode, kind, blob = header.split()
        if kind == "blob" and mode in FILE_MODES and path.endswith(".ttl"):
            merged += _parsed_blob(root, revision, path, blob)
    return merged


def _parsed_blob(root: Path, revision: str, path: str, blob: str) -> Graph:
    """One committed file, parsed as if it were at `path` in the working tree."""
    content = git_output(root, revision, "cat-file", "blob", blob)
    return parse_turtle_bytes(content, name=f"{revision}:{path}", public_id=(root / path).resolve().as_uri())


def git_output(root: Path, revision: str, *arguments: str) -> bytes:
    """Run git in `root`; a failure becomes a RevisionError with git's own first line of explanation."""
    try:
        done = subprocess.run(["git", *arguments], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError(revision, "git is not installed") from None
    if done.returncode == 0:
        return done.stdout
    if arguments[0] == "rev-parse" and not done.stderr:
        raise RevisionError(revision, f"no such commit in the git repository at {root}")
    explanation = done.stderr.decode(errors="replace").strip().splitlines()
    raise RevisionError(revision, explanation[0].removeprefix("fatal: ") if explanation else f"git {arguments[0]} failed")
