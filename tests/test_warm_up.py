"""A release's completion document and names are made in the background as it becomes current, so
the first person to open the query page does not wait for them; a store given by a caller is left alone."""

from __future__ import annotations

import logging
import time

import pytest

from aichr_kg.config import load_settings
from aichr_kg.store.local import LocalStore
from aichr_kg.web import close_stores, create_app
from aichr_kg.web.serving.served import BuildWatcher, ServedBuild
from aichr_kg.web.serving.warm_up import warm_in_background
from tests.support import CountingStore, bare_manifest, wait_until

DEADLINE_S = 60  # a generous bound on a loaded machine; the document takes a quarter of a second here


def _held(app, name: str) -> bool:
    return app.extensions["aichr_builds"].current().values.holds(name)


def test_a_served_release_has_its_completion_document_made_before_any_request(built):
    app = create_app(load_settings(environ={}, root=built.parent))
    try:
        wait_until(lambda: _held(app, "completion") and _held(app, "namer"), DEADLINE_S, "not made in the background")
        answer = app.test_client().get("/sparql/completion.json")
        assert answer.status_code == 200 and answer.json["classProperties"]["aj:JAIFProject"]
    finally:
        close_stores(app)


def test_a_store_given_by_the_caller_is_sent_nothing_unasked(built):
    store = CountingStore(LocalStore(built / "store"))
    app = create_app(load_settings(environ={}, root=built.parent), store=store)
    time.sleep(0.5)  # a warm-up, were there one, would have started by now
    assert store.requests == [] and not _held(app, "completion")
    close_stores(app)


class TwoReleases:
    """A source whose current release changes once the test says so."""

    def __init__(self):
        self.releases = [_release("first"), _release("second")]
        self.index = 0

    def current_identity(self) -> str:
        return self.releases[self.index].identity

    def open(self) -> ServedBuild:
        return self.releases[self.index]


def _release(identity: str, store=None) -> ServedBuild:
    store = store or GoneStore()
    return ServedBuild(identity, bare_manifest(identity), None, store, store)


def test_each_release_is_announced_as_it_becomes_current():
    source, seen = TwoReleases(), []
    watcher = BuildWatcher(source, None)
    watcher.on_build(lambda release: seen.append(release.identity))
    assert seen == ["first"]
    source.index = 1
    assert watcher.check() and seen == ["first", "second"]
    assert not watcher.check() and seen == ["first", "second"], "an unchanged release is not announced again"


class GoneStore:
    """A store that fails every query, as one whose engine went away does."""

    def execute(self, request):
        raise OSError("the store went away")

    def close(self) -> None:
        pass


def test_a_warm_up_that_fails_is_logged_and_unpins_the_release(built, caplog):
    app = create_app(load_settings(environ={}, root=built.parent), store=CountingStore(LocalStore(built / "store")))
    release = _release("broken")
    with caplog.at_level(logging.WARNING, logger="aichr_kg.web"):
        warm_in_background(app, release)
        wait_until(lambda: "warming build broken stopped" in caplog.text, DEADLINE_S, "no warning logged")
    wait_until(lambda: not release.in_use, DEADLINE_S, "the warm-up held on to the release")
    close_stores(app)


@pytest.mark.parametrize("how", ["retired", "closed"])
def test_a_release_no_longer_current_is_not_warmed(built, how):
    store = CountingStore(LocalStore(built / "store"))
    app = create_app(load_settings(environ={}, root=built.parent), store=store)
    release = _release("old", store)
    if how == "retired":
        release.retire()
    else:
        release.close()
    warm_in_background(app, release)
    # pinned before its thread starts, so unpinned means the thread is done
    wait_until(lambda: not release.in_use, DEADLINE_S, "the warm-up held on to the release")
    assert store.requests == []
    close_stores(app)


def test_a_listener_that_fails_does_not_undo_the_switch(caplog):
    source = TwoReleases()
    watcher = BuildWatcher(source, None)
    heard = []
    watcher.on_build(lambda release: release.identity == "second" and 1 / 0)
    watcher.on_build(lambda release: heard.append(release.identity))
    source.index = 1
    with caplog.at_level(logging.ERROR, logger="aichr_kg.web"):
        assert watcher.check()
    assert watcher.current().identity == "second" and heard == ["first", "second"]
    assert "a listener of build second failed" in caplog.text
