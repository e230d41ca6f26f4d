"""The ontology as the pages need it: classes and properties with labels, hierarchy, domain, range
and inverse, read from the ontology graph of the store in two queries.

Reading the store (not the Turtle file) means the documentation describes exactly what is served,
under whatever base the build used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from aichr_kg.namespaces import OWL, RDF, RDFS, SKOS, graph_iri
from aichr_kg.store import SparqlStore, Term
from aichr_kg.store.paging import select_all

TERM_TYPES = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object",
    OWL + "DatatypeProperty": "datatype",
    OWL + "AnnotationProperty": "annotation",  # aj:date, aj:month, aj:year: see their comment in the ontology
    OWL + "Ontology": "ontology",
}

TERM_TRIPLES = f"""
SELECT ?g ?term ?type ?p ?o WHERE {{
  GRAPH ?g {{ ?term a ?type ; ?p ?o . }}
  FILTER(isIRI(?term) && ?type IN ({", ".join(f"<{iri}>" for iri in TERM_TYPES)}))
}} ORDER BY ?term ?type ?p ?o"""

# Domains and ranges spanning several classes are owl:unionOf lists in blank nodes. The list is walked
# outside GRAPH (its cells are blank nodes of that graph alone): inside it, Virtuoso 7.2 stops the
# walk early and answers 14 of the 19 members.
UNION_MEMBERS = f"""
SELECT ?g ?term ?p ?member WHERE {{
  GRAPH ?g {{ ?term ?p ?union . ?union <{OWL}unionOf> ?list . }}
  ?list <{RDF}rest>*/<{RDF}first> ?member .
  FILTER(isIRI(?term) && isBlank(?union))
}} ORDER BY ?term ?p ?member"""


@dataclass
class OntologyTerm:
    """A class or property of the ontology and what the ontology says about it."""

    iri: str
    kind: str  # 'class', 'object', 'datatype' or 'annotation'
    label: str = ""
    definition: str = ""
    comment: str = ""
    parents: list[str] = field(default_factory=list)  # rdfs:subClassOf / rdfs:subPropertyOf
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: str | None = None
    disjoint_with: list[str] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        return self.kind == "class"


@dataclass
class Ontology:
    """The ontology header and its terms, classes and properties each sorted by local name."""

    iri: str
    header: dict[str, list[Term]]
    terms: dict[str, OntologyTerm]

    @property
    def classes(self) -> list[OntologyTerm]:
        return sorted((t for t in self.terms.values() if t.is_class), key=lambda t: self.local_name(t.iri))

    @property
    def properties(self) -> list[OntologyTerm]:
        return sorted((t for t in self.terms.values() if not t.is_class), key=lambda t: self.local_name(t.iri))

    def local_name(self, iri: str) -> str:
        """The part of a term IRI after the ontology namespace ('Project'); '' for other IRIs."""
        return iri[len(self.iri) :] if iri.startswith(self.iri) and iri != self.iri else ""

    def label(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term.label if term and term.label else self.local_name(iri) or iri

    def header_values(self, predicate: str) -> list[str]:
        return sorted(v.value for v in self.header.get(predicate, []))

    def header_text(self, predicate: str) -> str:
        """The English (or only) text of a header property, '' if absent."""
        values = self.header.get(predicate, [])
        english = [v for v in values if getattr(v, "language", None) in (None, "en")]
        return (english or values)[0].value if values else ""

    def roots(self) -> list[OntologyTerm]:
        """Classes with no superclass in the ontology: the tops of the hierarchy."""
        return [c for c in self.classes if not any(p in self.terms for p in c.parents)]

    def subclasses(self, class_iri: str) -> list[OntologyTerm]:
        """The direct subclasses of a class, as terms."""
        return [self.terms[c] for c in self.terms[class_iri].children if self.terms[c].is_class]

    def properties_about(self, class_iri: str) -> list[OntologyTerm]:
        """Properties whose domain names this class."""
        return [p for p in self.properties if class_iri in p.domain]

    def properties_towards(self, class_iri: str) -> list[OntologyTerm]:
        """Properties whose range names this class."""
        return [p for p in self.properties if class_iri in p.range]

    def ancestors(self, iri: str) -> list[str]:
        """Every superclass (or superproperty) inside the ontology, nearest first."""
        found: list[str] = []
        frontier = [iri]
        while frontier:
            parents = [p for t in frontier for p in self.terms[t].parents if p in self.terms and p not in found]
            found.extend(dict.fromkeys(parents))
            frontier = parents
        return found


def read_ontology(store: SparqlStore, base: str) -> Ontology:
    """The ontology graph of the store as an Ontology (two queries, each read in full)."""
    bindings = {"g": f"<{graph_iri(base, 'ontology')}>"}
    header: dict[str, list] = {}
    terms: dict[str, OntologyTerm] = {}
    ontology_iri = base + "ontology/"
    for row in select_all(store, TERM_TRIPLES, bindings):
        kind = TERM_TYPES[row["type"].value]
        if kind == "ontology":
            ontology_iri = row["term"].value
            header.setdefault(row["p"].value, []).append(row["o"])
            continue
        term = terms.setdefault(row["term"].value, OntologyTerm(row["term"].value, kind))
        _absorb(term, row["p"].value, row["o"])
    terms = _own_terms(terms, ontology_iri)
    for row in select_all(store, UNION_MEMBERS, bindings):
        member_of = terms.get(row["term"].value)
        if member_of is not None:
            _target_list(member_of, row["p"].value).append(row["member"].value)
    for term in terms.values():
        for parent in term.parents:
            if parent in terms:
                terms[parent].children.append(term.iri)
    for term in terms.values():  # the store returns lists in no fixed order; pages must not flicker
        for names in (term.parents, term.children, term.domain, term.range, term.disjoint_with):
            names.sort()
    return Ontology(ontology_iri, header, terms)


def _own_terms(terms: dict[str, OntologyTerm], ontology_iri: str) -> dict[str, OntologyTerm]:
    """The terms minted in the ontology's namespace: the outside terms it declares only so that OWL 2 DL
    tools know their kind (prov:Entity, schema:Project) stay outside, as parents the pages link to."""
    return {iri: term for iri, term in terms.items() if iri.startswith(ontology_iri) and iri != ontology_iri}


def _absorb(term: OntologyTerm, predicate: str, value: Term) -> None:
    """Fold one triple about a term into its record; English wins for texts."""
    if isinstance(value, pyoxigraph.Literal):
        attribute = {RDFS + "label": "label", SKOS + "definition": "definition", RDFS + "comment": "comment"}.get(predicate)
        if attribute and (value.language in (None, "", "en") or not getattr(term, attribute)):
            setattr(term, attribute, value.value)
        return
    if not isinstance(value, pyoxigraph.NamedNode):
        return
    if predicate == OWL + "inverseOf":
        term.inverse = value.value
    elif predicate == OWL + "disjointWith":
        term.disjoint_with.append(value.value)
    elif predicate in (RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range"):
        _target_list(term, predicate).append(value.value)


def _target_list(term: OntologyTerm, predicate: str) -> list[str]:
    return {
        RDFS + "subClassOf": term.parents,
        RDFS + "subPropertyOf": term.parents,
        RDFS + "domain": term.domain,
        RDFS + "range": term.range,
    }.get(predicate, [])
