"""The changes in words: resources by short name and label, properties by label, values as people read them.

Money reads 'USD 103,942.30', months 'May 2025', days '13 May 2025', linked resources by their label,
blank nodes by their content ('[type: OWL class; owl:unionOf: (Event, Project)]'). Labels come from
the newer side first, then the older (a removed resource keeps the name it had).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from aichr_kg.changes.compare import Comparison, FactChange, ResourceChanges, Value
from aichr_kg.changes.revisions import Snapshot
from aichr_kg.namespaces import AJ, PREFIXES, RDF, RDFS, SKOS, XSD, compact_iri
from aichr_kg.readable import WELL_KNOWN, format_literal, format_money

LABELS = (RDFS.label, SKOS.prefLabel)
CHANGE_ORDER = {"changed": 0, "removed": 1, "added": 2}


@dataclass(frozen=True)
class ShownValue:
    """A value's text and what it is, for JSON: {"iri"}, {"literal", "datatype", "language"}, {"money"}, {"blank_node"}."""

    text: str
    detail: dict


@dataclass(frozen=True)
class ShownFact:
    change: str  # "changed", "added" or "removed"
    property_iri: str
    property: str
    before: ShownValue | None
    after: ShownValue | None


@dataclass(frozen=True)
class ShownResource:
    iri: str | None  # None for a blank node, which `name` then describes
    name: str  # project/jaif-07, aj:actualCost
    label: str | None
    status: str  # "added", "removed" or "changed"
    facts: list[ShownFact]


@dataclass(frozen=True)
class Report:
    before: Snapshot
    after: Snapshot
    asserted: list[ShownResource]
    inferred: list[ShownResource]


def short_name(iri: str) -> str:
    """'project/jaif-07' for our resources, 'aj:actualCost' for terms, a prefixed name or the IRI otherwise."""
    resources = PREFIXES["id"]
    return iri[len(resources) :] if iri.startswith(resources) and iri != resources else compact_iri(iri, PREFIXES)


class Namer:
    """Names IRIs by their label in the first graph that has one, else in plain words, else by short name."""

    def __init__(self, graphs: list[Graph]) -> None:
        self.graphs = graphs

    def label(self, iri: Node) -> str | None:
        for graph in self.graphs:
            labels = [(rank, o) for rank, p in enumerate(LABELS) for o in graph.objects(iri, p) if isinstance(o, Literal)]
            if labels:
                return str(min(labels, key=_label_preference)[1])
        return None

    def name(self, iri: Node) -> str:
        return self.label(iri) or WELL_KNOWN.get(str(iri)) or short_name(str(iri))


class Describer:
    """Shows the values of one side: its graph holds the amounts of its money and the content of its blank nodes."""

    def __init__(self, graph: Graph, namer: Namer) -> None:
        self.graph = graph
        self.namer = namer

    def shown(self, value: Value) -> ShownValue:
        return ShownValue(self.text(value.term), self._detail(value.term))

    def _detail(self, term: Node) -> dict:
        money = self._money(term)
        if money is not None:
            named = {"iri": str(term)} if isinstance(term, URIRef) else {}
            return {"money": {"amount": money[0], "currency": money[1]}} | named
        if isinstance(term, Literal):
            return {"literal": str(term), "datatype": str(term.datatype) if term.datatype else None, "language": term.language}
        return {"blank_node": True} if isinstance(term, BNode) else {"iri": str(term)}

    def text(self, term: Node, seen: frozenset[Node] = frozenset()) -> str:
        """A term in words; a blank node by its content (a list as '(a, b)'), a cycle back to one as '…'."""
        money = self._money(term)
        if money is not None:
            return format_money(*money)
        if isinstance(term, Literal):
            return _literal_text(term)
        if not isinstance(term, BNode):
            return self.namer.name(term)
        if term in seen:
            return "…"
        if (term, RDF.first, None) in self.graph:
            return "(" + ", ".join(self.text(item, seen | {term}) for item in self.graph.items(term)) + ")"
        parts = sorted(f"{self.namer.name(p)}: {self.text(o, seen | {term})}" for p, o in self.graph.predicate_objects(term))
        return "[" + "; ".join(parts) + "]"

    def _money(self, term: Node) -> tuple[str, str | None] | None:
        amount = self.graph.value(term, AJ.amount) if not isinstance(term, Literal) else None
        if amount is None:
            return None
        currency = self.graph.value(term, AJ.currency)
        return str(amount), str(currency) if currency is not None else None


def _label_preference(ranked: tuple[int, Literal]) -> tuple:
    """rdfs:label before skos:prefLabel, English (or no language) first, then alphabetically, so the choice is stable."""
    rank, label = ranked
    return rank, label.language not in ("en", None), str(label)


def _literal_text(literal: Literal) -> str:
    """Strings quoted (with their language unless English), typed values as people read them."""
    if literal.datatype in (None, XSD.string):
        language = f"@{literal.language}" if literal.language and literal.language.lower() != "en" else ""
        return f'"{literal}"{language}'
    return format_literal(str(literal), str(literal.datatype))


def describe(comparison: Comparison) -> Report:
    """The comparison in words, resources in name order (blank nodes last), facts by property."""
    namer = Namer([comparison.after.asserted, comparison.before.asserted])
    sides = (Describer(comparison.before.asserted, namer), Describer(comparison.after.asserted, namer))
    properties = _property_names(namer, comparison.asserted + comparison.inferred)
    return Report(
        comparison.before,
        comparison.after,
        asserted=_shown_resources(comparison.asserted, sides, properties),
        inferred=_shown_resources(comparison.inferred, sides, properties),
    )


def _property_names(namer: Namer, resources: list[ResourceChanges]) -> dict[URIRef, str]:
    """Each property's name; two that would read the same (owl:sameAs and schema:sameAs, 'same as') also
    give their short name, so a reviewer sees that one replaced the other."""
    names = {fact.predicate: namer.name(fact.predicate) for resource in resources for fact in resource.facts}
    shared = {name for name in names.values() if list(names.values()).count(name) > 1}
    return {p: f"{name} ({short_name(str(p))})" if name in shared else name for p, name in names.items()}


def _shown_resources(
    resources: list[ResourceChanges], sides: tuple[Describer, Describer], properties: dict[URIRef, str]
) -> list[ShownResource]:
    """In name order, blank nodes last; resources that read alike by their content, so the order is the same every run."""
    shown = [(_shown_resource(resource, sides, properties), resource) for resource in resources]
    shown.sort(key=lambda pair: (pair[0].iri is None, pair[0].name, canonical(pair[1].subject.key)))
    return [resource for resource, _ in shown]


def _shown_resource(
    resource: ResourceChanges, sides: tuple[Describer, Describer], properties: dict[URIRef, str]
) -> ShownResource:
    term = resource.subject.term
    shown = [(_shown_fact(fact, sides, properties[fact.predicate]), fact) for fact in resource.facts]
    shown.sort(key=lambda pair: _fact_order(*pair))
    facts = [fact for fact, _ in shown]
    if isinstance(term, URIRef):
        return ShownResource(str(term), short_name(str(term)), sides[1].namer.label(term), resource.status, facts)
    side = sides[0] if resource.status == "removed" else sides[1]
    return ShownResource(None, side.text(term), None, resource.status, facts)


def _fact_order(shown: ShownFact, fact: FactChange) -> tuple[str, int, str, str]:
    """By property, change and text; values that read alike (two projects of one label) by what they are."""
    text = (shown.before or shown.after or ShownValue("", {})).text
    values = (fact.predicate, *(value.key if value else None for value in (fact.before, fact.after)))
    return shown.property, CHANGE_ORDER[shown.change], text, canonical(values)


def canonical(key: Hashable) -> str:
    """A value's key as text that no set order or blank-node label changes: IRIs and literals in N-Triples,
    a blank node's content sorted. Distinct keys give distinct texts, so it is a total, stable sort key."""
    if isinstance(key, frozenset):
        return "{" + " ".join(sorted(canonical(part) for part in key)) + "}"
    if isinstance(key, tuple):
        return "(" + " ".join(canonical(part) for part in key) + ")"
    return key.n3() if isinstance(key, Node) else repr(key)


def _shown_fact(fact: FactChange, sides: tuple[Describer, Describer], property_name: str) -> ShownFact:
    return ShownFact(
        change=fact.change,
        property_iri=str(fact.predicate),
        property=property_name,
        before=sides[0].shown(fact.before) if fact.before else None,
        after=sides[1].shown(fact.after) if fact.after else None,
    )
