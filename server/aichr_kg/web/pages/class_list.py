"""The list page of one class: every instance (inferred types included) in a table whose columns
come from the class's layout, sortable by any column with ?sort=<column>&order=asc|desc.

One query fetches the instances, their names, asserted types and the column values with the
names of the resources they link to; sorting happens in Python, so no user input reaches SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph

from aichr_kg.dataset.ontology import Ontology
from aichr_kg.namespaces import XSD, graph_iri, local_name, sparql_prologue, with_graph
from aichr_kg.readable import format_literal, format_money
from aichr_kg.store import SparqlStore, Term
from aichr_kg.store.paging import select_all
from aichr_kg.web.pages.layouts import layout_for
from aichr_kg.web.pages.naming import Namer
from aichr_kg.web.pages.resource_view import ValueView
from aichr_kg.web.pages.terms import link_to, local_path

INSTANCES = """
SELECT ?class ?x ?label ?type ?p ?v ?vlabel ?amount ?currency WHERE {{
  ?x a ?class .
  FILTER(isIRI(?x))
  OPTIONAL {{ ?x rdfs:label ?label FILTER(lang(?label) IN ("en", "")) }}
  OPTIONAL {{ GRAPH ?g {{ ?x a ?type }} FILTER(?g != $inferred) }}
  OPTIONAL {{
    VALUES ?p {{ {predicates} }}
    ?x ?p ?v .
    OPTIONAL {{ ?v rdfs:label ?vlabel FILTER(lang(?vlabel) IN ("en", "")) }}
    OPTIONAL {{ ?v aj:amount ?amount ; aj:currency ?currency }}
  }}
}} ORDER BY ?x ?label ?type ?p ?v ?vlabel ?amount ?currency"""
NUMERIC = (XSD + "decimal", XSD + "integer")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    predicates: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    values: tuple[ValueView, ...]
    sort_key: tuple


@dataclass(frozen=True)
class Row:
    href: str
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ClassList:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    sort: str
    descending: bool


def columns_for(class_iri: str, ontology: Ontology, namer: Namer, base: str) -> tuple[Column, ...]:
    """Name, then Type when the class has subclasses, then the layout's columns."""
    layout = layout_for([class_iri, *ontology.ancestors(class_iri)], base)
    columns = [Column("name", "Name", ())]
    if ontology.terms[class_iri].children:
        columns.append(Column("type", "Type", ()))
    for group in layout.columns:
        columns.append(Column(ontology.local_name(group[0]) or local_name(group[0]), namer.name(group[0]), group))
    return tuple(columns)


def class_list(
    store: SparqlStore, class_iri: str, columns: tuple[Column, ...], namer: Namer, base: str, sort: str, descending: bool
) -> ClassList:
    """Every instance of `class_iri` as table rows, sorted by the column `sort` (default: name)."""
    predicates = " ".join(f"<{p}>" for c in columns for p in c.predicates)
    rows = select_all(
        store,
        sparql_prologue(base) + with_graph(INSTANCES.format(predicates=predicates), graph_iri(base, "inferred")),
        {"class": f"<{class_iri}>"},
    )
    table = [_row(iri, found, columns, namer, base) for iri, found in _by_instance(rows).items()]
    keys = [c.key for c in columns]
    sort = sort if sort in keys else "name"
    index = keys.index(sort)
    filled = sorted(
        (r for r in table if r.cells[index].values),
        key=lambda r: (r.cells[index].sort_key, r.name.casefold()),
        reverse=descending,
    )
    empty = sorted((r for r in table if not r.cells[index].values), key=lambda r: r.name.casefold())
    return ClassList(namer.name(class_iri), columns, tuple(filled + empty), sort, descending)


def _by_instance(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["x"].value, []).append(row)
    return grouped


def _row(iri: str, rows: list[dict], columns: tuple[Column, ...], namer: Namer, base: str) -> Row:
    name = next((r["label"].value for r in rows if "label" in r), namer.name(iri))
    cells = []
    for column in columns:
        if column.key == "name":
            cells.append(Cell((ValueView(name, link_to(iri, base) or None),), (name.casefold(),)))
        elif column.key == "type":
            types = sorted({r["type"].value for r in rows if "type" in r})
            views = tuple(ValueView(namer.name(t), local_path(t, base)) for t in types)
            cells.append(Cell(views, tuple(v.text.casefold() for v in views)))
        else:
            cells.append(_cell(rows, column.predicates, base))
    return Row(local_path(iri, base) or iri, name, tuple(cells))


def _cell(rows: list[dict], predicates: tuple[str, ...], base: str) -> Cell:
    """The values of the first predicate of the group that the instance has."""
    for predicate in predicates:
        found = {r["v"]: r for r in rows if r.get("p") is not None and r["p"].value == predicate}
        if found:
            pairs = sorted((_view(value, row, base) for value, row in found.items()), key=lambda pair: pair[1])
            return Cell(tuple(view for view, _ in pairs), pairs[0][1])
    return Cell((), ())


def _view(value: Term, row: dict, base: str) -> tuple[ValueView, tuple]:
    """A cell value and its sort key: amounts and numbers by value, dates by ISO text, names by letters."""
    if isinstance(value, pyoxigraph.Literal):
        datatype = value.datatype.value if value.datatype else None
        return ValueView(format_literal(value.value, datatype)), _sort_key(value.value, datatype)
    if "amount" in row:
        amount = row["amount"]
        text = format_money(amount.value, row["currency"].value)
        return ValueView(text, local_path(value.value, base)), _sort_key(amount.value, XSD + "decimal")
    name = row["vlabel"].value if "vlabel" in row else local_name(value.value)
    external = local_path(value.value, base) is None
    return ValueView(name, link_to(value.value, base) or None, external=external), (1, name.casefold())


def _sort_key(value: str, datatype: str | None) -> tuple:
    if datatype in NUMERIC:
        try:
            return (0, Decimal(value))
        except InvalidOperation:
            pass
    return (1, value.casefold())
