"""Serve the app with granian: HTTP parsed in Rust, the WSGI app called from a pool of threads.

The HTTP server is granian rather than a pure-Python one because its per-request cost is what a
small query pays most: measured side by side on the same bare Flask app on this project's 2-core
machines (by hand, not in `make bench`), waitress took about 0.8 ms of CPU and 2 ms a request, granian
0.5 ms and 1 ms. Granian runs the app in worker processes it supervises and restarts (for as long as
the server runs, see supervisor.py); the app, with its pools of query workers, is made inside
each one (a fork of this process), after the build or the remote store has been checked here, so a
damaged build or an unreachable store still stops `serve` with its exit code before anything listens.
"""

from __future__ import annotations

import atexit
import logging
import math
import shutil
import socket
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Flask
from granian.constants import Interfaces
from granian.log import LogLevels

from aichr_kg.config import Settings
from aichr_kg.errors import ListenError
from aichr_kg.web import close_stores, create_app
from aichr_kg.web.operations import watch_worker_crashes
from aichr_kg.web.serving.sources import check_source
from aichr_kg.web.supervisor import CrashLedger, SupervisedServer, stop_with_supervisor

log = logging.getLogger("aichr_kg")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
KILL_GRACE_S = 5


def serve(settings: Settings, *, verify: bool = False) -> None:
    """Block serving http://host:port until interrupted; the query workers stop with each HTTP worker.

    The build (or the remote store's publication) is checked first (`verify`: every file's hash, not
    only its size); a damaged build, or a store that cannot be read, raises.
    """
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    check_source(settings, verify=verify)
    _check_address(settings.host, settings.port)
    state = Path(tempfile.mkdtemp(prefix="aichr-kg-serve-"))
    atexit.register(shutil.rmtree, state, ignore_errors=True)
    ledger = CrashLedger(state / "worker-crashes.json")
    server = SupervisedServer(
        "aichr_kg.web:create_app",  # only a name: the app comes from `_make_app` below
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.http_workers,
        blocking_threads=settings.threads,
        respawn_failed_workers=True,
        # a worker asked to stop has its requests' budget to finish them, then it is killed
        workers_kill_timeout=math.ceil(settings.limits.query_timeout_s) + KILL_GRACE_S,
        log_level=LogLevels.error,  # not its advice to use fewer threads: ours wait on query workers, not the CPU
        ledger=ledger,
    )
    log.info("serving %s at http://%s:%d/", settings.base_iri, settings.host, settings.port)
    server.serve(target_loader=partial(_make_app, settings, ledger.path), wrap_loader=False)


def _check_address(host: str, port: int) -> None:
    """Fail with one line, before any worker starts, when the address cannot be listened on (granian would panic)."""
    try:
        with socket.create_server((host, port), reuse_port=False):
            pass
    except OSError as error:
        raise ListenError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def _make_app(settings: Settings, worker_crashes: Path) -> Callable:
    """The app of one HTTP worker, closing its query workers when the worker stops; /health and
    /metrics report the crashes of its siblings from the supervisor's record."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, force=True)
    logging.getLogger("_granian").setLevel(logging.WARNING)
    stop_with_supervisor()
    app: Flask = create_app(settings)
    watch_worker_crashes(app, worker_crashes)
    atexit.register(close_stores, app)
    return app
