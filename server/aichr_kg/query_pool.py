"""The embedded store: pyoxigraph opened read-only in worker processes that can be killed.

pyoxigraph has no timeout and no cancel, so each query runs in a worker process holding its own
`Store.read_only`. The request thread waits on the worker's pipe for at most the time budget; a
worker that overruns is killed (its CPU is released at once) and replaced, while the other
workers keep answering. The number of workers is also the cap on concurrent executions.
"""

from __future__ import annotations

import multiprocessing
import queue
import resource
import threading
from pathlib import Path

import pyoxigraph

from aichr_kg.store import QueryFailed, QueryRequest, QueryResult, QueryTimeout, StoreBusy, run_on_store


def _serve_queries(store_path: str, connection, memory_bytes: int) -> None:
    """A worker's life: cap its memory, open the store read-only, answer requests until the pipe closes."""
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    store = pyoxigraph.Store.read_only(store_path)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", run_on_store(store, request)))
        except QueryFailed as error:
            connection.send(("failed", str(error), error.syntax))
        except Exception as error:  # noqa: BLE001 - a bad request must never kill the worker
            connection.send(("failed", f"the query could not be answered: {type(error).__name__}: {error}", False))


class _Worker:
    """One process and the parent's end of its pipe."""

    def __init__(self, context, store_path: Path, memory_bytes: int):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve_queries, args=(str(store_path), child, memory_bytes), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class EmbeddedStore:
    """A SparqlStore over a pool of killable pyoxigraph worker processes."""

    def __init__(self, store_path: Path, *, workers: int, timeout_s: float, queue_wait_s: float, memory_mb: int):
        self.store_path = store_path
        self.timeout_s = timeout_s
        self.queue_wait_s = queue_wait_s
        self.memory_bytes = memory_mb * 1024 * 1024
        self.size = workers
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.store_path, self.memory_bytes)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        return self._spawn()

    @property
    def busy(self) -> int:
        """Workers executing a query right now (for /metrics)."""
        return self.size - self._idle.qsize()

    def execute(self, request: QueryRequest) -> QueryResult:
        """Run one request on a free worker; raise StoreBusy, QueryTimeout or QueryFailed."""
        try:
            worker = self._idle.get(timeout=self.queue_wait_s)
        except queue.Empty:
            raise StoreBusy() from None
        try:
            worker.connection.send(request)
            if not worker.connection.poll(self.timeout_s):
                worker = self._replace(worker)
                raise QueryTimeout(f"the query ran longer than {self.timeout_s:g} s and was stopped")
            reply = worker.connection.recv()
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise QueryFailed("the query stopped its worker (it may have needed more memory than allowed)", syntax=False) from None
        finally:
            self._idle.put(worker)
        if reply[0] == "failed":
            raise QueryFailed(reply[1], syntax=reply[2])
        return reply[1]

    def close(self) -> None:
        """Stop every worker (idle or busy)."""
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()
