"""Every request timed, counted in the metrics and logged with its status and duration."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

from aichr_kg.web.context import get_metrics

log = logging.getLogger("aichr_kg.web")


def init_app(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_log_and_count)


def _start_timer() -> None:
    g.started = time.perf_counter()


def _log_and_count(response: Response) -> Response:
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    endpoint = request.endpoint or "unknown"
    get_metrics().observe_request(endpoint, request.method, response.status_code, elapsed)
    log.info("%s %s %s %.1f ms", request.method, request.full_path.rstrip("?"), response.status_code, elapsed * 1000)
    return response
