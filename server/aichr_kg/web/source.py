"""Where an app's dataset comes from: a local build served by worker pools, or what `publish` put in a remote store.

`open_source` is the one place that decides, and returns everything the app holds for it: the
manifest (the build's, or the one recorded in the store), the local release whose files (the dumps)
belong to that manifest, if there is one, and a store for the pages and one for /sparql.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from aichr_kg.config import Settings
from aichr_kg.errors import BuildBrokenError, BuildMissingError, RemoteStoreError
from aichr_kg.pipeline.integrity import open_build
from aichr_kg.store import QueryFailed, QueryTimeout, SparqlStore, StoreBusy
from aichr_kg.store.connections import Credentials
from aichr_kg.store.pool import EmbeddedStore, PoolShape
from aichr_kg.store.publication import PublishedDataset, read_publication
from aichr_kg.store.remote import RemoteStore

log = logging.getLogger("aichr_kg.web")


@dataclass(frozen=True)
class DatasetSource:
    """What one app serves: the manifest, the release holding its files (None: no local build has them), two stores."""

    manifest: dict
    build_dir: Path | None
    pages: SparqlStore
    sparql: SparqlStore


def open_source(settings: Settings, store: SparqlStore | None = None, *, verify: bool = False) -> DatasetSource:
    """The local build (checked first; every hash with `verify`) with worker pools, or with `store` for both
    (tests); the remote store `settings.store_url` names, with what was published to it, when it names one."""
    if store is not None:
        build_dir, manifest = open_build(settings.build_dir, full=verify)
        return DatasetSource(manifest, build_dir, store, store)
    if settings.store_url:
        return _published(settings, verify)
    build_dir, manifest = open_build(settings.build_dir, full=verify)
    return DatasetSource(manifest, build_dir, _pool(settings, build_dir, "page"), _pool(settings, build_dir, "query"))


def _pool(settings: Settings, build_dir: Path, name: str) -> EmbeddedStore:
    limits = settings.limits
    workers = limits.page_workers if name == "page" else limits.query_workers
    return EmbeddedStore(
        build_dir / "store", PoolShape(workers, limits.query_timeout_s, limits.queue_wait_s, limits.worker_memory_mb), name=name
    )


def _published(settings: Settings, verify: bool) -> DatasetSource:
    """The manifest the store records, and a remote store for the pages and one for /sparql, each with its own cap."""
    probe = _remote(settings, 1, None)
    try:
        manifest = read_publication(probe, settings.base_iri)
    except (StoreBusy, QueryTimeout, QueryFailed) as error:
        raise RemoteStoreError(f"cannot read what is published at {settings.store_url}: {error}") from None
    finally:
        probe.close()
    if manifest is None:
        raise BuildMissingError(
            f"nothing is published at {settings.store_url}: run `aichr-kg publish --endpoint {settings.store_url} --graph-store GSP_URL` first"
        )
    published = PublishedDataset.of(manifest, settings.base_iri)
    pages = _remote(settings, settings.limits.page_workers, published)
    sparql = _remote(settings, settings.limits.query_workers, published)
    return DatasetSource(manifest, _local_release(settings, manifest, verify), pages, sparql)


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


def _local_release(settings: Settings, manifest: dict, verify: bool) -> Path | None:
    """The local build of the very dataset the store holds, whose dumps can be served; None when there is none."""
    try:
        release, local = open_build(settings.build_dir, full=verify)
    except (BuildMissingError, BuildBrokenError) as error:
        log.info("no local build to serve the dumps from: %s", error)
        return None
    if local["input_hash"] != manifest["input_hash"]:
        log.info(
            "the local build (%s) is not the published one (%s): its dumps are not served",
            local["input_hash"][:12],
            manifest["input_hash"][:12],
        )
        return None
    return release
