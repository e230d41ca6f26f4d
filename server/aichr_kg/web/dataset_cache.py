"""Values computed once per dataset (label index, ontology model, VoID counts), keyed by its hash.

The dataset of a running app never changes, but keying by the build's input hash keeps a cached
value from ever outliving the data it was computed from (tests, a future hot reload).
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

from flask import current_app

from aichr_kg.web import get_manifest

T = TypeVar("T")
_LOCK = threading.Lock()


def dataset_cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per app and dataset hash; later calls get the same object."""
    cache = current_app.extensions.setdefault("aichr_dataset_cache", {})
    key = (name, get_manifest()["input_hash"])
    with _LOCK:
        if key not in cache:
            cache[key] = compute()
        return cache[key]
