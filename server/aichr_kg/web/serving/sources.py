"""Where a front end's builds come from: the local build served by worker pools, or what `publish` put in a remote store.

Each source says which build is current (cheaply: the watcher asks every few seconds) and opens it
whole: the manifest (the build's, or the one recorded in the store), the local build whose files
(the dumps) belong to that manifest, if there is one, and a store for the pages and one for /sparql.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aichr_kg.config import Settings
from aichr_kg.errors import BuildBrokenError, BuildMissingError, RemoteStoreError
from aichr_kg.pipeline.integrity import open_build
from aichr_kg.pipeline.manifest import Manifest
from aichr_kg.store import SparqlStore, StoreError
from aichr_kg.store.connections import Credentials
from aichr_kg.store.pool import EmbeddedStore, PoolShape
from aichr_kg.store.publication import PublishedDataset, published_hash, read_publication
from aichr_kg.store.remote import RemoteStore
from aichr_kg.web.serving.served import FixedSource, ServedBuild, ServedBuildSource

log = logging.getLogger("aichr_kg.web")


def source_for(settings: Settings, store: SparqlStore | None = None, *, verify: bool = False) -> ServedBuildSource:
    """The remote store `settings.store_url` names, when it names one; else the local build (checked
    first; every hash with `verify`) with worker pools, or with `store` for both (tests, never reloaded)."""
    if store is not None:
        build_dir, manifest = open_build(settings.build_dir, full=verify)
        return FixedSource(ServedBuild(str(build_dir), manifest, build_dir, store, store))
    if settings.store_url:
        return PublicationSource(settings, verify=verify)
    return BuildSource(settings, verify=verify)


def check_source(settings: Settings, *, verify: bool = False) -> None:
    """What `serve` checks before it listens: the local build, or that the remote store answers and holds a publication."""
    if settings.store_url:
        PublicationSource(settings, verify=verify).published_manifest()
    else:
        open_build(settings.build_dir, full=verify)


class BuildSource:
    """Releases of the local build: the current one is where `build/` points (a build switches it atomically)."""

    def __init__(self, settings: Settings, *, verify: bool = False) -> None:
        self.settings, self.verify = settings, verify

    def current_identity(self) -> str:
        return str(self.settings.build_dir.resolve())

    def open(self) -> ServedBuild:
        """The build `build/` points to, checked, with its page and query pools started."""
        build_dir, manifest = open_build(self.settings.build_dir, full=self.verify)
        pages = _pool(self.settings, build_dir, "page")
        try:
            sparql = _pool(self.settings, build_dir, "query")
        except Exception:
            pages.close()
            raise
        return ServedBuild(str(build_dir), manifest, build_dir, pages, sparql)


class PublicationSource:
    """Releases published to a remote store: the current one is the dataset hash its publication record holds."""

    def __init__(self, settings: Settings, *, verify: bool = False) -> None:
        self.settings, self.verify = settings, verify

    def current_identity(self) -> str:
        probe = _remote(self.settings, 1, None)
        try:
            return published_hash(probe, self.settings.base_iri) or ""
        finally:
            probe.close()

    def open(self) -> ServedBuild:
        """The manifest the store records, and a remote store for the pages and one for /sparql, each with its own cap."""
        settings = self.settings
        manifest = self.published_manifest()
        published = PublishedDataset.of(manifest, settings.base_iri)
        pages = _remote(settings, settings.limits.page_workers, published)
        sparql = _remote(settings, settings.limits.query_workers, published)
        return ServedBuild(manifest.input_hash, manifest, _local_build_dir(settings, manifest, self.verify), pages, sparql)

    def published_manifest(self) -> Manifest:
        """What the store records as published: RemoteStoreError if it cannot be read, BuildMissingError if nothing is."""
        settings = self.settings
        probe = _remote(settings, 1, None)
        try:
            manifest = read_publication(probe, settings.base_iri)
        except StoreError as error:
            raise RemoteStoreError(f"cannot read what is published at {settings.store_url}: {error}") from None
        finally:
            probe.close()
        if manifest is None:
            raise BuildMissingError(
                f"nothing is published at {settings.store_url}: "
                f"run `aichr-kg publish --endpoint {settings.store_url} --graph-store GSP_URL` first"
            )
        return manifest


def _pool(settings: Settings, build_dir: Path, name: str) -> EmbeddedStore:
    limits = settings.limits
    workers = limits.page_workers if name == "page" else limits.query_workers
    return EmbeddedStore(
        build_dir / "store", PoolShape(workers, limits.query_timeout_s, limits.queue_wait_s, limits.worker_memory_mb), name=name
    )


def _remote(settings: Settings, connections: int, published: PublishedDataset | None) -> RemoteStore:
    limits = settings.limits
    return RemoteStore(
        settings.store_url,
        timeout_s=limits.query_timeout_s,
        connections=connections,
        queue_wait_s=limits.queue_wait_s,
        credentials=Credentials.given(settings.store_user, settings.store_password),
        published=published,
    )


def _local_build_dir(settings: Settings, manifest: Manifest, verify: bool) -> Path | None:
    """The local build of the very dataset the store holds, whose dumps can be served; None when there is none."""
    try:
        build, local = open_build(settings.build_dir, full=verify)
    except (BuildMissingError, BuildBrokenError) as error:
        log.info("no local build to serve the dumps from: %s", error)
        return None
    if local.input_hash != manifest.input_hash:
        log.info(
            "the local build (%s) is not the published one (%s): its dumps are not served",
            local.input_hash[:12],
            manifest.input_hash[:12],
        )
        return None
    return build
