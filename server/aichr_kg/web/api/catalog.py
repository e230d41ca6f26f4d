"""The saved queries the API serves, read once per application, with their enumerations.

Queries are read at the first request, not at import; a query that does not pass
`check_saved_query` is left out and its problem logged and shown on /api (the tests and
`aichr-kg validate` fail on it). Enumerations are read from the store on first use and kept: the
dataset does not change while the server runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app, url_for

from aichr_kg.saved.catalog import SavedQuery, read_saved_queries
from aichr_kg.saved.results import enumerations
from aichr_kg.web.context import get_settings, get_store

log = logging.getLogger("aichr_kg.web")


@dataclass
class Catalog:
    """Usable queries by name, the problems of the others, and enumerations computed so far."""

    queries: dict[str, SavedQuery]
    problems: list[str]
    _allowed: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def allowed(self, query: SavedQuery) -> dict[str, list[str]]:
        """The values each enumerated parameter of `query` may take."""
        if query.name not in self._allowed:
            self._allowed[query.name] = enumerations(get_store(), query, base=get_settings().base_iri)
        return self._allowed[query.name]


def get_catalog() -> Catalog:
    """The running app's catalog, read on first use."""
    catalog = current_app.extensions.get("aichr_api_catalog")
    if catalog is None:
        usable, problems = read_saved_queries(get_settings().queries_dir)
        for problem in problems:
            log.error("saved query left out of the API: %s", problem)
        catalog = current_app.extensions["aichr_api_catalog"] = Catalog({q.name: q for q in usable}, problems)
    return catalog


def query_page_link(query: SavedQuery) -> str:
    """The SPARQL query page with this query loaded in its editor (parameters left unbound)."""
    return url_for("sparql.sparql", query=query.text_for(get_settings().base_iri))
