"""The Flask application factory: one store, one metrics registry, blueprints per public surface."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, current_app, g, request
from flask_compress import Compress
from flask_cors import CORS

from aichr_kg.config import Settings
from aichr_kg.integrity import open_build
from aichr_kg.namespaces import prefixes_for
from aichr_kg.query_pool import EmbeddedStore, PoolShape
from aichr_kg.remote_store import RemoteStore
from aichr_kg.store import QueryRequest, SparqlStore
from aichr_kg.web import security_headers, strict_utf8
from aichr_kg.web.metrics import Metrics

log = logging.getLogger("aichr_kg.web")


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
        JSON_SORT_KEYS=False,
    )
    app.extensions["aichr_store"] = store or _open_store(settings, build_dir, settings.limits.page_workers, "page")
    app.extensions["aichr_sparql_store"] = store or _open_store(settings, build_dir, settings.limits.query_workers, "query")
    app.extensions["aichr_metrics"] = Metrics(busy_workers=lambda: getattr(get_sparql_store_of(app), "busy", 0))
    Compress(app)
    CORS(app, origins="*", send_wildcard=True, methods=["GET", "HEAD", "POST", "OPTIONS"], expose_headers=["ETag", "Link", "X-Result-Truncated", "X-Result-Rows", "X-Total-Count"])
    _register_blueprints(app)
    app.before_request(_start_timer)
    app.after_request(_log_and_count)
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
    from aichr_kg.web import api, errors, pages, service, sparql

    app.register_blueprint(errors.bp)
    app.register_blueprint(service.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)


def _compressible_types() -> list[str]:
    from aichr_kg.formats import FORMATS

    return ["text/html", "text/css", "application/javascript", "application/json", "image/svg+xml"] + [
        f.media_type for f in FORMATS
    ]


def get_store() -> SparqlStore:
    """The store the pages and the API query (their own workers)."""
    return current_app.extensions["aichr_store"]


def get_sparql_store() -> SparqlStore:
    """The store /sparql sends the public's queries to."""
    return get_sparql_store_of(current_app)


def public_query_request(
    text: str, result_format: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...], max_rows: int | None = None
) -> QueryRequest:
    """A query from the public, with the configured limits and the predeclared prefixes.

    Relative IRIs resolve against the endpoint's URL, as in Oxigraph's server and the W3C protocol tests.
    """
    settings = get_settings()
    return QueryRequest(
        text=text,
        result_format=result_format,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        max_rows=max_rows or settings.limits.max_result_rows,
        max_bytes=settings.limits.max_result_bytes,
        prefixes=tuple(prefixes_for(settings.base_iri).items()),
        base_iri=request.base_url,
    )


def get_sparql_store_of(app: Flask) -> SparqlStore:
    return app.extensions["aichr_sparql_store"]


def get_settings() -> Settings:
    return current_app.config["AICHR_SETTINGS"]


def get_manifest() -> dict:
    return current_app.config["AICHR_MANIFEST"]


def get_build_dir() -> Path:
    """The release being served (what `build/` pointed to when the app was made)."""
    return current_app.config["AICHR_BUILD_DIR"]


def get_metrics() -> Metrics:
    return current_app.extensions["aichr_metrics"]


def _start_timer() -> None:
    g.started = time.perf_counter()


def _log_and_count(response):
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    endpoint = request.endpoint or "unknown"
    get_metrics().observe_request(endpoint, request.method, response.status_code, elapsed)
    log.info("%s %s %s %.1f ms", request.method, request.full_path.rstrip("?"), response.status_code, elapsed * 1000)
    return response
