"""/catalog: the releases as a DCAT catalog (DCAT-AP 3.0.0), in HTML, Turtle, JSON-LD and every RDF format /sparql speaks.

The catalog is made per request from the release manifests on disk (a handful of small files) and
the header of the ontology being served, so a release made by `aichr-kg release` appears at once.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph
from flask import Blueprint, Response, render_template, request

from aichr_kg.dataset.dcat import DESCRIPTION, THEME_SCHEME, TITLE, UNNAMED_PUBLISHER, Publication, Theme, catalog_triples
from aichr_kg.formats import HTML, RDF_FORMATS, Format
from aichr_kg.namespaces import ADMS, DCAT, DCT, LICENSE, RDFS, SKOS, SPDX, VCARD, prefix_lines
from aichr_kg.pipeline.release_manifest import ReleaseManifest, notes_triples, read_releases
from aichr_kg.store.paging import select_all
from aichr_kg.web.context import get_manifest, get_settings, get_store, public_root
from aichr_kg.web.negotiation import choose_format
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified, serialize_rdf
from aichr_kg.web.serving.dataset_cache import dataset_cached, get_ontology

bp = Blueprint("catalog", __name__)

PATH = "/catalog"
CATALOG_CHOICES = (*RDF_FORMATS, HTML)  # Turtle first, for */*; HTML for browsers
TOP_THEMES = (
    prefix_lines([("rdfs", str(RDFS)), ("skos", str(SKOS))])
    + """SELECT ?scheme ?label ?theme ?theme_label WHERE {
  ?scheme rdfs:label ?label ; skos:hasTopConcept ?theme . ?theme skos:prefLabel ?theme_label .
  FILTER(LANG(?label) = "en" && LANG(?theme_label) = "en")
} ORDER BY ?theme"""
)


@bp.get(PATH)
def catalog() -> Response:
    releases = current_releases()

    def represent(fmt: Format) -> Response:
        publication = current_publication()
        if fmt is HTML:
            return html_response(render_template("catalog.html", publication=publication, releases=releases))
        return rdf_response(catalog_with_notes(publication, releases), fmt)

    return negotiated("catalog", releases, represent)


def negotiated(kind: str, releases: list[ReleaseManifest], represent: Callable[[Format], Response]) -> Response:
    """The representation the request asks for, with an ETag of what it is made from (the build, the
    releases, the address served), so a harvester asking again gets 304 until a release or build is made."""
    fmt = choose_format(request.args.get("format"), request.headers.get("Accept"), CATALOG_CHOICES)
    made_of = (f"{release.version} {release.commit}" for release in releases)
    etag = etag_for(get_manifest().input_hash, kind, public_root(), fmt.name, *made_of)
    return not_modified(etag) or cacheable(represent(fmt), etag)


def html_response(page: str) -> Response:
    """A page of a negotiated resource: caches keep it apart from the RDF by Accept."""
    response = Response(page, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def catalog_with_notes(publication: Publication, releases: list[ReleaseManifest]) -> list[pyoxigraph.Triple]:
    """The catalog, each release with the notes its notes.ttl holds."""
    triples = catalog_triples(publication, releases)
    for release in releases:
        triples += notes_triples(get_settings().releases_dir, release.version)
    return list(dict.fromkeys(triples))


def rdf_response(triples: list[pyoxigraph.Triple], fmt: Format) -> Response:
    """The statements in `fmt`, those about one subject together (so Turtle writes one block for each)."""
    first_seen: dict[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple, int] = {}
    for index, triple in enumerate(triples):
        first_seen.setdefault(triple.subject, index)
    triples = sorted(triples, key=lambda triple: first_seen[triple.subject])
    base = get_settings().base_iri
    prefixes = {
        "dcat": str(DCAT),
        "dct": str(DCT),
        "adms": str(ADMS),
        "spdx": str(SPDX),
        "vcard": str(VCARD),
        "skos": str(SKOS),
        "theme": base + "id/theme/",
    }
    statements = (
        [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples] if fmt.name in ("trig", "nquads") else triples
    )
    response = Response(serialize_rdf(statements, fmt, base, prefixes), content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


def current_releases() -> list[ReleaseManifest]:
    """The releases on disk, read again only when their folder changed (a release is renamed into it
    whole), so the home page and its ETag cost one stat, not a file per release."""
    folder = get_settings().releases_dir
    try:
        changed = folder.stat().st_mtime_ns
    except FileNotFoundError:
        return []
    return dataset_cached(f"releases as of {changed}", lambda: read_releases(folder))


def current_publication() -> Publication:
    """Who publishes, under which licence and on which themes, as the served ontology and data say."""
    ontology = get_ontology()
    creators = ontology.header_values(DCT + "creator")
    licences = ontology.header_values(DCT + "license")
    scheme, themes = dataset_cached("catalog_themes", _themes)
    return Publication(
        root=public_root().rstrip("/"),
        base=get_settings().base_iri,
        title=TITLE,
        description=DESCRIPTION,
        publisher=creators[0] if creators else UNNAMED_PUBLISHER,
        licence=licences[0] if licences else LICENSE,
        theme_scheme=scheme,
        themes=themes,
    )


def _themes() -> tuple[Theme | None, tuple[Theme, ...]]:
    scheme_iri = get_settings().base_iri + THEME_SCHEME
    rows = select_all(get_store(), TOP_THEMES, {"scheme": f"<{scheme_iri}>"})
    if not rows:
        return None, ()
    return Theme(scheme_iri, rows[0]["label"].value), tuple(Theme(r["theme"].value, r["theme_label"].value) for r in rows)
