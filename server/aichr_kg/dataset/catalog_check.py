"""The catalog checked against the DCAT-AP 3.0.0 shapes without a server, as `validate` checks the data.

The catalog is made as /catalog makes it, from the releases on disk and the project's ontology and
data (read here from the Turtle rather than the store), with the base IRI standing for the server's
address; the DCAT-AP shapes ship with the package (see external/dcat-ap-3.0.0/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef

from aichr_kg.dataset.dcat import DESCRIPTION, THEME_SCHEME, TITLE, UNNAMED_PUBLISHER, Publication, Theme, catalog_triples
from aichr_kg.formats import in_memory
from aichr_kg.namespaces import AJ, CANONICAL_BASE, DCT, LICENSE, RDFS, SKOS, rebase_iri
from aichr_kg.pipeline.load import LoadedGraph, parse_turtle
from aichr_kg.pipeline.release_manifest import notes_triples, read_releases
from aichr_kg.pipeline.validate import ValidationOutcome, validate_graph

DCAT_AP_SHAPES = Path(__file__).with_name("external") / "dcat-ap-3.0.0" / "dcat-ap-SHACL.ttl"


def check_catalog(releases_dir: Path, ontology: Graph, data: Graph, base: str) -> ValidationOutcome:
    """The findings of the DCAT-AP 3.0.0 shapes on the catalog of the releases in `releases_dir`."""
    publication = publication_from_graphs(ontology, data, base, root=base.rstrip("/"))
    releases = read_releases(releases_dir)
    triples = catalog_triples(publication, releases)
    for release in releases:
        triples += notes_triples(releases_dir, release.version)
    catalog = Graph().parse(data=in_memory(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)), format="nt")
    return validate_graph(LoadedGraph(graph=catalog), parse_turtle(DCAT_AP_SHAPES), Graph())


def publication_from_graphs(ontology: Graph, data: Graph, base: str, root: str) -> Publication:
    """What the catalog says of the publisher, licence and themes, from the ontology's header and the data's theme scheme."""
    header = URIRef(str(AJ))
    creator = ontology.value(header, DCT.creator)
    licence = ontology.value(header, DCT.license)
    scheme = URIRef(CANONICAL_BASE + THEME_SCHEME)
    scheme_label = _english(data, scheme, RDFS.label)
    themes = [
        Theme(rebase_iri(str(theme), base), _english(data, theme, SKOS.prefLabel) or str(theme))
        for theme in sorted(o for o in data.objects(scheme, SKOS.hasTopConcept) if isinstance(o, URIRef))
    ]
    return Publication(
        root=root,
        base=base,
        title=TITLE,
        description=DESCRIPTION,
        publisher=str(creator) if creator is not None else UNNAMED_PUBLISHER,
        licence=str(licence) if licence is not None else LICENSE,
        theme_scheme=Theme(rebase_iri(str(scheme), base), scheme_label) if scheme_label else None,
        themes=tuple(themes) if scheme_label else (),
    )


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language in (None, "en")]
    return str(min(values)) if values else None
