"""/sparql: the SPARQL 1.1 Protocol (query operation), read-only, with limits that hold."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, request

from aichr_kg.config import Limits
from aichr_kg.formats import BY_NAME, HTML, RDF_FORMATS, RESULTS_FORMATS
from aichr_kg.store import QueryFailed, QueryRefused, QueryResult, QueryTimeout, StoreBusy
from aichr_kg.store.guard import SERVICE_REFUSED, QueryShape, inspect_query
from aichr_kg.web.context import (
    get_manifest,
    get_metrics,
    get_result_cache,
    get_settings,
    get_sparql_store,
    public_query_request,
    public_root,
)
from aichr_kg.web.errors import HttpError, error_response, retry_after, unavailable_response
from aichr_kg.web.negotiation import choose_format
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified
from aichr_kg.web.sparql.query_page import render_query_page
from aichr_kg.web.sparql.service_description import service_description
from aichr_kg.web.strict_utf8 import FORM_TYPE, NotUtf8, decode_utf8

bp = Blueprint("sparql", __name__)

READ_ONLY = (
    "This endpoint is read-only: SPARQL Update is not accepted. The data lives as Turtle files in the "
    "project's git repository; to add or correct a fact, change data/*.ttl, run `aichr-kg validate`, and "
    "open a pull request."
)
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """The protocol parameters of one request, whatever way they were sent."""

    query: str | None
    update: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    protocol = _read_request()
    if protocol.update is not None:
        return _reject(403, "update", READ_ONLY)
    if protocol.query is None:
        return _describe_service(protocol)
    return _answer(protocol, protocol.query)


def _read_request() -> ProtocolRequest:
    """Collect parameters from the URL, a form body or a direct query body (SPARQL 1.1 Protocol §2.1)."""
    url = request.args
    if request.method in ("GET", "HEAD"):
        fields = url
        body_query = None
    elif request.mimetype == FORM_TYPE:
        fields = request.form
        body_query = None
    elif request.mimetype == QUERY_TYPE:
        fields, body_query = url, _body_text()
    elif request.mimetype == UPDATE_TYPE:
        raise HttpError(403, READ_ONLY)
    else:
        raise HttpError(415, f"Unsupported body type {request.mimetype or '(none)'!r}: send {FORM_TYPE} or {QUERY_TYPE}.")
    queries = fields.getlist("query") + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        raise HttpError(400, "Send exactly one query (the request holds several).")
    return ProtocolRequest(
        query=queries[0] if queries else None,
        update=fields.get("update"),
        default_graphs=tuple(fields.getlist("default-graph-uri")),
        named_graphs=tuple(fields.getlist("named-graph-uri")),
        format=fields.get("format") or url.get("format"),
    )


def _body_text() -> str:
    """A query sent as the body; the parameters were checked by the strict_utf8 hook."""
    try:
        return decode_utf8(request.get_data(), "the query (the request body)")
    except NotUtf8 as error:
        raise HttpError(400, f"400 Bad Request: {error}") from None


def _answer(protocol: ProtocolRequest, query: str) -> Response:
    limits = get_settings().limits
    if len(query) > limits.max_query_chars:
        return _reject(413, "too_long", f"The query has {len(query)} characters; the limit is {limits.max_query_chars}.")
    shape = inspect_query(query)
    if shape.is_update:
        return _reject(403, "update", READ_ONLY)
    if shape.uses_service:
        return _reject(403, "service", SERVICE_REFUSED)
    fmt = choose_format(
        protocol.format, request.headers.get("Accept"), (*(RDF_FORMATS if shape.kind == "rdf" else RESULTS_FORMATS), HTML)
    )
    if fmt is HTML:
        return _html(*render_query_page(query, protocol.default_graphs, protocol.named_graphs))
    selection = (
        *protocol.default_graphs,
        "|",
        *protocol.named_graphs,
        "|",
        str(limits.max_result_rows),
        str(limits.max_result_bytes),
    )
    etag = etag_for(get_manifest().input_hash, query, fmt.name, public_root() + request.path.lstrip("/"), *selection)
    cached = not_modified(etag)
    if cached:
        return cached
    result = get_result_cache().get(etag)
    if result is None:
        outcome = _execute(protocol, query, fmt.name, shape)
        if isinstance(outcome, Response):
            return outcome
        result = outcome
        get_result_cache().put(etag, result)
    return cacheable(_results_response(result, limits), etag)


def _execute(protocol: ProtocolRequest, query: str, format_name: str, shape: QueryShape) -> QueryResult | Response:
    """The query's result, or the error response that says why there is none."""
    query_request = public_query_request(query, format_name, protocol.default_graphs, protocol.named_graphs, shape=shape)
    try:
        return get_sparql_store().execute(query_request)
    except StoreBusy as error:
        get_metrics().rejected.labels("busy").inc()
        return unavailable_response(error)
    except QueryTimeout as error:
        get_metrics().timeouts.inc()
        return error_response(
            503, f"Query stopped: {error}. Narrow it (LIMIT, more specific patterns).", {"Retry-After": retry_after(error)}
        )
    except QueryRefused as error:
        return _reject(403, "service", str(error))
    except QueryFailed as error:
        return _reject(400, "syntax" if error.syntax else "invalid", f"Query error: {error}")


def _results_response(result: QueryResult, limits: Limits) -> Response:
    response = Response(result.body, content_type=BY_NAME[result.result_format].content_type)
    response.headers["X-Result-Rows"] = str(result.rows)
    if result.truncated:
        response.headers["X-Result-Truncated"] = f"true; max-rows={limits.max_result_rows}; max-bytes={limits.max_result_bytes}"
        response.headers["Warning"] = (
            f'199 - "results truncated at {result.rows} rows (limits: {limits.max_result_rows} rows, {limits.max_result_bytes} bytes)"'
        )
    return response


def _describe_service(protocol: ProtocolRequest) -> Response:
    """No query: the Service Description for RDF clients, the query page for people."""
    fmt = choose_format(protocol.format, request.headers.get("Accept"), (*RDF_FORMATS, HTML))
    if fmt is HTML:
        return _html(*render_query_page(None))
    etag = etag_for(get_manifest().input_hash, "service-description", fmt.name, public_root())
    return not_modified(etag) or cacheable(Response(service_description(fmt), content_type=fmt.content_type), etag)


def _html(page: str, status: int) -> Response:
    response = Response(page, status=status, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _reject(status: int, reason: str, message: str, headers: dict | None = None) -> Response:
    get_metrics().rejected.labels(reason).inc()
    return error_response(status, message, headers)
