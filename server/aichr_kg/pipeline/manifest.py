"""The build manifest: the one contract between the pipeline, the stores and the web app.

`build` writes it as `manifest.json` beside the build's files, `publish` records it in the store, and
the server reads it from either. It is read in one place, `Manifest.from_json`, so every other room
gets typed fields and a damaged or older manifest is named once, as what it lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class ManifestUnreadable(ValueError):
    """A manifest that lacks a field or holds one of the wrong type; the message names it."""


@dataclass(frozen=True)
class GraphEntry:
    """One named graph of the build: its IRI and how many triples it holds."""

    iri: str
    triples: int


@dataclass(frozen=True)
class OutputFile:
    """One file the build wrote, as it wrote it."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a build is made of and what it wrote; `input_hash` names the dataset everywhere (ETags, /health)."""

    input_hash: str
    engine: str
    built_at: str  # xsd:dateTime, UTC
    triples: int
    graphs: Mapping[str, GraphEntry]  # by name: data, ontology, inferred
    outputs: Mapping[str, OutputFile]  # by path relative to the build folder
    inputs: Mapping[str, str]  # sha256 by input path relative to the project
    base_iri: str = ""
    version: str = ""
    timings_s: Mapping[str, float] | None = None

    @classmethod
    def from_json(cls, value: object) -> Manifest:
        """The manifest a JSON document holds; ManifestUnreadable naming the first field missing or mistyped."""
        if not isinstance(value, dict):
            raise ManifestUnreadable("it is not a JSON object")
        graphs, outputs = _field(value, "graphs", dict), _field(value, "outputs", dict)
        try:
            graph_entries = {name: GraphEntry(str(g["iri"]), int(g["triples"])) for name, g in graphs.items()}
            output_files = {path: OutputFile(int(o["size"]), str(o["sha256"])) for path, o in outputs.items()}
        except (KeyError, TypeError, ValueError) as error:
            raise ManifestUnreadable(f"a graph or output entry lacks {error}") from None
        return cls(
            input_hash=_field(value, "input_hash", str),
            engine=_field(value, "engine", str),
            built_at=_field(value, "built_at", str),
            triples=_field(value, "triples", int),
            graphs=graph_entries,
            outputs=output_files,
            inputs=dict(value.get("inputs", {})),
            base_iri=str(value.get("base_iri", "")),
            version=str(value.get("version", "")),
            timings_s=value.get("timings_s"),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object `from_json` reads back to an equal manifest (keys in the order the file shows them)."""
        return {
            "input_hash": self.input_hash,
            "inputs": dict(self.inputs),
            "base_iri": self.base_iri,
            "engine": self.engine,
            "version": self.version,
            "built_at": self.built_at,
            "graphs": {name: asdict(entry) for name, entry in self.graphs.items()},
            "triples": self.triples,
            "timings_s": dict(self.timings_s or {}),
            "outputs": {path: asdict(entry) for path, entry in self.outputs.items()},
        }

    @property
    def graph_iris(self) -> tuple[str, ...]:
        return tuple(entry.iri for entry in self.graphs.values())


def _field(value: dict, name: str, kind: type[T]) -> T:
    if name not in value:
        raise ManifestUnreadable(f"it lacks {name} (damaged, or written by an older aichr-kg)")
    found = value[name]
    if not isinstance(found, kind) or (kind is int and isinstance(found, bool)):
        raise ManifestUnreadable(f"its {name} is not a {kind.__name__}")
    return found
