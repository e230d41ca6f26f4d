"""The embedded store: pyoxigraph opened read-only in worker processes that can be killed and heal.

pyoxigraph has no timeout and no cancel, so each query runs in a worker process holding its own
`Store.read_only`, confined by the network sandbox before it opens the store. The request thread
waits on the worker's pipe for at most the time budget; a worker that overruns is killed (its CPU
is released at once). The number of active workers is the cap on concurrent executions.

Workers heal before anyone notices: a watcher thread waits on every worker's sentinel and replaces
a worker that dies while idle, and a worker is checked for life (without reaping it) before a query
is sent to it; a warm spare takes the place of a killed or dead worker immediately, and replacements
start in the background, so a request does not wait for a process to start unless more workers die
at once than there are spares.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from aichr_kg.store import QueryFailed, QueryRefused, QueryRequest, QueryResult, QueryTimeout, StoreBusy
from aichr_kg.store.sandbox import SandboxStatus
from aichr_kg.store.worker import ALL_GUARDS, Guards, WorkerProcess, death_of

log = logging.getLogger("aichr_kg.store")
START_TIMEOUT_S = 60.0
RESTART_DELAY_S = 1.0  # before retrying a worker that could not start, so a broken store does not spin


class WorkerLost(StoreBusy):
    """The worker answering the query was killed from outside; the query can be retried."""


@dataclass(frozen=True)
class PoolShape:
    """How a pool is sized and limited."""

    workers: int
    timeout_s: float
    queue_wait_s: float
    memory_mb: int
    spares: int = 1


class EmbeddedStore:
    """A SparqlStore over a self-healing pool of killable, network-confined pyoxigraph workers."""

    def __init__(self, store_path: Path, shape: PoolShape, *, guards: Guards = ALL_GUARDS, name: str = "query") -> None:
        self.store_path, self.shape, self.guards, self.name = store_path, shape, guards, name
        self.size = shape.workers
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._live: set[WorkerProcess] = set()
        self._spares: list[WorkerProcess] = []
        self._starting = 0
        self._closed = False
        self._lock = threading.Condition()
        self.sandbox: SandboxStatus | None = None
        self._watcher = _Watcher(self.name, self.watched, on_death=self._retire)
        self._top_up()
        self._wait_for_active(START_TIMEOUT_S)

    # --- serving ---------------------------------------------------------------------------------

    def execute(self, request: QueryRequest) -> QueryResult:
        """Run one request on a free worker; raise StoreBusy, QueryTimeout, QueryRefused or QueryFailed.

        A worker killed from outside while it held the query says nothing about the query, which
        only reads: it is run once more on another worker, within what is left of the time budget.
        """
        deadline = time.monotonic() + self.shape.timeout_s
        try:
            return self._execute_once(request, self.shape.timeout_s)
        except WorkerLost:
            left = deadline - time.monotonic()
            if left <= 0:
                raise
            return self._execute_once(request, left)

    def _execute_once(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        worker = self._send(request, time.monotonic() + self.shape.queue_wait_s)
        try:
            if not worker.answers_within(timeout_s):
                self._retire(worker)
                raise QueryTimeout(f"the query ran longer than {self.shape.timeout_s:g} s and was stopped")
            reply = worker.connection.recv()
        except (EOFError, OSError):
            raise self._lost_during_query(worker) from None
        finally:
            self._finish(worker)
        if reply[0] == "refused":
            raise QueryRefused(reply[1])
        if reply[0] == "failed":
            raise QueryFailed(reply[1], syntax=reply[2])
        return reply[1]

    def _send(self, request: QueryRequest, deadline: float) -> WorkerProcess:
        """Hand the request to a live idle worker; one found dead is replaced and the next one tried."""
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise StoreBusy(f"all {self.size} {self.name} workers are busy") from None
            with self._lock:
                worker.busy = not worker.retired
            if not worker.busy or worker.has_exited():
                self._retire(worker)
                self._finish(worker)
                continue
            try:
                worker.connection.send(request)
                return worker
            except OSError:
                self._retire(worker)
                self._finish(worker)

    def _lost_during_query(self, worker: WorkerProcess) -> Exception:
        """Killed from outside (SIGKILL) is retryable; any other death is the query's doing, told as it happened."""
        exit_code = worker.exit_code(wait_s=1.0)
        self._retire(worker)
        if exit_code == -signal.SIGKILL:
            return WorkerLost("the worker answering this query was stopped from outside; retry")
        return QueryFailed(f"the query stopped its worker: {death_of(exit_code)}", syntax=False)

    def _finish(self, worker: WorkerProcess) -> None:
        """The request is done with the worker: back to the idle queue, or its pipe closed if retired."""
        with self._lock:
            worker.busy = False
            retired = worker.retired
        if retired:
            worker.connection.close()
        else:
            self._idle.put(worker)

    @property
    def busy(self) -> int:
        """Workers executing a query right now (for /metrics)."""
        with self._lock:
            active = sum(1 for w in self._live if not w.spare)
        return max(0, active - self._idle.qsize())

    def status(self) -> dict:
        """What /health reports: active workers and spares against the pool's shape, replacements, the sandbox.

        A worker killed from outside counts as gone at once, not when the watcher retires it a few
        ms later, so a probe right after the kill already reads the pool as short.
        """
        with self._lock:
            alive = [w for w in self._live if not w.has_exited()]
            active = [w for w in alive if not w.spare]
            spares = len(alive) - len(active)
            confined = self.sandbox is not None and self.sandbox.confined
            return {
                "kind": "worker pool",
                "workers": self.size,
                "ready": len(active),
                "spares": spares,
                "starting": self._starting,
                "pids": sorted(w.process.pid for w in active),
                "network_sandbox": self.sandbox.as_json() if self.sandbox else None,
                "degraded": len(active) < self.size or spares < self.shape.spares or not confined,
            }

    # --- healing ---------------------------------------------------------------------------------

    def _retire(self, worker: WorkerProcess) -> None:
        """Take a worker out of service (idempotent): kill it, promote a spare, start replacements."""
        with self._lock:
            if worker.retired:
                return
            worker.retired = True
            self._live.discard(worker)
            promoted = self._spares.pop() if not worker.spare and self._spares else None
            if promoted:
                promoted.spare = False
            close_pipe = not worker.busy  # a busy worker's request thread closes it in _finish
        worker.kill()
        if close_pipe:
            worker.connection.close()
        if promoted:
            self._idle.put(promoted)
        self._top_up()

    def _top_up(self) -> None:
        """Start, in the background, as many workers as the pool and its spares are short of."""
        with self._lock:
            if self._closed:
                return
            missing = self.size + self.shape.spares - len(self._live) - self._starting
            self._starting += max(0, missing)
        for _ in range(missing):
            threading.Thread(target=self._start_one, name=f"{self.name}-worker-start", daemon=True).start()

    def _start_one(self) -> None:
        worker = WorkerProcess(self._context, self.store_path, self.shape.memory_mb * 1024 * 1024, self.guards)
        error = worker.wait_ready(START_TIMEOUT_S)
        if error is None and worker.sandbox is not None:
            self._note_sandbox(worker.sandbox)
        with self._lock:
            self._starting -= 1
            accepted = error is None and not self._closed
            if accepted:
                worker.spare = sum(1 for w in self._live if not w.spare) >= self.size
                self._live.add(worker)
                if worker.spare:
                    self._spares.append(worker)
            self._lock.notify_all()
        if not accepted:
            worker.kill()
            worker.connection.close()
            self._retry_later(error)
            return
        if not worker.spare:
            self._idle.put(worker)
        self._watcher.wake()

    def _retry_later(self, error: str | None) -> None:
        if error is not None and not self._closed:
            log.error("a %s worker could not start: %s; retrying", self.name, error)
            time.sleep(RESTART_DELAY_S)
            self._top_up()

    def _note_sandbox(self, status: SandboxStatus) -> None:
        if self.sandbox is None:
            level = logging.INFO if status.confined else logging.WARNING
            verdict = "confined by" if status.confined else "NOT confined: network access possible;"
            log.log(level, "%s workers %s %s", self.name, verdict, status.description)
        self.sandbox = status

    def _wait_for_active(self, timeout_s: float) -> None:
        with self._lock:
            ready = self._lock.wait_for(lambda: sum(1 for w in self._live if not w.spare) >= self.size, timeout_s)
        if not ready:
            self.close()
            raise QueryFailed(f"the {self.name} workers did not start within {timeout_s:g} s (see the log)", syntax=False)

    def watched(self) -> list[WorkerProcess]:
        with self._lock:
            return list(self._live)

    def close(self) -> None:
        """Stop every worker (idle, busy or spare) and the watcher."""
        with self._lock:
            self._closed = True
            workers, self._live, self._spares = list(self._live), set(), []
        self._watcher.stop()
        for worker in workers:
            worker.retired = True
            worker.kill()
            if not worker.busy:
                worker.connection.close()


class _Watcher:
    """A thread that waits on every live worker's sentinel and reports the ones that die."""

    def __init__(
        self, name: str, workers: Callable[[], list[WorkerProcess]], *, on_death: Callable[[WorkerProcess], None]
    ) -> None:
        self.name, self.workers, self.on_death = name, workers, on_death
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._stopped = False
        threading.Thread(target=self._run, name=f"{name}-worker-watcher", daemon=True).start()

    def wake(self) -> None:
        """Make the thread pick up the current set of workers."""
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b".")

    def stop(self) -> None:
        self._stopped = True
        self.wake()

    def _run(self) -> None:
        while not self._stopped:
            by_sentinel = {w.process.sentinel: w for w in self.workers()}
            for ready in wait([self._wake_reader, *by_sentinel]):
                if ready is self._wake_reader:
                    self._wake_reader.recv_bytes()
                elif isinstance(ready, int) and not self._stopped and not by_sentinel[ready].retired:  # a sentinel
                    log.warning("a %s worker (pid %s) died; replacing it", self.name, by_sentinel[ready].process.pid)
                    self.on_death(by_sentinel[ready])
