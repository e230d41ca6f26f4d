"""The one interface the web layer and the CLI query through: requests, results, errors, the protocol.

Implementations live beside it: `local` (in this process), `pool` (killable worker processes,
each a `worker`), `remote` (a SPARQL 1.1 engine); `guard` and `sandbox` keep queries off the network.

`execute(QueryRequest) -> QueryResult` returns serialised bytes, so a remote SPARQL 1.1 store
(Oxigraph server, Fuseki, QLever) can stand behind the same interface by forwarding the request.
`select()` is the convenience the pages use: it asks for SPARQL JSON and reads it back as terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph
from pyoxigraph import QueryResultsFormat

from aichr_kg.config import Limits
from aichr_kg.errors import AichrKgError
from aichr_kg.store.guard import QueryShape, inspect_query

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def as_triple(subject: Term, predicate: Term, value: Term) -> pyoxigraph.Triple:
    """A triple from terms a SELECT bound in subject and predicate position (RDF allows nothing else there)."""
    if isinstance(subject, pyoxigraph.Literal) or not isinstance(predicate, pyoxigraph.NamedNode):
        raise QueryFailed(f"{subject} {predicate} cannot start a triple", syntax=False)
    return pyoxigraph.Triple(subject, predicate, value)


@dataclass(frozen=True)
class QueryRequest:
    """A query and how to run it; plain data so that it crosses a process boundary."""

    text: str
    result_format: str = "json"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: tuple[tuple[str, str], ...] = field(default=())  # (variable, term in N-Triples syntax)
    max_rows: int = 10_000
    max_bytes: int = 50_000_000  # rows past this size are cut like rows past max_rows
    prefixes: tuple[tuple[str, str], ...] = ()  # predeclared, so `aj:Project` works without PREFIX lines
    base_iri: str | None = None  # what relative IRIs (`<s>`) resolve against; without one they are an error
    shape: QueryShape | None = None  # what inspection found; computed once, here, when not given

    def __post_init__(self) -> None:
        if self.shape is None:
            object.__setattr__(self, "shape", inspect_query(self.text))

    @property
    def inspected(self) -> QueryShape:
        """The form and features of the query, inspected once for the whole request."""
        if self.shape is None:  # set by __post_init__; typed optional only so callers may pass one
            raise AssertionError("a QueryRequest is always inspected")
        return self.shape

    @classmethod
    def public(
        cls,
        text: str,
        result_format: str,
        limits: Limits,
        *,
        prefixes: tuple[tuple[str, str], ...],
        base_iri: str,
        default_graphs: tuple[str, ...] = (),
        named_graphs: tuple[str, ...] = (),
        max_rows: int | None = None,
        shape: QueryShape | None = None,
    ) -> QueryRequest:
        """A query from the public: the configured row and byte limits, relative IRIs against `base_iri`."""
        return cls(
            text=text,
            result_format=result_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            max_rows=max_rows or limits.max_result_rows,
            max_bytes=limits.max_result_bytes,
            prefixes=prefixes,
            base_iri=base_iri,
            shape=shape,
        )

    @classmethod
    def internal(
        cls,
        text: str,
        bindings: dict[str, str] | None = None,
        *,
        max_rows: int = 1_000_000,
        prefixes: tuple[tuple[str, str], ...] = (),
        result_format: str = "json",
    ) -> QueryRequest:
        """A query the server (pages, saved queries) or the CLI asks itself: parameters as N-Triples
        terms, no byte cap (the caller bounds the rows)."""
        return cls(
            text=text,
            result_format=result_format,
            substitutions=tuple((bindings or {}).items()),
            max_rows=max_rows,
            max_bytes=2**40,
            prefixes=prefixes,
        )

    @classmethod
    def liveness_probe(cls) -> QueryRequest:
        """The cheapest query there is: whether the store answers at all."""
        return cls(text="ASK {}")


@dataclass(frozen=True)
class QueryResult:
    """Serialised results; `truncated` says rows were cut at `max_rows` or `max_bytes`."""

    body: bytes
    result_format: str
    rows: int
    truncated: bool = False


class StoreError(AichrKgError):
    """Root of what a store raises about one query: failed, timed out, or not taken now."""


class QueryFailed(StoreError):
    """The engine refused or failed the query; `syntax` is True for a parse error (a 400)."""

    def __init__(self, message: str, syntax: bool) -> None:
        super().__init__(message)
        self.syntax = syntax


class QueryRefused(QueryFailed):
    """The query asks for what this endpoint never does (SERVICE): a 403, and never executed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, syntax=False)


class QueryTimeout(StoreError):
    """The query ran past its time budget and was stopped."""


class StoreBusy(StoreError):
    """The store could not take the query now; the client should retry."""


class SparqlStore(Protocol):
    """What the server needs from a store, embedded or remote."""

    def execute(self, request: QueryRequest) -> QueryResult: ...

    def status(self) -> dict:
        """What /health shows of the store; `degraded: True` when it serves below strength."""
        ...

    def close(self) -> None: ...


SELECT_MAX_ROWS = 1_000_000


def select(store: SparqlStore, text: str, bindings: dict[str, str] | None = None) -> list[dict[str, Term]]:
    """All rows of a SELECT as {variable: pyoxigraph term}; bindings are N-Triples terms.

    Never silently partial: a result past SELECT_MAX_ROWS raises QueryFailed.
    """
    request = QueryRequest.internal(text, bindings, max_rows=SELECT_MAX_ROWS)
    result = store.execute(request)
    if result.truncated:
        raise QueryFailed(f"the query has more than {SELECT_MAX_ROWS} rows; page it with LIMIT/OFFSET", syntax=False)
    return rows_of(result)


def rows_of(result: QueryResult) -> list[dict[str, Term]]:
    """The rows of a SELECT answered in SPARQL JSON, as {variable: pyoxigraph term} (unbound ones left out)."""
    solutions = pyoxigraph.parse_query_results(result.body, format=QueryResultsFormat.JSON)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryFailed("the query is an ASK: it has a boolean, not rows", syntax=False)
    names = [v.value for v in solutions.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in solutions]
