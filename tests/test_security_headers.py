"""Security headers over real HTTP: every kind of response carries them (pages, results, RDF, dumps,
charts, static files, redirects, errors, 304s), and the pages carry nothing inline the policy forbids."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import requests

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ROUTES = {  # name → (path, request headers, expected status, expected media type)
    "home": ("/", HTML, 200, "text/html"),
    "query page": ("/sparql", HTML, 200, "text/html"),
    "query results": ("/sparql?query=ASK%20%7B%7D", {}, 200, "application/sparql-results+json"),
    "query error": ("/sparql?query=SELECT", {}, 400, "text/plain"),
    "resource IRI": ("/id/project/jaif-01", HTML, 303, "text/html"),
    "document HTML": ("/doc/project/jaif-01", HTML, 200, "text/html"),
    "document Turtle": ("/doc/project/jaif-01", {"Accept": "text/turtle"}, 200, "text/turtle"),
    "API page": ("/api", HTML, 200, "text/html"),
    "API answer": ("/api/jaif-cost-by-country", {"Accept": "application/json"}, 200, "application/json"),
    "API chart": ("/api/jaif-cost-by-country.svg", {}, 200, "image/svg+xml"),
    "dump": ("/download/aichr-kg.ttl", {}, 200, "text/turtle"),
    "ontology": ("/ontology", HTML, 200, "text/html"),
    "VoID": ("/.well-known/void", {"Accept": "text/turtle"}, 200, "text/turtle"),
    "API 404": ("/api/no-such-query", {}, 404, "text/plain"),
    "dump 404": ("/download/no-such-dump.ttl", {}, 404, "text/plain"),
    "stylesheet": ("/static/style.css", {}, 200, "text/css"),
    "script": ("/static/query-editor.js", {}, 200, "text/javascript"),
}
PAGES = [
    "/",
    "/sparql?query=SELECT%20*%20WHERE%20%7B%20?s%20?p%20?o%20%7D%20LIMIT%205",
    "/doc/project/jaif-01",
    "/api",
    "/api/jaif-cost-by-country?format=html",
    "/ontology",
    "/list/Project",
    "/.well-known/void",
    "/search?q=thai",
]
DATA_BLOCKS = {"application/json", "application/ld+json"}  # scripts a browser never runs


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = [part.split() for part in response.headers["Content-Security-Policy"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_security_headers(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"], "no 'unsafe-inline'"
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"], "scripts may fetch from us only"


@pytest.mark.parametrize("name", ROUTES)
def test_every_kind_of_response_carries_the_headers(server, name):
    path, headers, status, media_type = ROUTES[name]
    response = requests.get(server.url + path, headers=headers, allow_redirects=False, timeout=30)
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/doc/project/jaif-01", "/static/style.css", "/download/aichr-kg.ttl"])
def test_not_modified_answers_carry_the_same_headers(server, path):
    """A cache merges a 304's headers into the stored page: a different policy there would replace it."""
    first = requests.get(server.url + path, headers=HTML, timeout=30)
    again = requests.get(server.url + path, headers={**HTML, "If-None-Match": first.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
    assert_security_headers(again)
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_errors_under_api_and_download_stay_plain_text_for_browsers(server):
    for path in ("/api/no-such-query", "/download/no-such-dump.ttl"):
        response = requests.get(server.url + path, headers=HTML, timeout=30)
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert_security_headers(response)


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts and styles,
    style attributes, event handler attributes and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_BLOCKS:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{name}= on <{tag}>" for name in attributes if name == "style" or name.startswith("on")]
        self.found += [f"javascript: link on <{tag}>" for value in attributes.values() if (value or "").startswith("javascript:")]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_nothing_inline_that_the_policy_forbids(server, path):
    response = requests.get(server.url + path, headers=HTML, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    parser = InlineCode()
    parser.feed(response.text)
    assert parser.found == []
