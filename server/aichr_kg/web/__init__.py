"""The Flask application factory: the build being served, one metrics registry, blueprints per public surface."""

from __future__ import annotations

from flask import Flask, g
from flask_compress import Compress

from aichr_kg.config import Settings
from aichr_kg.store import SparqlStore
from aichr_kg.web import public_origin, request_log, security_headers, strict_utf8
from aichr_kg.web.metrics import Metrics
from aichr_kg.web.serving.served import BuildWatcher, ServedBuild
from aichr_kg.web.serving.sources import source_for

BUILDS = "aichr_builds"


def create_app(settings: Settings, store: SparqlStore | None = None, *, verify: bool = False) -> Flask:
    """Build the app for a built dataset, or for what was published to `settings.store_url`; `store`
    replaces the embedded one (tests, tools), and then never reloads.

    The app serves the build `build/` points to, checked first (sizes; every hash with `verify`),
    or the publication the remote store records, and switches to a newer one within
    `reload_interval_s` of a build or a publish making it (see `serving.served`).
    """
    app = Flask(__name__)
    app.config.update(
        AICHR_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.limits.max_body_bytes,
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_MIMETYPES=_compressible_types(),
        # Files are streamed, and a compressed stream's ETag gains the encoding: evaluate If-None-Match after.
        COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=["static", "operations.download", "releases.release_file"],
        JSON_SORT_KEYS=False,
    )
    source = source_for(settings, store, verify=verify)
    watcher = BuildWatcher(source, None if store else settings.reload_interval_s)
    app.extensions[BUILDS] = watcher
    app.extensions["aichr_metrics"] = Metrics(busy_workers=lambda: getattr(watcher.current().sparql_store, "busy", 0))
    _pin_builds(app, watcher)
    Compress(app)
    _register_blueprints(app)
    request_log.init_app(app)
    public_origin.init_app(app)
    strict_utf8.init_app(app)
    security_headers.init_app(app)
    if store is None:  # a store given by the caller is the caller's: nothing is sent to it unasked
        _warm_builds(app, watcher)
    return app


def _warm_builds(app: Flask, watcher: BuildWatcher) -> None:
    """Each build's values made in the background as it becomes current (see `serving.warm_up`)."""
    from aichr_kg.web.serving.warm_up import warm_in_background

    watcher.on_build(lambda served: warm_in_background(app, served))


def _pin_builds(app: Flask, watcher: BuildWatcher) -> None:
    """Each request keeps the build it started on to its end, whatever the watcher switches meanwhile."""

    @app.before_request
    def pin() -> None:
        g.aichr_served_build = served = watcher.current()
        served.enter()

    @app.teardown_request
    def unpin(_error: BaseException | None) -> None:
        served: ServedBuild | None = g.pop("aichr_served_build", None)
        if served is not None:
            served.leave()


def close_stores(app: Flask) -> None:
    """Stop watching for builds and the worker processes of the current one."""
    app.extensions[BUILDS].close()


def _register_blueprints(app: Flask) -> None:
    """Every public surface, one blueprint each (imported here: they import the accessors in `context`)."""
    from aichr_kg.web import errors, operations, site_files
    from aichr_kg.web.api import routes as api
    from aichr_kg.web.pages import browse, catalog, ontology_doc, releases, void
    from aichr_kg.web.pages import routes as pages
    from aichr_kg.web.sparql import completion
    from aichr_kg.web.sparql import endpoint as sparql

    for blueprint in (
        errors.bp,
        operations.bp,
        sparql.bp,
        completion.bp,
        pages.bp,
        browse.bp,
        ontology_doc.bp,
        void.bp,
        catalog.bp,
        releases.bp,
        api.bp,
        site_files.bp,
    ):
        app.register_blueprint(blueprint)


def _compressible_types() -> list[str]:
    from aichr_kg.formats import FORMATS

    return ["text/html", "text/css", "application/javascript", "application/json", "image/svg+xml"] + [
        f.media_type for f in FORMATS
    ]
