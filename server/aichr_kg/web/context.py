"""Accessors for what the app holds: settings, the build being served (build, stores), the metrics.

Each reads `current_app` (and the request's pinned build), never module state, so several apps
(tests, front ends) live side by side and a request sees one build throughout.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g, request

from aichr_kg.config import Settings
from aichr_kg.namespaces import prefix_pairs
from aichr_kg.pipeline.manifest import Manifest
from aichr_kg.store import QueryRequest, SparqlStore
from aichr_kg.store.guard import QueryShape
from aichr_kg.web.metrics import Metrics
from aichr_kg.web.serving.result_cache import ResultCache
from aichr_kg.web.serving.served import ServedBuild

MIB = 1024 * 1024


def get_served_build() -> ServedBuild:
    """The build this request started on (outside a request: the current one)."""
    pinned = g.get("aichr_served_build")
    return pinned if pinned is not None else current_app.extensions["aichr_builds"].current()


def get_store() -> SparqlStore:
    """The store the pages and the API query (their own workers)."""
    return get_served_build().page_store


def get_sparql_store() -> SparqlStore:
    """The store /sparql sends the public's queries to."""
    return get_served_build().sparql_store


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
        prefixes=prefix_pairs(settings.base_iri),
        base_iri=public_root() + request.path.lstrip("/"),
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        max_rows=max_rows,
        shape=shape,
    )


def public_root() -> str:
    """The root URL clients reach the server at: the configured public URL, else the request's (see `public_origin`)."""
    public_url = get_settings().public_url
    return public_url + "/" if public_url else request.url_root


def get_settings() -> Settings:
    return current_app.config["AICHR_SETTINGS"]


def get_manifest() -> Manifest:
    return get_served_build().manifest


def get_build_dir() -> Path | None:
    """The build folder of the build being served; None when it is served from a remote store only."""
    return get_served_build().build_dir


def get_result_cache() -> ResultCache:
    """The answers to /sparql kept for this build: a new build starts with none, and the old one's go with it."""
    return get_served_build().kept("sparql answers", lambda: ResultCache(get_settings().result_cache_mb * MIB))


def get_metrics() -> Metrics:
    return current_app.extensions["aichr_metrics"]
