"""Our /sparql against Oxigraph's own Rust HTTP server, side by side on the same build.

Both get byte-for-byte the same form POST (full PREFIX prologue, same Accept, a distinct comment
per request so no cache answers), and their answers must have the same number of rows before
anything is timed. Latency is measured with one client, alternating servers request by request;
throughput with 1, 8 and 32 closed-loop clients sharing the same work, alternating servers run by run. Targets:
ours/theirs p50 <= 1.0 and throughput >= 1.0 on the real data; within 1.1x at ~1M triples.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from aichr_kg.pipeline.integrity import read_manifest
from bench.http_client import Endpoint, KeepAliveClient
from bench.load import LoadResult, run_load, total_requests
from bench.servers import OUR_SERVE_ARGS, OxigraphServer, load_oxigraph_store, oxigraph_version, start_ours, tree_cpu_s
from bench.stats import geometric_mean, percentile
from bench.workload import FIRST_PROJECT, RESULTS_JSON, BenchQuery, bench_queries, with_prologue


@dataclass(frozen=True)
class PeerSettings:
    """How much to measure: latency samples per query and server, throughput work and rounds, how many clients."""

    repeats: int = 100
    cycles: int = 30  # passes over the query mix per throughput run (more when there are many clients)
    rounds: int = 3
    clients: tuple[int, ...] = (1, 8, 32)
    only: tuple[str, ...] = ()  # query names to keep (all when empty)


@dataclass(frozen=True)
class Pair:
    """Our endpoint and Oxigraph's, with the process ids whose CPU time each one costs."""

    ours: Endpoint
    theirs: Endpoint
    our_pid: int
    their_pid: int


def compare_with_oxigraph(root: Path, workdir: Path, settings: PeerSettings, nquads: Path | None = None) -> dict:
    """Start both servers on the build at `root` (Oxigraph on a store loaded from `nquads`, by default its N-Quads)."""
    nquads = nquads or root / "build" / "dataset.nq"
    load_s = load_oxigraph_store(nquads, workdir / "oxigraph-store")
    theirs = OxigraphServer(workdir / "oxigraph-store")
    try:
        ours, our_endpoint = start_ours(root)
        try:
            pair = Pair(our_endpoint, theirs.endpoint, ours.process.pid, theirs.process.pid)
            results = measure(root, pair, settings)
        finally:
            ours.stop()
    finally:
        theirs.stop()
    manifest = read_manifest(root / "build")
    servers = {
        "ours": ["aichr-kg", "serve", *OUR_SERVE_ARGS],
        "oxigraph": ["oxigraph", "serve-read-only", "--union-default-graph"],
    }
    return {
        "triples": manifest.triples if manifest else 0,
        "oxigraph": oxigraph_version(),
        "oxigraph_load_s": load_s,
        "servers": servers,
        **results,
    }


def measure(root: Path, pair: Pair, settings: PeerSettings) -> dict:
    """Check the answers agree, then time the queries that do."""
    queries = [q for q in bench_queries(root, first_project_iri(pair.theirs)) if not settings.only or q.name in settings.only]
    agreement = [check_agreement(query, pair) for query in queries]
    agreed = [query for query, row in zip(queries, agreement, strict=True) if row["agree"]]
    latency, client = latency_rows(agreed, pair, settings.repeats)
    throughput = throughput_rows(agreed, pair, settings)
    return {
        "settings": asdict(settings),
        "disagreements": [row for row in agreement if not row["agree"]],
        "latency": latency,
        "p50_ratio_geomean": geometric_mean(row["ratio_p50"] for row in latency),
        "client_overhead": client,
        "throughput": throughput,
    }


def first_project_iri(endpoint: Endpoint) -> str:
    """A JAIF project's IRI for the lookup query (the first in IRI order, so both servers get the same one)."""
    status, body = KeepAliveClient(endpoint).exchange(endpoint.query_request(with_prologue(FIRST_PROJECT), RESULTS_JSON))
    bindings = json.loads(body)["results"]["bindings"] if status == 200 else []
    if not bindings:
        raise RuntimeError(f"{endpoint.name} found no aj:JAIFProject (status {status}): is the build empty?")
    return bindings[0]["p"]["value"]


def row_count(body: bytes, accept: str) -> int:
    """Solutions of a JSON result (1 for ASK), or triples of an N-Triples graph."""
    if accept != RESULTS_JSON:
        return sum(1 for line in body.splitlines() if line.strip())
    answer = json.loads(body)
    return 1 if "boolean" in answer else len(answer["results"]["bindings"])


def check_agreement(query: BenchQuery, pair: Pair) -> dict:
    """One untimed run on each server (it also warms them up): status and row counts side by side."""
    answers = {}
    for endpoint in (pair.ours, pair.theirs):
        status, body = KeepAliveClient(endpoint).exchange(endpoint.query_request(query.text, query.accept, "check"))
        answers[endpoint.name] = row_count(body, query.accept) if status == 200 else f"HTTP {status}: {body[:200]!r}"
    ours, theirs = answers[pair.ours.name], answers[pair.theirs.name]
    return {"query": query.name, "ours_rows": ours, "theirs_rows": theirs, "agree": isinstance(ours, int) and ours == theirs}


def latency_rows(queries: list[BenchQuery], pair: Pair, repeats: int) -> tuple[list[dict], dict]:
    """p50/p99 per query at one client, alternating servers (and which goes first) request by request."""
    clients = {endpoint.name: KeepAliveClient(endpoint) for endpoint in (pair.ours, pair.theirs)}
    makers = {(q.name, e.name): e.prepare(q.text, q.accept) for q in queries for e in (pair.ours, pair.theirs)}
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in makers}
    client_cpu_s = 0.0
    servers_before = tree_cpu_s(pair.our_pid), tree_cpu_s(pair.their_pid)
    for run in range(repeats):
        for position, query in enumerate(queries):
            order = (pair.ours, pair.theirs) if (run + position) % 2 == 0 else (pair.theirs, pair.ours)
            for endpoint in order:
                request = makers[query.name, endpoint.name](f"latency run {run}")
                cpu, started = time.process_time(), time.perf_counter()
                status, body = clients[endpoint.name].exchange(request)
                samples[query.name, endpoint.name].append(time.perf_counter() - started)
                client_cpu_s += time.process_time() - cpu
                if status != 200:
                    raise RuntimeError(f"{endpoint.name} answered {query.name} with {status}: {body[:300]!r}")
    servers_cpu_s = [
        after - before
        for before, after in zip(servers_before, (tree_cpu_s(pair.our_pid), tree_cpu_s(pair.their_pid)), strict=True)
    ]
    rows = [
        _latency_row(query.name, samples[query.name, pair.ours.name], samples[query.name, pair.theirs.name]) for query in queries
    ]
    return rows, _latency_overhead(samples, client_cpu_s, servers_cpu_s, repeats * len(queries))


def _latency_row(name: str, ours: list[float], theirs: list[float]) -> dict:
    ours_p50, theirs_p50 = statistics.median(ours), statistics.median(theirs)
    return {
        "query": name,
        "ours_p50_ms": 1000 * ours_p50,
        "ours_p99_ms": 1000 * percentile(ours, 0.99),
        "theirs_p50_ms": 1000 * theirs_p50,
        "theirs_p99_ms": 1000 * percentile(theirs, 0.99),
        "ratio_p50": ours_p50 / theirs_p50,
    }


def _latency_overhead(samples: dict, client_cpu_s: float, servers_cpu_s: list[float], per_server: int) -> dict:
    """CPU per request of the client (inside the timed exchange) and of each server, against the wall time."""
    requests = max(1, 2 * per_server)
    return {
        "requests_per_server": per_server,
        "wall_ms_per_request": 1000 * sum(sum(times) for times in samples.values()) / requests,
        "client_cpu_ms_per_request": 1000 * client_cpu_s / requests,
        "ours_server_cpu_ms_per_request": 1000 * servers_cpu_s[0] / max(1, per_server),
        "theirs_server_cpu_ms_per_request": 1000 * servers_cpu_s[1] / max(1, per_server),
    }


def throughput_rows(queries: list[BenchQuery], pair: Pair, settings: PeerSettings) -> list[dict]:
    """Queries per second over the mix per number of clients, servers alternating run by run."""
    sides = [("ours", pair.ours, pair.our_pid), ("theirs", pair.theirs, pair.their_pid)]
    rows = []
    for clients in settings.clients:
        total = total_requests(queries, clients, settings.cycles)
        runs: dict[str, list[LoadResult]] = {"ours": [], "theirs": []}
        for round_index in range(settings.rounds):
            for side, endpoint, pid in sides if round_index % 2 == 0 else sides[::-1]:
                runs[side].append(run_load(endpoint, queries, clients, total, lambda pid=pid: tree_cpu_s(pid)))
        row = {
            "clients": clients,
            "requests_per_run": total,
            **_side_figures(runs["ours"], "ours"),
            **_side_figures(runs["theirs"], "theirs"),
        }
        row["ratio_qps"] = row["ours_qps"] / row["theirs_qps"] if row["theirs_qps"] else float("nan")
        rows.append(row)
    return rows


def _side_figures(runs: list[LoadResult], side: str) -> dict:
    """One server's throughput over its runs, its failures, its CPU per request and the client's share of the machine."""
    elapsed_s = sum(run.elapsed_s for run in runs)
    requests = sum(run.requests for run in runs)
    return {
        f"{side}_qps": sum(run.requests - run.failed for run in runs) / elapsed_s,
        f"{side}_failed": sum(run.failed for run in runs),
        f"{side}_server_cpu_ms_per_request": 1000 * sum(run.server_cpu_s for run in runs) / requests,
        f"{side}_client_cpu_share": sum(run.client_cpu_s for run in runs) / (elapsed_s * (os.cpu_count() or 1)),
    }
