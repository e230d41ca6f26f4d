"""The dataset described in VoID at /.well-known/void: endpoint, dumps, licence, size, named graphs,
and class and property partitions. Turtle by default; JSON-LD, N-Triples, RDF/XML and HTML by Accept.

The dataset's IRI is this document's URL, as the Service Description of /sparql names it
(void:inDataset). The named graphs' IRIs (<base>graph/...) answer 303 to this description.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph
from flask import Blueprint, Response, abort, redirect, render_template
from werkzeug.wrappers import Response as BaseResponse  # what redirect() makes; flask.Response is one

from aichr_kg.dataset.dcat import DESCRIPTION, TITLE
from aichr_kg.formats import BY_NAME, HTML
from aichr_kg.namespaces import DCT, FOAF, LICENSE, ORG, PROV, RDF_TYPE, RDFS, SCHEMA, SKOS, VOID, W3C_FORMATS, XSD, graph_iri
from aichr_kg.web.context import get_manifest, get_settings, public_root
from aichr_kg.web.operations import DUMPS
from aichr_kg.web.pages.catalog import PATH as CATALOG_PATH
from aichr_kg.web.pages.documents import document_prefixes, wanted_format
from aichr_kg.web.pages.naming import compact
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified, serialize_rdf
from aichr_kg.web.serving.dataset_cache import get_class_counts, get_label_index, get_namer, get_property_counts

bp = Blueprint("void", __name__)

PATH = "/.well-known/void"
GRAPH_TITLES = {"data": "Asserted data", "ontology": "The OWL ontology", "inferred": "OWL 2 RL entailments of data and ontology"}
VOCABULARIES = (SCHEMA, ORG, PROV, SKOS, DCT, FOAF)
FEATURES = ("Turtle", "N-Quads", "N-Triples", "JSON-LD", "RDF_XML")  # names in the W3C formats namespace


@bp.get(PATH)
def void_description() -> Response:
    fmt = wanted_format(None)
    root = public_root().rstrip("/")
    etag = etag_for(get_manifest().input_hash, "void", root, fmt.name)
    cached = not_modified(etag)
    if cached:
        return cached
    triples = void_triples(root)
    base = get_settings().base_iri
    prefixes = document_prefixes(base, triples) | {"void": str(VOID)}
    if fmt is HTML:
        turtle = serialize_rdf(triples, BY_NAME["turtle"], base, prefixes).decode()
        response = Response(render_page(root, turtle), content_type="text/html; charset=utf-8")
    else:
        response = Response(serialize_rdf(triples, fmt, base, prefixes), content_type=fmt.content_type)
    return cacheable(response, etag)


@bp.get("/graph/<name>")
def named_graph(name: str) -> BaseResponse:
    """A named graph's IRI: its description is a subset in VoID."""
    if name not in get_manifest().graphs:
        abort(404, description="the dataset's named graphs are " + ", ".join(get_manifest().graphs))
    return redirect(PATH, 303)


Statement = tuple[pyoxigraph.NamedNode, str, pyoxigraph.NamedNode | pyoxigraph.Literal]  # predicate as an IRI string


def void_triples(root: str) -> list[pyoxigraph.Triple]:
    """The VoID description of the dataset as served from `root`."""
    manifest, base = get_manifest(), get_settings().base_iri
    dataset = _iri(root + PATH)
    triples: list[Statement] = [
        (dataset, RDF_TYPE, _iri(VOID + "Dataset")),
        (dataset, DCT + "title", pyoxigraph.Literal(TITLE, language="en")),
        (dataset, DCT + "description", pyoxigraph.Literal(DESCRIPTION, language="en")),
        (dataset, DCT + "license", _iri(LICENSE)),
        (dataset, DCT + "modified", pyoxigraph.Literal(manifest.built_at, datatype=_iri(XSD + "dateTime"))),
        (dataset, FOAF + "homepage", _iri(root + "/")),
        (dataset, VOID + "sparqlEndpoint", _iri(root + "/sparql")),
        (dataset, VOID + "uriSpace", pyoxigraph.Literal(base + "id/")),
        (dataset, VOID + "triples", _count(manifest.triples)),
        (dataset, VOID + "entities", _count(sum(1 for iri in get_label_index().entries if iri.startswith(base + "id/")))),
        (dataset, VOID + "classes", _count(len(get_class_counts()))),
        (dataset, VOID + "properties", _count(len(get_property_counts()))),
        (dataset, VOID + "vocabulary", _iri(base + "ontology/")),
        (dataset, RDFS + "seeAlso", _iri(root + CATALOG_PATH)),  # the releases, described in DCAT
    ]
    triples += [(dataset, VOID + "vocabulary", _iri(str(v))) for v in VOCABULARIES]
    triples += [(dataset, VOID + "dataDump", _iri(f"{root}/download/{name}")) for name in DUMPS]
    triples += [(dataset, VOID + "feature", _iri(W3C_FORMATS + name)) for name in FEATURES]
    triples += [(dataset, VOID + "exampleResource", _iri(iri)) for iri in _examples(base)]
    for name, info in manifest.graphs.items():
        subset = _iri(graph_iri(base, name))
        triples += [
            (dataset, VOID + "subset", subset),
            (subset, RDF_TYPE, _iri(VOID + "Dataset")),
            (subset, DCT + "title", pyoxigraph.Literal(GRAPH_TITLES.get(name, name), language="en")),
            (subset, VOID + "triples", _count(info.triples)),
        ]
    triples += _partitions(dataset, "classPartition", "class", "entities", get_class_counts())
    triples += _partitions(dataset, "propertyPartition", "property", "triples", get_property_counts())
    about_dataset = [t for t in triples if t[0] == dataset]  # first, so Turtle writes one block for it
    return [pyoxigraph.Triple(s, _iri(p), o) for s, p, o in about_dataset + [t for t in triples if t[0] != dataset]]


def _partitions(
    dataset: pyoxigraph.NamedNode, partition: str, kind: str, measure: str, counts: dict[str, int]
) -> list[Statement]:
    """One partition per class or property, named in the document (#class-aj:Project) rather than a
    blank node, so the Turtle reads as a list and each partition can be linked to."""
    triples: list[Statement] = []
    base = get_settings().base_iri
    for iri, count in sorted(counts.items()):
        node = _iri(f"{dataset.value}#{kind}-{quote(compact(iri, base), safe=':/')}")
        triples += [(dataset, VOID + partition, node), (node, VOID + kind, _iri(iri)), (node, VOID + measure, _count(count))]
    return triples


def _examples(base: str) -> list[str]:
    """One resource of each main kind, to show what an IRI looks like."""
    found = []
    for kind in ("project/", "meeting/", "org/"):
        matches = sorted(iri for iri in get_label_index().entries if iri.startswith(base + "id/" + kind))
        found += matches[:1]
    return found


def _iri(value: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(value)


def _count(value: int) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(str(value), datatype=_iri(XSD + "integer"))


def render_page(root: str, turtle: str) -> str:
    manifest = get_manifest()
    return render_template(
        "void.html",
        root=root,
        manifest=manifest,
        dumps=DUMPS,
        graph_titles=GRAPH_TITLES,
        base=get_settings().base_iri,
        class_counts=sorted(get_class_counts().items(), key=lambda item: -item[1]),
        property_counts=sorted(get_property_counts().items(), key=lambda item: -item[1]),
        namer=get_namer(),
        turtle=turtle,
        licence=LICENSE,
        graph_iri=graph_iri,
        compact=lambda iri: compact(iri, get_settings().base_iri),
    )
