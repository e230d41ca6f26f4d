"""How a term is named on a page: the dataset's own label, plain words for well-known vocabulary
terms, or a prefixed name (aj:Project) when nothing better is known. People never read raw IRIs.
"""

from __future__ import annotations

from aichr_kg.dataset.labels import LabelIndex
from aichr_kg.dataset.ontology import Ontology
from aichr_kg.namespaces import AJ, DCT, OWL, RDF, RDFS, SCHEMA, SKOS, compact_iri, prefixes_for, rebase_iri

WELL_KNOWN = {
    RDF + "type": "type",
    RDFS + "label": "label",
    RDFS + "comment": "note",
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    RDFS + "isDefinedBy": "defined by",
    OWL + "inverseOf": "inverse of",
    OWL + "disjointWith": "disjoint with",
    OWL + "sameAs": "same as",
    OWL + "Class": "OWL class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property",
    OWL + "Ontology": "ontology",
    SKOS + "prefLabel": "preferred label",
    SKOS + "altLabel": "also known as",
    SKOS + "definition": "definition",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "inScheme": "in scheme",
    SKOS + "topConceptOf": "top concept of",
    SKOS + "hasTopConcept": "top concepts",
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "concept scheme",
    DCT + "description": "description",
    DCT + "date": "date",
    DCT + "source": "source",
    DCT + "relation": "related to",
    SCHEMA + "jobTitle": "job title",
    SCHEMA + "sameAs": "same as",
    SCHEMA + "containedInPlace": "in place",
    SCHEMA + "eventAttendanceMode": "attendance mode",
}

# Headings for links that point at a resource, where the property has no inverse to name them.
INCOMING = {
    RDF + "type": "instances",
    RDFS + "subClassOf": "subclasses",
    RDFS + "subPropertyOf": "subproperties",
    RDFS + "domain": "properties with this domain",
    RDFS + "range": "properties with this range",
    RDFS + "isDefinedBy": "terms defined here",
    OWL + "disjointWith": "disjoint with",
    SKOS + "inScheme": "concepts in this scheme",
    SKOS + "broader": "narrower concepts",
    SKOS + "narrower": "broader concepts",
    DCT + "relation": "related from",
    AJ + "source": "stated on this slide",
    AJ + "concerns": "outcomes concerning this",
    AJ + "presentedAt": "presented here",
    AJ + "identifiesPriorityArea": "identified as a priority area by",
    AJ + "criterion": "criterion of",
}


def compact(iri: str, base: str) -> str:
    """A prefixed name (aj:Project, id:project/jaif-01) when a prefix fits, else the IRI."""
    return compact_iri(iri, prefixes_for(base))


class Namer:
    """Names terms for one page, from the ontology, the label index and the words above."""

    def __init__(self, base: str, ontology: Ontology, labels: LabelIndex) -> None:
        self.base = base
        self.ontology = ontology
        self.labels = labels
        self.well_known = {rebase_iri(k, base): v for k, v in WELL_KNOWN.items()}
        self.incoming = {rebase_iri(k, base): v for k, v in INCOMING.items()}

    def name(self, iri: str) -> str:
        term = self.ontology.terms.get(iri)
        if term is not None and term.label:
            return term.label
        return self.labels.label(iri) or self.well_known.get(iri) or compact(iri, self.base)

    def definition(self, iri: str) -> str:
        term = self.ontology.terms.get(iri)
        return term.definition if term is not None else ""

    def incoming_heading(self, predicate: str) -> str:
        """What the resources linking through `predicate` are to this one: 'funds', 'lead country of'."""
        term = self.ontology.terms.get(predicate)
        if term is not None and term.inverse:
            return self.name(term.inverse)
        return self.incoming.get(predicate) or f"{self.name(predicate)} of"
