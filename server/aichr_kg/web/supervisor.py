"""Keep serving when HTTP workers crash, and say so on /health and /metrics.

Granian replaces a crashed worker, but exits the whole server when a worker dies within 5.5 s of
its own respawn ("Worker crash loop detected"), a fixed rule with no setting: two crashing requests
in a row then stop `aichr-kg serve`. `SupervisedServer` keeps granian's workers, socket and signals
and replaces only that decision: a crashed worker is respawned for as long as the server runs,
after a wait that doubles with each crash following closely on the last (from none to 30 s).

An HTTP worker never outlives the supervisor: each asks the kernel for SIGKILL when its parent dies
(`stop_with_supervisor`; with nobody left to respawn or stop it, a graceful stop could only race its
own pools' replacements), and its query workers end as their pipes close. A supervisor killed
outright (SIGKILL, an OOM kill) so leaves no worker holding the socket and answering from a build
nobody watches; and the supervisor kills a worker that does not finish its requests within
`workers_kill_timeout` of being asked to stop (see `serve`).

The supervisor records the crashes in a small JSON file (`CrashLedger`, written atomically); the
workers read it (`read_worker_crashes`) for /health and /metrics, so the state has one writer and
needs no shared memory or locks.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from granian.server import Server

from aichr_kg.store.worker import exit_description

log = logging.getLogger("aichr_kg")
CRASH_LOOP_WINDOW_S = 30.0  # a crash this soon after the previous one continues a crash loop
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def stop_with_supervisor() -> None:
    """In an HTTP worker: be killed when the supervisor dies, however it dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    supervisor = os.getppid()
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("HTTP worker %d will not stop with its supervisor: prctl failed (errno %d)", os.getpid(), ctypes.get_errno())
    elif os.getppid() != supervisor:  # it died before the request took effect
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class WorkerCrashes:
    """HTTP worker crashes since the server started, as /health reports them."""

    restarts: int = 0
    in_a_row: int = 0  # crashes each within CRASH_LOOP_WINDOW_S of the previous one
    last_crash_at: str | None = None  # ISO 8601, UTC
    last_exit: str | None = None  # "signal SIGSEGV", "status 1"

    @property
    def crash_loop(self) -> bool:
        return self.in_a_row >= 2


def read_worker_crashes(path: Path) -> WorkerCrashes:
    """The supervisor's record, or no crashes where it has written none yet."""
    try:
        return WorkerCrashes(**json.loads(path.read_text()))
    except FileNotFoundError:
        return WorkerCrashes()


class CrashLedger:
    """The supervisor's count of crashes, the wait before the next respawn, and the file that shares them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.crashes = WorkerCrashes()
        self._last_crash = -CRASH_LOOP_WINDOW_S

    def record(self, exit: str, now: float) -> float:
        """Note a crash at monotonic time `now`; the seconds to wait before respawning."""
        in_a_row = self.crashes.in_a_row + 1 if now - self._last_crash <= CRASH_LOOP_WINDOW_S else 1
        self._last_crash = now
        self.crashes = dataclasses.replace(
            self.crashes,
            restarts=self.crashes.restarts + 1,
            in_a_row=in_a_row,
            last_crash_at=datetime.now(UTC).isoformat(timespec="seconds"),
            last_exit=exit,
        )
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(dataclasses.asdict(self.crashes)))
        os.replace(temporary, self.path)
        return 0.0 if in_a_row == 1 else min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2 ** (in_a_row - 2))


class SupervisedServer(Server):  # type: ignore[misc, valid-type]
    """Granian's server, with crashed workers respawned forever (with backoff) instead of a crash-loop exit.

    Only the events `serve` configures are handled: crashed workers, SIGHUP (granian's reload) and
    the stop signals; worker lifetimes and memory limits are not set, so their events never come.
    """

    def __init__(self, target: str, *, ledger: CrashLedger, **options: Any) -> None:  # noqa: ANN401 (granian's options)
        super().__init__(target, **options)
        self.ledger = ledger

    def _serve_loop(self, spawn_target: object, target_loader: object) -> None:
        while True:
            self.main_loop_interrupt.wait()
            if self.interrupt_signal:
                return
            self.main_loop_interrupt.clear()
            if self.interrupt_children:
                crashed = list(dict.fromkeys(self.interrupt_children))
                self.interrupt_children.clear()
                if self._wait_before_respawn(crashed):
                    return
                self._respawn_workers(crashed, spawn_target, target_loader)
            if self.reload_signal:
                self._reload(spawn_target, target_loader)

    def _wait_before_respawn(self, crashed: list[int]) -> bool:
        """Record the crashes and wait out the backoff; whether a stop signal came meanwhile."""
        delay = 0.0
        for index in crashed:
            exit = exit_description(self.wrks[index].inner.exitcode)
            delay = self.ledger.record(exit, time.monotonic())
            crashes = self.ledger.crashes
            if crashes.crash_loop:
                log.error(
                    "HTTP worker %d crashed (%s): %d crashes in a row, restart %d; respawning in %.1f s",
                    index + 1, exit, crashes.in_a_row, crashes.restarts, delay,
                )  # fmt: skip
            else:
                log.warning("HTTP worker %d crashed (%s); respawning it", index + 1, exit)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and not self.interrupt_signal:
            time.sleep(0.1)
        return bool(self.interrupt_signal)
