"""IRIs and prefixes, defined once: every module imports them from here."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

CANONICAL_BASE = "https://w3id.org/aichr-japan/"

AJ = Namespace(CANONICAL_BASE + "ontology/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES = {
    "aj": str(AJ),
    "id": CANONICAL_BASE + "id/",
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
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


def rebase_iri(iri: str, base: str) -> str:
    """Move an IRI minted under the canonical base to `base`; leave others alone."""
    if base != CANONICAL_BASE and iri.startswith(CANONICAL_BASE):
        return base + iri[len(CANONICAL_BASE):]
    return iri


def sparql_prologue(base: str) -> str:
    """PREFIX lines for every prefix, under `base`: prepended to the server's own queries."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes_for(base).items())
