"""Operational endpoints: /health, /metrics, and the downloadable dumps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, send_from_directory

from aichr_kg.store import QueryFailed, QueryRequest, QueryTimeout, StoreBusy
from aichr_kg.store.connections import EngineUnavailable
from aichr_kg.web.context import get_build_dir, get_manifest, get_metrics, get_sparql_store, get_store
from aichr_kg.web.supervisor import WorkerCrashes, read_worker_crashes

bp = Blueprint("operations", __name__)
WORKER_CRASHES = "aichr_worker_crashes"
NO_LOCAL_BUILD = (
    "this server answers from a remote store holding build {hash} and has no local build of it, which the dumps "
    "are files of: run `aichr-kg build` beside it on the same inputs, or download them where that build is"
)

DUMPS = {
    "aichr-kg.ttl": "text/turtle",
    "aichr-kg.ttl.gz": "application/gzip",
    "aichr-kg.nq.gz": "application/gzip",
}


@bp.get("/health")
def health() -> Response | tuple[Response, int]:
    """Liveness plus what is being served: the dataset hash, its size, and each store's state.

    A store that is only busy is alive (200, "busy"), and so is one replacing a dead worker or
    running without its network sandbox, or a remote store holding another publication than the
    one served (200, "degraded", with the reason in `stores`), and so is a server whose HTTP workers
    crash in a row (200, "degraded", see `http_workers`), so a liveness probe does not restart
    a server that is answering; one that fails, or a remote store that cannot be reached, is not (503).
    """
    manifest = get_manifest()
    stores = {"pages": get_store().status(), "sparql": get_sparql_store().status()}
    body = {
        "status": "ok",
        "dataset_hash": manifest.input_hash,
        "triples": manifest.triples,
        "built_at": manifest.built_at,
    }
    try:
        get_store().execute(QueryRequest.liveness_probe())
    except (EngineUnavailable, QueryFailed) as error:
        body.update(status="unavailable", reason=str(error), stores=stores)
        return jsonify(body), 503
    except (StoreBusy, QueryTimeout):
        body["status"] = "busy"
    crashes = _worker_crashes()
    if body["status"] == "ok" and (crashes.crash_loop or any(store["degraded"] for store in stores.values())):
        body["status"] = "degraded"
    http_workers = {**dataclasses.asdict(crashes), "crash_loop": crashes.crash_loop}
    return jsonify({**body, "stores": stores, "http_workers": http_workers})


def watch_worker_crashes(app: Flask, record: Path) -> None:
    """Report on /health and /metrics the HTTP worker crashes the supervisor records in `record`."""
    app.extensions[WORKER_CRASHES] = record
    app.extensions["aichr_metrics"].watch_worker_crashes(
        restarts=lambda: read_worker_crashes(record).restarts,
        crash_loop=lambda: read_worker_crashes(record).crash_loop,
    )


def _worker_crashes() -> WorkerCrashes:
    """The supervisor's record; none for an app served without one (tests, an embedding front end)."""
    record = current_app.extensions.get(WORKER_CRASHES)
    return WorkerCrashes() if record is None else read_worker_crashes(record)


@bp.get("/metrics")
def metrics() -> Response:
    return Response(get_metrics().exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


@bp.get("/download/<name>")
def download(name: str) -> Response:
    """The dumps written by the build (Turtle, gzipped Turtle, gzipped N-Quads); files only a local build has."""
    if name not in DUMPS:
        abort(404, description=f"no dump named {name!r}; available: {', '.join(DUMPS)}")
    build_dir = get_build_dir()
    if build_dir is None:
        abort(404, description=NO_LOCAL_BUILD.format(hash=get_manifest().input_hash[:12]))
    return send_from_directory(build_dir / "dumps", name, mimetype=DUMPS[name], max_age=300)
