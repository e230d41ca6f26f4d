"""/sparql/completion.json: what the query page completes from (dataset.completion), one document per dataset.

The document is made at the first request for a dataset and kept; its ETag is decided from the
dataset hash alone, so a revalidation costs nothing and every front end serving that dataset
gives the same validator for the same bytes.
"""

from __future__ import annotations

from flask import Blueprint, Response

from aichr_kg.web.context import get_manifest, get_settings
from aichr_kg.web.dataset_cache import get_completion_json
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified

bp = Blueprint("completion", __name__)
DOCUMENT_VERSION = "completion-1"  # changed with the document's shape, so no cache keeps an old one


@bp.get("/sparql/completion.json")
def completion() -> Response:
    etag = etag_for(get_manifest()["input_hash"], DOCUMENT_VERSION, get_settings().base_iri)
    cached = not_modified(etag)
    if cached:
        return cached
    return cacheable(Response(get_completion_json(), content_type="application/json"), etag)
