"""`aichr-kg publish` against a real Oxigraph server: each graph replaced as a whole, the build recorded
last, credentials from the environment and never shown, and a clean exit code when the store is
unreachable, refuses, or does not hold what was sent.

The engine is checked with plain SPARQL over HTTP, not with the project's own client.
"""

from __future__ import annotations

import base64
import json
import shutil
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from aichr_kg.pipeline.integrity import read_manifest
from aichr_kg.pipeline.manifest import Manifest
from engines import EngineUnavailable, OxigraphEngine, free_port, publish_to
from tests.support import run_cli

BASE = "https://w3id.org/aichr-japan/"
RECORD = BASE + "graph/publication"
JUNK = "<urn:junk:s> <urn:junk:p> <urn:junk:o> ."


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """An Oxigraph server of this module's own: publishing changes what it holds."""
    running = OxigraphEngine(tmp_path_factory.mktemp("publish-oxigraph"))
    try:
        running.start()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def manifest(built) -> Manifest:
    return read_manifest(built)


def ask_engine(engine, query: str) -> list[dict]:
    """Rows of a SELECT sent straight to the engine (SPARQL JSON bindings)."""
    request = urllib.request.Request(
        engine.query_url, data=urlencode({"query": query}).encode(), headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["results"]["bindings"]


def triples_in(engine, graph: str) -> int:
    return int(ask_engine(engine, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"]["value"])


def add_to_graph(engine, graph: str, ntriples: str) -> None:
    """POST appends to a graph (Graph Store Protocol)."""
    request = urllib.request.Request(
        f"{engine.graph_store_url}?{urlencode({'graph': graph})}", data=ntriples.encode(), method="POST"
    )
    request.add_header("Content-Type", "application/n-triples")
    urllib.request.urlopen(request, timeout=30).close()


def delete_graph(engine, graph: str) -> None:
    request = urllib.request.Request(f"{engine.graph_store_url}?{urlencode({'graph': graph})}", method="DELETE")
    try:
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as error:
        assert error.code == 404, error  # not there: nothing to delete


def publish(built: Path, query_url: str, graph_store_url: str, env: dict | None = None):
    return run_cli(
        "--root", str(built.parent), "publish", "--endpoint", query_url, "--graph-store", graph_store_url, env=env or {}
    )


class GraphStoreProxy:
    """A Graph Store endpoint in front of the engine's: records each PUT's graph and Authorization header,
    and can ask for a password (401) or answer 204 without passing the data on."""

    def __init__(self, engine, *, password: str | None = None, drop: bool = False):
        self.engine, self.password, self.drop = engine, password, drop
        self.graphs: list[str] = []
        self.authorizations: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                proxy.authorizations.append(self.headers.get("Authorization", ""))
                if proxy.password and self.headers.get("Authorization") != proxy.expected_authorization():
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="store"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                graph = parse_qs(urlsplit(self.path).query)["graph"][0]
                proxy.graphs.append(graph)
                if not proxy.drop:
                    proxy.forward(graph, body, self.headers["Content-Type"])
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def expected_authorization(self) -> str:
        return "Basic " + base64.b64encode(f"editor:{self.password}".encode()).decode()

    def forward(self, graph: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(f"{self.engine.graph_store_url}?{urlencode({'graph': graph})}", data=body, method="PUT")
        request.add_header("Content-Type", content_type)
        urllib.request.urlopen(request, timeout=30).close()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def proxy_for(engine):
    made = []

    def make(**options) -> GraphStoreProxy:
        made.append(GraphStoreProxy(engine, **options))
        return made[-1]

    yield make
    for proxy in made:
        proxy.close()


# --- what publishing does -------------------------------------------------------------------------


def test_each_graph_is_replaced_as_a_whole_and_the_build_recorded(engine, built, manifest):
    data = manifest.graphs["data"].iri
    add_to_graph(engine, data, JUNK)
    result = publish_to(engine, built.parent)
    assert result.returncode == 0, result.stderr
    for name, info in manifest.graphs.items():
        assert triples_in(engine, info.iri) == info.triples, name
        assert f"{name}\t{info.iri}\t{info.triples} triples" in result.stdout
    assert not ask_engine(engine, f"SELECT * WHERE {{ GRAPH <{data}> {{ <urn:junk:s> ?p ?o }} }}"), (
        "the old graph was appended to"
    )
    record = ask_engine(
        engine,
        f"SELECT ?hash ?manifest WHERE {{ GRAPH <{RECORD}> {{ ?r <http://purl.org/dc/terms/identifier> ?hash ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?manifest }} }}",
    )
    assert record[0]["hash"]["value"] == manifest.input_hash
    assert Manifest.from_json(json.loads(record[0]["manifest"]["value"])) == manifest


def test_publishing_again_replaces_the_graphs_and_the_record(engine, built, manifest):
    for _ in range(2):
        assert publish_to(engine, built.parent).returncode == 0
    for info in manifest.graphs.values():
        assert triples_in(engine, info.iri) == info.triples
    issued = ask_engine(engine, f"SELECT ?when WHERE {{ GRAPH <{RECORD}> {{ ?r <http://purl.org/dc/terms/issued> ?when }} }}")
    assert len(issued) == 1, "a second record was appended beside the first"


def test_the_record_is_written_after_every_graph(engine, built, manifest, proxy_for):
    proxy = proxy_for()
    result = publish(built, engine.query_url, proxy.url)
    assert result.returncode == 0, result.stderr
    assert proxy.graphs == [*manifest.graph_iris, RECORD]


def test_read_publication_returns_the_recorded_manifest(engine, built, manifest):
    from aichr_kg.store.publication import published_hash, read_publication
    from aichr_kg.store.remote import RemoteStore

    assert publish_to(engine, built.parent).returncode == 0
    store = RemoteStore(engine.query_url, timeout_s=10)
    try:
        assert read_publication(store, BASE) == manifest
        assert published_hash(store, BASE) == manifest.input_hash
        assert read_publication(store, "https://example.org/nothing-here/") is None
    finally:
        store.close()


# --- credentials ------------------------------------------------------------------------------------


def test_credentials_come_from_the_environment_and_are_never_shown(engine, built, proxy_for):
    proxy = proxy_for(password="s3cret-Pa55")
    refused = publish(built, engine.query_url, proxy.url)
    assert refused.returncode == 69
    assert "401" in refused.stderr and "AICHR_KG_STORE_PASSWORD" in refused.stderr
    accepted = publish(
        built, engine.query_url, proxy.url, env={"AICHR_KG_STORE_USER": "editor", "AICHR_KG_STORE_PASSWORD": "s3cret-Pa55"}
    )
    assert accepted.returncode == 0, accepted.stderr
    assert proxy.expected_authorization() in proxy.authorizations
    assert "s3cret-Pa55" not in accepted.stdout + accepted.stderr + refused.stdout + refused.stderr


def test_credentials_in_a_url_are_refused_before_anything_is_sent(engine, built):
    result = publish(built, engine.query_url, engine.graph_store_url.replace("http://", "http://editor:s3cret-Pa55@"))
    assert result.returncode == 2 and "--user" in result.stderr
    assert "s3cret-Pa55" not in result.stdout + result.stderr


# --- unhappy paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["graph store", "query endpoint"])
def test_an_unreachable_store_is_a_one_line_error(engine, built, which):
    nowhere = f"http://127.0.0.1:{free_port()}/"
    urls = (engine.query_url, nowhere + "store") if which == "graph store" else (nowhere + "query", engine.graph_store_url)
    result = publish(built, *urls)
    assert result.returncode == 69
    assert result.stderr.strip().splitlines()[-1].startswith("aichr-kg: ") and "could not" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_store_that_refuses_writes_is_named_with_its_answer(built, tmp_path):
    shutil.copytree(built / "store", tmp_path / "data")
    read_only = OxigraphEngine(tmp_path, read_only=True)
    try:
        read_only.start()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    try:
        result = publish(built, read_only.query_url, read_only.graph_store_url)
    finally:
        read_only.stop()
    assert result.returncode == 69
    assert "403" in result.stderr and "read-only" in result.stderr and "Traceback" not in result.stderr


def test_a_store_that_loses_the_data_does_not_verify(engine, built, manifest, proxy_for):
    for graph in [*manifest.graph_iris, RECORD]:
        delete_graph(engine, graph)
    result = publish(built, engine.query_url, proxy_for(drop=True).url)
    assert result.returncode == 1
    assert "does not verify" in result.stderr


def test_publish_needs_both_urls(built):
    result = run_cli("--root", str(built.parent), "publish", "--endpoint", "http://127.0.0.1:9/query")
    assert result.returncode == 2 and "--graph-store" in result.stderr
