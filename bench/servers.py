"""The two servers the peer benchmark compares, started on the same build, and their CPU time.

Ours is `aichr-kg serve` with its production defaults except the limits that would change an
answer (result rows and bytes, the query timeout, the wait for a free worker). Oxigraph's own Rust
server (`oxigraph serve-read-only`, PyPI package `oxigraph`) serves a store loaded from the same
build/dataset.nq, with the union of the named graphs as its default graph, as ours has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.http_client import Endpoint, KeepAliveClient
from tests.support import ARTIFACTS, RunningServer, free_port

ROOT = Path(__file__).resolve().parents[1]

# Limits raised so that both servers return the complete answer and no request is turned away.
OUR_SERVE_ARGS = (
    "--query-timeout-s",
    "600",
    "--max-result-rows",
    "100000000",
    "--max-result-bytes",
    "2000000000",
    "--queue-wait-s",
    "600",
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def oxigraph_binary() -> str:
    """The `oxigraph` CLI installed beside this interpreter (by the PyPI package), else the one on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise SystemExit("the `oxigraph` CLI is missing: pip install -e '.[test]' (it brings the oxigraph package)")
    return found


def oxigraph_version() -> str:
    return subprocess.run([oxigraph_binary(), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def load_oxigraph_store(nquads: Path, location: Path) -> float:
    """`oxigraph load` then `oxigraph optimize` (our build optimizes its store too); the seconds taken."""
    started = time.perf_counter()
    shutil.rmtree(location, ignore_errors=True)
    for command in (["load", "--file", str(nquads)], ["optimize"]):
        subprocess.run([oxigraph_binary(), *command, "--location", str(location)], check=True, capture_output=True)
    return time.perf_counter() - started


class OxigraphServer(RunningServer):
    """`oxigraph serve-read-only` on 127.0.0.1 and a free port; stopped (and logged) as our server is."""

    def __init__(self, location: Path) -> None:  # not RunningServer's: that one starts `aichr-kg serve`
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = (ARTIFACTS / f"oxigraph-{self.port}.log").open("w")
        command = [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen([*command, "--union-default-graph"], stdout=self.log, stderr=subprocess.STDOUT)
        self.endpoint = Endpoint("oxigraph", self.port, "/query")
        self._wait_until_healthy()

    def _wait_until_healthy(self, timeout_s: float = 60) -> None:
        """Oxigraph has no /health: ready is when a query is answered."""
        probe = self.endpoint.query_request("ASK {}", "application/sparql-results+json")
        deadline = time.monotonic() + timeout_s
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                if KeepAliveClient(self.endpoint, timeout_s=2).exchange(probe)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"oxigraph did not answer (exit code {self.process.poll()}); see {self.log.name}")


def start_ours(root: Path) -> tuple[RunningServer, Endpoint]:
    """`aichr-kg serve` on the project at `root` (already built) and its /sparql endpoint."""
    server = RunningServer(*OUR_SERVE_ARGS, root=root)
    return server, Endpoint("ours", server.port, "/sparql")


def tree_cpu_s(root_pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (our server's workers are children)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(value) for value in fields[11:15])  # utime, stime, and those of reaped children
    members = {root_pid}
    grown = True
    while grown:
        found = {pid for pid, parent in parents.items() if parent in members} - members
        members |= found
        grown = bool(found)
    return sum(ticks.get(pid, 0) for pid in members) / CLOCK_TICKS
