"""What one citable release holds, as written to `releases/X.Y.Z/release.json` and read by the server.

A release is a git tag `vX.Y.Z`; its folder never changes once written, so the manifest records the
tag's commit and date (not a build clock), and the size and SHA-256 of every file it serves.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph

MANIFEST_NAME = "release.json"
NOTES_MARKDOWN = "notes.md"
NOTES_RDF = "notes.ttl"
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")  # X.Y.Z, no leading zeros


def version_key(version: str) -> tuple[int, ...]:
    """The order of versions: numeric, so 1.10.0 comes after 1.9.0."""
    return tuple(int(part) for part in version.split("."))


def is_version(text: str) -> bool:
    return VERSION.fullmatch(text) is not None


@dataclass(frozen=True)
class ReleaseFile:
    """One downloadable file of a release; `compressed` when it is gzip of `media_type`."""

    name: str
    media_type: str
    byte_size: int
    sha256: str
    compressed: bool = False


@dataclass(frozen=True)
class ReleaseManifest:
    """The release of the data at one tag: where it came from, what it holds, and its files."""

    version: str
    tag: str
    commit: str
    issued: str  # the tag's commit time, UTC, xsd:dateTime
    previous: str | None  # the version released before, whose changes `notes.md` lists
    base_iri: str
    ontology_version_iri: str | None
    triples: dict[str, int]  # per named graph
    files: tuple[ReleaseFile, ...]

    def version_iri(self) -> str:
        return release_iri(self.base_iri, self.version)

    def file(self, name: str) -> ReleaseFile | None:
        return next((item for item in self.files if item.name == name), None)

    def to_json(self) -> str:
        """Sorted keys and a final newline: the same release always gives the same bytes."""
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ReleaseManifest:
        fields = json.loads(text)
        files = tuple(ReleaseFile(**item) for item in fields.pop("files"))
        return cls(files=files, **fields)


def release_iri(base: str, version: str) -> str:
    """The version IRI of a release: `<base>release/X.Y.Z`."""
    return f"{base}release/{version}"


def notes_triples(folder: Path, version: str) -> list[pyoxigraph.Triple]:
    """The release's notes as RDF (`notes.ttl`): its version IRI with adms:versionNotes, date and previous version."""
    quads = pyoxigraph.parse(path=folder / version / NOTES_RDF, format=pyoxigraph.RdfFormat.TURTLE)
    return [quad.triple for quad in quads]


def read_releases(folder: Path) -> list[ReleaseManifest]:
    """Every complete release under `folder` (one with its manifest), oldest first; none if there is no folder."""
    if not folder.is_dir():
        return []
    found = [
        ReleaseManifest.from_json((entry / MANIFEST_NAME).read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if is_version(entry.name) and (entry / MANIFEST_NAME).is_file()
    ]
    return sorted(found, key=lambda manifest: version_key(manifest.version))
