"""What changed between two snapshots: facts added, removed and changed, per resource, asserted and inferred apart.

A fact is (resource, property, value), compared as people read it, not as the Turtle spells it:
- a blank node has no name, so it *is* its content: two blank nodes with the same properties and
  values (recursively) are the same value, whatever their labels, and a changed one is a changed value;
- a sum of money is its currency and amount wherever it is linked from, so correcting the amount of
  `cost:jaif-07` is a change of project jaif-07's actual cost (the cost node's amount and currency are
  not reported again on their own);
- a number or a truth value is its value ("103942.3" and "103942.30" are one decimal); other
  literals are their text, language and datatype.
A value replaced on the same (resource, property) is one change from the old value to the new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from aichr_kg.changes.revisions import Snapshot
from aichr_kg.namespaces import AJ, CANONICAL_BASE, XSD
from aichr_kg.pipeline.infer import infer

MONEY_PARTS = (AJ.amount, AJ.currency)
COMPARED_BY_VALUE = {  # numbers and truth values: "1.0" and "1.00", "1" and "true" are each one value
    XSD.decimal,
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.boolean,
}


@dataclass(frozen=True)
class Value:
    """A term as compared: equal to another when their `key`s are; `term` is the node on its own side."""

    key: Hashable
    term: Node = field(compare=False)
    kind: tuple = field(compare=False)  # values of one kind replace each other: ("literal", "en"), ("iri",), …


@dataclass(frozen=True)
class FactChange:
    """One fact of a resource: added (no `before`), removed (no `after`), or changed from `before` to `after`."""

    predicate: URIRef
    before: Value | None
    after: Value | None

    @property
    def change(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass(frozen=True)
class ResourceChanges:
    """The changed facts of one resource; `status` says whether the resource itself is new, gone or changed."""

    subject: Value
    status: str
    facts: list[FactChange]


@dataclass(frozen=True)
class Comparison:
    """Both snapshots, and the changes between them: asserted (ontology and data) and inferred (OWL 2 RL)."""

    before: Snapshot
    after: Snapshot
    asserted: list[ResourceChanges]
    inferred: list[ResourceChanges]


class Reader:
    """Reads the values of one side's graph: named money by currency and amount, blank nodes by their content."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.objects = set(graph.objects())
        self.nested = self._nested_blank_nodes()

    def value(self, term: Node, seen: frozenset[Node] = frozenset()) -> Value:
        """The value a term stands for where it is the object of a fact."""
        if isinstance(term, Literal):
            return Value(_literal_key(term), term, ("literal", (term.language or "").lower(), term.datatype))
        if isinstance(term, BNode):
            return Value(("node", self._content(term, seen | {term})), term, ("node",))
        if self.is_money(term):
            parts = tuple(frozenset(self.value(o).key for o in self.graph.objects(term, p)) for p in MONEY_PARTS)
            return Value(("money", *parts), term, ("money",))
        return Value(term, term, ("iri",))

    def subject(self, term: Node) -> Value:
        """The resource a fact is about: a named one by its IRI, an unreferenced blank node by its content."""
        return Value(term, term, ("iri",)) if isinstance(term, URIRef) else self.value(term)

    def is_money(self, term: Node) -> bool:
        return (term, AJ.amount, None) in self.graph

    def facts(self, graph: Graph) -> dict[Value, set[tuple[URIRef, Value]]]:
        """The facts of `graph` by resource: named resources and unreferenced blank nodes (a referenced
        blank node is part of its referrer's value, as are the amount and currency of linked money)."""
        facts: dict[Value, set[tuple[URIRef, Value]]] = defaultdict(set)
        for subject, predicate, obj in graph:
            if subject in self.nested:
                continue
            if predicate in MONEY_PARTS and subject in self.objects and self.is_money(subject):
                continue
            facts[self.subject(subject)].add((URIRef(str(predicate)), self.value(obj)))
        return facts

    def _nested_blank_nodes(self) -> set[Node]:
        """Blank nodes reached from a named resource or an unreferenced blank node: each is part of a value.
        (A blank node on a cycle of blank nodes only is reached from none, and so is reported as a resource.)"""
        roots = {s for s in self.graph.subjects() if not isinstance(s, BNode) or s not in self.objects}
        frontier = [o for s, o in self.graph.subject_objects() if s in roots and isinstance(o, BNode)]
        nested: set[Node] = set()
        while frontier:
            node = frontier.pop()
            if node not in nested:
                nested.add(node)
                frontier.extend(o for o in self.graph.objects(node) if isinstance(o, BNode))
        return nested

    def _content(self, node: BNode, seen: frozenset[Node]) -> frozenset:
        """A blank node's properties and values, recursively; a cycle back to a node on the path is marked, not followed."""
        return frozenset(
            (predicate, ("cycle",) if obj in seen else self.value(obj, seen).key)
            for predicate, obj in self.graph.predicate_objects(node)
        )


def _literal_key(literal: Literal) -> Hashable:
    if literal.datatype in COMPARED_BY_VALUE and literal.value is not None and not literal.ill_typed:
        return ("literal", literal.datatype, literal.value)
    return ("literal", literal.datatype, (literal.language or "").lower(), str(literal))


def compare(before: Snapshot, after: Snapshot, *, engine: str = "rules") -> Comparison:
    """The changes from `before` to `after`, each side's inferences drawn by the project's own reasoner."""
    readers = [Reader(snapshot.asserted) for snapshot in (before, after)]
    asserted = [reader.facts(reader.graph) for reader in readers]
    inferred = [
        reader.facts(infer(snapshot.data, snapshot.ontology, CANONICAL_BASE, engine))
        for reader, snapshot in zip(readers, (before, after), strict=True)
    ]
    present = (set(asserted[0]), set(asserted[1]))
    return Comparison(
        before, after, asserted=_changes(asserted[0], asserted[1], present), inferred=_changes(inferred[0], inferred[1], present)
    )


Facts = dict[Value, set[tuple[URIRef, Value]]]


def _changes(old: Facts, new: Facts, present: tuple[set[Value], set[Value]]) -> list[ResourceChanges]:
    """The resources whose facts differ; a resource is added or removed when it has no asserted fact on one side."""
    changed = []
    for subject in set(old) | set(new):
        removed, added = old.get(subject, set()) - new.get(subject, set()), new.get(subject, set()) - old.get(subject, set())
        if removed or added:
            status = "added" if subject not in present[0] else "removed" if subject not in present[1] else "changed"
            changed.append(ResourceChanges(subject, status, _paired(removed, added)))
    return changed


def _paired(removed: set[tuple[URIRef, Value]], added: set[tuple[URIRef, Value]]) -> list[FactChange]:
    """Removed and added values of each property; a lone old and a lone new value (of one kind, else of
    any) are one change, as when a cost is corrected or a label reworded."""
    facts: list[FactChange] = []
    for predicate in {p for p, _ in removed} | {p for p, _ in added}:
        olds = [v for p, v in removed if p == predicate]
        news = [v for p, v in added if p == predicate]
        for kind in [*{v.kind for v in olds}, None]:
            facts.extend(_take_lone_pair(predicate, olds, news, kind))
        facts.extend(FactChange(predicate, v, None) for v in olds)
        facts.extend(FactChange(predicate, None, v) for v in news)
    return facts


def _take_lone_pair(predicate: URIRef, olds: list[Value], news: list[Value], kind: tuple | None) -> list[FactChange]:
    """A change, taken out of `olds` and `news`, when each has exactly one value (of `kind`, or of any kind)."""
    old_ones = [v for v in olds if kind is None or v.kind == kind]
    new_ones = [v for v in news if kind is None or v.kind == kind]
    if len(old_ones) != 1 or len(new_ones) != 1:
        return []
    olds.remove(old_ones[0])
    news.remove(new_ones[0])
    return [FactChange(predicate, old_ones[0], new_ones[0])]
