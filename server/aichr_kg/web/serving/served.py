"""What a front end serves: one build (a build's manifest and files, and the stores over it), swapped whole.

A running server picks up a new build, or a new publication to a shared store, without a restart
and without a failed request. A watcher thread asks the build's source every few seconds which
build is current (embedded: where `build/` points; remote: the hash `publish` recorded); when it
changed, the new build is opened beside the old one (its query workers started and ready), then
made current in one assignment. Each request pins the build it started on, so it sees one
dataset from its first query to its last; the old build's stores are closed once its last
request is done. A build that cannot be opened (a damaged build) is logged and the old one kept.

Everything computed from a build's data (label index, ontology model, counts, completion
document, saved-query catalog, kept answers) is kept in the build itself, in its `Values`, and
dropped when it is closed: a server that reloads for months holds the values of one or two
builds, never of every build it served.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar, cast

from aichr_kg.errors import AichrKgError, BuildBrokenError, BuildMissingError
from aichr_kg.pipeline.manifest import Manifest
from aichr_kg.store import QueryFailed, QueryTimeout, SparqlStore, StoreBusy

log = logging.getLogger("aichr_kg.web")
Kept = TypeVar("Kept")
NOT_MADE = object()


class Values:
    """Values computed from one build's data, each made at most once and kept until `drop`.

    The table's own lock guards the tables only and is never held while a value is made: each key
    has its lock, so a slow first computation holds up only the requests that need that same value
    (they wait for it rather than repeat it), never one that needs another value or another build.
    Values depend on each other (the namer on the ontology and the labels) but never in a cycle,
    so making one may take other keys' locks without deadlock. A computation that fails keeps
    nothing: the next request tries again.
    """

    def __init__(self) -> None:
        self._made: dict[str, object] = {}
        self._making: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._dropped = False

    def get(self, key: str, make: Callable[[], Kept]) -> Kept:
        """The value of `key`, made by `make` if no one made it yet; each key holds what its one `make`
        makes, so its type is that of Kept."""
        value = self._made.get(key, NOT_MADE)  # one lookup: a `drop` between two would fail it
        if value is not NOT_MADE:
            return cast(Kept, value)
        with self._lock:
            key_lock = self._making.setdefault(key, threading.Lock())
        with key_lock:
            value = self._made.get(key, NOT_MADE)  # made while this request waited for it
            if value is not NOT_MADE:
                return cast(Kept, value)
            value = make()
            with self._lock:
                if not self._dropped:  # a value made for a closed build is handed out but not kept
                    self._made[key] = value
            return value

    def holds(self, key: str) -> bool:
        """Whether `key` was made already (a request for it would not wait)."""
        return key in self._made

    def drop(self) -> None:
        """Let go of every value (the build is closed); nothing is kept from now on."""
        with self._lock:
            self._dropped = True
            self._made.clear()
            self._making.clear()


@dataclass(eq=False)
class ServedBuild:
    """A dataset as served: its manifest, its build folder (None when served only from a remote store), its stores."""

    identity: str  # what the source calls this build: a new identity is a new build
    manifest: Manifest
    build_dir: Path | None
    page_store: SparqlStore
    sparql_store: SparqlStore
    values: Values = field(default_factory=Values, repr=False)
    _users: int = 0
    _retired: bool = False
    _closed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def kept(self, key: str, make: Callable[[], Kept]) -> Kept:
        """A value computed from this build's data, made on first use and dropped when the build is closed."""
        return self.values.get(key, make)

    @property
    def in_use(self) -> bool:
        """A request (or a warm-up) has this build pinned."""
        return self._users > 0

    @property
    def retired(self) -> bool:
        """No new request gets this build: a newer one is current, or the app is stopping."""
        return self._retired or self._closed

    def enter(self) -> None:
        with self._lock:
            self._users += 1

    def leave(self) -> None:
        """One request done with the build; the last one out of a retired build closes it."""
        with self._lock:
            self._users -= 1
            close = self._retired and self._users == 0
        if close:
            self._close_in_background()

    def retire(self) -> None:
        """No new request gets this build; it is closed now if idle, else when its last request leaves."""
        with self._lock:
            self._retired = True
            close = self._users == 0
        if close:
            self._close_in_background()

    def _close_in_background(self) -> None:
        """Stopping workers takes milliseconds each; the request that happened to be last should not wait for it."""
        threading.Thread(target=self.close, name="build-close", daemon=False).start()

    def close(self) -> None:
        """Stop the build's stores and let go of its values."""
        self._closed = True
        self.values.drop()
        stores = {id(s): s for s in (self.page_store, self.sparql_store)}  # one store may serve both
        for store in stores.values():
            store.close()


class ServedBuildSource(Protocol):
    """Where builds come from: which one is current, and how to open it."""

    def current_identity(self) -> str: ...

    def open(self) -> ServedBuild: ...


class BuildWatcher:
    """The current build of one app, re-checked every `interval_s` seconds by a background thread."""

    def __init__(self, source: ServedBuildSource, interval_s: float | None) -> None:
        self.source = source
        self._current = source.open()
        self._refused: str | None = None  # a build that could not be opened is not tried again
        self._listeners: list[Callable[[ServedBuild], None]] = []
        self._stop = threading.Event()
        if interval_s:
            threading.Thread(target=self._watch, args=(interval_s,), name="build-watcher", daemon=True).start()

    def current(self) -> ServedBuild:
        return self._current

    def on_build(self, listener: Callable[[ServedBuild], None]) -> None:
        """Call `listener` with the current build now, and with each new one as it becomes current."""
        self._listeners.append(listener)
        listener(self._current)

    def check(self) -> bool:
        """Switch to the source's current build if it is a new one; True when a switch happened."""
        identity = self.source.current_identity()
        if identity in (self._current.identity, self._refused):
            return False
        try:
            fresh = self.source.open()
        except (BuildBrokenError, BuildMissingError):  # not tried again until another build appears
            self._refused = identity
            raise
        old, self._current = self._current, fresh
        old.retire()
        log.info("now serving build %s (dataset %s)", fresh.identity, fresh.manifest.input_hash[:12])
        self._announce(fresh)
        return True

    def _announce(self, build: ServedBuild) -> None:
        """Tell every listener; one that fails is logged, the switch stands and the others still hear of it."""
        for listener in self._listeners:
            try:
                listener(build)
            except Exception:
                log.exception("a listener of build %s failed", build.identity)

    def close(self) -> None:
        """Stop watching and close the current build now (the app is stopping: nothing is drained)."""
        self._stop.set()
        self._current.close()

    def _watch(self, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            try:
                self.check()
            except (AichrKgError, QueryFailed, QueryTimeout, StoreBusy, OSError) as error:
                log.error("a new build could not be opened; still serving %s: %s", self._current.identity, error)
            except Exception:  # the watcher must outlive any one failure, or no build is ever picked up again
                log.exception("checking for a new build failed; still serving %s", self._current.identity)


class FixedSource:
    """One build that never changes: a store given to `create_app` (tests, tools)."""

    def __init__(self, build: ServedBuild) -> None:
        self.build = build

    def current_identity(self) -> str:
        return self.build.identity

    def open(self) -> ServedBuild:
        return self.build
