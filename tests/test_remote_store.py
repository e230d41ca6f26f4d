"""The store interface over a remote SPARQL 1.1 endpoint: a second server queries the first one."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph

from conftest import RunningServer

AJ = "https://w3id.org/aichr-japan/ontology/"


@pytest.fixture(scope="module")
def fronting(server):
    """A server whose store is the first server's /sparql (as it would be Fuseki or QLever)."""
    running = RunningServer("--store-url", server.url + "/sparql", "--max-result-rows", "7", root=server.root)
    yield running
    running.stop()


def test_select_through_the_remote_store(fronting):
    response = requests.get(
        fronting.url + "/sparql", params={"query": "SELECT (COUNT(?p) AS ?n) WHERE { ?p a aj:JAIFProject }"}, timeout=30
    )
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "10"


def test_construct_and_row_cap_through_the_remote_store(fronting):
    response = requests.get(
        fronting.url + "/sparql",
        params={"query": f"CONSTRUCT {{ ?p a <{AJ}Project> }} WHERE {{ ?p a <{AJ}Project> }}"},
        headers={"Accept": "text/turtle"},
        timeout=30,
    )
    assert response.status_code == 200
    assert len(Graph().parse(data=response.text, format="turtle")) == 7
    assert response.headers["X-Result-Truncated"].startswith("true")


def test_remote_syntax_errors_stay_400(fronting):
    response = requests.get(fronting.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, timeout=30)
    assert response.status_code == 400 and "Query error" in response.text


def test_graph_selection_is_forwarded(fronting):
    query = f"ASK {{ <https://w3id.org/aichr-japan/id/project/jaif-01> a <{AJ}Project> }}"
    params = {"query": query, "default-graph-uri": "https://w3id.org/aichr-japan/graph/data"}
    assert requests.get(fronting.url + "/sparql", params=params, timeout=30).json()["boolean"] is False


def test_relative_iris_resolve_against_the_fronting_endpoint(fronting):
    response = requests.get(fronting.url + "/sparql", params={"query": "SELECT (<x> AS ?iri) WHERE {}"}, timeout=30)
    assert response.json()["results"]["bindings"][0]["iri"]["value"] == fronting.url + "/x"
