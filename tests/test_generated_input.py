"""Generated input for the pages and the API (Hypothesis): page numbers, paths under /doc/ and /id/,
search texts and saved-query parameter values in any script, including almost-IRIs and broken
percent-encodings, never get a server error or a traceback. Requests are sent byte for byte.
"""

from __future__ import annotations

import http.client
from urllib.parse import quote, quote_from_bytes

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aichr_kg.namespaces import CANONICAL_BASE
from tests.support import generated_examples

pytestmark = pytest.mark.slow  # real processes killed, built or fuzzed: the full suite runs them

GENERATED = settings(
    max_examples=generated_examples(150), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
ACCEPT = st.sampled_from(["text/html", "*/*", "text/turtle", "application/json"])
# Digits of every kind (² and ٢ pass str.isdigit but are no page number), signs, and anything else.
PAGE = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=4),
    st.text(max_size=12),
)
PATH_TAIL = st.one_of(
    st.text(max_size=60).map(lambda text: quote(text, safe="/")),
    st.binary(max_size=40).map(lambda raw: quote_from_bytes(raw, safe="/")),  # invalid UTF-8 included
    st.sampled_from(["project/jaif-01", "ontology/Project", "meeting/interface-1", "org/jaif"]).flatmap(
        lambda path: st.sampled_from(["", ".ttl", ".html", ".xyz", "/", "/..", "%00", "%ZZ"]).map(lambda end: path + end)
    ),
)
# What passes a first "http(s)://..." check but may still be no IRI: brackets, colons, stray %.
# (Characters a URL can carry: a lone surrogate has no UTF-8 form; invalid bytes are sent as PATH_TAIL.)
IRI_LIKE = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["http://", "https://", CANONICAL_BASE + "id/", "http://["]),
    st.text(st.one_of(st.sampled_from(list('[]:%@/?#{}|^`<>" \\zZ09')), st.characters(codec="utf-8")), max_size=30),
)
PARAMETER_VALUE = st.one_of(IRI_LIKE, st.text(max_size=40), PAGE)


def raw_get(server, path: str, accept: str) -> tuple[int, str]:
    """A GET with the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def assert_answered(server, path: str, accept: str = "*/*") -> None:
    status, body = raw_get(server, path, accept)
    assert status < 500, f"{path} → {status}: {body[:300]}"
    assert "Traceback" not in body, path


@given(page=PAGE, accept=ACCEPT)
@GENERATED
def test_any_page_number_of_a_document(server, page, accept):
    assert_answered(server, "/doc/project/jaif-01?page=" + quote(page, safe=""), accept)


@given(page=PAGE)
@GENERATED
def test_any_page_number_of_a_saved_query(server, page):
    assert_answered(server, "/api/jaif-projects?page=" + quote(page, safe=""))


@given(prefix=st.sampled_from(["/doc/", "/id/", "/ontology/"]), tail=PATH_TAIL, accept=ACCEPT)
@GENERATED
def test_any_path_under_doc_and_id(server, prefix, tail, accept):
    assert_answered(server, prefix + tail, accept)


@given(text=st.one_of(st.text(max_size=250), st.binary(max_size=60).map(lambda raw: raw.decode("latin-1"))))
@GENERATED
def test_any_search_text(server, text):
    assert_answered(server, "/search?q=" + quote(text, safe=""), "text/html")


@pytest.fixture(scope="module")
def api_parameters(server) -> list[tuple[str, str]]:
    """(path, parameter name) of every saved-query parameter, as the OpenAPI document declares them."""
    document = requests.get(server.url + "/api/openapi.json", timeout=30).json()
    found = [
        (path, parameter["name"])
        for path, operations in document["paths"].items()
        for parameter in operations["get"].get("parameters", [])
        if parameter["name"] not in ("format", "page")
    ]
    assert len(found) >= 9
    return found


@given(data=st.data(), value=PARAMETER_VALUE)
@GENERATED
def test_any_saved_query_parameter_value(server, api_parameters, data, value):
    path, name = data.draw(st.sampled_from(api_parameters), label="parameter")
    assert_answered(server, f"{path}?{quote(name)}={quote(value, safe='')}")
