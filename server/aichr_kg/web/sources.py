"""Where a front end's releases come from."""

from __future__ import annotations

from pathlib import Path

from aichr_kg.config import Settings
from aichr_kg.pipeline.integrity import open_build
from aichr_kg.store import SparqlStore
from aichr_kg.store.pool import EmbeddedStore, PoolShape
from aichr_kg.store.remote import RemoteStore
from aichr_kg.web.release import Release


class BuildSource:
    """Releases of the local build: the current one is where `build/` points (a build switches it atomically).

    Its stores are pools of embedded workers on the release's store, or the configured remote store.
    """

    def __init__(self, settings: Settings, *, verify: bool = False) -> None:
        self.settings, self.verify = settings, verify

    def current_identity(self) -> str:
        return str(self.settings.build_dir.resolve())

    def open(self) -> Release:
        """The release `build/` points to, checked (sizes; every hash with `verify`), with its pools started."""
        build_dir, manifest = open_build(self.settings.build_dir, full=self.verify)
        limits = self.settings.limits
        page_store = self._pool(build_dir, limits.page_workers, "page")
        try:
            sparql_store = self._pool(build_dir, limits.query_workers, "query")
        except Exception:
            page_store.close()
            raise
        return Release(str(build_dir), manifest, build_dir, page_store, sparql_store)

    def _pool(self, build_dir: Path, workers: int, name: str) -> SparqlStore:
        limits = self.settings.limits
        if self.settings.store_url:
            return RemoteStore(self.settings.store_url, timeout_s=limits.query_timeout_s)
        shape = PoolShape(workers, limits.query_timeout_s, limits.queue_wait_s, limits.worker_memory_mb)
        return EmbeddedStore(build_dir / "store", shape, name=name)
