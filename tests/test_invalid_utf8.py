"""Bytes that are not UTF-8, over real HTTP: a 400 that says which text is not UTF-8, whichever way
it was sent, and never a query run on the bytes replaced (U+FFFD) or left escaped (`%FF`)."""

from __future__ import annotations

import pytest
import requests

NOT_UTF8 = {  # percent-escapes → what is wrong with them
    "%FF%FE": "a byte that starts no character",
    "%C3": "a character cut short",
    "%C0%AF": "an overlong '/'",
    "%ED%A0%80": "a UTF-16 surrogate",
}
ASK_E_ACUTE = 'ASK { FILTER("é" = "\\u00e9") }'  # true when the é arrives intact
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
QUERY_BODY = {"Content-Type": "application/sparql-query"}


def assert_refused(response, what: str) -> None:
    assert response.status_code == 400, response.text[:300]
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert f"{what} is not valid UTF-8" in response.text


@pytest.mark.parametrize("escapes", NOT_UTF8)
def test_query_in_the_url(server, escapes):
    response = requests.get(f"{server.url}/sparql?query=ASK%20%7B%7D{escapes}", timeout=30)
    assert_refused(response, "the query")


@pytest.mark.parametrize("escapes", NOT_UTF8)
def test_query_in_a_form_body(server, escapes):
    response = requests.post(server.url + "/sparql", data=f"query=ASK%20%7B%7D{escapes}", headers=FORM, timeout=30)
    assert_refused(response, "the query")


def test_raw_bytes_in_a_form_body(server):
    response = requests.post(server.url + "/sparql", data=b"query=ASK%20%7B%7D\xff", headers=FORM, timeout=30)
    assert_refused(response, "the query")


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80"])
def test_query_as_the_body(server, raw):
    response = requests.post(server.url + "/sparql", data=b'ASK { FILTER("' + raw + b'" = "") }', headers=QUERY_BODY, timeout=30)
    assert_refused(response, "the query (the request body)")
    assert "at byte 15" in response.text, "the message says where"


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri", "format"])
def test_other_protocol_parameters(server, name):
    response = requests.get(f"{server.url}/sparql?query=ASK%20%7B%7D&{name}=urn:x%FF", timeout=30)
    assert_refused(response, f"the parameter {name!r}")


def test_a_parameter_name(server):
    assert_refused(requests.get(f"{server.url}/sparql?query=ASK%20%7B%7D&%FF=1", timeout=30), "a parameter name")


@pytest.mark.parametrize(
    "path", ["/api/country-links?country=%FF", "/api/jaif-projects?page=%C3", "/api/jaif-cost-by-country.svg?x=%FF"]
)
def test_saved_query_parameters(server, path):
    response = requests.get(server.url + path, timeout=30)
    name = path.split("?")[1].split("=")[0]
    assert_refused(response, f"the parameter {name!r}")


def test_refusals_come_as_json_to_who_asks_for_json(server):
    response = requests.get(f"{server.url}/sparql?query=%FF", headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"].startswith("400 Bad Request: the query is not valid UTF-8")


@pytest.mark.parametrize(
    "send",
    [
        lambda url: requests.get(url, params={"query": ASK_E_ACUTE}, timeout=30),
        lambda url: requests.post(url, data={"query": ASK_E_ACUTE}, timeout=30),
        lambda url: requests.post(url, data=ASK_E_ACUTE.encode(), headers=QUERY_BODY, timeout=30),
    ],
    ids=["url", "form", "body"],
)
def test_utf8_arrives_intact_every_way(server, send):
    response = send(server.url + "/sparql")
    assert response.status_code == 200 and response.json()["boolean"] is True
