"""Which result views fit an answer, and which one the page opens with, read from its column types.

The choice looks only at the terms (IRI or literal, and the literal's datatype), never at the
column names, so it holds for any query: a label or IRI column with a number column (none below
zero) is a bar chart, a date column with a number column is a line, dates with names are a timeline, an RDF
graph is a network; anything else is the table, which fits every answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph

from aichr_kg.dataset.statistics import calendar_date
from aichr_kg.namespaces import XSD
from aichr_kg.saved.results import python_value
from aichr_kg.store import Term

VIEW_TITLES = {"table": "Table", "bar": "Bar chart", "line": "Line chart", "timeline": "Timeline", "graph": "Graph"}
CALENDAR = {XSD + "date": "date", XSD + "dateTime": "date", XSD + "gYearMonth": "month", XSD + "gYear": "year"}
TEMPORAL = ("date", "month", "year")
PRECISION = {"date": len("2020-01-31"), "month": len("2020-01"), "year": len("2020")}  # a kind's date, as written
NAMING = ("text", "iri")  # the kinds a bar or a timeline row can be named by, best first
Number = int | Decimal | float


@dataclass(frozen=True)
class Column:
    """A column of an answer: its variable, the one kind all its bound values share, whether they all
    differ, and (for numbers) whether any is below zero."""

    name: str
    kind: str  # iri | number | date | month | year | text | blank | mixed | empty
    distinct: bool
    negative: bool = False


@dataclass(frozen=True)
class Choice:
    """The views that fit an answer, each with the columns it draws (a chart hint), and the one shown first."""

    hints: dict[str, dict]
    default: str


def number_of(term: Term | None) -> Number | None:
    """The value of a numeric literal (exact for decimals), else None: what a chart can place on an
    axis, so only a value a float holds (not NaN, nor one too large). Read as a saved query's records
    read their numbers."""
    if not isinstance(term, pyoxigraph.Literal) or term.datatype is None:
        return None
    try:
        value = python_value({"type": "literal", "value": term.value, "datatype": term.datatype.value})
    except (ValueError, InvalidOperation):  # an ill-typed literal ("abc"^^xsd:integer) is not a number
        return None
    if not isinstance(value, int | Decimal | float) or isinstance(value, bool):
        return None
    return value if _finite(value) else None


def _finite(value: Number) -> bool:
    """Whether an axis can place `value`: a 401-digit integer is exact in Python, but no float holds it."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def term_kind(term: Term) -> str:
    """A term's kind; a date, month or year only when it is one of the calendar (else it is text, so a
    `"2020-13"^^xsd:gYearMonth` names a bar rather than breaking a line)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return "iri"
    if isinstance(term, pyoxigraph.BlankNode):
        return "blank"
    if number_of(term) is not None:
        return "number"
    kind = CALENDAR.get(term.datatype.value if term.datatype else "")
    date = calendar_date(term.value) if kind else None
    return kind if kind and date is not None and len(date) == PRECISION[kind] else "text"


def read_columns(names: list[str], rows: list[list[Term | None]]) -> list[Column]:
    """Each column's kind (`mixed` where bound values differ in kind, `empty` where none is bound)."""
    columns = []
    for index, name in enumerate(names):
        bound = [term for row in rows if (term := row[index]) is not None]
        kinds = {term_kind(term) for term in bound}
        kind = kinds.pop() if len(kinds) == 1 else ("empty" if not kinds else "mixed")
        distinct = len({str(term) for term in bound}) == len(bound)
        negative = kind == "number" and any(_below_zero(term) for term in bound)
        columns.append(Column(name, kind, distinct, negative))
    return columns


def _below_zero(term: Term) -> bool:
    number = number_of(term)
    return number is not None and number < 0


def choose_views(columns: list[Column], row_count: int) -> Choice:
    """The views a SELECT answer fits and its default: a line for a series over time, bars for a
    number per distinct name, a timeline for dated names, else the table. Bars and lines measure
    from zero, so they draw only a number column with no value below zero: a negative value is
    shown in the table rather than as a bar or point that would misstate it."""
    hints: dict[str, dict] = {"table": {}}
    if row_count == 0:
        return Choice(hints, "table")
    number = _first([column for column in columns if not column.negative], ("number",))
    naming = _first(columns, NAMING)
    temporal = _first(columns, TEMPORAL)
    category = naming or temporal
    if number and category:
        hints["bar"] = {"type": "bar", "x": category.name, "y": number.name}
    if number and temporal and temporal.distinct and row_count > 1:
        hints["line"] = {"type": "line", "x": temporal.name, "y": number.name}
    if temporal and naming:
        link = _first(columns, ("iri",))
        hints["timeline"] = {
            "type": "timeline",
            "date": temporal.name,
            "label": naming.name,
            **({"link": link.name} if link else {}),
        }
    return Choice(hints, _default(hints, naming, number))


def _default(hints: dict[str, dict], naming: Column | None, number: Column | None) -> str:
    if "line" in hints:
        return "line"
    if "bar" in hints and naming is not None and naming.distinct:
        return "bar"
    if "timeline" in hints and number is None:
        return "timeline"
    return "table"


def graph_choice(triples: int) -> Choice:
    """A CONSTRUCT or DESCRIBE answer: drawn as a graph, listed as a table of triples (only that when empty)."""
    return Choice({"graph": {}, "table": {}}, "graph") if triples else Choice({"table": {}}, "table")


def _first(columns: list[Column], kinds: tuple[str, ...]) -> Column | None:
    """The first column of the first of `kinds` that any column has."""
    return next((column for kind in kinds for column in columns if column.kind == kind), None)
