"""The remote store over a private Virtuoso: its blank nodes, partial answers and cut results read
as the embedded store's would be; and the byte-level reader of blank node values on its own."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from requests.auth import HTTPDigestAuth

from aichr_kg.store import QueryRequest, QueryTimeout
from aichr_kg.store.remote import RemoteStore
from aichr_kg.store.virtuoso import PlainSpellings
from engines import EngineUnavailable
from virtuoso_engine import VirtuosoEngine

pytestmark = pytest.mark.slow  # a first start creates a database: several seconds

GRAPH = "urn:x-test:graph"
DATA = '<urn:x-test:s> <urn:x-test:p> _:node .\n<urn:x-test:s> <urn:x-test:q> "nodeID://x" .\n'
ROWS = "".join(f"<urn:x-test:r{i}> <urn:x-test:n> {i} .\n" for i in range(200))
VIRTUOSO_JSON = b'{ "o": { "type": "bnode", "value": "nodeID://b10000" }, "l": { "type": "literal", "value": "nodeID://x" } }'


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[VirtuosoEngine]:
    engine = VirtuosoEngine(tmp_path_factory.mktemp("virtuoso"), max_result_rows=50)
    try:
        engine.start()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    session = requests.Session()
    session.auth = HTTPDigestAuth(*engine.credentials)
    loaded = session.put(
        engine.graph_store_url,
        params={"graph": GRAPH},
        data=(DATA + ROWS).encode(),
        headers={"Content-Type": "application/n-triples"},
        timeout=60,
    )
    assert loaded.status_code in (200, 201), loaded.text
    yield engine
    engine.stop()


def bindings(store: RemoteStore, text: str) -> list[dict]:
    result = store.execute(QueryRequest(text=text, default_graphs=(GRAPH,), named_graphs=(GRAPH,)))
    return json.loads(result.body)["results"]["bindings"]


def test_a_blank_node_comes_back_as_a_blank_node_and_a_literal_as_it_is(virtuoso):
    rows = bindings(RemoteStore(virtuoso.query_url, timeout_s=30), "SELECT ?p ?o WHERE { <urn:x-test:s> ?p ?o }")
    kinds = {row["p"]["value"]: (row["o"]["type"], row["o"]["value"]) for row in rows}
    assert kinds["urn:x-test:q"] == ("literal", "nodeID://x")
    assert kinds["urn:x-test:p"][0] == "bnode" and "nodeID" not in kinds["urn:x-test:p"][1]


def test_rows_the_engine_cut_are_marked_truncated(virtuoso):
    store = RemoteStore(virtuoso.query_url, timeout_s=30)
    request = QueryRequest(text="SELECT ?s WHERE { ?s <urn:x-test:n> ?n }", default_graphs=(GRAPH,), named_graphs=(GRAPH,))
    result = store.execute(request)
    assert result.rows == 50 and result.truncated


def test_a_partial_answer_at_the_engines_time_limit_is_a_timeout(virtuoso):
    """Virtuoso answers 200 with a wrong count when `timeout` (sent from the store's budget) expires, or,
    on a loaded machine, an error at its own limit (SR171): either is a timeout, never a count."""
    store = RemoteStore(virtuoso.query_url, timeout_s=6)
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"
    with pytest.raises(QueryTimeout, match=r"partial answer|its own time limit"):
        store.execute(QueryRequest(text=cross, default_graphs=(GRAPH,)))


class TimedOutEngine(BaseHTTPRequestHandler):
    """Answers every query as Virtuoso did for a page's query past its `timeout`: an error status with S1TAT."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"Virtuoso S1TAT Error RC...: Returning incomplete results, query interrupted by result timeout."
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_s1tat_in_an_error_is_a_timeout():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TimedOutEngine)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{server.server_address[1]}/sparql", timeout_s=30)
        with pytest.raises(QueryTimeout, match="its own time limit"):
            store.execute(QueryRequest(text="ASK {}"))
    finally:
        server.shutdown()


class Trickle(io.RawIOBase):
    """`data` a few bytes a read, so that a match straddles every possible chunk boundary."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size = data, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk, self.data = self.data[: min(self.size, len(buffer))], self.data[min(self.size, len(buffer)) :]
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("size", [1, 2, 7, 30, 36, 37, 64, 4096])
def test_blank_node_values_are_rewritten_whatever_the_chunks(size):
    plain = PlainSpellings(Trickle(VIRTUOSO_JSON * 3, size)).readall()
    assert plain == VIRTUOSO_JSON.replace(b'"nodeID://b10000"', b'"b10000"') * 3


def virtuoso_typed(datatype: str, value: str) -> bytes:
    return (
        f'{{ "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#{datatype}", "value": "{value}" }}'.encode()
    )


@pytest.mark.parametrize("size", [1, 5, 64, 79, 80, 4096])
def test_booleans_written_1_and_0_are_read_as_true_and_false_whatever_the_chunks(size):
    written = b", ".join(
        virtuoso_typed(*pair) for pair in [("boolean", "1"), ("boolean", "0"), ("integer", "1"), ("boolean", "10")]
    )
    read = b", ".join(
        virtuoso_typed(*pair) for pair in [("boolean", "true"), ("boolean", "false"), ("integer", "1"), ("boolean", "10")]
    )
    assert PlainSpellings(Trickle(written * 3, size)).readall() == read * 3


def test_other_engines_json_is_left_as_it_is():
    compact = b'{"o":{"type":"bnode","value":"nodeID://b1"},"l":{"type":"literal","value":"\\"type\\": \\"bnode\\", \\"value\\": \\"nodeID://x"}}'
    assert PlainSpellings(Trickle(compact, 5)).readall() == compact
