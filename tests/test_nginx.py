"""The shipped nginx configuration (docs/deploy/nginx.conf) in front of `aichr-kg serve --public-url
… --trust-proxy 1`, both on 127.0.0.1: answers proxied, redirects naming the public URL, gzip when
asked, answers with an ETag cached per negotiated variant (and nothing else), and a burst from one
client answered with 429 and Retry-After.
"""

from __future__ import annotations

import gzip

import pytest
import requests

from front_servers import Nginx
from tests.support import RunningServer

pytestmark = pytest.mark.slow  # two real servers in front of each other

PUBLIC = "https://kg.example.org"
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def nginx(built):
    server = RunningServer("--public-url", PUBLIC, "--trust-proxy", "1", root=built.parent)
    try:
        proxy = Nginx(server.port)
        yield proxy
        proxy.stop()
    finally:
        server.stop()


def get(nginx, path: str, **headers: str) -> requests.Response:
    return requests.get(nginx.url + path, headers={**PLAIN, **headers}, allow_redirects=False, timeout=30)


def test_documents_are_proxied_and_redirects_name_the_public_url(nginx):
    redirect = get(nginx, "/id/project/jaif-01", Accept="text/turtle")
    assert (redirect.status_code, redirect.headers["Location"]) == (303, PUBLIC + "/doc/project/jaif-01")
    document = get(nginx, "/doc/project/jaif-01", Accept="text/turtle", **{"X-Forwarded-Host": "evil.example"})
    assert document.status_code == 200 and document.headers["Content-Type"].startswith("text/turtle")
    assert f"<{PUBLIC}/doc/project/jaif-01>" in document.text and "evil.example" not in document.text


def test_answers_are_compressed_when_asked(nginx):
    plain = get(nginx, "/ontology", Accept="text/turtle")
    packed = requests.get(
        nginx.url + "/ontology", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"}, stream=True, timeout=30
    )
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    body = gzip.decompress(packed.raw.read())
    assert body == plain.content and len(body) > 1024


def test_answers_with_an_etag_are_cached_per_negotiated_variant(nginx):
    first = get(nginx, "/list/Project", Accept="text/html")
    again = get(nginx, "/list/Project", Accept="text/html")
    assert first.headers["ETag"] and (first.headers["X-Cache-Status"], again.headers["X-Cache-Status"]) == ("MISS", "HIT")
    assert again.content == first.content
    other = get(nginx, "/api/jaif-cost-by-country", Accept="text/csv")
    json = get(nginx, "/api/jaif-cost-by-country", Accept="application/json")
    assert other.headers["X-Cache-Status"] == json.headers["X-Cache-Status"] == "MISS"
    assert json.headers["Content-Type"].startswith("application/json") and other.headers["Content-Type"].startswith("text/csv")
    assert get(nginx, "/api/jaif-cost-by-country", Accept="text/csv").headers["X-Cache-Status"] == "HIT"


def test_answers_without_an_etag_are_not_cached(nginx):
    """/robots.txt may be kept for a day by browsers (Cache-Control) but carries no validator: nginx keeps none."""
    answers = [get(nginx, "/robots.txt") for _ in range(2)]
    assert "ETag" not in answers[0].headers and "max-age" in answers[0].headers["Cache-Control"]
    assert [a.headers["X-Cache-Status"] for a in answers] == ["MISS", "MISS"]


def test_a_burst_from_one_client_gets_429_with_retry_after(nginx):
    """Pages from nginx's cache, so the burst outruns the refill (20/s, 40 at once) even on a loaded machine."""
    get(nginx, "/list/Project", Accept="text/html")
    with requests.Session() as session:
        pages = [session.get(nginx.url + "/list/Project", headers=PLAIN, timeout=30) for _ in range(150)]
        queries = [session.post(nginx.url + "/sparql", data={"query": "ASK {}"}, timeout=30) for _ in range(30)]
    for burst in (pages, queries):
        statuses = [answer.status_code for answer in burst]
        assert statuses[0] == 200 and 429 in statuses and set(statuses) == {200, 429}
        assert next(a for a in burst if a.status_code == 429).headers["Retry-After"] == "1"
    assert get(nginx, "/health").status_code == 200  # monitoring is not limited
