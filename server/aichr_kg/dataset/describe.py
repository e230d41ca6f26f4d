"""Everything said about one resource, in four queries, so a page or document needs no second round:

1. its own triples, each with the graph it is in (so inferred ones can be marked), including the
   blank nodes hanging off it (the owl:unionOf lists of an ontology term);
2. the label, asserted types, amount and slide number of everything it links to, itself or through
   its blank nodes (only blank ones: a path through an IRI would reach the rest of the graph, and
   Virtuoso, told no node to stop at, walks it all past the budget; the types are asked before the
   labels, as Virtuoso 7.2 drops some types when the filtered label comes first);
3. how many asserted triples point at it, per property;
4. one page of those incoming triples, with each subject's label (and, for an outcome, its meeting).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from aichr_kg.namespaces import RDF_TYPE, RDFS_LABEL, graph_iri, local_name, sparql_prologue, with_graph
from aichr_kg.store import SparqlStore, Term, select
from aichr_kg.store.paging import select_all

INCOMING_PAGE_SIZE = 100
ANY = "(<urn:aichr:any>|!<urn:aichr:any>)*"  # any path: reaches every node of a blank-node structure

OWN = f"""
SELECT ?s ?node ?p ?o ?g WHERE {{
  {{ GRAPH ?g {{ ?s ?p ?o }} BIND(?s AS ?node) }}
  UNION
  {{ ?s ?via ?blank . FILTER(isBlank(?blank)) ?blank {ANY} ?node . FILTER(isBlank(?node)) GRAPH ?g {{ ?node ?p ?o }} }}
}} ORDER BY ?node ?p ?o ?g"""

LINKED = f"""
SELECT DISTINCT ?s ?x ?label ?type ?amount ?currency ?slide WHERE {{
  {{ ?s ?p ?x }} UNION {{ ?s ?x ?o }} UNION {{ ?y ?x ?s }}
  UNION {{ ?s ?via ?blank . FILTER(isBlank(?blank)) ?blank {ANY} ?node . FILTER(isBlank(?node)) ?node ?q ?x }}
  FILTER(isIRI(?x))
  OPTIONAL {{ GRAPH ?tg {{ ?x a ?type }} FILTER(?tg != $inferred) }}
  OPTIONAL {{ ?x rdfs:label ?label FILTER(lang(?label) IN ("en", "")) }}
  OPTIONAL {{ ?x aj:amount ?amount ; aj:currency ?currency }}
  OPTIONAL {{ ?x aj:slideNumber ?slide }}
}} ORDER BY ?x ?label ?type ?amount ?currency ?slide"""

INCOMING_COUNTS = """
SELECT ?s ?p (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?g { ?x ?p ?s } FILTER(?g != $inferred && isIRI(?x))
} GROUP BY ?s ?p ORDER BY ?p"""

INCOMING_PAGE = """
SELECT DISTINCT ?s ?x ?p ?label ?meeting WHERE {
  GRAPH ?g { ?x ?p ?s } FILTER(?g != $inferred && isIRI(?x))
  OPTIONAL { ?x rdfs:label ?label FILTER(lang(?label) IN ("en", "")) }
  OPTIONAL { ?x aj:outcomeOf ?meeting }
} ORDER BY ?p LCASE(STR(?label)) ?x"""


@dataclass(frozen=True)
class Statement:
    """One triple of the description; `subject` is the resource or a blank node hanging off it."""

    subject: Term
    predicate: pyoxigraph.NamedNode
    object: Term
    inferred: bool


@dataclass(frozen=True)
class IncomingLink:
    """`subject --predicate--> the resource`, asserted; `meeting` is set when the subject is an outcome."""

    subject: pyoxigraph.NamedNode
    predicate: pyoxigraph.NamedNode
    label: pyoxigraph.Literal | None
    meeting: str | None = None

    @property
    def name(self) -> str:
        return self.label.value if self.label else local_name(self.subject.value)


@dataclass
class Linked:
    """What a page shows about a resource the description links to."""

    label: pyoxigraph.Literal | None = None
    types: set[str] = field(default_factory=set)
    amount: pyoxigraph.Literal | None = None
    currency: str | None = None
    slide_number: int | None = None


@dataclass
class Description:
    """The description of `iri`: own statements, linked resources, incoming links (one page)."""

    iri: str
    statements: list[Statement]
    linked: dict[str, Linked]
    incoming_counts: dict[str, int]
    incoming: list[IncomingLink]
    page: int
    has_next_page: bool

    @property
    def found(self) -> bool:
        return bool(self.statements or self.incoming_counts)

    @property
    def own(self) -> list[Statement]:
        """Statements whose subject is the resource itself."""
        return [s for s in self.statements if isinstance(s.subject, pyoxigraph.NamedNode) and s.subject.value == self.iri]

    def values(self, predicate: str) -> list[Term]:
        return [s.object for s in self.own if s.predicate.value == predicate]

    def types(self, inferred: bool | None = None) -> list[str]:
        """rdf:type values; only asserted or only inferred ones when `inferred` says so."""
        return sorted(
            {s.object.value for s in self.own if s.predicate.value == RDF_TYPE and (inferred is None or s.inferred == inferred)}
        )

    def label(self) -> str:
        labels = [o for o in self.values(RDFS_LABEL) if isinstance(o, pyoxigraph.Literal)]
        english = [o for o in labels if o.language in (None, "en")]
        return (english or labels)[0].value if labels else local_name(self.iri)

    @property
    def incoming_total(self) -> int:
        return sum(self.incoming_counts.values())


def describe(store: SparqlStore, iri: str, base: str, page: int = 1, page_size: int = INCOMING_PAGE_SIZE) -> Description:
    """The description of `iri`; `page` (from 1) selects which incoming links are included."""
    inferred_graph = graph_iri(base, "inferred")
    prologue = sparql_prologue(base)
    subject = {"s": f"<{iri}>"}
    statements = _statements(select_all(store, OWN, subject), inferred_graph)
    linked = _linked(select_all(store, prologue + with_graph(LINKED, inferred_graph), subject))
    counts = {
        row["p"].value: int(row["n"].value) for row in select_all(store, with_graph(INCOMING_COUNTS, inferred_graph), subject)
    }
    incoming: list[IncomingLink] = []
    if counts:
        window = f" LIMIT {int(page_size) + 1} OFFSET {(int(page) - 1) * int(page_size)}"
        incoming = _incoming(select(store, prologue + with_graph(INCOMING_PAGE, inferred_graph) + window, subject))
    return Description(iri, statements, linked, counts, incoming[:page_size], page, len(incoming) > page_size)


def _statements(rows: list[dict], inferred_graph: str) -> list[Statement]:
    """One statement per triple; asserted wins when a triple is in several graphs."""
    graphs: dict[tuple, set[str]] = {}
    for row in rows:
        graphs.setdefault((row["node"], row["p"], row["o"]), set()).add(row["g"].value)
    statements = [
        Statement(subject, predicate, obj, inferred=in_graphs == {inferred_graph})
        for (subject, predicate, obj), in_graphs in graphs.items()
    ]
    return sorted(statements, key=lambda s: (str(s.subject), s.predicate.value, str(s.object)))


def _linked(rows: list[dict]) -> dict[str, Linked]:
    linked: dict[str, Linked] = {}
    for row in rows:
        entry = linked.setdefault(row["x"].value, Linked())
        if "label" in row and (entry.label is None or row["label"].language == "en"):
            entry.label = row["label"]
        if "type" in row:
            entry.types.add(row["type"].value)
        if "amount" in row:
            entry.amount, entry.currency = row["amount"], row["currency"].value
        if "slide" in row and row["slide"].value.isascii() and row["slide"].value.isdigit():
            entry.slide_number = int(row["slide"].value)
    return linked


def _incoming(rows: list[dict]) -> list[IncomingLink]:
    """One link per (subject, property), in query order."""
    links: dict[tuple[str, str], IncomingLink] = {}
    for row in rows:
        key = (row["x"].value, row["p"].value)
        if key not in links:
            links[key] = IncomingLink(
                row["x"],
                row["p"],
                row.get("label"),
                row["meeting"].value if "meeting" in row else None,
            )
    return list(links.values())
