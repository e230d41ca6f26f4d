"""Closed-loop load: N concurrent clients, each on its own keep-alive connection, for a fixed window.

The clients are threads spread over a few forked processes, so Python's GIL does not cap the
request rate; every process reports its own CPU time, which is the load generator's overhead.
Requests still running when the window closes are not counted.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier

from http_client import Endpoint, KeepAliveClient
from workload import BenchQuery

MAX_PROCESSES = 4  # on 2 cores more processes only add scheduling; 4 x 8 threads carry 32 clients


@dataclass(frozen=True)
class LoadResult:
    """What one window of load achieved."""

    completed: int  # answered 200 within the window
    failed: int  # any other answer, or a broken connection, within the window
    untimed: int  # warm-up requests and those that ended after the window: work the server did, uncounted
    window_s: float
    client_cpu_s: float  # the load generator's own CPU time over the window


def run_load(endpoint: Endpoint, queries: list[BenchQuery], clients: int, window_s: float) -> LoadResult:
    """`clients` clients cycling through `queries` (each from its own offset) against `endpoint` for `window_s`."""
    processes = min(clients, MAX_PROCESSES)
    context = multiprocessing.get_context("fork")  # the children need only what this process has loaded
    start = context.Barrier(processes + 1)
    results = context.Queue()
    workers = [
        context.Process(target=_client_process, args=(endpoint, queries, first, processes, clients, window_s, start, results))
        for first in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        for worker in workers:
            worker.terminate()
        raise RuntimeError(f"a load client could not warm up against {endpoint.name}") from None
    reports = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    completed, failed, untimed, cpu = (sum(column) for column in zip(*reports, strict=True))
    return LoadResult(completed=completed, failed=failed, untimed=untimed + clients, window_s=window_s, client_cpu_s=cpu)


def _client_process(
    endpoint: Endpoint,
    queries: list[BenchQuery],
    first: int,
    step: int,
    clients: int,
    window_s: float,
    start: Barrier,
    results: multiprocessing.Queue,
) -> None:
    """Clients first, first+step, … of `clients`: connect and warm up, wait for all, then load until the deadline."""
    indices = range(first, clients, step)
    connections = {index: KeepAliveClient(endpoint) for index in indices}
    try:
        for index, connection in connections.items():
            query = queries[index % len(queries)]
            connection.exchange(endpoint.query_request(query.text, query.accept, f"warm-up {index}"))
    except OSError:
        start.abort()
        raise
    counts = dict.fromkeys(indices, (0, 0, 0))
    start.wait()
    cpu_before = _cpu_s()
    deadline = time.monotonic() + window_s
    threads = [threading.Thread(target=_client, args=(connections[i], queries, i, deadline, counts)) for i in indices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = _cpu_s() - cpu_before
    results.put((*(sum(column) for column in zip(*counts.values(), strict=True)), cpu))


def _client(connection: KeepAliveClient, queries: list[BenchQuery], index: int, deadline: float, counts: dict) -> None:
    """One closed-loop client: the next query as soon as the previous answer is read."""
    makers = [connection.endpoint.prepare(query.text, query.accept) for query in queries]
    done = failed = 0
    position = index
    while True:
        request = makers[position % len(makers)](f"client {index} run {position}")
        position += 1
        try:
            status, _ = connection.exchange(request)
        except OSError:
            status = 0
        if time.monotonic() > deadline:
            break
        done, failed = (done + 1, failed) if status == 200 else (done, failed + 1)
    counts[index] = (done, failed, 1)  # the last request ended after the deadline
    connection.close()


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system
