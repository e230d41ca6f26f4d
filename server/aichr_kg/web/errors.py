"""Every error becomes a short plain-language answer in the format the client asked for; never a stack trace."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, make_response, request
from werkzeug.exceptions import HTTPException

bp = Blueprint("errors", __name__)
log = logging.getLogger("aichr_kg.web")


def error_response(status: int, message: str, headers: dict | None = None):
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


@bp.app_errorhandler(HTTPException)
def _http_error(error: HTTPException):
    response = error_response(error.code or 500, f"{error.code} {error.name}: {error.description}")
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@bp.app_errorhandler(Exception)
def _unexpected(error: Exception):
    log.exception("unhandled error")
    return error_response(500, "500 Internal Server Error: the server failed to answer; the error was logged.")
