"""Values computed once per dataset (label index, ontology model, VoID counts), keyed by its hash.

The dataset of a running app never changes, but keying by the build's input hash keeps a cached
value from ever outliving the data it was computed from (tests, a future hot reload). Each app has
its own cache, and each key its own lock: a slow first computation holds up only the requests
that need that same value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from flask import Flask, current_app

from aichr_kg.dataset.labels import LabelIndex, load_label_index
from aichr_kg.dataset.ontology import Ontology, read_ontology
from aichr_kg.dataset.retired import read_retired
from aichr_kg.dataset.shapes import Shape, read_shapes
from aichr_kg.dataset.statistics import class_counts, property_counts
from aichr_kg.web.context import get_manifest, get_settings, get_store
from aichr_kg.web.pages.naming import Namer

T = TypeVar("T")
EXTENSION = "aichr_dataset_cache"


class DatasetCache:
    """Computed values by key, each computed at most once at a time and kept once computed.

    Values depend on each other (the namer on the ontology and the labels) but never in a cycle,
    so a computation may take other keys' locks without deadlock.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, object] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._locks_lock = threading.Lock()  # guards the lock table only, never held while computing

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of `key`; each key holds what its one `compute` made, so its type is that of T."""
        if key in self._values:
            return cast(T, self._values[key])
        with self._lock_for(key):
            if key not in self._values:
                self._values[key] = compute()
            return cast(T, self._values[key])

    def holds(self, key: Hashable) -> bool:
        """Whether `key` was computed already (a request for it would not wait)."""
        return key in self._values

    def _lock_for(self, key: Hashable) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(key, threading.Lock())


def init_app(app: Flask) -> DatasetCache:
    """Give `app` its cache (idempotent); `dataset_cached` also does this on first use."""
    cache = app.extensions.get(EXTENSION)
    if cache is None:
        cache = app.extensions.setdefault(EXTENSION, DatasetCache())  # setdefault: one winner if two threads race
    return cache


def dataset_cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per app and dataset hash; later calls get the same object."""
    return init_app(current_app).get((name, get_manifest().input_hash), compute)


def get_ontology() -> Ontology:
    """The ontology model of the served dataset."""
    return dataset_cached("ontology", lambda: read_ontology(get_store(), get_settings().base_iri))


def get_label_index() -> LabelIndex:
    """Every name in the served dataset, for search and for telling known IRIs from unknown ones."""
    return dataset_cached("labels", lambda: load_label_index(get_store(), get_settings().base_iri))


def get_shapes() -> list[Shape]:
    """The SHACL shapes the dataset was validated with, in words."""
    settings = get_settings()
    return dataset_cached("shapes", lambda: read_shapes(settings.shapes_dir, settings.base_iri))


def get_namer() -> Namer:
    return dataset_cached("namer", lambda: Namer(get_settings().base_iri, get_ontology(), get_label_index()))


def get_class_counts() -> dict[str, int]:
    """Instances per class (inferred types counted), for the home page, the ontology and VoID."""
    return dataset_cached("class_counts", lambda: class_counts(get_store()))


def get_property_counts() -> dict[str, int]:
    """Triples per property, for the ontology page and VoID."""
    return dataset_cached("property_counts", lambda: property_counts(get_store()))


def get_retired() -> dict[str, str | None]:
    """Retired IRIs and their successors, for the 301 or 410 their /id/ answers."""
    return dataset_cached("retired", lambda: read_retired(get_store(), get_settings().base_iri))
