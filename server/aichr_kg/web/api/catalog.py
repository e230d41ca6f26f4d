"""The saved queries the API serves, read once per release, and the store they are prepared on.

Queries are read at the first request, not at import; a query that does not pass
`check_saved_query` is left out and its problem logged and shown on /api (the tests and
`aichr-kg validate` fail on it). The release's `SavedStore` keeps each query's allowed values once
read: a release's dataset never changes, and both go when the release is closed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import url_for

from aichr_kg.saved.catalog import SavedQuery, read_saved_queries
from aichr_kg.saved.prepare import SavedStore
from aichr_kg.web.context import get_settings, get_store
from aichr_kg.web.serving.dataset_cache import dataset_cached

log = logging.getLogger("aichr_kg.web")


@dataclass(frozen=True)
class Catalog:
    """Usable queries by name, and the problems of the others."""

    queries: dict[str, SavedQuery]
    problems: list[str]


def get_catalog() -> Catalog:
    """The release's catalog, read on first use."""
    return dataset_cached("aichr_api_catalog", _read_catalog)


def get_saved_store() -> SavedStore:
    """The release's page store as saved queries see it, made on first use (no store round trip)."""
    return dataset_cached("aichr_saved_store", lambda: SavedStore(get_store(), get_settings().base_iri))


def _read_catalog() -> Catalog:
    usable, problems = read_saved_queries(get_settings().queries_dir)
    for problem in problems:
        log.error("saved query left out of the API: %s", problem)
    return Catalog({q.name: q for q in usable}, problems)


def query_page_link(query: SavedQuery) -> str:
    """The SPARQL query page with this query loaded in its editor (parameters left unbound)."""
    return url_for("sparql.sparql", query=query.text_for(get_settings().base_iri))
