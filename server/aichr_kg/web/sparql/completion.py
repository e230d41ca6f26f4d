"""/sparql/completion.json: what the query page completes from (dataset.completion), one document per dataset.

The document is made when a build opens (`web.serving.warm_up`), or at the first request for its
dataset if that comes first, and kept, as JSON and gzipped once: a browser fetches it compressed,
and compressing its 100-odd kilobytes again on every request would cost more than the rest of the
answer. Its ETag is decided from the dataset hash alone, so a revalidation costs nothing and every
front end serving that dataset agrees on validator and bytes.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

from flask import Blueprint, Response, request

from aichr_kg.dataset.completion import ReadModels, completion_document
from aichr_kg.web.context import get_manifest, get_settings, get_store
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified
from aichr_kg.web.serving.dataset_cache import dataset_cached, get_class_counts, get_ontology, get_property_counts

bp = Blueprint("completion", __name__)
DOCUMENT_VERSION = "completion-1"  # changed with the document's shape, so no cache keeps an old one


@dataclass(frozen=True)
class Encoded:
    """The document as sent: plain and gzipped (the same bytes from every front end: no timestamp)."""

    identity: bytes
    gzip: bytes


@bp.get("/sparql/completion.json")
def completion() -> Response:
    gzipped = request.accept_encodings.quality("gzip") > 0
    etag = etag_for(get_manifest().input_hash, DOCUMENT_VERSION, get_settings().base_iri)
    variant = f"{etag}:gzip" if gzipped else etag  # as Flask-Compress names the compressed variant elsewhere
    cached = not_modified(variant)
    if cached:
        return cached
    encoded = encoded_document()
    response = Response(encoded.gzip if gzipped else encoded.identity, content_type="application/json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"  # Flask-Compress leaves an encoded response alone
    response.vary.add("Accept-Encoding")
    return cacheable(response, variant)


def encoded_document() -> Encoded:
    """The served release's document, made once per release and dropped with it."""
    return dataset_cached("completion", _encode)


def _encode() -> Encoded:
    models = ReadModels(get_ontology(), get_class_counts(), get_property_counts())
    document = completion_document(get_store(), get_settings().base_iri, get_manifest().input_hash, models)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return Encoded(text, gzip.compress(text, compresslevel=9, mtime=0))
