"""The files every site is asked for at its root: /favicon.ico and /robots.txt.

Browsers ask for /favicon.ico on every page that names no icon and crawlers read /robots.txt before
anything else; answering both keeps a 404 out of every browser console and every crawl log. The
robots rules let crawlers read every linked-data page and dump, and keep them off the endpoints
whose URLs run queries (a crawler following permalinks would run each one).
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, url_for
from werkzeug.wrappers import Response as BaseResponse

bp = Blueprint("site_files", __name__)
ROBOTS = "User-agent: *\nDisallow: /sparql\nDisallow: /api/\nAllow: /\n"


@bp.get("/favicon.ico")
def favicon() -> BaseResponse:
    """The SVG icon the pages name; a permanent redirect, so a browser asks once."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/robots.txt")
def robots() -> Response:
    response = Response(ROBOTS, content_type="text/plain; charset=utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
