"""Values computed from a release's data live in that release: each is made once, a slow one holds up
only the requests that need it (never another release, never a request's pinning), and all of them
go when the release is closed after its last request."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from flask import Flask, g

from aichr_kg.config import Settings
from aichr_kg.web.context import get_result_cache
from aichr_kg.web.serving.dataset_cache import dataset_cached
from aichr_kg.web.serving.served import BuildWatcher, ServedBuild
from tests.support import bare_manifest, wait_until

WAIT_S = 5


class Value:
    """A computed value that a weak reference can follow (a str or a dict cannot be weakly referenced)."""

    def __init__(self, name: str) -> None:
        self.name = name


class QuietStore:
    """A store no test queries; closing it is all a release asks of it."""

    def close(self) -> None:
        pass


def release(identity: str = "release-1") -> ServedBuild:
    store = QuietStore()
    return ServedBuild(identity, bare_manifest(identity), None, store, store)


class Switching:
    """A release source whose current release the test chooses."""

    def __init__(self, first: ServedBuild) -> None:
        self.current = first

    def current_identity(self) -> str:
        return self.current.identity

    def open(self) -> ServedBuild:
        return self.current


def bare_app(first: ServedBuild) -> tuple[Flask, Switching]:
    """An app with just what the values read: the settings and the served release."""
    app = Flask(__name__)
    app.config["AICHR_SETTINGS"] = Settings()
    source = Switching(first)
    app.extensions["aichr_builds"] = BuildWatcher(source, None)
    return app, source


def on(app: Flask, pinned: ServedBuild, name: str, compute) -> object:
    """What a request pinned to `pinned` gets for `name`."""
    with app.app_context():
        g.aichr_served_build = pinned
        return dataset_cached(name, compute)


def in_thread(app: Flask, pinned: ServedBuild, name: str, compute, results: dict) -> threading.Thread:
    def run():
        results[name] = on(app, pinned, name, compute)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.fixture()
def slow_value():
    """A computation that starts, then waits until the test lets it finish."""
    started, finish = threading.Event(), threading.Event()
    calls = []

    def compute():
        calls.append(1)
        started.set()
        finish.wait(WAIT_S)
        return "slow"

    yield compute, started, finish, calls
    finish.set()


def gone(reference: weakref.ref) -> bool:
    gc.collect()
    return reference() is None


def test_a_value_goes_when_its_release_is_retired_and_idle():
    first = release("first")
    app, source = bare_app(first)
    value = weakref.ref(on(app, first, "value", lambda: Value("first")))
    assert on(app, first, "value", lambda: Value("again")) is value(), "made once, then kept"
    source.current = release("second")
    assert app.extensions["aichr_builds"].check()
    wait_until(lambda: gone(value), WAIT_S, "the retired release's value lives on")
    assert on(app, source.current, "value", lambda: Value("second")).name == "second"


def test_a_value_outlives_its_retirement_until_the_last_request_leaves():
    old = release()
    old.enter()
    reference = weakref.ref(old.kept("value", lambda: Value("old")))
    old.retire()
    assert not gone(reference), "dropped under a request still pinned to the release"
    old.leave()
    wait_until(lambda: gone(reference), WAIT_S, "the value outlived the release's last request")


def test_a_value_made_for_a_closed_release_is_not_kept():
    closed = release()
    closed.close()
    assert closed.kept("value", lambda: "made") == "made"
    assert not closed.values.holds("value")


def test_a_slow_value_holds_up_neither_another_value_nor_another_release_nor_pinning(slow_value):
    compute, started, finish, _ = slow_value
    first, second = release("first"), release("second")
    app, _ = bare_app(first)
    results: dict = {}
    slow = in_thread(app, first, "slow", compute, results)
    assert started.wait(WAIT_S)
    others = [
        in_thread(app, first, "fast", lambda: "fast", results),
        in_thread(app, second, "slow on second", lambda: "second", results),
        threading.Thread(target=lambda: (first.enter(), first.leave(), second.enter(), second.leave()), daemon=True),
    ]
    others[-1].start()
    for thread in others:
        thread.join(1)
    assert not any(t.is_alive() for t in others), "a request waited for another value being made"
    assert results == {"fast": "fast", "slow on second": "second"}
    finish.set()
    slow.join(WAIT_S)
    assert results["slow"] == "slow"


def test_concurrent_requests_for_one_value_compute_it_once(slow_value):
    compute, started, finish, calls = slow_value
    pinned = release()
    app, _ = bare_app(pinned)
    results: dict = {}
    first = in_thread(app, pinned, "slow", compute, results)
    assert started.wait(WAIT_S)
    waiting = [in_thread(app, pinned, "slow", compute, {}) for _ in range(4)]
    finish.set()
    for thread in [first, *waiting]:
        thread.join(WAIT_S)
    assert calls == [1] and results == {"slow": "slow"}


def test_each_release_has_its_own_values_even_of_the_same_dataset():
    first, again = release("same"), release("same")
    app, _ = bare_app(first)
    assert on(app, first, "value", lambda: "first") == "first"
    assert on(app, again, "value", lambda: "again") == "again"
    assert on(app, first, "value", lambda: "later") == "first"


def test_a_failed_computation_is_not_kept():
    pinned = release()
    app, _ = bare_app(pinned)

    def failing():
        raise RuntimeError("store unavailable")

    with pytest.raises(RuntimeError):
        on(app, pinned, "value", failing)
    assert on(app, pinned, "value", lambda: "later") == "later"


def test_kept_answers_belong_to_their_release():
    first, second = release("first"), release("second")
    app, _ = bare_app(first)
    with app.app_context():
        g.aichr_served_build = first
        answers = get_result_cache()
        assert get_result_cache() is answers
        g.aichr_served_build = second
        assert get_result_cache() is not answers
    reference = weakref.ref(answers)
    del answers
    first.close()
    assert gone(reference), "a closed release's answers are still held"
