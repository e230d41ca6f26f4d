"""Queries run on a pyoxigraph store opened in this process: checked, executed, cut at the limits, serialised.

The worker processes and the CLI both execute through `run_on_store`, so every execution passes the
same nesting bound and federation check on the very text the engine runs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from pyoxigraph import QueryResultsFormat

from aichr_kg.errors import BuildMissingError
from aichr_kg.formats import BY_NAME, Format, in_memory
from aichr_kg.namespaces import XSD
from aichr_kg.store import QueryFailed, QueryRefused, QueryRequest, QueryResult, Term
from aichr_kg.store.guard import QueryUnreadable, ServiceRefused, refuse_federation, unescape_codepoints
from aichr_kg.store.nesting import NestingTooDeep, refuse_deep_nesting


class LocalStore:
    """The SparqlStore interface over a store opened read-only in this process (the CLI, tests)."""

    def __init__(self, path: Path) -> None:
        if not path.is_dir():
            raise BuildMissingError(f"no built store at {path}: run `aichr-kg build` first")
        self.store = pyoxigraph.Store.read_only(str(path))

    def execute(self, request: QueryRequest) -> QueryResult:
        return run_on_store(self.store, request)

    def status(self) -> dict:
        return {"kind": "in-process", "degraded": False}

    def close(self) -> None:
        """Nothing to release beyond what garbage collection closes."""


def run_on_store(store: pyoxigraph.Store, request: QueryRequest, *, federation_check: bool = True) -> QueryResult:
    """Execute a request on an open pyoxigraph store and serialise at most `max_rows` results.

    Every execution passes the federation check (QueryRefused, a QueryFailed) on the very text the engine runs;
    only a test of the network sandbox switches it off. The default graph is the union of all
    graphs unless the request or the query names a dataset (SPARQL 1.1 Protocol §2.1.4: then the
    default graph is only what was named, possibly empty).
    """
    try:
        text = unescape_codepoints(request.text)
        refuse_deep_nesting(text)  # before any parser: a deep nest overflows the parser's stack
        prefixes, base_iri = dict(request.prefixes) or None, request.base_iri
        if federation_check:
            refuse_federation(text, lambda copy: pyoxigraph.Store().query(copy, prefixes=prefixes, base_iri=base_iri))
        names_dataset = request.default_graphs or request.named_graphs or request.inspected.has_dataset_clause
        results = store.query(
            text,
            prefixes=prefixes,
            base_iri=base_iri,
            use_default_graph_as_union=not names_dataset,
            default_graph=[pyoxigraph.NamedNode(g) for g in request.default_graphs] or None,
            named_graphs=[pyoxigraph.NamedNode(g) for g in request.named_graphs] or None,
            substitutions={pyoxigraph.Variable(k): parse_term(v) for k, v in request.substitutions} or None,
        )
        return serialise_results(results, request)
    except ServiceRefused as error:
        raise QueryRefused(str(error)) from None
    except (SyntaxError, QueryUnreadable, NestingTooDeep) as error:
        raise QueryFailed(str(error), syntax=True) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryFailed(str(error), syntax=False) from None


def parse_term(ntriples: str) -> Term:
    """One RDF term from its N-Triples spelling (<iri>, "lit"^^<dt>, "lit"@en)."""
    triple = next(iter(pyoxigraph.parse(f"<urn:s> <urn:p> {ntriples} .", format=pyoxigraph.RdfFormat.N_TRIPLES)))
    return triple.object


def serialise_results(
    results: pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions | Iterable[pyoxigraph.Triple],
    request: QueryRequest,
) -> QueryResult:
    """Serialise a boolean, solutions or triples in the requested format, cut at `max_rows`/`max_bytes`.

    Triples are read only up to the cut (a remote store's stream is not read further).
    The kind of the actual result decides: a format of the other kind is a clear error, not a crash.
    """
    fmt = BY_NAME[request.result_format]
    kind = "results" if isinstance(results, (pyoxigraph.QueryBoolean, pyoxigraph.QuerySolutions)) else "rdf"
    if fmt.kind != kind:
        raise QueryFailed(f"{fmt.name} cannot carry this query's results; ask for a {kind} format", syntax=False)
    if isinstance(results, pyoxigraph.QueryBoolean):
        return QueryResult(in_memory(results.serialize(format=fmt.results_format)), fmt.name, rows=1)
    if isinstance(results, pyoxigraph.QuerySolutions):
        return _serialise_solutions(results, request, fmt)
    triples: list[pyoxigraph.Triple] = []
    size, truncated = 0, False
    for triple in results:
        size += len(str(triple))
        if len(triples) == request.max_rows or size > request.max_bytes:
            truncated = True
            break
        triples.append(triple)
    return QueryResult(_serialise_triples(triples, fmt), fmt.name, len(triples), truncated)


def _serialise_triples(triples: list[pyoxigraph.Triple], fmt: Format) -> bytes:
    if fmt.name in ("trig", "nquads"):
        return in_memory(
            pyoxigraph.serialize([pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples], format=fmt.rdf_format)
        )
    return in_memory(pyoxigraph.serialize(triples, format=fmt.rdf_format))


def _serialise_solutions(solutions: pyoxigraph.QuerySolutions, request: QueryRequest, fmt: Format) -> QueryResult:
    """Cut at the limits by writing SPARQL JSON ourselves, then let pyoxigraph convert to `fmt`."""
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, dict]] = []
    size, truncated = 0, False
    for solution in solutions:
        row = {n: _json_term(solution[n]) for n in names if solution[n] is not None}
        size += sum(len(cell["value"]) + 40 for cell in row.values())
        if len(rows) == request.max_rows or size > request.max_bytes:
            truncated = True
            break
        rows.append(row)
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": rows}}).encode()
    if fmt.name != "json":
        document = in_memory(
            pyoxigraph.parse_query_results(io.BytesIO(document), format=QueryResultsFormat.JSON).serialize(
                format=fmt.results_format
            )
        )
    return QueryResult(document, fmt.name, len(rows), truncated)


def _json_term(term: Term) -> dict:
    """A term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            encoded["datatype"] = term.datatype.value
        return encoded
    return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}
