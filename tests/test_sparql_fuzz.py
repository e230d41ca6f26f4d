"""Generated hostile input for /sparql: whatever arrives, the answer is a clear 2xx/4xx, never a 5xx."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import generated_examples

pytestmark = pytest.mark.slow  # real processes killed, built or fuzzed: the full suite runs them

SPARQL_PIECES = st.sampled_from(
    [
        "SELECT",
        "*",
        "WHERE",
        "{",
        "}",
        "?s",
        "?p",
        "?o",
        ".",
        "FILTER(",
        ")",
        "<urn:x>",
        '"lit"',
        "aj:Project",
        "PREFIX",
        "ASK",
        "CONSTRUCT",
        "GRAPH",
        "OPTIONAL",
        "UNION",
        "LIMIT",
        "1",
        "#",
        "\n",
        "SERVICE",
        "VALUES",
        "'",
        "\\",
    ]
)
QUERIES = st.one_of(st.text(max_size=300), st.lists(SPARQL_PIECES, max_size=25).map(" ".join))
ACCEPTS = st.one_of(
    st.none(), st.text(max_size=60), st.sampled_from(["text/csv;q=abc", "*/*;q=0", "application/*", ",,,", "text/turtle;q=1.5"])
)
FUZZ = settings(max_examples=generated_examples(120), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _headers(accept):
    """Any Accept value an HTTP client can send (latin-1, one line, no surrounding blanks)."""
    if accept is None:
        return {}
    value = accept.encode("latin-1", "replace").decode("latin-1").replace("\n", " ").replace("\r", " ").strip()
    return {"Accept": value} if value else {}


@FUZZ
@given(query=QUERIES, accept=ACCEPTS)
def test_generated_queries_never_cause_a_server_error(server, query, accept):
    response = requests.post(server.url + "/sparql", data={"query": query}, headers=_headers(accept), timeout=30)
    assert response.status_code < 500 or response.status_code == 503, response.text
    assert "Traceback" not in response.text


@FUZZ
@given(
    body=st.binary(max_size=500),
    content_type=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded", "text/plain", ""]),
)
def test_generated_bodies_never_cause_a_server_error(server, body, content_type):
    response = requests.post(server.url + "/sparql", data=body, headers={"Content-Type": content_type}, timeout=30)
    assert response.status_code < 500 or response.status_code == 503, response.text


@FUZZ
@given(graph=st.text(max_size=100))
def test_generated_graph_parameters_never_cause_a_server_error(server, graph):
    response = requests.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": graph}, timeout=30)
    assert response.status_code in (200, 400), response.text
