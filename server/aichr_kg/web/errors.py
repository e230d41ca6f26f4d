"""Every error becomes a short plain-language answer in the format the client asked for; never a stack trace."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, make_response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from aichr_kg.store import QueryTimeout, StoreBusy

bp = Blueprint("errors", __name__)
log = logging.getLogger("aichr_kg.web")


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON body for machines, plain text for everyone else; the message is never HTML."""
    if request.accept_mimetypes.best_match(["text/plain", "application/json"]) == "application/json":
        response = jsonify(error=message, status=status)
    else:
        response = make_response(message + "\n", status)
        response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.status_code = status
    response.vary.add("Accept")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class HttpError(Exception):
    """A request the client can correct: its status and a message saying how (raised by any route)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


@bp.app_errorhandler(HttpError)
def _client_error(error: HttpError) -> Response:
    return error_response(error.status, error.message, error.headers)


@bp.app_errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    response = error_response(error.code or 500, f"{error.code} {error.name}: {error.description}")
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def retry_after(error: StoreBusy | QueryTimeout) -> str:
    """The one Retry-After policy: a busy store frees up in moments; a stopped query needs narrowing first."""
    return "10" if isinstance(error, QueryTimeout) else "2"


def unavailable_response(error: StoreBusy | QueryTimeout) -> Response:
    """A 503 that says why, for every route whose store was busy or whose query ran out of time."""
    reason = str(error) or "all query workers are busy"
    return error_response(503, f"503 Service Unavailable: {reason}; retry in a moment.", {"Retry-After": retry_after(error)})


@bp.app_errorhandler(StoreBusy)
@bp.app_errorhandler(QueryTimeout)
def _store_unavailable(error: StoreBusy | QueryTimeout) -> Response:
    return unavailable_response(error)


@bp.app_errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error")
    return error_response(500, "500 Internal Server Error: the server failed to answer; the error was logged.")
