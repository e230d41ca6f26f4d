"""IRIs and prefixes, defined once: every module imports them from here, with the few helpers that
write them into query text or shorten them for people (prologues, prefixed names, local names).

Each namespace is an rdflib `Namespace`, a `str`: rdflib code writes `RDFS.label` (a URIRef), code
that compares with pyoxigraph values writes `RDFS + "label"` (a plain str; a URIRef never equals one).
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from string import Template

from rdflib import Namespace

CANONICAL_BASE = "https://w3id.org/aichr-japan/"

AJ = Namespace(CANONICAL_BASE + "ontology/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
VANN = Namespace("http://purl.org/vocab/vann/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA_MEDIA_TYPES = Namespace("http://www.iana.org/assignments/media-types/")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"  # CC BY 4.0, the data's licence

# What we mint under the base that names no resource, as paths after the base: the named graphs,
# the dumps, the endpoints, the dataset's description, the shapes and the ontology's version IRIs.
# Nothing describes them with a type or a label, and a link to one is not dangling (pipeline/links.py).
NOT_RESOURCES = re.compile(
    r"graph/(data|ontology|inferred)|dumps/aichr-kg\.(ttl|ttl\.gz|nq\.gz)|sparql|catalog|\.well-known/void"
    r"|shapes/.*|ontology/[0-9]+\.[0-9]+\.[0-9]+"
)

PREFIXES = {
    "aj": str(AJ),
    "id": CANONICAL_BASE + "id/",
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dct": str(DCT),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def graph_iri(base: str, name: str) -> str:
    """The IRI of one of the dataset's named graphs ('data', 'ontology', 'inferred')."""
    return f"{base}graph/{name}"


def prefixes_for(base: str) -> dict[str, str]:
    """The prefix table with the resource and ontology prefixes moved to `base`."""
    return {name: rebase_iri(iri, base) for name, iri in PREFIXES.items()}


@lru_cache(maxsize=8)
def prefix_pairs(base: str) -> tuple[tuple[str, str], ...]:
    """`prefixes_for(base)` as the immutable pairs a QueryRequest carries, made once per base."""
    return tuple(prefixes_for(base).items())


def rebase_iri(iri: str, base: str) -> str:
    """Move an IRI minted under the canonical base to `base`; leave others alone."""
    if base != CANONICAL_BASE and iri.startswith(CANONICAL_BASE):
        return base + iri[len(CANONICAL_BASE) :]
    return iri


def prefix_lines(prefixes: Iterable[tuple[str, str]]) -> str:
    """A SPARQL prologue: one PREFIX line per (name, namespace) pair."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes)


def sparql_prologue(base: str) -> str:
    """PREFIX lines for every prefix, under `base`: prepended to the server's own queries."""
    return prefix_lines(prefixes_for(base).items())


def with_graph(query: str, inferred_graph: str) -> str:
    """The query with the inferred graph's IRI in place of $inferred. The IRI comes from the
    configuration, not the request; it is written into the text rather than bound because a remote
    store receives bindings as a VALUES block in the WHERE group, which a FILTER in a nested group does not see."""
    return Template(query).substitute(inferred=f"<{inferred_graph}>")


def compact_iri(iri: str, prefixes: dict[str, str]) -> str:
    """A prefixed name (aj:Project, id:project/jaif-01) when a prefix covers the IRI, else the IRI."""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


# The part of SPARQL's PN_LOCAL that needs no escape (letters, digits, _ - . inside): `id:project/jaif-01`
# is not a prefixed name a query may contain (`/` would need `\/`), so such IRIs are written whole.
PLAIN_LOCAL_NAME = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def sparql_term(iri: str, prefixes: dict[str, str]) -> str:
    """How a query writes the IRI: a prefixed name (aj:Project) when a prefix covers it with a plain local
    name, else `<iri>`; unlike `compact_iri`, what it gives always parses."""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and PLAIN_LOCAL_NAME.fullmatch(iri[len(namespace) :]):
            return f"{name}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def local_name(iri: str) -> str:
    """The last segment of an IRI's path or its fragment: 'jaif-01', 'Organization'."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def rebase_query(text: str, base: str) -> str:
    """A query written with canonical IRIs (a saved query's PREFIX lines) made to ask about `base`."""
    return text if base == CANONICAL_BASE else text.replace("<" + CANONICAL_BASE, "<" + base)
