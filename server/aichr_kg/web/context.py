"""Accessors for what the app holds: settings, the build, the stores and the metrics.

Each reads `current_app`, never module state, so several apps (tests, front ends) live side by side.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request

from aichr_kg.config import Settings
from aichr_kg.namespaces import prefixes_for
from aichr_kg.store import QueryRequest, SparqlStore
from aichr_kg.store.guard import QueryShape
from aichr_kg.web.metrics import Metrics


def get_store() -> SparqlStore:
    """The store the pages and the API query (their own workers)."""
    return current_app.extensions["aichr_store"]


def get_sparql_store() -> SparqlStore:
    """The store /sparql sends the public's queries to."""
    return get_sparql_store_of(current_app)


def public_query_request(
    text: str,
    result_format: str,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    max_rows: int | None = None,
    shape: QueryShape | None = None,
) -> QueryRequest:
    """A query from the public, with the configured limits and the predeclared prefixes.

    Relative IRIs resolve against the endpoint's URL, as in Oxigraph's server and the W3C protocol tests.
    """
    settings = get_settings()
    return QueryRequest.public(
        text,
        result_format,
        settings.limits,
        prefixes=tuple(prefixes_for(settings.base_iri).items()),
        base_iri=request.base_url,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        max_rows=max_rows,
        shape=shape,
    )


def get_sparql_store_of(app: Flask) -> SparqlStore:
    return app.extensions["aichr_sparql_store"]


def get_settings() -> Settings:
    return current_app.config["AICHR_SETTINGS"]


def get_manifest() -> dict:
    return current_app.config["AICHR_MANIFEST"]


def get_build_dir() -> Path | None:
    """The release being served (what `build/` pointed to when the app was made); None when serving from a
    remote store without a local build of the published dataset."""
    return current_app.config["AICHR_BUILD_DIR"]


def get_metrics() -> Metrics:
    return current_app.extensions["aichr_metrics"]
