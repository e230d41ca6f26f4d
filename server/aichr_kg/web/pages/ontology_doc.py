"""The ontology documented at its own IRI, generated from the ontology graph the server holds and
the SHACL shapes the data was validated with, so it can never drift from the Turtle.

/ontology/ (the ontology IRI) answers 303 to /ontology, which is HTML for people and the OWL graph
for machines (Accept, or .ttl .jsonld .nt .rdf .html); every class, property and shape has an
anchor, and /shapes/<Name> (the IRI of a shape) answers 303 to its anchor.
"""

from __future__ import annotations

import pyoxigraph
from flask import Blueprint, Response, abort, redirect, render_template
from werkzeug.wrappers import Response as BaseResponse  # what redirect() makes; flask.Response is one

from aichr_kg.dataset.shapes import shapes_for_class
from aichr_kg.formats import HTML
from aichr_kg.namespaces import DCT, OWL, VANN, XSD, graph_iri
from aichr_kg.store import as_triple
from aichr_kg.store.paging import select_all
from aichr_kg.web.context import get_manifest, get_settings, get_store
from aichr_kg.web.pages.documents import EXTENSIONS, alternates, link_header, wanted_format
from aichr_kg.web.pages.model_diagram import model_diagram
from aichr_kg.web.pages.naming import compact
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified, serialize_rdf
from aichr_kg.web.serving.dataset_cache import dataset_cached, get_class_counts, get_ontology, get_property_counts, get_shapes

bp = Blueprint("ontology_doc", __name__)

ONTOLOGY_TRIPLES = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"
PATH = "/ontology"


@bp.get(PATH)
@bp.get(PATH + ".<extension>")
def ontology_page(extension: str | None = None) -> Response:
    if extension is not None and extension not in EXTENSIONS:
        abort(404, description="the ontology comes as .html, .ttl, .jsonld, .nt or .rdf")
    fmt = wanted_format(extension)
    etag = etag_for(get_manifest().input_hash, "ontology", fmt.name)
    cached = not_modified(etag)
    if cached:
        return cached
    if fmt is HTML:
        response = Response(render_documentation(), content_type="text/html; charset=utf-8")
    else:
        response = Response(serialize_rdf(ontology_triples(), fmt, get_settings().base_iri), content_type=fmt.content_type)
    response.headers["Link"] = link_header(PATH)
    return cacheable(response, etag)


@bp.get(PATH + "/")
def ontology_iri() -> BaseResponse:
    """The ontology's own IRI (a slash namespace) names the ontology; its document is /ontology."""
    return redirect(PATH, 303)


@bp.get("/shapes/")
@bp.get("/shapes/<name>")
def shape_iri(name: str | None = None) -> BaseResponse:
    """A shape's IRI leads to its place in the documentation."""
    if name is None:
        return redirect(PATH + "#constraints", 303)
    if not any(shape.name == name for shape in get_shapes()):
        abort(404, description="no SHACL shape has this name; see /ontology#constraints")
    return redirect(f"{PATH}#shape-{name}", 303)


def ontology_triples() -> list[pyoxigraph.Triple]:
    """The ontology graph as served, blank nodes (owl:unionOf lists) included."""
    rows = select_all(get_store(), ONTOLOGY_TRIPLES, {"g": f"<{graph_iri(get_settings().base_iri, 'ontology')}>"})
    return [as_triple(row["s"], row["p"], row["o"]) for row in rows]


def render_documentation() -> str:
    ontology, shapes = get_ontology(), get_shapes()
    by_class = {c.iri: shapes_for_class(shapes, c.iri) for c in ontology.classes}
    class_iris = {c.iri for c in ontology.classes}
    return render_template(
        "ontology.html",
        ontology=ontology,
        diagram=dataset_cached("model_diagram", lambda: model_diagram(ontology)),
        shapes_by_class=by_class,
        inherited_shapes={iri: [a for a in ontology.ancestors(iri) if by_class.get(a)] for iri in class_iris},
        other_shapes=[s for s in shapes if not set(s.target_classes) & class_iris],
        class_counts=get_class_counts(),
        property_counts=get_property_counts(),
        alternates=alternates(PATH),
        compact=lambda iri: compact(iri, get_settings().base_iri),
        DCT=DCT,
        OWL=OWL,
        VANN=VANN,
        XSD=XSD,
    )
