"""The Flask application factory: one store, one metrics registry, blueprints per public surface."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress
from flask_cors import CORS

from aichr_kg.config import Settings
from aichr_kg.store import SparqlStore
from aichr_kg.web import request_log, security_headers, strict_utf8
from aichr_kg.web.context import get_sparql_store_of
from aichr_kg.web.metrics import Metrics
from aichr_kg.web.source import open_source


def create_app(settings: Settings, store: SparqlStore | None = None, *, verify: bool = False) -> Flask:
    """Build the app for a built dataset, or for what was published to `settings.store_url`; `store`
    replaces the embedded one (tests).

    The app keeps to the release `build/` points to now, checked first (sizes; every hash with
    `verify`), or to the publication the remote store records now: a build or publication made
    later is served after a restart, never mixed with this one.
    """
    source = open_source(settings, store, verify=verify)
    app = Flask(__name__)
    app.config.update(
        AICHR_SETTINGS=settings,
        AICHR_BUILD_DIR=source.build_dir,
        AICHR_MANIFEST=source.manifest,
        MAX_CONTENT_LENGTH=settings.limits.max_body_bytes,
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_MIMETYPES=_compressible_types(),
        JSON_SORT_KEYS=False,
    )
    app.extensions["aichr_store"] = source.pages
    app.extensions["aichr_sparql_store"] = source.sparql
    app.extensions["aichr_metrics"] = Metrics(busy_workers=lambda: getattr(get_sparql_store_of(app), "busy", 0))
    Compress(app)
    CORS(
        app,
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "POST", "OPTIONS"],
        expose_headers=["ETag", "Link", "X-Result-Truncated", "X-Result-Rows", "X-Total-Count"],
    )
    _register_blueprints(app)
    request_log.init_app(app)
    strict_utf8.init_app(app)
    security_headers.init_app(app)
    return app


def close_stores(app: Flask) -> None:
    """Stop the worker processes of both pools (or the connections of both remote stores)."""
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
