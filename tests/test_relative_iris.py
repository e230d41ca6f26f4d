"""Relative IRIs in public queries resolve against the endpoint's URL, as Oxigraph's server does
(W3C SPARQL 1.1 Protocol test `query_content_type_construct`); the server's own queries have no
base, so a relative IRI in them is an error instead of an IRI that depends on the Host header."""

from __future__ import annotations

import pyoxigraph
import pytest
import requests
from rdflib import Graph, Literal, URIRef

from aichr_kg.store import QueryFailed, QueryRequest
from aichr_kg.store.local import run_on_store

CONSTRUCT = "CONSTRUCT { <s> <p> 1 } WHERE {}"
SELECT_IRI = "SELECT (<x> AS ?iri) WHERE {}"


def selected_iri(response) -> str:
    assert response.status_code == 200, response.text[:300]
    return response.json()["results"]["bindings"][0]["iri"]["value"]


def test_query_content_type_construct(server):
    """The W3C test: a direct POST of a CONSTRUCT with relative IRIs."""
    response = requests.post(
        server.url + "/sparql",
        data=CONSTRUCT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:300]
    triples = set(Graph().parse(data=response.text, format="nt"))
    assert triples == {(URIRef(server.url + "/s"), URIRef(server.url + "/p"), Literal(1))}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_resolves_against_the_endpoint(server, method):
    fields = {"params" if method == "GET" else "data": {"query": SELECT_IRI}}
    assert selected_iri(requests.request(method, server.url + "/sparql", timeout=30, **fields)) == server.url + "/x"


def test_a_base_declared_in_the_query_wins(server):
    query = "BASE <http://example.org/a/> " + SELECT_IRI
    assert selected_iri(requests.get(server.url + "/sparql", params={"query": query}, timeout=30)) == "http://example.org/a/x"


def test_the_base_follows_the_host_asked_for_and_so_does_the_etag(server):
    answers = [
        requests.get(server.url + "/sparql", params={"query": SELECT_IRI}, headers=headers, timeout=30)
        for headers in ({}, {"Host": "kg.example.org"})
    ]
    assert [selected_iri(answer) for answer in answers] == [server.url + "/x", "http://kg.example.org/x"]
    assert answers[0].headers["ETag"] != answers[1].headers["ETag"]


def test_the_query_page_shows_the_same_resolution(server):
    response = requests.get(server.url + "/sparql", params={"query": SELECT_IRI, "format": "html"}, timeout=30)
    assert response.status_code == 200 and server.url + "/x" in response.text


def test_without_a_base_a_relative_iri_is_a_syntax_error():
    store = pyoxigraph.Store()
    with pytest.raises(QueryFailed) as failure:
        run_on_store(store, QueryRequest(text=SELECT_IRI))
    assert failure.value.syntax
    answer = run_on_store(store, QueryRequest(text=SELECT_IRI, base_iri="http://kg.example.org/sparql"))
    assert b"http://kg.example.org/x" in answer.body
