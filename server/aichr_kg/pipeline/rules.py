"""The OWL 2 RL rules our ontology uses, applied to a fixpoint over integer-encoded triples.

Each term is numbered once, so the closure's set operations hash and compare small integers instead of
rdflib terms (whose equality is Python code). The ontology is compiled, per predicate, into what one
triple with that predicate entails: its superproperties (prp-spo1, prp-eqp), the classes its domain
and range give (prp-dom, prp-rng), its inverses and symmetry (prp-inv, prp-symp), and per class its
superclasses (cax-sco, cax-eqc). Transitive properties (prp-trp) join each new edge with the known ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from aichr_kg.namespaces import OWL, RDF, RDFS

Triple = tuple[Node, Node, Node]
Encoded = tuple[int, int, int]
TYPE = RDF.type  # looked up once: a namespace's attribute lookup costs more than the rule it serves


def rule_entailments(asserted: set[Triple], ontology: Graph) -> Iterator[Triple]:
    """The schema's entailments and everything the rules derive from them and the asserted triples, bar these."""
    schema = _Schema(ontology)
    terms = _Terms()
    given = {terms.encoded(t) for t in asserted}
    known = given | {terms.encoded(t) for t in schema.axioms()}
    rules = _CompiledRules(schema, terms)
    frontier = known
    while frontier:
        rules.chains.add(frontier)
        frontier = rules.derived_from(frontier) - known
        known |= frontier
    return (terms.decoded(triple) for triple in known - given)


class _Terms:
    """Terms numbered in order of appearance, and back."""

    def __init__(self) -> None:
        self._ids: dict[Node, int] = {}
        self._terms: list[Node] = []
        self.iris: set[int] = set()

    def id(self, term: Node) -> int:
        found = self._ids.get(term)
        if found is None:
            found = self._ids[term] = len(self._terms)
            self._terms.append(term)
            if isinstance(term, URIRef):
                self.iris.add(found)
        return found

    def encoded(self, triple: Triple) -> Encoded:
        return self.id(triple[0]), self.id(triple[1]), self.id(triple[2])

    def decoded(self, triple: Encoded) -> Triple:
        return self._terms[triple[0]], self._terms[triple[1]], self._terms[triple[2]]

    def term(self, term_id: int) -> Node:
        return self._terms[term_id]


class _Schema:
    """The ontology's RL-relevant axioms as lookup tables, closed under subsumption."""

    def __init__(self, ontology: Graph) -> None:
        self.superclasses = _transitive(_pairs(ontology, RDFS.subClassOf) | _both_ways(ontology, OWL.equivalentClass))
        self.superproperties = _transitive(_pairs(ontology, RDFS.subPropertyOf) | _both_ways(ontology, OWL.equivalentProperty))
        self.inverses: dict[Node, set[Node]] = defaultdict(set)
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


@dataclass(frozen=True)
class _Plan:
    """What one triple (s p o) with a given predicate p entails."""

    copies: tuple[int, ...]  # (s q o): every property above p
    subject_types: tuple[int, ...]  # (s rdf:type c): the domains of p and of those
    object_types: tuple[int, ...]  # (o rdf:type c) when o is an IRI: their ranges
    flips: tuple[int, ...]  # (o q s) when o is an IRI: their inverses, and those of them that are symmetric


class _CompiledRules:
    """The schema's tables in term numbers, a plan per predicate made when the predicate is first met."""

    def __init__(self, schema: _Schema, terms: _Terms) -> None:
        self._schema, self._terms = schema, terms
        self._type = terms.id(TYPE)
        self._superclasses = {terms.id(c): tuple(terms.id(s) for s in sups) for c, sups in schema.superclasses.items()}
        self._plans: dict[int, _Plan] = {}
        self.chains = _Chains({terms.id(p) for p in schema.transitive})

    def derived_from(self, frontier: set[Encoded]) -> set[Encoded]:
        """Everything one rule application derives from the triples of `frontier`, a predicate at a time."""
        by_predicate: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for s, p, o in frontier:
            by_predicate[p].append((s, o))
        derived: set[Encoded] = set()
        for p, pairs in by_predicate.items():
            derived.update(self.chains.joined(p, pairs))
            if p == self._type:
                derived.update((s, p, c) for s, o in pairs for c in self._superclasses.get(o, ()))
            else:
                self._apply(self._plans.get(p) or self._plan(p), pairs, derived)
        return derived

    def _apply(self, plan: _Plan, pairs: list[tuple[int, int]], derived: set[Encoded]) -> None:
        """Add what a predicate's plan derives from its (subject, object) pairs."""
        for q in plan.copies:
            derived.update((s, q, o) for s, o in pairs)
        if plan.subject_types:
            derived.update((s, self._type, c) for s in {s for s, _ in pairs} for c in plan.subject_types)
        if plan.object_types or plan.flips:
            iris = self._terms.iris
            to_iris = [(s, o) for s, o in pairs if o in iris]
            derived.update((o, self._type, c) for o in {o for _, o in to_iris} for c in plan.object_types)
            for q in plan.flips:
                derived.update((o, q, s) for s, o in to_iris)

    def _plan(self, predicate_id: int) -> _Plan:
        schema, terms = self._schema, self._terms
        predicate = terms.term(predicate_id)
        copies = schema.superproperties.get(predicate, set()) | {predicate}
        flips = {q for p in copies for q in schema.inverses.get(p, ())} | (copies & schema.symmetric)
        plan = _Plan(
            copies=_ids(terms, copies - {predicate}),
            subject_types=_ids(terms, _iris(c for p in copies for c in schema.domains.get(p, ()))),
            object_types=_ids(terms, _iris(c for p in copies for c in schema.ranges.get(p, ()))),
            flips=_ids(terms, flips),
        )
        self._plans[predicate_id] = plan
        return plan


class _Chains:
    """The edges of each transitive property, indexed both ways, to join new edges with known ones (prp-trp)."""

    def __init__(self, properties: set[int]) -> None:
        self._onward: dict[int, dict[int, set[int]]] = {p: defaultdict(set) for p in properties}
        self._backward: dict[int, dict[int, set[int]]] = {p: defaultdict(set) for p in properties}

    def add(self, triples: Iterable[Encoded]) -> None:
        for s, p, o in triples:
            if p in self._onward:
                self._onward[p][s].add(o)
                self._backward[p][o].add(s)

    def joined(self, p: int, pairs: list[tuple[int, int]]) -> Iterator[Encoded]:
        """(a p c) for each new (a p b) and known (b p c), and (z p b) for each known (z p a)."""
        if p in self._onward:
            onward, backward = self._onward[p], self._backward[p]
            for a, b in pairs:
                yield from ((a, p, c) for c in onward.get(b, ()))
                yield from ((z, p, b) for z in backward.get(a, ()))


def _ids(terms: _Terms, found: Iterable[Node]) -> tuple[int, ...]:
    return tuple(sorted({terms.id(term) for term in found}))


def _iris(found: Iterable[Node]) -> set[Node]:
    return {term for term in found if isinstance(term, URIRef)}


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
