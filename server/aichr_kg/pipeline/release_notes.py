"""A release's notes: what changed since the release before, as `aichr-kg diff` tells it.

`notes.md` is for people (the diff's Markdown under a heading naming the release); `notes.ttl` says
the same for the catalog: the release's version IRI with its version, date, previous version and
the notes as `adms:versionNotes`.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from aichr_kg.changes.compare import compare
from aichr_kg.changes.render import render_markdown
from aichr_kg.changes.revisions import at_revision
from aichr_kg.changes.wording import describe
from aichr_kg.config import Settings
from aichr_kg.formats import in_memory
from aichr_kg.namespaces import ADMS, DCAT, DCT, XSD
from aichr_kg.pipeline.release_dumps import describe_file
from aichr_kg.pipeline.release_manifest import NOTES_MARKDOWN, NOTES_RDF, ReleaseFile, release_iri

FIRST_RELEASE = "The first release: every fact is new.\n"


def notes_markdown(root: Path, version: str, tag: str, issued: str, previous_tag: str | None) -> str:
    """The heading, then the changes to the graph from the previous release's tag to this one's."""
    heading = f"# ServedBuild {version} ({issued[:10]})\n\n"
    if previous_tag is None:
        return heading + FIRST_RELEASE
    changes = render_markdown(describe(compare(at_revision(root, previous_tag), at_revision(root, tag))))
    return heading + changes


def write_notes(
    settings: Settings, tag: str, version: str, issued: str, previous_tag: str | None, folder: Path
) -> list[ReleaseFile]:
    """Write notes.md and notes.ttl into `folder`; returns what the manifest records of each."""
    markdown = notes_markdown(settings.root, version, tag, issued, previous_tag)
    (folder / NOTES_MARKDOWN).write_text(markdown, encoding="utf-8")
    previous = previous_tag.removeprefix("v") if previous_tag else None
    (folder / NOTES_RDF).write_bytes(_notes_turtle(settings.base_iri, version, issued, previous, markdown))
    return [describe_file(folder / NOTES_MARKDOWN, "text/markdown"), describe_file(folder / NOTES_RDF, "text/turtle")]


def _notes_turtle(base: str, version: str, issued: str, previous: str | None, markdown: str) -> bytes:
    subject = pyoxigraph.NamedNode(release_iri(base, version))
    statements: list[tuple[str, pyoxigraph.NamedNode | pyoxigraph.Literal]] = [
        (DCAT + "version", pyoxigraph.Literal(version)),
        (DCT + "issued", pyoxigraph.Literal(issued, datatype=pyoxigraph.NamedNode(XSD + "dateTime"))),
        (ADMS + "versionNotes", pyoxigraph.Literal(markdown, language="en")),
    ]
    if previous is not None:
        statements.append((DCAT + "previousVersion", pyoxigraph.NamedNode(release_iri(base, previous))))
    triples = sorted((pyoxigraph.Triple(subject, pyoxigraph.NamedNode(p), o) for p, o in statements), key=str)
    prefixes = {"dcat": str(DCAT), "dct": str(DCT), "adms": str(ADMS), "xsd": str(XSD), "release": base + "release/"}
    return in_memory(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes))
