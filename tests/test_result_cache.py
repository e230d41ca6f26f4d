"""Repeated /sparql answers come from memory: no store round trip, the same bytes and headers, and
never an answer of another dataset, format, base or limit."""

from __future__ import annotations

import pytest

from aichr_kg.config import load_settings
from aichr_kg.store import QueryResult
from aichr_kg.store.local import LocalStore
from aichr_kg.web import close_stores, create_app
from aichr_kg.web.serving.result_cache import ResultCache
from tests.support import CountingStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?p a aj:JAIFProject }"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture()
def counting(built):
    def make(**settings):
        store = CountingStore(LocalStore(built / "store"))
        app = create_app(load_settings(environ={}, root=built.parent, **settings), store=store)
        made.append(app)
        return app.test_client(), store

    made: list = []
    yield make
    for app in made:
        close_stores(app)


def test_a_repeated_query_is_answered_without_the_store(counting):
    client, store = counting()
    first = client.post("/sparql", data={"query": COUNT}, headers=JSON)
    again = client.post("/sparql", data={"query": COUNT}, headers=JSON)
    assert first.status_code == again.status_code == 200
    assert len(store.requests) == 1
    assert again.data == first.data
    for header in ("Content-Type", "ETag", "X-Result-Rows", "Content-Security-Policy"):
        assert again.headers[header] == first.headers[header]


def test_each_format_and_limit_is_its_own_answer(counting):
    client, store = counting()
    client.post("/sparql", data={"query": COUNT}, headers=JSON)
    csv = client.post("/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"})
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert len(store.requests) == 2
    other_client, other_store = counting(max_result_rows=1)
    cut = other_client.post("/sparql", data={"query": "SELECT ?p WHERE { ?p a aj:JAIFProject }"}, headers=JSON)
    assert cut.headers["X-Result-Truncated"].startswith("true; max-rows=1") and len(other_store.requests) == 1


def test_errors_are_not_kept(counting):
    client, store = counting()
    for _ in range(2):
        assert client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p }"}, headers=JSON).status_code == 400
    assert len(store.requests) == 2


def test_no_cache_when_switched_off(counting):
    client, store = counting(result_cache_mb=0)
    for _ in range(2):
        assert client.post("/sparql", data={"query": COUNT}, headers=JSON).status_code == 200
    assert len(store.requests) == 2


def test_the_cache_is_bounded_by_bytes_least_recent_out():
    cache = ResultCache(max_bytes=16 * 100)
    for key in "abcdefghijklmnopq":
        cache.put(key, QueryResult(b"x" * 100, "json", rows=1))
    assert cache.size_bytes <= 16 * 100
    assert cache.get("a") is None and cache.get("q") is not None
    cache.put("huge", QueryResult(b"x" * 101, "json", rows=1))  # over 1/16 of the cache: not kept
    assert cache.get("huge") is None
