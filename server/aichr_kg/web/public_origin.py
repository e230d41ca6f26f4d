"""The origin the server is published at, behind w3id.org and a reverse proxy (Settings.public_url).

With a public URL, every Location the app sends is absolute under it, and the URLs written into
documents and ETags (`public_root`) come from it, whatever Host or X-Forwarded-Host a request
carries. Without one, they come from the request. X-Forwarded-For, -Proto, -Host and -Port are
believed only from the `trust_proxy` proxies configured in front (werkzeug's ProxyFix); by default
they change nothing. X-Forwarded-Prefix never is: the pages link by absolute path from the root.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from aichr_kg.config import Settings
from aichr_kg.web.context import public_root


def init_app(app: Flask) -> None:
    settings: Settings = app.config["AICHR_SETTINGS"]
    if settings.trust_proxy:
        hops = settings.trust_proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    if settings.public_url:
        app.after_request(_absolute_location(settings.public_url))
    app.add_template_global(public_root)


def _absolute_location(origin: str) -> Callable[[Response], Response]:
    def absolute(response: Response) -> Response:
        """A redirect by path (/doc/…) names the public origin, so clients and caches behind a proxy see it."""
        location = response.headers.get("Location")
        if location and location.startswith("/") and not location.startswith("//"):
            response.headers["Location"] = origin + location
        return response

    return absolute
