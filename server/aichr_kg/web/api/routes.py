"""/api: the saved queries as a documented web API, in the manner of grlc but typed and safe.

`/api/<name>` runs `queries/<name>.rq` with its parameters bound by the engine (never spliced
into the text), answers records JSON, CSV, SPARQL results JSON or an HTML page, and pages long
answers with `Link` headers; `/api/<name>.svg` draws its chart; `/api/openapi.json` describes it all.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, render_template, request, url_for

from aichr_kg.charts import render_chart
from aichr_kg.formats import API_FORMATS, HTML, Format
from aichr_kg.saved.catalog import SavedQuery
from aichr_kg.saved.parameters import ParameterError, bind_parameters, check_values, page_number
from aichr_kg.saved.results import Answer, csv_text, records, records_json, run_saved_query, sparql_json, to_term
from aichr_kg.store import QueryFailed
from aichr_kg.web.api.catalog import get_catalog, query_page_link
from aichr_kg.web.api.openapi import openapi_document
from aichr_kg.web.context import get_manifest, get_settings, get_store
from aichr_kg.web.errors import error_response
from aichr_kg.web.negotiation import choose_format
from aichr_kg.web.pages.terms import term_view
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified

bp = Blueprint("api", __name__)
log = logging.getLogger("aichr_kg.web")
RENDERERS = {"records": records_json, "csv": csv_text, "json": sparql_json}


class ApiError(Exception):
    """A request the API refuses; the message says what to change."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@bp.errorhandler(ApiError)
def _refused(error: ApiError):
    return error_response(error.status, str(error))


@bp.errorhandler(ParameterError)
def _bad_parameter(error: ParameterError):
    return error_response(400, f"400 Bad Request: {error}")


@bp.app_context_processor
def _chart_queries():
    """`api_chart_queries()` for templates (api_charts.html): charts that need no parameter."""

    def chart_queries() -> list[SavedQuery]:
        return [q for q in get_catalog().queries.values() if q.chart and not any(p.required for p in q.parameters)]

    return {"api_chart_queries": chart_queries}


@bp.get("/api")
def index():
    catalog = get_catalog()
    page = render_template(
        "api_index.html", queries=list(catalog.queries.values()), problems=catalog.problems, base=get_settings().base_iri
    )
    return Response(page, content_type="text/html; charset=utf-8")


@bp.get("/api/openapi.json")
def openapi():
    catalog = get_catalog()
    server = request.url_root.rstrip("/")
    etag = etag_for(get_manifest()["input_hash"], "openapi", server)
    document = openapi_document(list(catalog.queries.values()), catalog.allowed, title="aichr-kg saved queries", server=server)
    return not_modified(etag) or cacheable(Response(json.dumps(document, indent=2), content_type="application/json"), etag)


@bp.get("/api/<name>.svg")
def chart(name: str):
    query = _find(name)
    if not query.chart:
        raise ApiError(404, f"404 Not Found: the saved query {name!r} has no chart; its data is at /api/{name}")
    etag = etag_for(get_manifest()["input_hash"], "chart", name, request.query_string.decode())
    cached = not_modified(etag)
    if cached:
        return cached
    answer = _run(query, _bindings(query, reserved=()))
    svg = render_chart(query.chart, records(answer), chart_id=query.name)
    return cacheable(Response(svg, content_type="image/svg+xml; charset=utf-8"), etag)


@bp.get("/api/<name>")
def answer(name: str):
    query = _find(name)
    fmt = _chosen_format()
    page = _page_number(query)
    bindings = _bindings(query, reserved=("format", "page") if query.per_page else ("format",))
    etag = etag_for(get_manifest()["input_hash"], "api", name, getattr(fmt, "name", fmt), request.query_string.decode())
    cached = not_modified(etag)
    if cached:
        return cached
    full = _run(query, bindings)
    last = full.last_page(query.per_page) if query.per_page else 1
    if page > last:
        raise ApiError(404, f"404 Not Found: page {page} is past the last page ({last}) of {name!r}")
    shown = full.page(page, query.per_page) if query.per_page else full
    if fmt is HTML:
        response = Response(_html_page(query, shown, page, last), content_type="text/html; charset=utf-8")
    else:
        response = Response(RENDERERS[fmt.name](shown), content_type=fmt.content_type)
    response.headers["X-Total-Count"] = str(full.total)
    if full.truncated:
        response.headers["X-Result-Truncated"] = f"true; limit={get_settings().limits.max_result_rows}"
    if query.per_page:
        response.headers["Link"] = _links(query, page, last)
    return cacheable(response, etag)


def _find(name: str) -> SavedQuery:
    query = get_catalog().queries.get(name)
    if query is None:
        raise ApiError(404, f"404 Not Found: there is no saved query named {name!r}; /api lists them")
    return query


def _chosen_format() -> Format:
    """`format=` wins over Accept: a Format of API_FORMATS, or HTML."""
    return choose_format(request.args.get("format"), request.accept_mimetypes, (*API_FORMATS, HTML), unknown_parameter_status=400)


def _page_number(query: SavedQuery) -> int:
    text = request.args.get("page", "1")
    if not query.per_page:
        return 1
    number = page_number(text)
    if number is None:
        raise ApiError(400, f"400 Bad Request: page must be a whole number from 1 (got {text!r})")
    return number


def _bindings(query: SavedQuery, reserved: tuple[str, ...]) -> dict[str, str]:
    """Typed bindings from the URL, checked against the graph (IRIs) and the enumerations."""
    given = {key: value for key, value in request.args.items() if key not in reserved}
    repeated = [key for key in given if len(request.args.getlist(key)) > 1]
    if repeated:
        raise ParameterError(f"parameter {repeated[0]!r} is given more than once; give it once")
    bindings = bind_parameters(query.parameters, given, query.defaults)
    check_values(get_store(), query.parameters, bindings, get_catalog().allowed(query))
    return bindings


def _run(query: SavedQuery, bindings: dict[str, str]) -> Answer:
    settings = get_settings()
    try:
        return run_saved_query(get_store(), query, bindings, base=settings.base_iri, max_rows=settings.limits.max_result_rows)
    except QueryFailed as error:
        log.error("saved query %s failed: %s", query.name, error)
        raise ApiError(500, f"500 Internal Server Error: the saved query {query.name!r} failed: {error}") from None


def _links(query: SavedQuery, page: int, last: int) -> str:
    """RFC 8288 links to the first, previous, next and last pages, keeping the other parameters."""
    arguments = request.args.to_dict()
    targets = [("first", 1), ("prev", page - 1), ("next", page + 1), ("last", last)]
    return ", ".join(
        f'<{url_for("api.answer", name=query.name, **{**arguments, "page": number})}>; rel="{relation}"'
        for relation, number in targets
        if 1 <= number <= last
    )


def _html_page(query: SavedQuery, shown: Answer, page: int, last: int) -> str:
    """The table of one page, the parameter form, the chart and the query text."""
    base = get_settings().base_iri
    rows = [[term_view(to_term(row[column]), base) if column in row else None for column in shown.columns] for row in shown.rows]
    parameters = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    chart_url = url_for("api.chart", name=query.name, **parameters) if query.chart else None
    return render_template(
        "api_query.html",
        query=query,
        columns=shown.columns,
        rows=rows,
        total=shown.total,
        page=page,
        last=last,
        chart_url=chart_url,
        values=request.args,
        allowed=get_catalog().allowed(query),
        query_page=query_page_link(query),
        page_url=lambda number: url_for("api.answer", name=query.name, **{**request.args.to_dict(), "page": number}),
        format_url=lambda name: url_for("api.answer", name=query.name, **{**request.args.to_dict(), "format": name}),
    )
