"""The headers that tell browsers what our responses may do, set on every response in one place.

Two policies: what our own pages may load (CSP and friends), and what other sites' scripts may read
(CORS: everything, as open data should be, but nothing that writes). Both are constant, so they are
added as one prepared list; a CORS extension matched resources and origins on every request and cost
about 50 µs of a 1 ms query.

The pages use only our own files from /static: no inline script or style, no style attribute or
event handler, no CDN, no request to another site (JSON data blocks, `<script type="application/ld+json">`, are never run,
so the policy does not touch them). The policy states exactly that, so text from the data or a
query that ends up in a page can never run. It goes on every response, not only on HTML: a 304
has no body type and browsers merge its headers into the stored page (another policy there would
replace the page's), and an SVG chart or an error opened on its own is a document too.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",  # anything not allowed below: fonts, frames, fetch, media, workers
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",  # the charts of /api, drawn on the server
        "connect-src 'self'",  # the query editor fetches its completion resource from us, nothing else
        "form-action 'self'",
        "frame-ancestors 'none'",  # no page of another site may frame ours (clickjacking)
        "base-uri 'none'",  # no <base> may redirect the pages' relative links
        "object-src 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",  # a Turtle dump or an error text is never guessed to be HTML
    "Referrer-Policy": "strict-origin-when-cross-origin",  # a query in our URL never reaches another site
}


# Any origin may read any answer (no credentials are ever involved) and the headers that describe it.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, X-Result-Truncated, X-Result-Rows, X-Total-Count",
}
READ_METHODS = "GET, HEAD, POST, OPTIONS"  # POST carries queries; nothing here writes
EVERY_RESPONSE = tuple({**SECURITY_HEADERS, **CORS_HEADERS}.items())


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    """The constant headers, and a preflight's answer (CORS) when the request is one."""
    response.headers.extend(EVERY_RESPONSE)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = READ_METHODS
        requested = request.headers.get("Access-Control-Request-Headers")
        if requested:
            response.headers["Access-Control-Allow-Headers"] = requested
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
