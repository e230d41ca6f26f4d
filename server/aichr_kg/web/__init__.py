"""The Flask application factory: one store, one metrics registry, blueprints per public surface."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_compress import Compress

from aichr_kg.config import Settings
from aichr_kg.pipeline.integrity import open_build
from aichr_kg.store import SparqlStore
from aichr_kg.store.pool import EmbeddedStore, PoolShape
from aichr_kg.store.remote import RemoteStore
from aichr_kg.web import request_log, security_headers, strict_utf8
from aichr_kg.web.context import get_sparql_store_of
from aichr_kg.web.metrics import Metrics


def create_app(settings: Settings, store: SparqlStore | None = None, *, verify: bool = False) -> Flask:
    """Build the app for a built dataset; `store` replaces the embedded one (tests, a remote store).

    The app keeps to the release `build/` points to now, checked first (sizes; every hash with
    `verify`): a build published later is served after a restart, never mixed with this one.
    """
    build_dir, manifest = open_build(settings.build_dir, full=verify)
    app = Flask(__name__)
    app.config.update(
        AICHR_SETTINGS=settings,
        AICHR_BUILD_DIR=build_dir,
        AICHR_MANIFEST=manifest,
        MAX_CONTENT_LENGTH=settings.limits.max_body_bytes,
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_MIMETYPES=_compressible_types(),
        # Files are streamed, and a compressed stream's ETag gains the encoding: evaluate If-None-Match after.
        COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=["static", "operations.download"],
        JSON_SORT_KEYS=False,
    )
    app.extensions["aichr_store"] = store or _open_store(settings, build_dir, settings.limits.page_workers, "page")
    app.extensions["aichr_sparql_store"] = store or _open_store(settings, build_dir, settings.limits.query_workers, "query")
    app.extensions["aichr_metrics"] = Metrics(busy_workers=lambda: getattr(get_sparql_store_of(app), "busy", 0))
    Compress(app)
    _register_blueprints(app)
    request_log.init_app(app)
    strict_utf8.init_app(app)
    security_headers.init_app(app)
    return app


def _open_store(settings: Settings, build_dir: Path, workers: int, name: str) -> SparqlStore:
    """A pool of embedded pyoxigraph workers, or a remote SPARQL 1.1 store when one is configured."""
    limits = settings.limits
    if settings.store_url:
        return RemoteStore(settings.store_url, timeout_s=limits.query_timeout_s)
    shape = PoolShape(workers, limits.query_timeout_s, limits.queue_wait_s, limits.worker_memory_mb)
    return EmbeddedStore(build_dir / "store", shape, name=name)


def close_stores(app: Flask) -> None:
    """Stop the worker processes of both pools."""
    for name in ("aichr_store", "aichr_sparql_store"):
        app.extensions[name].close()


def _register_blueprints(app: Flask) -> None:
    """Every public surface, one blueprint each (imported here: they import the accessors in `context`)."""
    from aichr_kg.web import errors, operations
    from aichr_kg.web.api import routes as api
    from aichr_kg.web.pages import browse, ontology_doc, void
    from aichr_kg.web.pages import routes as pages
    from aichr_kg.web.sparql import endpoint as sparql

    for blueprint in (errors.bp, operations.bp, sparql.bp, pages.bp, browse.bp, ontology_doc.bp, void.bp, api.bp):
        app.register_blueprint(blueprint)


def _compressible_types() -> list[str]:
    from aichr_kg.formats import FORMATS

    return ["text/html", "text/css", "application/javascript", "application/json", "image/svg+xml"] + [
        f.media_type for f in FORMATS
    ]
