"""Linked-data pages: every IRI minted under the base dereferences by the W3C Cool URIs rules.

/id/<path> and /ontology/<Term> answer 303 See Other to their document, /doc/<path>, which comes
as HTML, Turtle, JSON-LD, N-Triples or RDF/XML by Accept header or by extension (.ttl, .html, ...).
Each document is described from the store in four queries and cached by the dataset hash.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, Response, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse  # what redirect() makes; flask.Response is one

from aichr_kg.dataset.describe import Description, describe
from aichr_kg.formats import HTML
from aichr_kg.namespaces import OWL, local_name
from aichr_kg.saved.parameters import page_number
from aichr_kg.web.context import get_manifest, get_settings, get_store, public_root
from aichr_kg.web.errors import error_response
from aichr_kg.web.pages.documents import (
    alternates,
    document_prefixes,
    document_triples,
    iri_of_document,
    link_header,
    not_found,
    split_extension,
    wanted_format,
)
from aichr_kg.web.pages.resource_view import resource_page
from aichr_kg.web.pages.retired import retired_document, retired_iri
from aichr_kg.web.pages.schema_jsonld import schema_org
from aichr_kg.web.pages.terms import local_path
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified, serialize_rdf
from aichr_kg.web.serving.dataset_cache import get_class_counts, get_label_index, get_namer, get_ontology

bp = Blueprint("pages", __name__)

MAX_PAGE = 10_000


@bp.get("/id/<path:path>")
def resource_iri(path: str) -> BaseResponse | tuple[str, int]:
    iri = get_settings().base_iri + "id/" + path
    return retired_iri(iri, path) or _see_other(iri, "/doc/" + quote(path))


@bp.get("/ontology/<path:path>")
def ontology_term_iri(path: str) -> BaseResponse | tuple[str, int]:
    """A term of the ontology (slash namespace); the version IRI stands for the ontology itself."""
    iri = get_settings().base_iri + "ontology/" + path
    if iri in get_ontology().header_values(OWL + "versionIRI"):
        return redirect("/ontology", 303)
    return _see_other(iri, "/doc/ontology/" + quote(path))


@bp.get("/doc/<path:path>")
def document(path: str) -> BaseResponse | tuple[str, int]:
    stem, extension = split_extension(path)
    iri = iri_of_document(stem)
    retired = retired_document(iri, stem, extension)
    if retired is not None:
        return retired
    if not get_label_index().knows(iri):
        return not_found(stem)
    fmt = wanted_format(extension)
    page = page_number(request.args.get("page", "1"))
    if page is None or page > MAX_PAGE:
        return error_response(400, f"400 Bad Request: page must be a number from 1 to {MAX_PAGE}.")
    document_path = "/doc/" + quote(stem)
    etag = etag_for(get_manifest().input_hash, "doc", public_root(), stem, fmt.name, str(page))
    cached = not_modified(etag)
    if cached:
        return cached
    base = get_settings().base_iri
    description = describe(get_store(), iri, base, page=page)
    if fmt is HTML:
        response = Response(render_resource(description, document_path), content_type="text/html; charset=utf-8")
    else:
        triples = document_triples(description, public_root().rstrip("/") + document_path)
        body = serialize_rdf(triples, fmt, base, document_prefixes(base, triples))
        response = Response(body, content_type=fmt.content_type)
    response.headers["Link"] = link_header(document_path)
    return cacheable(response, etag)


def render_resource(description: Description, document_path: str) -> str:
    namer = get_namer()
    page = resource_page(description, namer, get_settings().base_iri)
    return render_template(
        "resource.html",
        page=page,
        description=description,
        document_path=document_path,
        alternates=alternates(document_path),
        jsonld=schema_org(description, namer, public_root().rstrip("/") + document_path),
        query_link=query_link(description.iri, page.label),
        up_link=up_link(description),
        term_links=term_links(description.iri),
    )


def up_link(description: Description) -> tuple[str, str] | None:
    """Where the breadcrumb leads: the list of the resource's class, or the ontology for a term."""
    ontology = get_ontology()
    if description.iri in ontology.terms:
        return "Ontology", "/ontology#" + ontology.local_name(description.iri)
    classes = [k for k in description.types(inferred=False) if ontology.local_name(k)]
    return (capfirst(plural(get_namer().name(classes[0]))), "/list/" + ontology.local_name(classes[0])) if classes else None


def term_links(iri: str) -> list[tuple[str, str]]:
    """For an ontology term: its documentation and, for a class with instances, their list."""
    ontology = get_ontology()
    term = ontology.terms.get(iri)
    if term is None:
        return []
    name = ontology.local_name(iri)
    links = [("Its documentation, with its constraints", f"/ontology#{name}")]
    if term.is_class and get_class_counts().get(iri):
        links.append((f"All {get_class_counts()[iri]} instances", f"/list/{name}"))
    return links


def query_link(iri: str, label: str) -> str:
    """A link that opens the query page with a ready query about one resource."""
    title = " ".join(label.split())
    query = (
        f"# Everything said about: {title}\n"
        f"SELECT ?property ?value ?graph WHERE {{\n  GRAPH ?graph {{ <{iri}> ?property ?value }}\n}}\nORDER BY ?graph ?property"
    )
    return "/sparql?" + urlencode({"query": query})


def _see_other(iri: str, target: str) -> BaseResponse | tuple[str, int]:
    if not get_label_index().knows(iri):
        return not_found(local_name(iri))
    return redirect(target, 303)


@bp.app_template_filter("plural")
def plural(noun: str) -> str:
    """English plural of a class label, for list titles: 'country' → 'countries'."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


@bp.app_template_filter("capfirst")
def capfirst(text: str) -> str:
    """Ontology labels are lower case ('funded by'); headings start with a capital."""
    return text[:1].upper() + text[1:]


@bp.app_template_filter("local_href")
def local_href(iri: str) -> str:
    """Where a link to an IRI goes: its path here when minted under the base, else the IRI."""
    return local_path(iri, get_settings().base_iri) or iri
