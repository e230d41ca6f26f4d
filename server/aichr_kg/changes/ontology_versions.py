"""Every published version of the ontology, as git holds it: the file whose owl:versionIRI names the version.

An ontology version is published when a commit states it; the version's file is the ontology as
last committed with that version IRI (a version's own corrections included, the next version not),
read from git's object store without checking anything out.
"""

from __future__ import annotations

import re
from pathlib import Path

from aichr_kg.changes.revisions import git_output
from aichr_kg.errors import RevisionError

ONTOLOGY_FILE = "ontology/aichr.ttl"
VERSION_IRI = re.compile(r"owl:versionIRI\s+<([^>]+)>")


def ontology_at_version(root: Path, version_iri: str) -> bytes | None:
    """The ontology file as last committed with `version_iri` as its owl:versionIRI; None if no commit has it
    (or `root` is not in a git repository)."""
    try:
        commits = git_output(root, "HEAD", "log", "--format=%H", "--", ONTOLOGY_FILE).decode().split()
    except RevisionError:
        return None
    for commit in commits:
        try:
            content = git_output(root, commit, "show", f"{commit}:./{ONTOLOGY_FILE}")
        except RevisionError:  # the commit that removed the file
            continue
        if version_iri in VERSION_IRI.findall(content.decode("utf-8", errors="replace")):
            return content
    return None
