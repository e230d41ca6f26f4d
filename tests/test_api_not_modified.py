"""A 304 from /api costs no store round trip: the ETag is decided from the dataset hash and the
request alone, before the parameters are checked against the graph or the query runs.

In-process apps over a store that counts executions: a fresh app (nothing read or cached yet)
answers If-None-Match without a single execution, and the same request without it does execute.
"""

from __future__ import annotations

import pytest

from aichr_kg.config import load_settings
from aichr_kg.store.local import LocalStore
from aichr_kg.web import create_app
from tests.support import CountingStore

ID = "https://w3id.org/aichr-japan/id/"


def counting_app(built):
    store = CountingStore(LocalStore(built / "store"))
    return create_app(load_settings(environ={}, root=built.parent), store=store), store


@pytest.mark.parametrize(
    "path",
    [
        f"/api/country-links?country={ID}country/th",  # an IRI checked against the graph, an enumeration from it
        "/api/goj-initiatives?year=2023&format=csv",
        "/api/jaif-projects?page=2",
        "/api/donors-ranked.svg",
        "/api/openapi.json",
    ],
)
def test_a_304_executes_nothing_and_a_200_does(built, path):
    first, _ = counting_app(built)
    served = first.test_client().get(path)
    assert served.status_code == 200, served.text
    app, store = counting_app(built)
    client = app.test_client()
    again = client.get(path, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == served.headers["ETag"]
    assert store.requests == [], "the 304 reached the store"
    assert client.get(path).status_code == 200 and store.requests, "the same app reaches the store for a 200"
