"""One query worker: a process that confines itself, opens the store read-only and answers over a pipe.

The order of a worker's start is the guarantee: memory cap, then the network sandbox, then the
store, then "ready" (with what the sandbox did) to the parent, and only then the first query.
"""

from __future__ import annotations

import math
import os
import resource
import select
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path

import pyoxigraph

from aichr_kg.store import QueryFailed, QueryRefused, QueryRequest, QueryResult
from aichr_kg.store.local import run_on_store
from aichr_kg.store.sandbox import UNCONFINED_BY_REQUEST, SandboxStatus, confine_network


@dataclass(frozen=True)
class Guards:
    """The two independent guards against outbound requests; both on, except to test one alone."""

    federation_check: bool = True  # refuse SERVICE before execution (sparql_guard)
    network_sandbox: bool = True  # the kernel refuses the worker any network socket (sandbox)


ALL_GUARDS = Guards()
# What a worker answers a request: ("ok", result), ("refused", why) or ("failed", why, a syntax error?).
Reply = tuple[str, QueryResult] | tuple[str, str] | tuple[str, str, bool]


def serve_queries(
    store_path: str, connection: Connection[tuple[object, ...], QueryRequest], memory_bytes: int, guards: Guards
) -> None:
    """A worker's life: confine itself, open the store, say ready, answer requests until the pipe closes."""
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    sandbox = confine_network() if guards.network_sandbox else UNCONFINED_BY_REQUEST
    try:
        store = pyoxigraph.Store.read_only(store_path)
    except (OSError, ValueError, RuntimeError) as error:
        connection.send(("error", f"the store at {store_path} cannot be opened: {error}"))
        return
    try:
        connection.send(("ready", sandbox))
        while True:
            connection.send(_answer(store, connection.recv(), guards))
    except (EOFError, OSError):  # the pool closed its end (it is stopping, or gave up on this worker): done
        return


def _answer(store: pyoxigraph.Store, request: QueryRequest, guards: Guards) -> Reply:
    try:
        return ("ok", run_on_store(store, request, federation_check=guards.federation_check))
    except QueryRefused as error:
        return ("refused", str(error))
    except QueryFailed as error:
        return ("failed", str(error), error.syntax)
    except Exception as error:
        return ("failed", f"the query could not be answered: {type(error).__name__}: {error}", False)


class WorkerProcess:
    """One worker process and the parent's end of its pipe; `spare`, `busy` and `retired` are the pool's marks.

    Several threads may look at one worker (the request thread, the watcher), so the process is
    reaped under a lock, liveness is read from the sentinel (which does not reap), and the pipe is
    closed by whoever holds the worker last (see the pool's `_finish`).
    """

    def __init__(self, context: SpawnContext, store_path: Path, memory_bytes: int, guards: Guards) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=serve_queries, args=(str(store_path), child, memory_bytes, guards), daemon=True)
        self.process.start()
        child.close()
        self._answer = select.poll()  # made once: Connection.poll builds a selector on every call (~9 µs)
        self._answer.register(self.connection.fileno(), select.POLLIN)
        self._reaping = threading.Lock()
        self.sandbox: SandboxStatus | None = None
        self.spare = self.busy = self.retired = False

    def wait_ready(self, timeout_s: float) -> str | None:
        """Wait for the worker's "ready"; None when it is, else why it is not."""
        try:
            if not self.connection.poll(timeout_s):
                return f"no answer within {timeout_s:g} s"
            message = self.connection.recv()
        except (EOFError, OSError):
            return f"the process exited with code {self.exit_code(wait_s=1.0)}"
        if message[0] != "ready":
            return message[1]
        self.sandbox = message[1]
        return None

    def answers_within(self, timeout_s: float) -> bool:
        """Whether the worker answered (or its pipe closed) within `timeout_s`; one request thread at a time."""
        return bool(self._answer.poll(max(0, math.ceil(timeout_s * 1000))))

    def has_exited(self) -> bool:
        """True once the process is dead, without reaping it (the sentinel lags a killed process by ms)."""
        if self.process.pid is None:  # not started (the constructor starts it): nothing has exited
            return False
        try:
            return os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True  # reaped already

    def exit_code(self, wait_s: float) -> int | None:
        with self._reaping:
            self.process.join(timeout=wait_s)
            return self.process.exitcode

    def kill(self) -> None:
        with self._reaping:
            self.process.kill()
            self.process.join(timeout=5)


DEATHS = {
    signal.SIGSEGV: "it crashed (SIGSEGV), as the engine does when a query overflows its stack",
    signal.SIGBUS: "it crashed (SIGBUS), as the engine does when a query overflows its stack",
    signal.SIGABRT: "the engine aborted (SIGABRT), as it does when a query needs more memory than allowed",
}


def exit_description(exit_code: int | None) -> str:
    """A process's exit code in words: the signal that ended it, or its status."""
    if exit_code is None:
        return "still running"
    if exit_code < 0:
        try:
            return f"signal {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"signal {-exit_code}"
    return f"status {exit_code}"


def death_of(exit_code: int | None) -> str:
    """What a query worker's exit code says happened to it, in words a client can act on."""
    if exit_code is not None and exit_code < 0 and -exit_code in DEATHS:
        return DEATHS[signal.Signals(-exit_code)]
    return "it stopped answering" if exit_code is None else f"it was ended ({exit_description(exit_code)})"
