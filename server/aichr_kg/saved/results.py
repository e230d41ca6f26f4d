"""A saved query's answer as a table, and that table as records, CSV or SPARQL results JSON.

The answer is read from the engine's SPARQL JSON, so the values keep their datatypes: records
carry integers as integers and xsd:decimal amounts as exact decimals (never via float).
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, replace
from decimal import Decimal

import pyoxigraph

from aichr_kg.namespaces import XSD
from aichr_kg.saved.catalog import SavedQuery
from aichr_kg.store import QueryRequest, SparqlStore, Term

INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


RecordValue = int | Decimal | float | bool | str | None  # a SPARQL JSON term as plain data


@dataclass(frozen=True)
class Answer:
    """Rows of SPARQL JSON terms keyed by column; `total` counts every row, `rows` may be one page."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, dict], ...]
    total: int
    truncated: bool = False

    def page(self, number: int, size: int) -> Answer:
        """Rows of page `number` (from 1) of `size` rows; `total` stays the whole answer's."""
        return replace(self, rows=self.rows[(number - 1) * size : number * size])

    def last_page(self, size: int) -> int:
        return max(1, math.ceil(self.total / size))


def run_query(
    store: SparqlStore,
    text: str,
    bindings: dict[str, str] | None = None,
    *,
    max_rows: int,
    names: dict[str, str] | None = None,
    prefixes: tuple[tuple[str, str], ...] = (),
) -> Answer:
    """Execute a SELECT with the engine substituting `bindings`; `names` renames variables to columns."""
    request = QueryRequest.internal(text, bindings, max_rows=max_rows, prefixes=prefixes)
    result = store.execute(request)
    document = json.loads(result.body)
    names = names or {v: v for v in document["head"]["vars"]}
    rows = tuple({names[v]: term for v, term in row.items() if v in names} for row in document["results"]["bindings"])
    return Answer(tuple(names.values()), rows, len(rows), result.truncated)


def run_saved_query(store: SparqlStore, query: SavedQuery, bindings: dict[str, str], *, base: str, max_rows: int) -> Answer:
    """A saved query's answer under its output column names, for a dataset minted under `base`."""
    names = dict(zip(query.variables, query.columns, strict=True))
    return run_query(store, query.text_for(base), bindings, max_rows=max_rows, names=names)


def python_value(term: dict[str, str] | None) -> RecordValue:
    """A plain value for a record: int, Decimal, float, bool or str (IRIs and other literals as text)."""
    if term is None:
        return None
    datatype, value = term.get("datatype"), term["value"]
    if term["type"] == "bnode":
        return "_:" + value
    if datatype in INTEGER_TYPES:
        return int(value)
    if datatype == XSD + "decimal":
        return Decimal(value)
    if datatype in (XSD + "double", XSD + "float"):
        number = float(value)
        return number if math.isfinite(number) else value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def records(answer: Answer) -> list[dict[str, RecordValue]]:
    """One dict per row, every column present (None where unbound)."""
    return [{column: python_value(row.get(column)) for column in answer.columns} for row in answer.rows]


def records_json(answer: Answer) -> str:
    """The records as a JSON array; decimals are written digit for digit, not through float."""
    lines = (
        "{" + ", ".join(f"{json.dumps(key)}: {_json_scalar(value)}" for key, value in record.items()) + "}"
        for record in records(answer)
    )
    return "[\n" + ",\n".join(lines) + "\n]\n"


def _json_scalar(value: RecordValue) -> str:
    return format(value, "f") if isinstance(value, Decimal) else json.dumps(value, ensure_ascii=False)


def csv_text(answer: Answer) -> str:
    """A header row of column names, then lexical values (IRIs in full); unbound cells are empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(answer.columns)
    for row in answer.rows:
        writer.writerow([row[c]["value"] if c in row else "" for c in answer.columns])
    return out.getvalue()


def sparql_json(answer: Answer) -> str:
    """The rows in the SPARQL 1.1 Query Results JSON Format."""
    return json.dumps({"head": {"vars": list(answer.columns)}, "results": {"bindings": list(answer.rows)}}, ensure_ascii=False)


def to_term(term: dict[str, str]) -> Term:
    """A pyoxigraph term from its SPARQL JSON form (for the pages' term rendering)."""
    if term["type"] == "uri":
        return pyoxigraph.NamedNode(term["value"])
    if term["type"] == "bnode":
        return pyoxigraph.BlankNode(term["value"])
    if "xml:lang" in term:
        return pyoxigraph.Literal(term["value"], language=term["xml:lang"])
    return pyoxigraph.Literal(term["value"], datatype=pyoxigraph.NamedNode(term.get("datatype", XSD + "string")))
