"""The query page's result views: the table, and the charts of `charts/` drawn from the same answer.

Everything is drawn on the server, so a view works without JavaScript and is an inline SVG the
page's policy allows. IRIs are shown by their labels, read with one query for the page's IRIs;
the table keeps the full IRI on hover and links to the resource's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import NamedTuple

import pyoxigraph
from markupsafe import Markup

from aichr_kg.charts import render_chart
from aichr_kg.dataset.labels import labels_of
from aichr_kg.namespaces import RDFS_LABEL, SKOS, compact_iri, prefixes_for
from aichr_kg.store import SparqlStore, StoreError, Term
from aichr_kg.web.pages.terms import TermView, link_to, term_view
from aichr_kg.web.sparql.views import VIEW_TITLES, Choice, choose_views, graph_choice, number_of, read_columns

CHART_ID = "result-view"
LABELLED_IRIS = 500  # the labels of at most this many distinct IRIs are looked up for one page
DRAWN_ROWS = {"bar": 60, "line": 1000, "timeline": 300}  # a taller chart is no longer read as one
GRAPH_NODES = 40  # a network of more nodes is a tangle; the table lists every triple
CHART_TITLES = {"bar": "{y} per {x}", "line": "{y} over {x}", "timeline": "{label} by {date}"}
NAME_PREDICATES = (RDFS_LABEL, SKOS + "prefLabel")
NEEDS = {
    "bar": "a name or IRI column and a number column with no value below zero",
    "line": "a date, month or year column with one row per date and a number column with no value below zero",
    "timeline": "a date, month or year column and a name or IRI column",
    "graph": "a CONSTRUCT or DESCRIBE query",
}
LinkFor = Callable[[str], str]  # the page's URL showing a view


@dataclass(frozen=True)
class ViewLink:
    """An entry of the view switcher: a link, so switching works without JavaScript."""

    name: str
    title: str
    href: str
    current: bool


class Statement(NamedTuple):
    """A triple of a CONSTRUCT or DESCRIBE answer (an RDF-star triple term has no place in a drawing)."""

    subject: Term
    predicate: pyoxigraph.NamedNode
    object: Term


def read_statements(turtle: bytes) -> list[Statement]:
    """The triples of an answer in Turtle, in its order, leaving out those about or with triple terms."""
    try:
        quads = list(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE))
    except SyntaxError:  # a remote engine's malformed answer: the page still shows its text
        return []
    return [
        Statement(q.subject, q.predicate, q.object)
        for q in quads
        if not isinstance(q.subject, pyoxigraph.Triple) and not isinstance(q.object, pyoxigraph.Triple)
    ]


class ResultNamer:
    """Names the terms of one answer: an IRI by its label, or its prefixed form where it has none."""

    def __init__(self, store: SparqlStore, base: str, terms: list[Term], known: dict[str, str] | None = None) -> None:
        """`known`: names the answer itself gives, by term in N-Triples form (a graph's own labels)."""
        self.base, self.prefixes, self.known = base, prefixes_for(base), known or {}
        iris = [t.value for t in terms if isinstance(t, pyoxigraph.NamedNode) and str(t) not in self.known]
        self.labels = _labels_or_none(store, list(dict.fromkeys(iris))[:LABELLED_IRIS])

    def cell(self, term: Term) -> TermView:
        """A table cell: an IRI shows its label (or prefixed form) and keeps the IRI as its value."""
        view = term_view(term, self.base)
        return replace(view, text=self.name(term)) if view.kind == "iri" else view

    def name(self, term: Term) -> str:
        if str(term) in self.known:
            return self.known[str(term)]
        if isinstance(term, pyoxigraph.NamedNode):
            return self.labels.get(term.value) or compact_iri(term.value, self.prefixes)
        return term_view(term, self.base).text


def _labels_or_none(store: SparqlStore, iris: list[str]) -> dict[str, str]:
    """The labels of `iris`; none when the store cannot answer now (the page then shows prefixed names)."""
    try:
        return labels_of(store, iris)
    except StoreError:
        return {}


def iri_key(column: str) -> str:
    """Where a chart record keeps the IRI of a column that is shown by its name."""
    return f"{column} IRI"


def select_views(
    names: list[str], rows: list[list[Term | None]], requested: str | None, namer: ResultNamer, link_for: LinkFor
) -> dict:
    """The table of a SELECT answer and, when the view shown is a chart, its SVG."""
    choice = choose_views(read_columns(names, rows), len(rows))
    shown, notes = shown_view(choice, requested)
    page: dict = {"columns": names, **_switcher(choice, shown, link_for)}
    if shown == "table":
        page["rows"] = [[namer.cell(term) if term is not None else None for term in row] for row in rows]
    else:
        records = [_record(names, row, namer) for row in rows]
        page["chart_svg"], drawing_notes = _draw(shown, dict(choice.hints[shown]), records, namer.base)
        notes += drawing_notes
    return {**page, "view_notes": notes}


def _record(names: list[str], row: list[Term | None], namer: ResultNamer) -> dict:
    """A row as a chart reads it: numbers as numbers, dates as their lexical form, IRIs by name."""
    record: dict[str, object] = {}
    for name, term in zip(names, row, strict=True):
        if term is None:
            continue
        number = number_of(term)
        record[name] = (
            number if number is not None else (namer.name(term) if isinstance(term, pyoxigraph.NamedNode) else term.value)
        )
        if isinstance(term, pyoxigraph.NamedNode):
            record[iri_key(name)] = term.value
    return record


def _draw(view: str, hint: dict, records: list[dict], base: str) -> tuple[Markup, list[str]]:
    """The view's SVG (ElementTree escaped every text in it) and notes on the rows left out: those
    without a value the view places (an unbound cell), and those beyond the view's cap."""
    cap = DRAWN_ROWS[view]
    hint = {**hint, "title": CHART_TITLES[view].format(**hint), **({"link": iri_key(hint["link"])} if "link" in hint else {})}
    placed = [hint[key] for key in ("x", "y", "date") if key in hint]
    complete = [r for r in records if all(column in r for column in placed)]
    svg = render_chart(hint, complete[:cap], CHART_ID, href_of=partial(link_to, base=base))
    notes = []
    if len(complete) < len(records):
        missing = " or ".join(placed)
        notes.append(
            f"Not drawn: {len(records) - len(complete)} of {len(records)} rows, which have no {missing}; the table lists them all."
        )
    if len(complete) > cap:
        notes.append(f"Drawn: the first {cap} of {len(complete)} rows; the table lists them all.")
    return Markup(svg), notes


def graph_views(triples: list[Statement], requested: str | None, store: SparqlStore, base: str, link_for: LinkFor) -> dict:
    """A CONSTRUCT or DESCRIBE answer as a network of its subjects and values, or as a table of triples."""
    choice = graph_choice(len(triples))
    shown, notes = shown_view(choice, requested)
    namer = ResultNamer(store, base, [term for t in triples for term in (t.subject, t.predicate, t.object)], _own_names(triples))
    page: dict = {**_switcher(choice, shown, link_for)}
    if shown == "table":
        page["columns"] = ["subject", "predicate", "object"]
        page["rows"] = [[namer.cell(t.subject), namer.cell(t.predicate), namer.cell(t.object)] for t in triples]
    else:
        edges = [t for t in triples if not _is_name(t)] or triples
        drawn, nodes = _bounded(edges)
        page["chart_svg"] = Markup(render_chart(_graph_hint(len(drawn)), [_edge_record(t, namer) for t in drawn], CHART_ID))
        if len(drawn) < len(edges):
            notes.append(
                f"Drawn: {len(drawn)} of {len(edges)} triples ({nodes} nodes; at most {GRAPH_NODES}); the table lists them all."
            )
    return {**page, "view_notes": notes}


def _own_names(triples: list[Statement]) -> dict[str, str]:
    """The names the graph gives its nodes (English, or no language, first), by node in N-Triples form."""
    names: dict[str, str] = {}
    for triple in sorted(
        (t for t in triples if _is_name(t)), key=lambda t: getattr(t.object, "language", None) not in ("en", None)
    ):
        names.setdefault(str(triple.subject), triple.object.value)
    return names


def _is_name(triple: Statement) -> bool:
    return triple.predicate.value in NAME_PREDICATES and isinstance(triple.object, pyoxigraph.Literal)


def _bounded(triples: list[Statement]) -> tuple[list[Statement], int]:
    """The triples, in order, whose two ends fit within GRAPH_NODES nodes, and how many nodes they have."""
    nodes: set[str] = set()
    kept = []
    for triple in triples:
        ends = {str(triple.subject), str(triple.object)}
        if len(nodes | ends) <= GRAPH_NODES:
            nodes |= ends
            kept.append(triple)
    return kept, len(nodes)


def _graph_hint(triples: int) -> dict:
    return {
        "type": "network",
        "source": "subject",
        "target": "object",
        "source_name": "subject name",
        "target_name": "object name",
        "edge": "predicate",
        "title": f"Graph of {triples} triple{'s' if triples != 1 else ''}",
        "source_title": "Subjects",
        "target_title": "Values",
    }


def _edge_record(triple: Statement, namer: ResultNamer) -> dict:
    """A triple as the network reads it: node identities (terms in N-Triples form) and their names."""
    return {
        "subject": str(triple.subject),
        "object": str(triple.object),
        "subject name": namer.name(triple.subject),
        "object name": namer.name(triple.object),
        "predicate": compact_iri(triple.predicate.value, namer.prefixes),
    }


def shown_view(choice: Choice, requested: str | None) -> tuple[str, list[str]]:
    """The requested view where it fits; else the table, with a note that says why."""
    if requested is None:
        return choice.default, []
    if requested in choice.hints:
        return requested, []
    note = f"The {VIEW_TITLES[requested].lower()} view does not fit this result (it needs {NEEDS[requested]}): shown as a table."
    return "table", [note]


def _switcher(choice: Choice, shown: str, link_for: LinkFor) -> dict:
    """The view links, in a fixed order, when there is more than one view to switch between."""
    offered = [name for name in VIEW_TITLES if name in choice.hints]
    links = [ViewLink(name, VIEW_TITLES[name], link_for(name), name == shown) for name in offered]
    return {"view": shown, "views": links if len(links) > 1 else []}
