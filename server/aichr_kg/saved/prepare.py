"""One preparation of a saved query, shared by the CLI and the API: bind, enumerate, check.

Both call `prepare`, so the CLI refuses what the API refuses, with the same message. The checks
that need the graph (an IRI must be one of its resources, an enumeration is read from it) go
through a `SavedStore`, the one place that knows a query's allowed values; it reads them once per
query, as the dataset of an open store does not change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph

from aichr_kg.saved.catalog import SavedQuery
from aichr_kg.saved.parameters import Parameter, ParameterError, bind_parameters, check_choice
from aichr_kg.saved.results import Answer, run_query, run_saved_query
from aichr_kg.store import QueryFailed, QueryRequest, SparqlStore
from aichr_kg.store.guard import blank_lexemes

ENUMERATION_ROWS = 100_000  # enumerations read the whole unparameterised answer, whatever the page limits
EXISTS = "ASK { { ?value ?property ?object } UNION { ?subject ?property ?value } }"
_SELECT = re.compile(r"(?i)\bSELECT\b")


@dataclass(frozen=True)
class PreparedQuery:
    """A saved query with checked bindings {variable: N-Triples term}; `allowed` is what its form offers."""

    query: SavedQuery
    bindings: dict[str, str]
    allowed: dict[str, list[str]]


@dataclass
class SavedStore:
    """A store as saved queries see it: its dataset's base IRI, and each query's allowed values once read."""

    store: SparqlStore
    base: str
    _allowed: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def allowed(self, query: SavedQuery) -> dict[str, list[str]]:
        """The values each enumerated parameter may take: the decorator's list, or else the values the
        parameter's column takes in the answer when no parameter is given (what has answers)."""
        if query.name not in self._allowed:
            self._allowed[query.name] = self._enumerate(query)
        return self._allowed[query.name]

    def holds(self, term: str) -> bool:
        """Whether the graph has the IRI `term` (`<...>`) as a subject or an object."""
        result = self.store.execute(QueryRequest.internal(EXISTS, {"value": term}))
        return bool(pyoxigraph.parse_query_results(result.body, format=pyoxigraph.QueryResultsFormat.JSON))

    def answer(self, prepared: PreparedQuery, *, max_rows: int) -> Answer:
        """The prepared query's answer under its output column names."""
        return run_saved_query(self.store, prepared.query, prepared.bindings, base=self.base, max_rows=max_rows)

    def _enumerate(self, query: SavedQuery) -> dict[str, list[str]]:
        """The declared lists, and the values the other enumerated columns take, read in one query of
        those columns alone: an engine sends their few hundred distinct rows instead of every row of
        the answer (Virtuoso takes seconds to write thousands)."""
        variable_of = dict(zip(query.columns, query.variables, strict=True))
        from_graph = [variable_of[name] for name, values in query.enumerated.items() if values is None]
        text = distinct_values(query.text_for(self.base), from_graph) if from_graph else ""
        rows = run_query(self.store, text, max_rows=ENUMERATION_ROWS).rows if from_graph else ()
        return {
            name: values
            if values is not None
            else sorted({row[variable_of[name]]["value"] for row in rows if variable_of[name] in row})
            for name, values in query.enumerated.items()
        }


def distinct_values(text: str, variables: list[str]) -> str:
    """The SELECT `text` as a subquery of `SELECT DISTINCT` of `variables`, its prologue kept in front."""
    select = _SELECT.search(blank_lexemes(text))
    if select is None:
        raise ValueError("only a SELECT query has columns to enumerate")
    projection = " ".join(f"?{variable}" for variable in variables)
    return f"{text[: select.start()]}SELECT DISTINCT {projection} WHERE {{\n{text[select.start() :]}\n}}"


def prepare(query: SavedQuery, given: Mapping[str, str], store: SavedStore) -> PreparedQuery:
    """Bind named text values to typed terms, then refuse IRIs the graph does not hold and values
    outside an enumeration; ParameterError says what was expected."""
    bindings = bind_parameters(query.parameters, given, query.defaults)
    allowed = store.allowed(query)
    for parameter in query.parameters:
        term = bindings.get(parameter.variable)
        if term is not None:
            _check_in_graph(store, parameter, term)
            check_choice(parameter, term, allowed.get(parameter.name))
    return PreparedQuery(query, bindings, allowed)


def _check_in_graph(store: SavedStore, parameter: Parameter, term: str) -> None:
    """An IRI value must be a resource of the graph; a value the engine refuses is the client's error, not ours."""
    if parameter.kind != "iri":
        return
    try:
        held = store.holds(term)
    except QueryFailed as error:
        raise ParameterError(
            f"parameter {parameter.name!r} must be {parameter.expected}; the store refused {term}: {error}"
        ) from None
    if not held:
        raise ParameterError(f"parameter {parameter.name!r} must be {parameter.expected}; {term} is not in it")
