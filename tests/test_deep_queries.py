"""No query takes the service down: every nest that crashes pyoxigraph's parser, sent by every way a
query reaches the server, gets a 4xx, while other clients keep getting their answers, on the
embedded store and with `serve --endpoint` in front of each engine."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import requests

from deep_nests import SHAPES, crash_corpus, deepest_nest

pytestmark = [pytest.mark.every_backend, pytest.mark.slow]

PLAIN = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"
JSON = {"Accept": "application/sparql-results+json"}


def post_form(url: str, text: str) -> requests.Response:
    return requests.post(f"{url}/sparql", data={"query": text}, headers=JSON, timeout=30)


def post_body(url: str, text: str) -> requests.Response:
    return requests.post(
        f"{url}/sparql", data=text.encode(), headers={**JSON, "Content-Type": "application/sparql-query"}, timeout=30
    )


def get(url: str, text: str) -> requests.Response:
    return requests.get(f"{url}/sparql", params={"query": text}, headers=JSON, timeout=30)


def query_page(url: str, text: str) -> requests.Response:
    return requests.post(f"{url}/sparql", data={"query": text}, headers={"Accept": "text/html"}, timeout=30)


SENDS: dict[str, Callable[[str, str], requests.Response]] = {
    "GET": get,
    "POST form": post_form,
    "POST body": post_body,
    "query page": query_page,
}


def attacks() -> dict[str, str]:
    """The crash corpus and every construct nested as deep as the length cap allows."""
    return {**crash_corpus(), **{f"deep {shape}": deepest_nest(shape) for shape in SHAPES}}


@contextmanager
def other_clients(url: str, count: int = 2) -> Iterator[list[int]]:
    """`count` clients sending a plain query in a loop until the block ends; yields the statuses they got."""
    statuses: list[int] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                statuses.append(requests.get(f"{url}/sparql", params={"query": PLAIN}, headers=JSON, timeout=30).status_code)
            except requests.ConnectionError:
                statuses.append(0)

    clients = [threading.Thread(target=client) for _ in range(count)]
    for thread in clients:
        thread.start()
    try:
        yield statuses
    finally:
        stop.set()
        for thread in clients:
            thread.join()


def test_every_deep_nest_gets_a_4xx_and_every_other_client_its_answers(server) -> None:
    with other_clients(server.url) as statuses:
        for name, text in attacks().items():
            for way, send in SENDS.items():
                answer = send(server.url, text)
                assert 400 <= answer.status_code < 500, f"{name} by {way}: {answer.status_code} {answer.text[:300]}"
                if way != "GET":  # a URL this long may be refused by the HTTP layer first (414, 431)
                    assert "nests too deep" in answer.text, f"{name} by {way}: {answer.text[:300]}"
    assert server.process.poll() is None, "the server exited"
    assert statuses and set(statuses) == {200}, f"other clients got {sorted(set(statuses))}"
    assert server.get("/health").status_code == 200


def test_a_saved_query_parameter_cannot_smuggle_a_nest(server) -> None:
    """Parameters become terms, never text; brackets in one are an invalid IRI (400), not a parse."""
    answer = server.get("/api/country-links", params={"country": "(" * 5_000})
    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert server.get("/health").status_code == 200
