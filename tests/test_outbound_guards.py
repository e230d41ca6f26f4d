"""No query reaches the network: the federation check and the workers' seccomp sandbox, each alone
and together, against a listening socket that counts every connection attempt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings

from aichr_kg.store import QueryFailed, QueryRefused, QueryRequest
from aichr_kg.store.guard import ExtensionRefused, refuse_engine_extensions, unescape_codepoints
from aichr_kg.store.pool import EmbeddedStore, PoolShape
from aichr_kg.store.worker import Guards
from hidden_service import Listener, corpus, hidden_service, refused_forms
from tests.support import RunningServer, generated_examples

pytestmark = pytest.mark.every_backend

GENERATED = settings(max_examples=generated_examples(40), deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def listener():
    running = Listener()
    yield running
    running.socket.close()


def _pool(built, guards: Guards) -> EmbeddedStore:
    return EmbeddedStore(built / "store", PoolShape(1, 10.0, 5.0, 2048, spares=0), guards=guards, name="test")


@pytest.fixture(scope="module")
def unguarded(built):
    """Both guards off: the control that shows each disguised query really calls out."""
    pool = _pool(built, Guards(federation_check=False, network_sandbox=False))
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def sandbox_only(built):
    pool = _pool(built, Guards(federation_check=False))
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def check_only(built):
    pool = _pool(built, Guards(network_sandbox=False))
    yield pool
    pool.close()


def _attempt(pool: EmbeddedStore, query: str) -> str:
    """Run a query and say how it ended: 'answered', 'refused' or 'failed'."""
    try:
        pool.execute(QueryRequest(text=query))
        return "answered"
    except QueryRefused:
        return "refused"
    except QueryFailed:
        return "failed"


@pytest.mark.parametrize("name", list(corpus("http://x/")))
def test_each_disguised_query_calls_out_when_both_guards_are_off(name, listener, unguarded):
    query = corpus(listener.endpoint)[name]
    assert listener.connections_during(lambda: _attempt(unguarded, query)) >= 1


@pytest.mark.parametrize("name", list(corpus("http://x/")) + list(refused_forms("http://x/")))
def test_over_http_no_disguised_query_connects(name, listener, server):
    query = {**corpus(listener.endpoint), **refused_forms(listener.endpoint)}[name]
    outcome = {}
    made = listener.connections_during(
        lambda: outcome.update(r=requests.post(server.url + "/sparql", data={"query": query}, timeout=30))
    )
    assert made == 0
    assert outcome["r"].status_code in (400, 403), outcome["r"].text
    assert "Traceback" not in outcome["r"].text


@pytest.mark.parametrize("name", list(corpus("http://x/")))
def test_the_sandbox_alone_holds(name, listener, sandbox_only):
    query = corpus(listener.endpoint)[name]
    ended = {}
    assert listener.connections_during(lambda: ended.update(how=_attempt(sandbox_only, query))) == 0
    assert ended["how"] in ("failed", "answered")  # SERVICE SILENT answers with the empty solution


@pytest.mark.parametrize("name", list(corpus("http://x/")) + list(refused_forms("http://x/")))
def test_the_federation_check_alone_holds(name, listener, check_only):
    query = {**corpus(listener.endpoint), **refused_forms(listener.endpoint)}[name]
    ended = {}
    assert listener.connections_during(lambda: ended.update(how=_attempt(check_only, query))) == 0
    assert ended["how"] in ("refused", "failed")


def test_service_spelt_with_escapes_is_named_in_the_refusal(listener, server):
    response = requests.get(
        server.url + "/sparql", params={"query": corpus(listener.endpoint)["keyword spelt with escapes"]}, timeout=30
    )
    assert response.status_code == 403 and "SERVICE" in response.text


def test_the_word_service_elsewhere_is_not_refused(check_only):
    query = 'SELECT * WHERE { BIND("service" AS ?x) BIND(<urn:Service#> AS ?y) BIND(1 AS ?services) } # SERVICE'
    assert _attempt(check_only, query) == "answered"


def extension_calls(endpoint: str) -> dict[str, str]:
    """Named queries that call a Virtuoso SQL built-in or procedure, plainly or in disguise."""
    url = f'"{endpoint}"'
    return {
        "full IRI": f"SELECT (<bif:http_get>({url}) AS ?x) WHERE {{}}",
        "predeclared prefix": f"SELECT (bif:http_client({url}) AS ?x) WHERE {{}}",
        "declared prefix": f"PREFIX v: <bif:> SELECT (v:http_get({url}) AS ?x) WHERE {{}}",
        "upper case": f"SELECT * WHERE {{ BIND(<BIF:HTTP_GET>({url}) AS ?x) }}",
        "scheme spelt with escapes": f"SELECT * WHERE {{ BIND(<\\u0062if:http_get>({url}) AS ?x) }}",
        "prefix completed by the local name": f"PREFIX b: <b> SELECT (b:if:http_get({url}) AS ?x) WHERE {{}}",
        "escaped prefix completed": "PREFIX s: <\\u0073q> SELECT (s:l:DB.DBA.USER_CREATE('x', 'y') AS ?x) WHERE {}",
        "prefix completed, a comment between": f"PREFIX b: # comment\n <B> SELECT (b:if:http_get({url}) AS ?x) WHERE {{}}",
        "procedure call": "SELECT * WHERE { BIND(<sql:DB.DBA.SYS_USERS>() AS ?x) }",
    }


@pytest.mark.parametrize("name", list(extension_calls("http://x/")))
def test_the_guard_refuses_engine_extensions_in_every_spelling(name):
    with pytest.raises(ExtensionRefused, match="bif: or sql:"):
        refuse_engine_extensions(unescape_codepoints(extension_calls("http://x/")[name]))


@pytest.mark.parametrize("name", list(extension_calls("http://x/")))
def test_over_http_engine_extensions_are_refused_before_they_reach_the_engine(name, listener, server):
    query = extension_calls(listener.endpoint)[name]
    outcome = {}
    made = listener.connections_during(
        lambda: outcome.update(r=requests.post(server.url + "/sparql", data={"query": query}, timeout=30))
    )
    assert made == 0
    assert outcome["r"].status_code == 403, outcome["r"].text
    assert "bif: or sql:" in outcome["r"].text


def test_the_letters_without_the_scheme_are_not_refused(check_only):
    query = 'SELECT * WHERE { BIND("bif sql" AS ?x) BIND(<urn:sql> AS ?y) BIND(<urn:x:bifs> AS ?z) BIND(1 AS ?sq) }'
    assert _attempt(check_only, query) == "answered"


@GENERATED
@given(query=hidden_service("http://127.0.0.1:1/"))
def test_generated_disguises_call_out_unguarded_and_never_when_guarded(query, listener, unguarded, sandbox_only, check_only):
    query = query.replace("http://127.0.0.1:1/", listener.endpoint)
    assert listener.connections_during(lambda: _attempt(unguarded, query)) >= 1, (
        "the generator made a query that does not call out"
    )
    assert listener.connections_during(lambda: _attempt(sandbox_only, query)) == 0
    assert listener.connections_during(lambda: _attempt(check_only, query)) == 0


@GENERATED
@given(query=hidden_service("http://127.0.0.1:1/"))
def test_generated_disguises_never_connect_over_http(query, listener, server):
    query = query.replace("http://127.0.0.1:1/", listener.endpoint)
    statuses = []
    made = listener.connections_during(
        lambda: statuses.append(requests.post(server.url + "/sparql", data={"query": query}, timeout=30).status_code)
    )
    assert made == 0 and statuses[0] in (400, 403)


CONFINED_PROCESS = """
import socket, sys
from aichr_kg.store.sandbox import confine_network
status = confine_network()
print(status.confined)
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    print("inet opened")
except PermissionError:
    print("inet refused")
try:
    socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    print("inet6 opened")
except PermissionError:
    print("inet6 refused")
left, right = socket.socketpair()
print("unix opened")
"""


def test_a_confined_process_cannot_open_network_sockets_but_keeps_its_pipes():
    result = subprocess.run([sys.executable, "-c", CONFINED_PROCESS], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "inet", "refused", "inet6", "refused", "unix", "opened"], result.stderr


def test_without_seccomp_serve_says_so_in_the_log_and_health(built, tmp_path):
    """A library that cannot load stands for a platform without seccomp: never silently unguarded."""
    (tmp_path / "pyseccomp.py").write_text("raise ImportError('libseccomp is not installed here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    running = RunningServer("--query-workers", "1", root=built.parent, env=env)
    try:
        body = requests.get(running.url + "/health", timeout=10).json()
        assert body["status"] == "degraded"
        assert body["stores"]["sparql"]["network_sandbox"] == {
            "confined": False,
            "reason": "libseccomp is not usable: libseccomp is not installed here",
        }
        log = Path(running.log.name).read_text(encoding="utf-8")
        assert "NOT confined" in log
    finally:
        running.stop()
