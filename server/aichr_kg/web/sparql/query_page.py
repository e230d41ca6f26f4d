"""The HTML query page: the editor, and the results of a submitted query rendered on the server.

Rendering results on the server keeps the page useful without JavaScript; the script only adds
the editor (highlighting, completion, Ctrl+Enter), examples, the permalink and download links. The
results are shown in one of the views of `result_views` (`?view=table|bar|line|timeline|graph`, else
the one that fits).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph
from flask import render_template, request, url_for

from aichr_kg.errors import error_position
from aichr_kg.formats import RDF_FORMATS, RESULTS_FORMATS
from aichr_kg.namespaces import prefixes_for
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.store import QueryFailed, QueryRefused, QueryTimeout, StoreBusy
from aichr_kg.store.guard import inspect_query
from aichr_kg.web.context import get_settings, get_sparql_store, get_store, public_query_request
from aichr_kg.web.sparql.result_views import LinkFor, ResultNamer, graph_views, read_statements, select_views, shown_view
from aichr_kg.web.sparql.views import VIEW_TITLES, Choice

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
    outcome = _outcome(query, default_graphs, named_graphs)
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


def _outcome(query: str | None, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> dict:
    """What the page shows below the editor: nothing yet, the answer in a view, or why there is none."""
    requested = request.values.get("view") or None
    if requested is not None and requested not in VIEW_TITLES:
        return {"error": f"Unknown view {requested!r}: the views are {', '.join(VIEW_TITLES)}.", "status": 400}
    if not query:
        return {}
    return run_for_page(query, default_graphs, named_graphs, requested, _link_for(query, default_graphs, named_graphs))


def _link_for(query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> LinkFor:
    """The URL of this page's answer in another view: the same query and graphs, another `view`."""
    graphs = [("default-graph-uri", iri) for iri in default_graphs] + [("named-graph-uri", iri) for iri in named_graphs]
    page = url_for("sparql.sparql")
    return lambda view: f"{page}?{urlencode([('query', query), ('format', 'html'), ('view', view), *graphs])}"


def run_for_page(
    query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...], requested: str | None, link_for: LinkFor
) -> dict:
    """Execute and turn the answer into what the template shows: a view of it, a boolean, or an error."""
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
    base = get_settings().base_iri
    if shape.kind == "rdf":
        views = graph_views(read_statements(result.body), requested, get_store(), base, link_for)
        return {**views, "rdf_text": result.body.decode(), "truncated": result.truncated, "kind": "rdf"}
    return {**_results_views(result.body, requested, base, link_for), "truncated": result.truncated, "kind": "results"}


def _results_views(body: bytes, requested: str | None, base: str, link_for: LinkFor) -> dict:
    """A SELECT answer in its views, or an ASK answer's boolean (only ever a table)."""
    solutions = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    if isinstance(solutions, pyoxigraph.QueryBoolean):
        return {"boolean": bool(solutions), "view_notes": shown_view(Choice({"table": {}}, "table"), requested)[1]}
    names = [v.value for v in solutions.variables]
    rows = [[row[name] for name in names] for row in solutions]
    namer = ResultNamer(get_store(), base, [term for row in rows for term in row if term is not None])
    return select_views(names, rows, requested, namer, link_for)


def _located_error(message: str) -> dict:
    """The engine's message and the line and column it points at, for the editor to mark."""
    position = error_position(message)
    if not position:
        return {"error": message, "status": 400}
    return {"error": message, "status": 400, "error_line": position[0], "error_column": position[1]}
