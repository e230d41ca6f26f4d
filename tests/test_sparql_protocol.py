"""The SPARQL 1.1 Protocol over real HTTP: operations, formats, negotiation, errors, limits, web-friendliness;
on the embedded store and on each engine (`every_backend`)."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import requests
from rdflib import Graph

from tests.support import SERVER_LIMITS, RunningServer, wait_for_busy_workers, wait_until

pytestmark = pytest.mark.every_backend

AJ = "https://w3id.org/aichr-japan/ontology/"
COUNT_PROJECTS = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{AJ}JAIFProject> }}"
PROJECT_LABELS = (
    f"SELECT ?p ?label WHERE {{ ?p a <{AJ}JAIFProject> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?p"
)
CONSTRUCT_PROJECTS = f"CONSTRUCT {{ ?p a <{AJ}JAIFProject> }} WHERE {{ ?p a <{AJ}JAIFProject> }}"
# A chain of joins that runs for minutes on every engine and keeps reading the store, where Oxigraph
# checks its timeout (a cross product of unconnected patterns it evaluates in memory, past any timeout).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?c ?d ?e . ?e ?f ?g . ?g ?h ?i . ?i ?j ?k . ?k ?l ?m }"


def sparql(server, method="GET", query=None, headers=None, **kwargs):
    url = server.url + "/sparql"
    if method == "GET":
        params = kwargs.pop("params", {})
        if query is not None:
            params["query"] = query
        return requests.get(url, params=params, headers=headers, timeout=30, **kwargs)
    return requests.request(method, url, headers=headers, timeout=30, **kwargs)


def json_count(response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- the three ways to send a query -------------------------------------------------------------


def test_query_via_get(server):
    response = sparql(server, query=COUNT_PROJECTS)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    assert json_count(response) == 10


def test_query_via_post_form(server):
    response = sparql(server, "POST", data={"query": COUNT_PROJECTS})
    assert response.status_code == 200 and json_count(response) == 10


def test_query_via_post_body(server):
    response = sparql(server, "POST", data=COUNT_PROJECTS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200 and json_count(response) == 10


def test_several_queries_in_one_request_are_refused(server):
    response = requests.get(server.url + "/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=10)
    assert response.status_code == 400


# --- result formats and content negotiation -------------------------------------------------------


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+xml;q=0.1, text/csv", "text/csv"),
    ],
)
def test_select_negotiates_with_q_values(server, accept, media_type):
    response = sparql(server, query=PROJECT_LABELS, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    assert "Accept" in response.headers["Vary"]


def test_select_formats_carry_the_same_rows(server):
    as_json = sparql(server, query=PROJECT_LABELS).json()["results"]["bindings"]
    as_csv = list(csv.DictReader(io.StringIO(sparql(server, query=PROJECT_LABELS, headers={"Accept": "text/csv"}).text)))
    as_xml = ElementTree.fromstring(
        sparql(server, query=PROJECT_LABELS, headers={"Accept": "application/sparql-results+xml"}).content
    )
    tsv_lines = sparql(server, query=PROJECT_LABELS, headers={"Accept": "text/tab-separated-values"}).text.strip().splitlines()
    assert (
        len(as_json)
        == len(as_csv)
        == len(as_xml.findall(".//{http://www.w3.org/2005/sparql-results#}result"))
        == len(tsv_lines) - 1
        == 10
    )
    assert [row["label"] for row in as_csv] == [row["label"]["value"] for row in as_json]


def test_ask_in_json_and_xml(server):
    assert sparql(server, query="ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}
    xml = sparql(server, query="ASK { ?s ?p ?o }", headers={"Accept": "application/sparql-results+xml"}).text
    assert "<boolean>true</boolean>" in xml


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_construct_in_every_rdf_format(server, accept, rdflib_format):
    response = sparql(server, query=CONSTRUCT_PROJECTS, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(accept) and "charset=utf-8" in response.headers["Content-Type"]
    graph = Graph()
    graph.parse(data=response.text, format=rdflib_format)
    assert len(graph) == 10


def test_describe_gives_turtle_by_default(server):
    response = sparql(server, query="DESCRIBE <https://w3id.org/aichr-japan/id/project/jaif-01>")
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert "ontology/actualCost" in response.text and "jaifTableRow" in response.text


@pytest.mark.parametrize(
    "name, media_type",
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
    ],
)
def test_format_parameter_overrides_accept(server, name, media_type):
    response = sparql(
        server, query=COUNT_PROJECTS, params={"format": name}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.headers["Content-Type"].startswith(media_type)


def test_unacceptable_format_is_406(server):
    response = sparql(server, query=COUNT_PROJECTS, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_rdf_format_for_select_is_406(server):
    response = sparql(server, query=COUNT_PROJECTS, params={"format": "turtle"})
    assert response.status_code == 406


# --- the dataset: union default graph, graph selection -------------------------------------------------

DATA, ONTOLOGY, INFERRED = (f"https://w3id.org/aichr-japan/graph/{n}" for n in ("data", "ontology", "inferred"))
INFERRED_FACT = f"ASK {{ <https://w3id.org/aichr-japan/id/project/jaif-01> a <{AJ}Project> }}"


def test_default_graph_is_the_union_and_sees_inferred_facts(server):
    assert sparql(server, query=INFERRED_FACT).json()["boolean"] is True


def test_default_graph_uri_selects_the_asserted_graph_only(server):
    asserted_only = sparql(server, query=INFERRED_FACT, params={"default-graph-uri": DATA})
    assert asserted_only.json()["boolean"] is False
    with_inferred = requests.get(
        server.url + "/sparql",
        params=[("query", INFERRED_FACT), ("default-graph-uri", DATA), ("default-graph-uri", INFERRED)],
        timeout=10,
    )
    assert with_inferred.json()["boolean"] is True


def test_from_clause_selects_graphs(server):
    query = f"ASK FROM <{DATA}> {{ <https://w3id.org/aichr-japan/id/project/jaif-01> a <{AJ}Project> }}"
    assert sparql(server, query=query).json()["boolean"] is False


def test_named_graph_uri_limits_graph_patterns(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    every = [row["g"]["value"] for row in sparql(server, query=query).json()["results"]["bindings"]]
    assert every == sorted([DATA, INFERRED, ONTOLOGY])
    only = sparql(server, query=query, params={"named-graph-uri": ONTOLOGY}).json()["results"]["bindings"]
    assert [row["g"]["value"] for row in only] == [ONTOLOGY]


def test_from_named_selects_named_graphs(server):
    query = f"SELECT DISTINCT ?g FROM NAMED <{INFERRED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert [r["g"]["value"] for r in sparql(server, query=query).json()["results"]["bindings"]] == [INFERRED]


# --- errors of the protocol ----------------------------------------------------------------------


def test_syntax_error_is_400_with_position(server):
    response = sparql(server, query="SELECT * WHERE {\n  ?s ?p\n}")
    assert response.status_code == 400
    assert "3:1" in response.text or "2:" in response.text
    assert "Traceback" not in response.text


def test_unknown_prefix_is_400(server):
    assert sparql(server, query="SELECT * WHERE { ?s nope:thing ?o }").status_code == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(server, method):
    response = sparql(server, method, data="x")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_unknown_body_type_is_415(server):
    response = sparql(server, "POST", data=b"<x/>", headers={"Content-Type": "application/xml"})
    assert response.status_code == 415


def test_without_a_query_rdf_clients_get_the_service_description(server):
    response = sparql(server, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(str(o) == sd + "SPARQL11Query" for o in graph.objects())
    assert any(str(o) == sd + "UnionDefaultGraph" for o in graph.objects())


def test_without_a_query_browsers_get_the_query_page(server):
    response = sparql(server, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "<textarea" in response.text


# --- read-only ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "send",
    [
        lambda s: sparql(s, "POST", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        lambda s: sparql(s, "POST", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}),
        lambda s: sparql(s, params={"update": "CLEAR ALL"}),
        lambda s: sparql(s, query="INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
        lambda s: sparql(s, "POST", data={"query": "LOAD <http://127.0.0.1:9/x>"}),
    ],
)
def test_updates_are_refused_with_how_to_contribute(server, send):
    response = send(server)
    assert response.status_code == 403
    assert "read-only" in response.text and "pull request" in response.text
    assert sparql(server, query="ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


def test_service_is_refused_before_any_connection(server):
    """A listening socket proves no connection is attempted: the query must be refused first."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    response = sparql(server, query=query)
    assert response.status_code == 403 and "SERVICE" in response.text
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_service_in_lowercase_and_after_comments_is_refused(server):
    query = "# harmless?\nselect * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert sparql(server, "POST", data={"query": query}).status_code == 403


def test_the_word_service_in_strings_and_iris_is_allowed(server):
    query = 'SELECT * WHERE { BIND("SERVICE" AS ?x) BIND(<urn:SERVICE> AS ?y) }'
    assert sparql(server, query=query).status_code == 200


# --- limits -------------------------------------------------------------------------------------


def uncached(query: str) -> str:
    """The query with a comment no other request has sent, so the store answers it, not the result cache."""
    return f"{query} # {uuid.uuid4()}"


def test_runaway_query_is_stopped_while_others_are_answered(server):
    """The server runs with a 3 s budget: the cross product is killed, a simple query meanwhile answers."""
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["response"] = sparql(server, query=uncached(RUNAWAY))
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    wait_for_busy_workers(server, 1)
    simple_started = time.monotonic()
    simple = sparql(server, query=uncached(COUNT_PROJECTS))
    simple_seconds = time.monotonic() - simple_started
    thread.join(timeout=30)
    assert simple.status_code == 200 and json_count(simple) == 10
    assert simple_seconds < outcome.get("seconds", 3), "the simple query waited for the runaway one"
    assert outcome["response"].status_code == 503
    assert "stopped" in outcome["response"].text
    assert outcome["seconds"] < 10
    assert sparql(server, query=uncached(COUNT_PROJECTS)).status_code == 200, "the pool recovered"


def test_body_over_the_cap_is_413(server):
    response = sparql(server, "POST", data=b"x" * 2_000_000, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_query_over_the_length_cap_is_413(server):
    query = "ASK { " + "# padding\n" * 2500 + "}"
    response = sparql(server, "POST", data={"query": query})
    assert response.status_code == 413 and "limit" in response.text


def test_row_cap_truncates_visibly(server):
    """The test server caps results at 500 rows; truncation is signalled in headers."""
    response = sparql(server, query="SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 500
    assert response.headers["X-Result-Truncated"].startswith("true")
    small = sparql(server, query=COUNT_PROJECTS)
    assert "X-Result-Truncated" not in small.headers


@pytest.fixture(scope="module")
def capped_server(built, backend):
    """Two workers, a budget far longer than the queue wait: the third request's 503 comes from the
    wait, never from a runaway stopped meanwhile freeing its worker (a slow machine cannot blur the two)."""
    limits = ("--query-timeout-s", "8", "--queue-wait-s", "0.5")
    running = RunningServer(*SERVER_LIMITS, *limits, *backend.serve_args, root=built.parent, env=backend.env)
    # The release's warm-up holds the page worker for a moment after the start: wait for it to end.
    wait_until(lambda: "names of build" in Path(running.log.name).read_text(), 60, "the warm-up never ended")
    yield running
    running.stop()


def test_concurrency_cap_answers_503_with_retry_after(capped_server):
    """Two workers busy with runaway queries: a third request waits briefly, then gets 503 + Retry-After."""
    server = capped_server
    responses = []
    threads = [threading.Thread(target=lambda: responses.append(sparql(server, query=uncached(RUNAWAY)))) for _ in range(2)]
    for thread in threads:
        thread.start()
    wait_for_busy_workers(server, 2)
    third = sparql(server, query=uncached(COUNT_PROJECTS))
    page_meanwhile = requests.get(server.url + "/doc/project/jaif-01", timeout=30)
    health_meanwhile = requests.get(server.url + "/health", timeout=30)
    for thread in threads:
        thread.join(timeout=30)
    assert third.status_code == 503 and third.headers.get("Retry-After")
    assert all(r.status_code == 503 for r in responses)
    assert page_meanwhile.status_code == 200, "pages have their own workers"
    # busy workers are alive ("ok"); if the budget ran out meanwhile, a killed one is being replaced ("degraded")
    assert health_meanwhile.status_code == 200 and health_meanwhile.json()["status"] in ("ok", "degraded")


# --- web-friendly -------------------------------------------------------------------------------


def test_cors_headers_and_preflight(server):
    assert (
        sparql(server, query=COUNT_PROJECTS, headers={"Origin": "https://example.org"}).headers["Access-Control-Allow-Origin"]
        == "*"
    )
    preflight = requests.options(
        server.url + "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_etag_and_304(server):
    first = sparql(server, query=COUNT_PROJECTS)
    assert first.headers["ETag"] and "max-age" in first.headers["Cache-Control"]
    again = sparql(server, query=COUNT_PROJECTS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other_format = sparql(server, query=COUNT_PROJECTS, headers={"If-None-Match": first.headers["ETag"], "Accept": "text/csv"})
    assert other_format.status_code == 200


def test_large_results_are_gzipped(server):
    response = sparql(server, query="SELECT * WHERE { ?s ?p ?o }", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert len(response.json()["results"]["bindings"]) == 500


@pytest.mark.embedded_only(reason="reports the worker pools' network sandbox; an engine's /health is in test_remote_engine.py")
def test_health_reports_hash_and_size(server, built):
    from tests.support import settled_health

    body = settled_health(server.url)
    manifest = json.loads((built / "manifest.json").read_text())
    assert body["status"] == "ok", body
    assert body["stores"]["sparql"]["network_sandbox"]["confined"] is True
    assert body["dataset_hash"] == manifest["input_hash"]
    assert body["triples"] == manifest["triples"] > 2000


def test_metrics_count_requests_timeouts_and_rejections(server):
    sparql(server, query="SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    text = requests.get(server.url + "/metrics", timeout=10).text
    assert 'aichr_http_requests_total{endpoint="sparql.sparql"' in text
    assert "aichr_http_request_seconds_bucket" in text
    assert 'aichr_queries_rejected_total{reason="service"}' in text
    assert "aichr_query_timeouts_total" in text


# --- clients of the field ---------------------------------------------------------------------------


def test_sparqlwrapper_queries_the_endpoint(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(COUNT_PROJECTS)
    client.setReturnFormat(JSON)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) == 10
    client.setMethod("POST")
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) == 10


def test_rdflib_sparqlstore_queries_the_endpoint(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    rows = list(graph.query(PROJECT_LABELS))
    assert len(rows) == 10
    assert str(rows[0][1]).startswith("AICHR")


# --- review regressions ------------------------------------------------------------------------------


def test_head_requests_are_answered_like_get(server):
    assert requests.head(server.url + "/sparql", params={"query": COUNT_PROJECTS}, timeout=10).status_code == 200
    assert requests.head(server.url + "/sparql", timeout=10).status_code == 200


def test_named_graph_uri_alone_leaves_the_default_graph_empty(server):
    """SPARQL 1.1 Protocol 2.1.4: a protocol-specified dataset has only the default graphs it names."""
    response = sparql(server, query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", params={"named-graph-uri": ONTOLOGY})
    assert json_count(response) == 0


@pytest.mark.parametrize("prefix", ["construct.a", "insert.a", "from.a", "describe.x"])
def test_dotted_prefixes_that_contain_keywords_are_ordinary_queries(server, prefix):
    response = sparql(server, query=f"PREFIX {prefix}: <urn:x#> SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{AJ}JAIFProject> }}")
    assert response.status_code == 200 and json_count(response) == 10


def test_service_right_after_a_dot_is_refused(server):
    assert sparql(server, query="SELECT * WHERE { ?s ?p ?o.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }").status_code == 403


def test_a_format_of_the_wrong_kind_is_406(server):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    response = sparql(server, query=query, params={"format": "json"})
    assert response.status_code == 200
    bad = requests.post(server.url + "/sparql", data={"query": "DESCRIBE <urn:x>", "format": "csv"}, timeout=10)
    assert bad.status_code == 406
    assert "stopped its worker" not in bad.text


def test_results_past_the_byte_cap_are_cut_and_signalled(server):
    """The test server allows about 300 kB: 200 copies of a long description per row exceed it quickly."""
    copies = ",".join(["?d"] * 200)
    query = f"SELECT (CONCAT({copies}) AS ?x) WHERE {{ ?s ?p ?o . ?any <http://purl.org/dc/terms/description> ?d }} LIMIT 400"
    response = sparql(server, query=query)
    assert response.status_code == 200
    assert "max-bytes=300000" in response.headers["X-Result-Truncated"]
    assert len(response.content) < 1_000_000


def test_errors_vary_on_accept(server):
    response = sparql(server, query="ASK {}", headers={"Accept": "text/turtle"})
    assert response.status_code == 406 and "Accept" in response.headers["Vary"]


def test_weak_etags_match(server):
    first = sparql(server, query=COUNT_PROJECTS)
    weak = sparql(server, query=COUNT_PROJECTS, headers={"If-None-Match": "W/" + first.headers["ETag"]})
    assert weak.status_code == 304


def test_preflight_offers_only_read_methods(server):
    preflight = requests.options(
        server.url + "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    allowed = preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" in allowed and "PUT" not in allowed and "DELETE" not in allowed


def test_service_description_is_cacheable(server):
    response = sparql(server, headers={"Accept": "text/turtle"})
    assert response.headers["ETag"]
    again = sparql(server, headers={"Accept": "text/turtle", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_query_past_the_worker_memory_cap_is_stopped_and_the_worker_replaced(built):
    from tests.support import RunningServer

    small = RunningServer("--worker-memory-mb", "300", "--query-workers", "1", root=built.parent)
    try:
        heavy = "SELECT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
        response = requests.post(small.url + "/sparql", data={"query": heavy}, timeout=60)
        assert response.status_code == 400 and "memory" in response.text
        after = requests.get(small.url + "/sparql", params={"query": COUNT_PROJECTS}, timeout=30)
        assert after.status_code == 200 and json_count(after) == 10
    finally:
        small.stop()


def test_requests_are_logged_with_their_timing(server):
    """The line of this very request (a marker no other test sends), with its status and duration."""
    marker = f"logged{uuid.uuid4().hex}"
    sparql(server, query=f"{COUNT_PROJECTS} # {marker}")
    log = Path(server.log.name).read_text(encoding="utf-8", errors="replace")
    assert re.search(rf"GET /sparql\?query=\S*{marker}\S* 200 \d+\.\d ms", log)
