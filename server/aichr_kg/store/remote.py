"""A SparqlStore over a remote SPARQL 1.1 endpoint, for when the data outgrows one machine.

Oxigraph server, Fuseki, Virtuoso or QLever can stand behind the same interface as the embedded
store. Parameters are sent as a trailing VALUES block of N-Triples terms (the protocol has no
bindings), the base and the prefixes as BASE and PREFIX lines, and rows are capped here exactly
as the embedded store does. A trailing VALUES block joins after the WHERE clause, so a parameter
must be used in a triple pattern (as the saved queries do), not only inside a FILTER, to
constrain the match.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pyoxigraph

from aichr_kg.namespaces import prefix_lines
from aichr_kg.store import QueryFailed, QueryRequest, QueryResult, QueryTimeout, StoreBusy
from aichr_kg.store.local import serialise_results

ACCEPT = {"results": "application/sparql-results+json", "rdf": "application/n-triples"}


class RemoteStore:
    """Forward each request to `endpoint` with the SPARQL 1.1 Protocol (POST, form-encoded)."""

    def __init__(self, endpoint: str, *, timeout_s: float) -> None:
        self.endpoint = endpoint
        self.timeout_s = timeout_s

    def execute(self, request: QueryRequest) -> QueryResult:
        kind = request.inspected.kind
        form = [("query", _with_prologue(request) + _values_block(request))]
        form += [("default-graph-uri", g) for g in request.default_graphs]
        form += [("named-graph-uri", g) for g in request.named_graphs]
        http_request = urllib.request.Request(
            self.endpoint,
            data=urlencode(form).encode(),
            headers={"Accept": ACCEPT[kind], "Content-Type": "application/x-www-form-urlencoded"},
        )
        body = self._fetch(http_request)
        if kind == "rdf":
            return serialise_results(
                [quad.triple for quad in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES)], request
            )
        return serialise_results(
            pyoxigraph.parse_query_results(io.BytesIO(body), format=pyoxigraph.QueryResultsFormat.JSON), request
        )

    def status(self) -> dict:
        return {"kind": "remote", "endpoint": self.endpoint, "degraded": False}

    def close(self) -> None:
        """Nothing to release: each request opens and closes its own connection."""

    def _fetch(self, http_request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout_s) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            message = error.read().decode("utf-8", "replace")[:2000].strip()
            if error.code >= 500:
                raise StoreBusy(f"the remote store answered {error.code}: {message}") from None
            raise QueryFailed(message, syntax=error.code == 400) from None
        except TimeoutError:
            raise QueryTimeout(f"the remote store did not answer within {self.timeout_s:g} s") from None
        except urllib.error.URLError as error:
            raise StoreBusy(f"the remote store could not be reached: {error.reason}") from None


def _with_prologue(request: QueryRequest) -> str:
    """BASE, so that relative IRIs do not resolve against the remote endpoint's URL, and PREFIX lines.

    The base goes through NamedNode, which refuses what is not an IRI (a `>` would end it early).
    """
    base = f"BASE {pyoxigraph.NamedNode(request.base_iri)}\n" if request.base_iri else ""
    return base + prefix_lines(request.prefixes) + request.text


def _values_block(request: QueryRequest) -> str:
    return "".join(f"\nVALUES ?{variable} {{ {term} }}" for variable, term in request.substitutions)
