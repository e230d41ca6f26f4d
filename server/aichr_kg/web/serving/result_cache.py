"""Answers to /sparql kept in memory, keyed by their ETag, so a repeated query costs no store round trip.

A build never changes, so an answer stays right for as long as its dataset is served: each build
has its own cache (kept in `ServedBuild.values`), dropped when the build is closed after a reload. The ETag
already names everything that selects an answer (the dataset hash, the query, the format, the base,
the dataset parameters and the limits), so it is the key. Only whole answers of a 200 are kept, up to
a size each and a total, least recently used first out. Dashboards, pages and notebooks that ask the
same queries again are the common case on public endpoints (Wikidata's service caches GETs for the
same reason).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from aichr_kg.store import QueryResult

MAX_ENTRY_SHARE = 16  # no one answer may take more than 1/16 of the cache


class ResultCache:
    """A thread-safe LRU of QueryResults bounded by the bytes of their bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, QueryResult] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> QueryResult | None:
        with self._lock:
            result = self._entries.get(key)
            if result is not None:
                self._entries.move_to_end(key)
            return result

    def put(self, key: str, result: QueryResult) -> None:
        size = len(result.body)
        if not self.max_bytes or size * MAX_ENTRY_SHARE > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = result
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    @property
    def size_bytes(self) -> int:
        return self._bytes
