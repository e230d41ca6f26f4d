"""The publication record: which build a remote store holds, written last by `publish`, read by front ends.

`publish` replaces every named graph of a build, then writes this record in a graph of its own
(<base>graph/publication), so a front end that reads a new hash knows that every graph is in.
The record carries the build's manifest (as an rdf:JSON literal, rdf:value) for front ends that
have no local build, and readable triples beside it: the hash, when the build was made and
published, and the number of triples in the dataset and in each graph.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph

from aichr_kg.namespaces import DCT, RDF, VOID, XSD, graph_iri
from aichr_kg.pipeline.manifest import Manifest, ManifestUnreadable
from aichr_kg.store import QueryFailed, SparqlStore, Term, select

RECORD = "publication"
MANIFEST_VALUE = RDF + "value"
HASH = DCT + "identifier"


def record_graph(base: str) -> str:
    """The graph holding the publication record, beside the dataset's graphs."""
    return graph_iri(base, RECORD)


@dataclass(frozen=True)
class PublishedDataset:
    """What a front end serves from a remote store: the dataset's graphs and hash, and the base its record is under."""

    base: str
    dataset_hash: str
    graphs: tuple[str, ...]

    @classmethod
    def of(cls, manifest: Manifest, base: str) -> PublishedDataset:
        return cls(base, manifest.input_hash, manifest.graph_iris)


def record_triples(manifest: Manifest, base: str, published_at: str) -> list[pyoxigraph.Triple]:
    """The record of one publication of `manifest`, at `published_at` (xsd:dateTime)."""
    record = pyoxigraph.NamedNode(record_graph(base))

    def about(subject: pyoxigraph.NamedNode, predicate: str, value: pyoxigraph.Literal) -> pyoxigraph.Triple:
        return pyoxigraph.Triple(subject, pyoxigraph.NamedNode(predicate), value)

    triples = [
        about(record, HASH, pyoxigraph.Literal(manifest.input_hash)),
        about(record, DCT + "created", _typed(manifest.built_at, "dateTime")),
        about(record, DCT + "issued", _typed(published_at, "dateTime")),
        about(record, VOID + "triples", _typed(str(manifest.triples), "integer")),
        about(
            record,
            MANIFEST_VALUE,
            pyoxigraph.Literal(json.dumps(manifest.to_json()), datatype=pyoxigraph.NamedNode(RDF + "JSON")),
        ),
    ]
    for info in manifest.graphs.values():
        graph = pyoxigraph.NamedNode(info.iri)
        triples += [
            pyoxigraph.Triple(record, pyoxigraph.NamedNode(DCT + "hasPart"), graph),
            about(graph, VOID + "triples", _typed(str(info.triples), "integer")),
        ]
    return triples


def read_publication(store: SparqlStore, base: str) -> Manifest | None:
    """The manifest of the build the store holds, as `publish` recorded it; None when nothing was published."""
    rows = _read(store, base, MANIFEST_VALUE)
    if not rows:
        return None
    try:
        return Manifest.from_json(json.loads(rows[0].value))
    except (json.JSONDecodeError, ManifestUnreadable) as error:
        raise QueryFailed(f"the publication record in <{record_graph(base)}> is not a manifest ({error})", syntax=False) from None


def published_hash(store: SparqlStore, base: str) -> str | None:
    """The hash of the build the store holds (cheaper than the whole manifest); None when nothing was published."""
    rows = _read(store, base, HASH)
    return rows[0].value if rows else None


def _read(store: SparqlStore, base: str, predicate: str) -> list[Term]:
    """The values of one property of the record; the query names its graph, so no store adds a dataset to it."""
    graph = record_graph(base)
    rows = select(store, f"SELECT ?value FROM <{graph}> WHERE {{ <{graph}> <{predicate}> ?value }} LIMIT 1")
    return [row["value"] for row in rows]


def _typed(lexical: str, datatype: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(XSD + datatype))
