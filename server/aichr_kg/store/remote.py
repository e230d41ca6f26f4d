"""A SparqlStore over a remote SPARQL 1.1 engine (Oxigraph server, Virtuoso, Fuseki, QLever), with the
promises of the embedded store.

- Nothing the embedded store would refuse is forwarded: the text sent is composed first (BASE and
  PREFIX lines, the query, parameters as one VALUES block of N-Triples terms first inside the WHERE
  group, see values_placement.py), its codepoint escapes applied, and that very text is checked for
  SERVICE and engine extensions (`guard.refuse_federation`) and parsed as a query on an empty
  in-memory store (an update does not parse), as `local.run_on_store` does, once its nesting is
  bounded (`nesting.refuse_deep_nesting`): the parse runs in the HTTP worker, which a stack
  overflow would kill.
- The dataset is sent explicitly, never left to an engine flag: a request that names no graphs
  gets every graph of the publication as default-graph-uri (the default graph is their union) and
  as named-graph-uri (GRAPH ?g sees them, and not the publication record); one that names only
  default graphs keeps every graph available to GRAPH, as pyoxigraph does. A query with FROM or
  FROM NAMED of its own gets the request's graphs written into those clauses (dataset_clauses.py).
- A client-side deadline bounds the whole request (see connections.py), beside the engine's own
  timeout (`oxigraph serve --timeout-s`) and Virtuoso's `timeout` parameter (milliseconds, sent
  with every request: without it a query a client gave up on runs on; Oxigraph ignores it); rows and bytes are cut here, while the answer streams in,
  exactly as the embedded store cuts them; requests in flight are capped as the workers are.
- Virtuoso's spellings (nodeID:// blank nodes, booleans 1/0, partial answers, rows cut by the engine)
  are read as what they mean (see virtuoso.py), on every engine: no other engine sends them. The
  text sent is written so that Virtuoso answers as the embedded store does (virtuoso_text.py).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import time
from collections.abc import Callable
from urllib.parse import urlencode

import pyoxigraph

from aichr_kg.namespaces import prefix_lines
from aichr_kg.store import QueryFailed, QueryRefused, QueryRequest, QueryResult, QueryTimeout, StoreError
from aichr_kg.store.connections import Answer, Credentials, DeadlineReader, EngineConnections, EngineUnavailable
from aichr_kg.store.dataset_clauses import with_dataset
from aichr_kg.store.guard import QueryUnreadable, ServiceRefused, refuse_federation, unescape_codepoints
from aichr_kg.store.local import serialise_results
from aichr_kg.store.nesting import NestingTooDeep, refuse_deep_nesting
from aichr_kg.store.publication import PublishedDataset, published_hash
from aichr_kg.store.values_placement import placements
from aichr_kg.store.virtuoso import (
    PlainSpellings,
    answer_is_partial,
    is_transaction_timeout,
    rows_were_cut,
)
from aichr_kg.store.virtuoso_text import for_virtuoso

RESULTS_JSON, N_TRIPLES = "application/sparql-results+json", "application/n-triples"
ACCEPT = {  # both, the likely one first: the engine answers in the one its result needs, whatever the guess
    "results": f"{RESULTS_JSON}, {N_TRIPLES};q=0.5",
    "rdf": f"{N_TRIPLES}, {RESULTS_JSON};q=0.5",
}
READ_BUFFER_BYTES = 1 << 16
ENGINE_MARGIN_S = 2.0
MISCONFIGURED = {401, 403, 404, 405, 407}  # the front end's URL or credentials are wrong: the client can only wait


class RemoteStore:
    """Forward each request to `endpoint` with the SPARQL 1.1 Protocol (POST, form-encoded)."""

    def __init__(
        self,
        endpoint: str,
        *,
        timeout_s: float,
        connections: int = 2,
        queue_wait_s: float = 2.0,
        credentials: Credentials | None = None,
        published: PublishedDataset | None = None,
    ) -> None:
        self.endpoint, self.timeout_s, self.published = endpoint, timeout_s, published
        self.engine = EngineConnections(endpoint, size=connections, queue_wait_s=queue_wait_s, credentials=credentials)

    def execute(self, request: QueryRequest) -> QueryResult:
        form = self._form(request)
        with self.engine.slot():
            return self._forward(form, request)

    @property
    def busy(self) -> int:
        """Requests in flight to the engine now (for /metrics)."""
        return self.engine.busy

    def status(self) -> dict:
        """Whether the engine answers, how fast, and which build it holds; outside the cap on requests
        in flight, so a busy front end still reports on its engine."""
        started = time.monotonic()
        base = {"kind": "remote", "endpoint": self.endpoint}
        try:
            published = self._published_hash()
        except StoreError as error:
            return {**base, "reachable": False, "reason": str(error), "degraded": True}
        latency_ms = round((time.monotonic() - started) * 1000, 2)
        state = {**base, "reachable": True, "latency_ms": latency_ms, "published_hash": published}
        serving = self.published.dataset_hash if self.published else None
        if serving and published != serving:
            return {**state, "degraded": True, "reason": f"serving {serving[:12]}, the store holds {str(published)[:12]}"}
        return {**state, "degraded": False}

    def close(self) -> None:
        self.engine.close()

    def _published_hash(self) -> str | None:
        """The hash the engine holds now (None without a publication to compare with: then only whether it answers)."""
        probe = _Probe(self)
        if self.published is None:
            probe.execute(QueryRequest.liveness_probe())
            return None
        return published_hash(probe, self.published.base)

    def _form(self, request: QueryRequest) -> bytes:
        if request.inspected.has_dataset_clause:  # the dataset goes in the query's own clauses (dataset_clauses.py)
            dataset = functools.partial(with_dataset, default_graphs=request.default_graphs, named_graphs=request.named_graphs)
            return urlencode([("query", checked_text(request, lambda query: for_virtuoso(dataset(query))))]).encode()
        return urlencode([("query", checked_text(request, for_virtuoso)), *self._dataset(request)]).encode()

    def _dataset(self, request: QueryRequest) -> list[tuple[str, str]]:
        """default-graph-uri and named-graph-uri as the embedded store reads the request (see the module's docstring)."""
        every = self.published.graphs if self.published else ()
        named = request.named_graphs or every
        default = request.default_graphs or (() if request.named_graphs else every)
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def _forward(self, form: bytes, request: QueryRequest) -> QueryResult:
        headers = {"Accept": ACCEPT[request.inspected.kind], "Content-Type": "application/x-www-form-urlencoded"}
        engine_limit = urlencode([("timeout", str(round(engine_budget_s(self.timeout_s) * 1000)))]).encode()
        with self.engine.post(form + b"&" + engine_limit, headers, time.monotonic() + self.timeout_s) as answer:
            if answer.status != 200:
                raise _refusal(answer)
            if answer_is_partial(answer.headers):
                raise QueryTimeout("the remote store stopped the query at its own time limit (a partial answer)")
            result = _read_results(answer, request)
            return dataclasses.replace(result, truncated=True) if rows_were_cut(answer.headers) else result


def engine_budget_s(timeout_s: float) -> float:
    """The time limit given to the engine: Virtuoso stops about a second after its `timeout`, and its
    partial answer must arrive before the client's deadline, or the query is cut off unexplained."""
    return max(timeout_s / 2, timeout_s - ENGINE_MARGIN_S)


class _Probe:
    """The store's own probes, sent beside the requests in flight rather than queued behind them."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def execute(self, request: QueryRequest) -> QueryResult:
        return self.store._forward(self.store._form(request), request)

    def status(self) -> dict:
        return {}

    def close(self) -> None:
        """The probes use the store's connections, which the store closes."""


def checked_text(request: QueryRequest, rewrite: Callable[[str], str] = str) -> str:
    """The text to send, composed, unescaped and rewritten, once the embedded store's checks pass on that very text."""
    try:
        query = rewrite(unescape_codepoints(_prologue(request) + request.text))
        terms = tuple((variable, unescape_codepoints(term)) for variable, term in request.substitutions)
        candidates = placements(query, terms)
        for candidate in candidates:  # parsed here, in the HTTP worker: a deep nest would overflow its stack
            refuse_deep_nesting(candidate)
        text = _first_that_parses(candidates)
        refuse_federation(text, _parse_on_empty_store)
        _parse_on_empty_store(text)  # only a query parses: an update is a SyntaxError here
    except ServiceRefused as error:
        raise QueryRefused(str(error)) from None
    except (SyntaxError, QueryUnreadable, NestingTooDeep) as error:
        raise QueryFailed(str(error), syntax=True) from None
    return text


def _first_that_parses(candidates: list[str]) -> str:
    """The first text the parser accepts, else the last (whose SyntaxError the checks then report)."""
    for candidate in candidates[:-1]:
        try:
            _parse_on_empty_store(candidate)
            return candidate
        except SyntaxError:
            continue
    return candidates[-1]


def _parse_on_empty_store(text: str) -> object:
    return pyoxigraph.Store().query(text)


def _read_results(answer: Answer, request: QueryRequest) -> QueryResult:
    """Parse the answer as it streams in, and stop reading once the request's caps are reached."""
    stream = io.BufferedReader(PlainSpellings(answer.body), READ_BUFFER_BYTES)
    media_type = answer.content_type.split(";")[0].strip().lower()
    try:
        if media_type == N_TRIPLES:
            triples = (quad.triple for quad in pyoxigraph.parse(stream, format=pyoxigraph.RdfFormat.N_TRIPLES))
            return serialise_results(triples, request)
        if media_type == RESULTS_JSON:
            return serialise_results(pyoxigraph.parse_query_results(stream, format=pyoxigraph.QueryResultsFormat.JSON), request)
    except (SyntaxError, EngineUnavailable) as error:
        raise _broken_off(answer.body, error) from None
    raise QueryFailed(
        f"the remote store answered in {media_type or 'an unnamed format'}, not SPARQL JSON or N-Triples", syntax=False
    )


def _broken_off(body: DeadlineReader, error: Exception) -> Exception:
    """An answer that stopped half-way: the engine's own timeout (Oxigraph writes it into the body), or a failure."""
    if b"cancel" in body.tail.lower():
        return QueryTimeout("the remote store stopped the query at its own time limit")
    return EngineUnavailable(f"the remote store broke off its answer: {error}")


def _refusal(answer: Answer) -> Exception:
    """The exception an error status stands for: a query error (400), the front end misconfigured or the engine down (503)."""
    message = answer.body.error_text()
    if answer.status == 400:
        return QueryFailed(message, syntax=True)
    if "cancel" in message.lower() or is_transaction_timeout(message):
        return QueryTimeout("the remote store stopped the query at its own time limit")
    if answer.status in MISCONFIGURED or answer.status >= 500:
        return EngineUnavailable(f"the remote store answered {answer.status}: {message[:300]}")
    return QueryFailed(message, syntax=False)


def _prologue(request: QueryRequest) -> str:
    """BASE, so that relative IRIs do not resolve against the remote endpoint's URL, and PREFIX lines.

    The base goes through NamedNode, which refuses what is not an IRI (a `>` would end it early).
    """
    base = f"BASE {pyoxigraph.NamedNode(request.base_iri)}\n" if request.base_iri else ""
    return base + prefix_lines(request.prefixes)
