"""The HTML query page: the editor, and the results of a submitted query rendered on the server.

Rendering results on the server keeps the page useful without JavaScript; the script only adds
the editor (highlighting, completion, Ctrl+Enter), examples, the permalink and download links.
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph
from flask import render_template, url_for

from aichr_kg.errors import error_position
from aichr_kg.formats import RDF_FORMATS, RESULTS_FORMATS
from aichr_kg.namespaces import compact_iri, prefixes_for
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.store import QueryFailed, QueryRefused, QueryTimeout, StoreBusy
from aichr_kg.store.guard import inspect_query
from aichr_kg.web.context import get_settings, get_sparql_store, public_query_request
from aichr_kg.web.pages.terms import TermView, term_view

DEFAULT_QUERY = """SELECT ?class (COUNT(?thing) AS ?things)
WHERE { GRAPH ?g { ?thing a ?class } FILTER(STRSTARTS(STR(?class), STR(aj:))) }
GROUP BY ?class
ORDER BY DESC(?things)"""
PAGE_MAX_ROWS = 2000  # a browser table; downloads give the full answer


def render_query_page(
    query: str | None, default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = ()
) -> tuple[str, int]:
    """The page and its status, with the results (or the error) of `query` when one was submitted.

    The caller has already refused updates and SERVICE.
    """
    settings = get_settings()
    outcome = run_for_page(query, default_graphs, named_graphs) if query else {}
    page = render_template(
        "sparql.html",
        query=query,
        default_query=DEFAULT_QUERY,
        saved_queries=read_saved_queries(settings.queries_dir)[0],
        prefixes=prefixes_for(settings.base_iri),
        results_formats=RESULTS_FORMATS,
        rdf_formats=RDF_FORMATS,
        page_config={
            "prefixes": prefixes_for(settings.base_iri),
            "base": settings.base_iri,
            "completion": url_for("completion.completion"),
        },
        **outcome,
    )
    return page, outcome.get("status", 200)


def run_for_page(query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> dict:
    """Execute and turn the answer into what the template shows: a table, a boolean, RDF text or an error."""
    shape = inspect_query(query)
    result_format = "turtle" if shape.kind == "rdf" else "json"
    max_rows = min(get_settings().limits.max_result_rows, PAGE_MAX_ROWS)
    try:
        request = public_query_request(query, result_format, default_graphs, named_graphs, max_rows, shape=shape)
        result = get_sparql_store().execute(request)
    except (StoreBusy, QueryTimeout) as error:
        return {"error": str(error) or "All query workers are busy; retry in a moment.", "status": 503}
    except QueryRefused as error:
        return {"error": str(error), "status": 403}
    except QueryFailed as error:
        return _located_error(str(error))
    if shape.kind == "rdf":
        return {"rdf_text": result.body.decode(), "truncated": result.truncated, "kind": "rdf"}
    return {**_table(result.body), "truncated": result.truncated, "kind": "results"}


def _table(body: bytes) -> dict:
    solutions = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    if isinstance(solutions, pyoxigraph.QueryBoolean):
        return {"boolean": bool(solutions)}
    base = get_settings().base_iri
    prefixes = prefixes_for(base)
    names = [v.value for v in solutions.variables]
    rows = [[_compact(term_view(row[n], base), prefixes) if row[n] is not None else None for n in names] for row in solutions]
    return {"columns": names, "rows": rows}


def _compact(view: TermView, prefixes: dict[str, str]) -> TermView:
    """Show an IRI as prefix:rest when a known prefix covers it; the link stays the full target."""
    if view.kind != "iri":
        return view
    return replace(view, text=compact_iri(view.value, prefixes))


def _located_error(message: str) -> dict:
    """The engine's message and the line and column it points at, for the editor to mark."""
    position = error_position(message)
    if not position:
        return {"error": message, "status": 400}
    return {"error": message, "status": 400, "error_line": position[0], "error_column": position[1]}
