"""Retired IRIs keep answering: 301 Moved Permanently to the successor, or 410 Gone with a tombstone.

/id/<path> of a retired IRI with a successor redirects to the successor's /id/ (on this server,
as every link here), with a Link to the retired IRI's own document; without a successor it
answers 410 with the tombstone, as HTML or RDF by the same negotiation as any document.
/doc/<path> of a retired IRI is the tombstone too: 200 when it has a successor (a document that
says "replaced by"), 410 when it has none. The tombstone's RDF is the IRI's description in the
store (its label, dct:type, owl:deprecated, dct:modified, skos:changeNote, dct:isReplacedBy, slides).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, redirect, render_template
from werkzeug.wrappers import Response as BaseResponse

from aichr_kg.dataset.describe import Description, describe
from aichr_kg.formats import HTML
from aichr_kg.namespaces import DCT, SKOS
from aichr_kg.web.context import get_manifest, get_settings, get_store, public_root
from aichr_kg.web.pages.documents import alternates, document_prefixes, document_triples, link_header, wanted_format
from aichr_kg.web.pages.resource_view import resource_page
from aichr_kg.web.pages.terms import local_path
from aichr_kg.web.rdf_response import CACHE_CONTROL, cacheable, etag_for, not_modified, serialize_rdf
from aichr_kg.web.serving.dataset_cache import get_namer, get_retired


def retired_iri(iri: str, path: str) -> BaseResponse | None:
    """The answer of /id/<path> when `iri` is retired (None when it is not)."""
    retired = get_retired()
    if iri not in retired:
        return None
    successor = retired[iri]
    if successor is None:
        return tombstone(iri, path, None)
    response = redirect(local_path(successor, get_settings().base_iri) or successor, 301)
    response.headers["Link"] = f'</doc/{quote(path)}>; rel="describedby"'
    response.headers["Cache-Control"] = CACHE_CONTROL  # as long as a document: a retirement may be corrected
    return response


def retired_document(iri: str, stem: str, extension: str | None) -> Response | None:
    """The answer of /doc/<stem> when `iri` is retired (None when it is not)."""
    return tombstone(iri, stem, extension) if iri in get_retired() else None


def tombstone(iri: str, stem: str, extension: str | None) -> Response:
    """The retired IRI's description in the negotiated format: 410 Gone without a successor, else 200."""
    fmt = wanted_format(extension)
    etag = etag_for(get_manifest().input_hash, "retired", public_root(), stem, fmt.name)
    gone = get_retired()[iri] is None
    cached = None if gone else not_modified(etag)  # preconditions apply only to what would be a 2xx (RFC 9110 13.2.1)
    if cached:
        return cached
    base = get_settings().base_iri
    description = describe(get_store(), iri, base)
    document_path = "/doc/" + quote(stem)
    if fmt is HTML:
        response = Response(_page(description, document_path), content_type="text/html; charset=utf-8")
    else:
        triples = document_triples(description, public_root().rstrip("/") + document_path)
        response = Response(serialize_rdf(triples, fmt, base, document_prefixes(base, triples)), content_type=fmt.content_type)
    response.status_code = 410 if gone else 200
    response.headers["Link"] = link_header(document_path)
    return cacheable(response, etag)


def _page(description: Description, document_path: str) -> str:
    base = get_settings().base_iri
    namer = get_namer()
    page = resource_page(description, namer, base)
    successor = get_retired()[description.iri]
    return render_template(
        "retired.html",
        page=page,
        kinds=[namer.name(o.value) for o in description.values(DCT + "type")],
        retired_on=[o.value for o in description.values(DCT + "modified")],
        reasons=[o.value for o in description.values(SKOS + "changeNote")],
        successor=None if successor is None else (namer.name(successor), local_path(successor, base) or successor),
        alternates=alternates(document_path),
    )
