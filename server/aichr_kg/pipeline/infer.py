"""OWL 2 RL entailments about the project's own resources, kept apart from the asserted triples.

Two engines give the same result on our data (a test proves it):
- "owlrl": owlrl's full OWL 2 RL closure, then filtered to what concerns our IRIs. Complete, but
  its cost grows faster than linearly (seconds for thousands of triples, hours for a million).
- "rules": the RL rules our ontology actually uses (subclass, subproperty, inverse, domain, range,
  symmetric, transitive, equivalence), applied to a fixpoint with the ontology compiled into
  lookup tables. Linear in the data; the default.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import owlrl
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from aichr_kg.namespaces import OWL, RDF, RDFS, XSD

ENGINES = ("rules", "owlrl")
NOISE_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
Triple = tuple[Node, Node, Node]
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf}


def infer(data: Graph, ontology: Graph, base: str, engine: str = "rules") -> Graph:
    """The entailments of data + ontology whose subject is minted under `base`, minus what is asserted."""
    asserted = data + ontology
    closure = _owlrl_closure(asserted) if engine == "owlrl" else _rule_closure(data, ontology)
    inferred = Graph()
    for triple in closure:
        if triple not in asserted and _is_about_us(triple, base):
            inferred.add(triple)
    return inferred


def _is_about_us(triple: Triple, base: str) -> bool:
    """Keep entailments about our IRIs; drop axiomatic, reflexive and blank-node noise."""
    subject, predicate, obj = triple
    if not isinstance(subject, URIRef) or not str(subject).startswith(base):
        return False
    if isinstance(obj, BNode) or obj == subject or obj in TRIVIAL_OBJECTS:
        return False
    if predicate == RDF.type:
        return not str(obj).startswith(NOISE_NAMESPACES)
    return predicate in SCHEMA_PREDICATES or not str(predicate).startswith(NOISE_NAMESPACES)


def _owlrl_closure(asserted: Graph) -> Graph:
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    return closure


class _Schema:
    """The ontology's RL-relevant axioms as lookup tables, closed under subsumption."""

    def __init__(self, ontology: Graph) -> None:
        self.superclasses = _transitive(_pairs(ontology, RDFS.subClassOf) | _both_ways(ontology, OWL.equivalentClass))
        self.superproperties = _transitive(_pairs(ontology, RDFS.subPropertyOf) | _both_ways(ontology, OWL.equivalentProperty))
        self.inverses = defaultdict(set)
        for a, b in ontology.subject_objects(OWL.inverseOf):
            self.inverses[a].add(b)
            self.inverses[b].add(a)
        self.domains = _grouped(ontology, RDFS.domain)
        self.ranges = _grouped(ontology, RDFS.range)
        self.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))

    def axioms(self) -> Iterator[Triple]:
        """Schema entailments (OWL 2 RL scm-sco, scm-spo, scm-dom/rng, inverse symmetry)."""
        for table, predicate in ((self.superclasses, RDFS.subClassOf), (self.superproperties, RDFS.subPropertyOf)):
            yield from ((sub, predicate, sup) for sub, sups in table.items() for sup in sups)
        yield from ((a, OWL.inverseOf, b) for a, bs in self.inverses.items() for b in bs)
        for table, predicate in ((self.domains, RDFS.domain), (self.ranges, RDFS.range)):
            for prop in set(table) | set(self.superproperties):
                for declared in self._inherited(table, prop):
                    yield prop, predicate, declared
                    yield from ((prop, predicate, c) for c in self.superclasses.get(declared, ()))

    def _inherited(self, table: dict, prop: Node) -> set:
        """Domains (or ranges) of a property and of every property above it (scm-dom2, scm-rng2)."""
        return set().union(table.get(prop, set()), *(table.get(p, set()) for p in self.superproperties.get(prop, ())))

    def consequences(self, subject: Node, predicate: Node, obj: Node) -> Iterator[Triple]:
        """Triples one rule application derives from one triple."""
        if predicate == RDF.type:
            yield from ((subject, RDF.type, c) for c in self.superclasses.get(obj, ()))
            return
        for p in self.superproperties.get(predicate, set()) | {predicate}:
            yield subject, p, obj
            yield from ((subject, RDF.type, c) for c in self.domains.get(p, ()) if isinstance(c, URIRef))
            if isinstance(obj, URIRef):
                yield from ((obj, RDF.type, c) for c in self.ranges.get(p, ()) if isinstance(c, URIRef))
                yield from ((obj, q, subject) for q in self.inverses.get(p, ()))
                if p in self.symmetric:
                    yield obj, p, subject


def _rule_closure(data: Graph, ontology: Graph) -> Graph:
    """Apply the schema's rules to the data until nothing new appears (semi-naive)."""
    schema = _Schema(ontology)
    known = set(data) | set(ontology) | set(schema.axioms())
    frontier = list(known)
    while frontier:
        fresh = {t for triple in frontier for t in schema.consequences(*triple) if t not in known}
        fresh |= _transitive_step(known | fresh, schema.transitive) - known
        known |= fresh
        frontier = list(fresh)
    closure = Graph()
    for triple in known:
        closure.add(triple)
    return closure


def _transitive_step(triples: set, properties: set) -> set:
    """One join of each transitive property with itself."""
    derived = set()
    for prop in properties:
        edges = defaultdict(set)
        for s, p, o in triples:
            if p == prop:
                edges[s].add(o)
        derived |= {(a, prop, c) for a, bs in edges.items() for b in bs for c in edges.get(b, ())}
    return derived


def _pairs(graph: Graph, predicate: URIRef) -> set[tuple[Node, Node]]:
    return {(s, o) for s, o in graph.subject_objects(predicate) if isinstance(o, URIRef)}


def _both_ways(graph: Graph, predicate: URIRef) -> set[tuple[Node, Node]]:
    pairs = _pairs(graph, predicate)
    return pairs | {(o, s) for s, o in pairs}


def _grouped(graph: Graph, predicate: URIRef) -> dict[Node, set[Node]]:
    grouped = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        grouped[s].add(o)
    return grouped


def _transitive(pairs: set[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """Map each node to everything above it (excluding itself)."""
    above = defaultdict(set)
    for a, b in pairs:
        above[a].add(b)
    changed = True
    while changed:
        changed = False
        for node, ups in above.items():
            extra = set().union(*(above.get(u, set()) for u in ups)) - ups - {node}
            if extra:
                ups |= extra
                changed = True
    return above
