"""Serve the app with waitress, a production WSGI server (threads; queries run in killable worker processes)."""

from __future__ import annotations

import logging

import waitress

from aichr_kg.config import Settings
from aichr_kg.web import close_stores, create_app


def serve(settings: Settings, *, verify: bool = False) -> None:
    """Block serving http://host:port until interrupted; the query workers stop with it.

    The build is checked first (`verify`: every file's hash, not only its size); a damaged one raises.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings, verify=verify)
    logging.getLogger("aichr_kg").info("serving %s at http://%s:%d/", settings.base_iri, settings.host, settings.port)
    try:
        waitress.serve(app, host=settings.host, port=settings.port, threads=settings.threads, ident="aichr-kg")
    finally:
        close_stores(app)
