"""/api: the saved queries as a documented web API, in the manner of grlc but typed and safe.

`/api/<name>` runs `queries/<name>.rq` with its parameters bound by the engine (never spliced
into the text), answers records JSON, CSV, SPARQL results JSON or an HTML page, and pages long
answers with `Link` headers; `/api/<name>.svg` draws its chart; `/api/openapi.json` describes it all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from aichr_kg.charts import render_chart
from aichr_kg.formats import API_FORMAT_NAMES, API_FORMATS, HTML, Format
from aichr_kg.saved.catalog import RESERVED_PARAMETERS, SavedQuery
from aichr_kg.saved.parameters import ParameterError, page_number
from aichr_kg.saved.prepare import PreparedQuery, prepare
from aichr_kg.saved.results import Answer, csv_text, records, records_json, sparql_json, to_term
from aichr_kg.store import QueryFailed
from aichr_kg.web.api.catalog import get_catalog, get_saved_store, query_page_link
from aichr_kg.web.api.openapi import openapi_document
from aichr_kg.web.context import get_manifest, get_settings, public_root
from aichr_kg.web.errors import HttpError, error_response
from aichr_kg.web.negotiation import choose_format
from aichr_kg.web.pages.terms import link_to, term_view
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified

bp = Blueprint("api", __name__)
log = logging.getLogger("aichr_kg.web")
RENDERERS = {"records": records_json, "csv": csv_text, "json": sparql_json}


@bp.errorhandler(ParameterError)
def _bad_parameter(error: ParameterError) -> Response:
    return error_response(400, f"400 Bad Request: {error}")


@bp.app_context_processor
def _chart_queries() -> dict[str, Callable[[], list[SavedQuery]]]:
    """`api_chart_queries()` for templates (api_charts.html): charts that need no parameter."""

    def chart_queries() -> list[SavedQuery]:
        return [q for q in get_catalog().queries.values() if q.chart and not any(p.required for p in q.parameters)]

    return {"api_chart_queries": chart_queries}


@bp.get("/api")
def index() -> Response:
    catalog = get_catalog()
    page = render_template(
        "api_index.html", queries=list(catalog.queries.values()), problems=catalog.problems, base=get_settings().base_iri
    )
    return Response(page, content_type="text/html; charset=utf-8")


@bp.get("/api/openapi.json")
def openapi() -> Response:
    catalog = get_catalog()
    server = public_root().rstrip("/")
    etag = _etag("openapi", server)
    cached = not_modified(etag)
    if cached:
        return cached
    queries = list(catalog.queries.values())
    document = openapi_document(queries, get_saved_store().allowed, title="aichr-kg saved queries", server=server)
    return cacheable(Response(json.dumps(document, indent=2), content_type="application/json"), etag)


@bp.get("/api/<name>.svg")
def chart(name: str) -> Response:
    query = _find(name)
    if not query.chart:
        raise HttpError(404, f"404 Not Found: the saved query {name!r} has no chart; its data is at /api/{name}")
    etag = _etag("chart", name, request.query_string.decode())
    cached = not_modified(etag)
    if cached:
        return cached
    answer = _run(_prepare(query, reserved=()))
    href_of = partial(link_to, base=get_settings().base_iri)
    svg = render_chart(query.chart, records(answer), chart_id=query.name, href_of=href_of)
    return cacheable(Response(svg, content_type="image/svg+xml; charset=utf-8"), etag)


@bp.get("/api/<name>")
def answer(name: str) -> Response:
    query = _find(name)
    fmt = _chosen_format()
    page = _page_number(query)
    etag = _etag("api", name, fmt.name, request.query_string.decode())
    cached = not_modified(etag)
    if cached:
        return cached
    prepared = _prepare(query, reserved=_reserved(query))
    full = _run(prepared)
    last = full.last_page(query.per_page) if query.per_page else 1
    if page > last:
        raise HttpError(404, f"404 Not Found: page {page} is past the last page ({last}) of {name!r}")
    shown = full.page(page, query.per_page) if query.per_page else full
    if fmt is HTML:
        response = Response(_html_page(prepared, shown, page, last), content_type="text/html; charset=utf-8")
    else:
        response = Response(RENDERERS[fmt.name](shown), content_type=fmt.content_type)
    response.headers["X-Total-Count"] = str(full.total)
    if full.truncated:
        response.headers["X-Result-Truncated"] = f"true; limit={get_settings().limits.max_result_rows}"
    if query.per_page:
        response.headers["Link"] = _links(query, page, last)
    return cacheable(response, etag)


def _etag(*parts: str) -> str:
    """The validator of a representation, from the request alone: a 304 costs no store round trip."""
    return etag_for(get_manifest().input_hash, *parts)


def _find(name: str) -> SavedQuery:
    query = get_catalog().queries.get(name)
    if query is None:
        raise HttpError(404, f"404 Not Found: there is no saved query named {name!r}; /api lists them")
    return query


def _chosen_format() -> Format:
    """`format=` (exactly one of its documented values) wins over Accept: a Format of API_FORMATS, or HTML."""
    parameter = request.args.get("format")
    if parameter is not None and parameter not in API_FORMAT_NAMES:
        raise HttpError(400, f"format must be one of {', '.join(API_FORMAT_NAMES)} (got {parameter!r})")
    return choose_format(parameter, request.headers.get("Accept"), (*API_FORMATS, HTML), unknown_parameter_status=400)


def _page_number(query: SavedQuery) -> int:
    text = request.args.get("page", "1")
    if not query.per_page:
        return 1
    number = page_number(text)
    if number is None:
        raise HttpError(400, f"400 Bad Request: page must be a whole number from 1 (got {text!r})")
    return number


def _reserved(query: SavedQuery) -> tuple[str, ...]:
    """The API's own URL parameters for this query: `page` only where the answer is paged."""
    return tuple(name for name in RESERVED_PARAMETERS if name != "page" or query.per_page)


def _prepare(query: SavedQuery, reserved: tuple[str, ...]) -> PreparedQuery:
    """The URL's parameters bound and checked as the CLI's are (types, IRIs of the graph, enumerations)."""
    given = {key: value for key, value in request.args.items() if key not in reserved}
    repeated = [key for key in given if len(request.args.getlist(key)) > 1]
    if repeated:
        raise ParameterError(f"parameter {repeated[0]!r} is given more than once; give it once")
    return prepare(query, given, get_saved_store())


def _run(prepared: PreparedQuery) -> Answer:
    try:
        return get_saved_store().answer(prepared, max_rows=get_settings().limits.max_result_rows)
    except QueryFailed as error:
        name = prepared.query.name
        log.error("saved query %s failed: %s", name, error)
        raise HttpError(500, f"500 Internal Server Error: the saved query {name!r} failed: {error}") from None


def _links(query: SavedQuery, page: int, last: int) -> str:
    """RFC 8288 links to the first, previous, next and last pages, keeping the other parameters."""
    targets = [("first", 1), ("prev", page - 1), ("next", page + 1), ("last", last)]
    return ", ".join(
        f'<{_answer_url(query, page=number)}>; rel="{relation}"' for relation, number in targets if 1 <= number <= last
    )


def _answer_url(query: SavedQuery, **changes: str | int) -> str:
    """This request's URL for `query`, with some of its parameters changed (page, format)."""
    arguments: dict[str, Any] = {**request.args.to_dict(), **changes}
    return url_for("api.answer", name=query.name, **arguments)


def _html_page(prepared: PreparedQuery, shown: Answer, page: int, last: int) -> str:
    """The table of one page, the parameter form, the chart and the query text."""
    query, base = prepared.query, get_settings().base_iri
    rows = [[term_view(to_term(row[column]), base) if column in row else None for column in shown.columns] for row in shown.rows]
    parameters: dict[str, Any] = {k: v for k, v in request.args.items() if k not in RESERVED_PARAMETERS}
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
        allowed=prepared.allowed,
        query_page=query_page_link(query),
        page_url=lambda number: _answer_url(query, page=number),
        format_url=lambda name: _answer_url(query, format=name),
    )
