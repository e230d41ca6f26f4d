"""The private Virtuoso instance the remote-store tests run against, and the engine's behaviour a
front end and a publisher depend on (see virtuoso_engine's docstring for the whole recipe)."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import requests
from requests.auth import HTTPDigestAuth

from engines import EngineUnavailable
from tests.support import ROOT
from virtuoso_engine import VirtuosoEngine

pytestmark = pytest.mark.slow  # a first start creates a database: several seconds

GRAPH_A, GRAPH_B = "urn:x-test:graph:a", "urn:x-test:graph:b"
N_TRIPLES = {"Content-Type": "application/n-triples"}
RESULTS_JSON = {"Accept": "application/sparql-results+json"}


def started(workdir: Path) -> VirtuosoEngine:
    """A started engine, or the test skipped with the reason the software is missing."""
    engine = VirtuosoEngine(workdir)
    try:
        return engine.start()
    except EngineUnavailable as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[VirtuosoEngine]:
    engine = started(tmp_path_factory.mktemp("virtuoso"))
    yield engine
    engine.stop()


@pytest.fixture
def publish(virtuoso):
    """PUT an N-Triples body into a graph as the publisher; the response."""
    session = requests.Session()
    session.auth = HTTPDigestAuth(*virtuoso.credentials)

    def put(graph: str, body: str) -> requests.Response:
        return session.put(virtuoso.graph_store_url, params={"graph": graph}, data=body.encode(), headers=N_TRIPLES, timeout=60)

    return put


def select(engine: VirtuosoEngine, query: str, form: list[tuple[str, str]] = ()) -> requests.Response:
    response = requests.post(engine.query_url, data=[("query", query), *form], headers=RESULTS_JSON, timeout=60)
    assert response.status_code == 200, response.text
    return response


def values(engine: VirtuosoEngine, query: str, form: list[tuple[str, str]] = ()) -> list[tuple[str, ...]]:
    """Each row's values, in the order of the query's variables."""
    document = select(engine, query, form).json()
    names = document["head"]["vars"]
    return [tuple(row[name]["value"] if name in row else "" for name in names) for row in document["results"]["bindings"]]


def triples(graph: str) -> str:
    return "".join(f"<urn:x-test:s{i}> <urn:x-test:p> <{graph}/o{i}> .\n" for i in range(5))


def count_in(engine: VirtuosoEngine, graph: str) -> int:
    return int(values(engine, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0][0])


def both_graphs(default: bool = True, named: bool = True) -> list[tuple[str, str]]:
    return [("default-graph-uri", g) for g in (GRAPH_A, GRAPH_B) if default] + [
        ("named-graph-uri", g) for g in (GRAPH_A, GRAPH_B) if named
    ]


def test_the_instance_is_private_to_the_test(virtuoso):
    """Both ports listen on 127.0.0.1 only, and the database lives in the engine's temporary folder."""
    listening = {(address, port) for address, port in _listening_sockets() if port in (virtuoso.http_port, virtuoso.isql_port)}
    assert listening == {("127.0.0.1", virtuoso.http_port), ("127.0.0.1", virtuoso.isql_port)}
    assert (virtuoso.folder / "db" / "virtuoso.db").is_file()
    assert "/var/lib/virtuoso" not in (virtuoso.folder / "virtuoso.ini").read_text()


def test_a_graph_put_over_the_graph_store_protocol_is_queried_back(virtuoso, publish):
    assert publish(GRAPH_A, triples(GRAPH_A)).status_code in (200, 201)
    rows = values(virtuoso, f"SELECT ?o WHERE {{ GRAPH <{GRAPH_A}> {{ <urn:x-test:s3> ?p ?o }} }}")
    assert rows == [(f"{GRAPH_A}/o3",)]


def test_a_second_put_replaces_the_graph(virtuoso, publish):
    publish(GRAPH_A, triples(GRAPH_A))
    assert publish(GRAPH_A, triples(GRAPH_A)).status_code == 200  # 200: it held triples, now replaced
    assert count_in(virtuoso, GRAPH_A) == 5
    publish(GRAPH_A, "<urn:x-test:only> <urn:x-test:p> <urn:x-test:o> .\n")
    assert values(virtuoso, f"SELECT ?s WHERE {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}") == [("urn:x-test:only",)]


def test_the_built_dataset_loads_graph_by_graph_and_answers_as_the_embedded_store(virtuoso, publish, built):
    """Each graph of dataset.nq PUT as N-Triples holds the manifest's count; saved queries give the same rows."""
    graphs = {info["iri"]: info["triples"] for info in json.loads((built / "manifest.json").read_text())["graphs"].values()}
    quads = list(pyoxigraph.parse(path=built / "dataset.nq", format=pyoxigraph.RdfFormat.N_QUADS))
    for graph in graphs:
        body = pyoxigraph.serialize(
            [q.triple for q in quads if q.graph_name.value == graph], format=pyoxigraph.RdfFormat.N_TRIPLES
        )
        assert publish(graph, body.decode()).status_code in (200, 201)
    assert {graph: count_in(virtuoso, graph) for graph in graphs} == graphs
    embedded = pyoxigraph.Store.read_only(str(built / "store"))
    dataset = [(kind, graph) for kind in ("default-graph-uri", "named-graph-uri") for graph in graphs]
    for name in ("donors-ranked", "jaif-cost-by-country"):
        query = (ROOT / "queries" / f"{name}.rq").read_text()
        expected = embedded.query(query, use_default_graph_as_union=True)
        answer = pyoxigraph.parse_query_results(
            io.BytesIO(select(virtuoso, query, dataset).content), format=pyoxigraph.QueryResultsFormat.JSON
        )
        assert [list(map(str, row)) for row in answer] == [list(map(str, row)) for row in expected], name


def test_the_graph_store_wants_digest_credentials_with_sparql_update(virtuoso):
    def put(url: str, auth) -> int:
        body = triples(GRAPH_A).encode()
        return requests.put(url, params={"graph": GRAPH_A}, data=body, headers=N_TRIPLES, auth=auth, timeout=60).status_code

    protected, unprotected = virtuoso.graph_store_url, virtuoso.graph_store_url.removesuffix("-auth")
    assert put(protected, None) == 401
    assert put(protected, virtuoso.credentials) == 401  # the right user and password, but as Basic
    assert put(protected, HTTPDigestAuth("dba", "dba")) == 401  # the well-known password was replaced
    assert put(unprotected, None) == 403
    assert put(protected, HTTPDigestAuth(*virtuoso.credentials)) in (200, 201)


def test_the_default_graph_is_the_union_of_the_graphs_sent(virtuoso, publish):
    """A join across two graphs matches once both are default graphs; GRAPH ?g sees the named ones only."""
    publish(GRAPH_A, "<urn:x-test:s> <urn:x-test:p> <urn:x-test:m> .\n")
    publish(GRAPH_B, "<urn:x-test:m> <urn:x-test:q> <urn:x-test:o> .\n")
    join = "SELECT ?o WHERE { <urn:x-test:s> <urn:x-test:p> ?m . ?m <urn:x-test:q> ?o }"
    assert values(virtuoso, join, both_graphs()) == [("urn:x-test:o",)]
    assert values(virtuoso, join, [("default-graph-uri", GRAPH_A), *both_graphs(default=False)]) == []
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert sorted(values(virtuoso, graphs, both_graphs())) == [(GRAPH_A,), (GRAPH_B,)]
    only_named = select(virtuoso, "ASK { ?s ?p ?o }", both_graphs(default=False))
    assert only_named.json()["boolean"] is False  # named graphs only: the default graph is empty


def test_without_the_dataset_the_engine_answers_from_every_graph_it_holds(virtuoso, publish):
    """Why a front end must send default-graph-uri and named-graph-uri for every graph it serves."""
    publish(GRAPH_A, triples(GRAPH_A))
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(values(virtuoso, everything)[0][0]) > 1000  # Virtuoso's own graphs (virtrdf#, …)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    seen = {row[0] for row in values(virtuoso, graphs, [("default-graph-uri", GRAPH_A)])}
    assert "http://www.openlinksw.com/schemas/virtrdf#" in seen


def test_a_trailing_values_block_is_joined_wrongly_after_a_bind(virtuoso, publish):
    """Parameters must go first inside the WHERE group, not after it, on Virtuoso."""
    publish(GRAPH_A, triples(GRAPH_A))
    pattern = "?s <urn:x-test:p> ?o . BIND(STR(?o) AS ?text)"
    bound = "VALUES ?s { <urn:x-test:s1> }"
    trailing = values(virtuoso, f"SELECT ?s ?text WHERE {{ {pattern} }} {bound}", both_graphs())
    leading = values(virtuoso, f"SELECT ?s ?text WHERE {{ {bound} {pattern} }}", both_graphs())
    assert leading == [("urn:x-test:s1", f"{GRAPH_A}/o1")]
    assert len(trailing) > len(leading)
    ask = f"ASK {{ {pattern} }} {bound}"
    assert requests.post(virtuoso.query_url, data=[("query", ask), *both_graphs()], timeout=60).status_code == 400


def test_blank_nodes_come_back_under_a_label_pyoxigraph_refuses(virtuoso, publish):
    publish(GRAPH_A, "<urn:x-test:s> <urn:x-test:p> _:node .\n")
    response = select(virtuoso, "SELECT ?o WHERE { <urn:x-test:s> <urn:x-test:p> ?o }", both_graphs())
    term = response.json()["results"]["bindings"][0]["o"]
    assert term["type"] == "bnode" and term["value"].startswith("nodeID://")
    with pytest.raises(SyntaxError, match="bnode"):
        list(pyoxigraph.parse_query_results(io.BytesIO(response.content), format=pyoxigraph.QueryResultsFormat.JSON))


def test_a_query_past_its_timeout_answers_200_with_a_partial_result(virtuoso, publish):
    """Virtuoso's `timeout` (ms) is an 'anytime' limit: the answer is what was computed by then (a wrong
    count, or no row at all), and only the X-SQL-State header says it is incomplete."""
    publish(GRAPH_A, "".join(f"<urn:x-test:s{i}> <urn:x-test:p> {i} .\n" for i in range(200)))
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = select(virtuoso, cross, [*both_graphs(), ("timeout", "300")])
    assert response.headers["X-SQL-State"] == "S1TAT"
    counts = [int(row["n"]["value"]) for row in response.json()["results"]["bindings"]]
    assert all(count < 200**4 for count in counts)


def test_rows_past_result_set_max_rows_are_cut_and_long_sorted_pages_refused(virtuoso, publish):
    """ResultSetMaxRows (10,000 as Debian ships it) cuts a SELECT and says so only in X-SPARQL-MaxRows."""
    publish(GRAPH_A, "".join(f"<urn:x-test:s{i}> <urn:x-test:p> {i} .\n" for i in range(150)))
    response = select(virtuoso, "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y }", both_graphs())
    assert len(response.json()["results"]["bindings"]) == 10_000  # of more than 22,500
    assert response.headers["X-SPARQL-MaxRows"] == "10000"
    sorted_page = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100000"
    refused = requests.post(virtuoso.query_url, data=[("query", sorted_page), *both_graphs()], timeout=60)
    assert refused.status_code == 500 and "SR353" in refused.text  # MaxSortedTopRows, 10,000 unless set


def test_updates_and_service_are_refused_on_the_query_endpoint(virtuoso, loopback_listener):
    update = requests.post(virtuoso.query_url, data={"query": f"CLEAR GRAPH <{GRAPH_A}>"}, timeout=60)
    service = requests.post(
        virtuoso.query_url, data={"query": f"SELECT * WHERE {{ SERVICE <{loopback_listener.url}> {{ ?s ?p ?o }} }}"}, timeout=60
    )
    assert (update.status_code, service.status_code) == (500, 500)
    assert "SR186" in update.text and "SPARQL_SINV" in service.text
    assert loopback_listener.paths == []


def test_built_in_functions_fetch_urls_from_the_query_endpoint(virtuoso, loopback_listener):
    """Why a front end must refuse bif: and sql: function IRIs: the anonymous user may call bif:http_get."""
    query = f'SELECT (<bif:HTTP_GET>("{loopback_listener.url}/fetched") AS ?page) WHERE {{ }}'
    assert values(virtuoso, query) == [("fetched by the engine",)]
    assert loopback_listener.paths == ["/fetched"]


def test_a_stopped_engine_starts_again_with_its_graphs_at_the_same_url(tmp_path):
    engine = started(tmp_path)
    try:
        session = requests.Session()
        session.auth = HTTPDigestAuth(*engine.credentials)
        session.put(engine.graph_store_url, params={"graph": GRAPH_A}, data=triples(GRAPH_A), headers=N_TRIPLES, timeout=60)
        process = engine.process
        engine.stop()
        assert process.poll() is not None
        with pytest.raises(requests.ConnectionError):
            requests.get(engine.query_url, timeout=5)
        engine.start()
        assert count_in(engine, GRAPH_A) == 5
    finally:
        engine.stop()


class LoopbackListener:
    """An HTTP server on 127.0.0.1 that records the paths asked of it, to see whether the engine calls out."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                listener.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"fetched by the engine")

            do_POST = do_GET

            def log_message(self, *arguments):
                """Quiet: the paths are the record."""

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback_listener() -> Iterator[LoopbackListener]:
    listener = LoopbackListener()
    yield listener
    listener.close()


def _listening_sockets() -> list[tuple[str, int]]:
    """(address, port) of every IPv4 TCP socket listening on this machine, from /proc/net/tcp."""
    sockets = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A":  # LISTEN
            address, port = local.split(":")
            octets = [str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)]  # little-endian hexadecimal
            sockets.append((".".join(octets), int(port, 16)))
    return sockets
