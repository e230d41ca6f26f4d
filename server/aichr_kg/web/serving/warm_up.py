"""Make the values computed from a build's data before anyone asks for them, in the background.

The completion document, the label index and the namer are made from the store on first use. On
our data that takes a quarter of a second; at a million triples the completion document alone takes
about 15 s, which the first person to open the query page would otherwise wait for. Each build is
warmed as it becomes current, in a thread that pins it like a request does (so it is not closed
under the thread) and stops early once the build is retired. The values go into the build's
own `Values`, so they go with it; a request that needs a value being made waits for that one
computation (one lock per key) instead of repeating it, and a request for any other value waits for nothing.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, g

from aichr_kg.web.serving.dataset_cache import get_namer
from aichr_kg.web.serving.served import ServedBuild
from aichr_kg.web.sparql.completion import encoded_document

log = logging.getLogger("aichr_kg.web")
# The completion document first: the query page asks for it the moment it opens. Names (the label
# index and the namer over it) are what every page needs.
STEPS = (("completion document", encoded_document), ("names", get_namer))


def warm_in_background(app: Flask, build: ServedBuild) -> None:
    """Start warming `build` in `app`; returns at once, with the build already pinned for the thread
    (pinned inside the thread, a retire in between would close it and the thread's unpin close it again)."""
    build.enter()
    threading.Thread(target=_warm, args=(app, build), name="build-warm-up", daemon=True).start()


def _warm(app: Flask, build: ServedBuild) -> None:
    try:
        with app.app_context():
            g.aichr_served_build = build
            for name, make in STEPS:
                if build.retired:
                    return
                started = time.monotonic()
                make()
                log.info("%s of build %s ready in %.2f s", name, build.identity, time.monotonic() - started)
    except Exception as error:  # never fatal: the first request makes what was not made here
        log.warning("warming build %s stopped (%s); values are made on first use instead", build.identity, error)
    finally:
        build.leave()
