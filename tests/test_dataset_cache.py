"""The per-dataset cache: each app has its own, and a slow first computation of one value holds up
only the requests that need that value."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from flask import Flask

from aichr_kg.web.dataset_cache import dataset_cached
from aichr_kg.web.release import FixedSource, Release, ReleaseWatcher
from conftest import bare_manifest

WAIT_S = 5


def bare_app() -> Flask:
    """An app with just what the cache reads: the served release's dataset hash."""
    app = Flask(__name__)
    release = Release("release-1", bare_manifest("hash-1"), None, page_store=None, sparql_store=None)  # type: ignore[arg-type]
    app.extensions["aichr_releases"] = ReleaseWatcher(FixedSource(release), None)
    return app


def in_thread(app: Flask, name: str, compute, results: dict) -> threading.Thread:
    def run():
        with app.app_context():
            results[name] = dataset_cached(name, compute)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.fixture()
def slow_value():
    """A computation that starts, then waits until the test releases it."""
    started, release = threading.Event(), threading.Event()
    calls = []

    def compute():
        calls.append(1)
        started.set()
        release.wait(WAIT_S)
        return "slow"

    yield compute, started, release, calls
    release.set()


def test_a_slow_value_does_not_hold_up_another(slow_value):
    compute, started, release, _ = slow_value
    app, results = bare_app(), {}
    slow = in_thread(app, "slow", compute, results)
    assert started.wait(WAIT_S)
    fast = in_thread(app, "fast", lambda: "fast", results)
    fast.join(1)
    assert not fast.is_alive() and results == {"fast": "fast"}, "the fast value waited for the slow one"
    release.set()
    slow.join(WAIT_S)
    assert results == {"fast": "fast", "slow": "slow"}


def test_concurrent_requests_for_one_value_compute_it_once(slow_value):
    compute, started, release, calls = slow_value
    app, results = bare_app(), {}
    first = in_thread(app, "slow", compute, results)
    assert started.wait(WAIT_S)
    second = in_thread(app, "slow", compute, {})
    release.set()
    first.join(WAIT_S)
    second.join(WAIT_S)
    assert calls == [1] and results == {"slow": "slow"}


def test_each_app_has_its_own_values():
    first, second = bare_app(), bare_app()
    with first.app_context():
        assert dataset_cached("value", lambda: "first") == "first"
    with second.app_context():
        assert dataset_cached("value", lambda: "second") == "second"
    with first.app_context():
        assert dataset_cached("value", lambda: "again") == "first"


def test_a_new_dataset_hash_is_a_new_value():
    app = bare_app()
    with app.app_context():
        assert dataset_cached("value", lambda: "old") == "old"
        release = app.extensions["aichr_releases"].current()
        release.manifest = dataclasses.replace(release.manifest, input_hash="hash-2")
        assert dataset_cached("value", lambda: "new") == "new"


def test_a_failed_computation_is_not_kept():
    app = bare_app()

    def failing():
        raise RuntimeError("store unavailable")

    with app.app_context():
        with pytest.raises(RuntimeError):
            dataset_cached("value", failing)
        assert dataset_cached("value", lambda: "later") == "later"
