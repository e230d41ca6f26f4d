"""Closed-loop load: a fixed amount of work shared by N concurrent clients, timed to the last answer.

The work is `cycles` passes over the query mix: request k of the whole run is query k mod len(mix),
and client c of N sends requests c, c+N, c+2N, … one after the other on its own keep-alive
connection. Every server so does exactly the same queries at every concurrency, and no request
is cut off by a time window (at a million triples 32 concurrent queries take longer than any short
window). The clients are threads spread over a few forked processes, so Python's GIL does not cap
the request rate; each process reports its own CPU time, which is the load generator's overhead.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier

from bench.http_client import Endpoint, KeepAliveClient
from bench.workload import RESULTS_JSON, BenchQuery

MAX_PROCESSES = 4  # on 2 cores more processes only add scheduling; 4 x 8 threads carry 32 clients
MIN_REQUESTS_PER_CLIENT = 2  # fewer, and the run would be mostly ramp-up and ramp-down


@dataclass(frozen=True)
class LoadResult:
    """What one run of load achieved, and what it cost the server and the client."""

    requests: int
    failed: int  # answers other than 200, and broken connections
    elapsed_s: float  # from the first request sent to the last answer read
    client_cpu_s: float
    server_cpu_s: float


def total_requests(queries: list[BenchQuery], clients: int, cycles: int) -> int:
    """`cycles` passes over the mix, more if needed to give every client a few requests."""
    return len(queries) * max(cycles, math.ceil(MIN_REQUESTS_PER_CLIENT * clients / len(queries)))


def run_load(
    endpoint: Endpoint, queries: list[BenchQuery], clients: int, total: int, server_cpu_s: Callable[[], float]
) -> LoadResult:
    """`total` requests over the mix by `clients` concurrent clients; `server_cpu_s` reads the server's CPU clock."""
    processes = min(clients, MAX_PROCESSES)
    context = multiprocessing.get_context("fork")  # the children need only what this process has loaded
    ready, go = context.Barrier(processes + 1), context.Barrier(processes + 1)
    results = context.Queue()
    workers = [
        context.Process(target=_client_process, args=(endpoint, queries, total, first, processes, clients, ready, go, results))
        for first in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        for worker in workers:
            worker.terminate()
        raise RuntimeError(f"a load client could not connect to {endpoint.name}") from None
    cpu_before = server_cpu_s()
    go.wait()
    reports = [results.get() for _ in workers]
    server_cpu = server_cpu_s() - cpu_before
    for worker in workers:
        worker.join()
    done, failed, started, ended, client_cpu = zip(*reports, strict=True)
    return LoadResult(sum(done), sum(failed), max(ended) - min(started), sum(client_cpu), server_cpu)


def _client_process(
    endpoint: Endpoint,
    queries: list[BenchQuery],
    total: int,
    first: int,
    step: int,
    clients: int,
    ready: Barrier,
    go: Barrier,
    results: multiprocessing.Queue,
) -> None:
    """Clients first, first+step, … of `clients`: connect (with a trivial query), wait for all, then send their share."""
    indices = range(first, clients, step)
    connections = {index: KeepAliveClient(endpoint) for index in indices}
    try:
        for connection in connections.values():
            connection.exchange(endpoint.query_request("ASK {}", RESULTS_JSON))
    except OSError:
        ready.abort()
        raise
    outcomes: dict[int, tuple[int, int, float]] = {}
    ready.wait()
    go.wait()
    started, cpu_before = time.monotonic(), _cpu_s()
    threads = [
        threading.Thread(target=_client, args=(connections[index], queries, range(index, total, clients), outcomes))
        for index in indices
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = _cpu_s() - cpu_before
    done, failed, ended = zip(*outcomes.values(), strict=True)
    results.put((sum(done), sum(failed), started, max(ended), cpu))


def _client(connection: KeepAliveClient, queries: list[BenchQuery], positions: range, outcomes: dict) -> None:
    """One closed-loop client: its next request as soon as the previous answer is read."""
    makers = [connection.endpoint.prepare(query.text, query.accept) for query in queries]
    done = failed = 0
    for position in positions:
        try:
            status, _ = connection.exchange(makers[position % len(makers)](f"load request {position}"))
        except OSError:
            status = 0
        done, failed = (done + 1, failed) if status == 200 else (done + 1, failed + 1)
    outcomes[positions.start] = (done, failed, time.monotonic())
    connection.close()


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system
