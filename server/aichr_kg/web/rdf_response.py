"""Answer with RDF in the negotiated format, with conditional-request support keyed by the dataset hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph
from flask import Response, make_response, request

from aichr_kg.formats import Format, in_memory
from aichr_kg.namespaces import prefixes_for

CACHE_CONTROL = "public, max-age=300"


def etag_for(dataset_hash: str, *parts: str) -> str:
    """A strong validator: the dataset hash plus what selects the representation."""
    digest = hashlib.sha256("\0".join((dataset_hash, *parts)).encode()).hexdigest()
    return digest[:40]


def not_modified(etag: str) -> Response | None:
    """A 304 when the client already holds this representation."""
    if request.if_none_match.contains_weak(etag):
        response = make_response("", 304)
        response.set_etag(etag)
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["Vary"] = "Accept"
        return response
    return None


def cacheable(response: Response, etag: str) -> Response:
    """Mark a 200 as cacheable and negotiated."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept")
    return response


def convert_turtle(turtle: str, fmt: Format, base: str) -> bytes:
    """Re-serialise a Turtle document (built by us) into another RDF format with pyoxigraph."""
    quads = pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)
    if fmt.name in ("trig", "nquads"):
        return serialize_rdf(quads, fmt, base)
    return serialize_rdf((q.triple for q in quads), fmt, base)


def serialize_rdf(
    statements: Iterable[pyoxigraph.Triple] | Iterable[pyoxigraph.Quad],
    fmt: Format,
    base: str,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Triples (or quads, for TriG/N-Quads) in `fmt`, with our prefixes (or `prefixes`) where the format has them."""
    table = prefixes if prefixes is not None else prefixes_for(base)
    return in_memory(
        pyoxigraph.serialize(
            statements, format=fmt.rdf_format, prefixes=table if fmt.name in ("turtle", "trig", "rdfxml") else None
        )
    )
