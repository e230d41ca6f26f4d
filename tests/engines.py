"""SPARQL engines the tests start on 127.0.0.1, each behind the same small interface, so the protocol,
page and API tests run against every engine through one fixture (`backend` in conftest.py).

An engine is registered in ENGINES by name. One whose software is missing raises EngineUnavailable
from `start()`, and the tests that need it are skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from tests.support.project import run_cli
from tests.support.servers import free_port, stop_process

START_TIMEOUT_S = 30.0


class EngineUnavailable(Exception):
    """The engine's software is not installed here: its tests are skipped, saying so."""


class Engine(Protocol):
    """A SPARQL engine run by the tests: where to query it, where to write graphs, and with which credentials."""

    name: str
    query_url: str
    graph_store_url: str
    credentials: tuple[str, str] | None  # (user, password) for the graph store, None if it is open

    def start(self) -> None: ...

    def stop(self) -> None: ...


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll `url` until it answers 200; RuntimeError with the log's end if the process exits or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the engine exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"the engine did not answer {url} within {START_TIMEOUT_S:g} s")


class OxigraphEngine:
    """`oxigraph serve` (PyPI `oxigraph`) with its defaults but a query timeout: read-write, no union default graph.

    `read_only` runs `serve-read-only` on the store already in `workdir`/data, which refuses every write.
    """

    name = "oxigraph"
    credentials = None

    def __init__(self, workdir: Path, *, timeout_s: int = 10, read_only: bool = False) -> None:
        self.workdir, self.timeout_s, self.read_only = workdir, timeout_s, read_only
        self.port = free_port()
        self.query_url = f"http://127.0.0.1:{self.port}/query"
        self.graph_store_url = f"http://127.0.0.1:{self.port}/store"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        if binary is None:
            raise EngineUnavailable(
                "the `oxigraph` command is not installed (pip install oxigraph): Oxigraph server tests skipped"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = self.workdir / "oxigraph.log"
        mode = "serve-read-only" if self.read_only else "serve"
        command = [binary, mode, "--location", str(self.workdir / "data"), "--bind", f"127.0.0.1:{self.port}"]
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [*command, "--timeout-s", str(self.timeout_s)], stdout=output, stderr=subprocess.STDOUT
            )
        wait_until_answering(f"{self.query_url}?query={quote('ASK {}')}", self.process, log)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


def virtuoso_engine(workdir: Path, **options: Any) -> Engine:
    """A private Virtuoso (virtuoso_engine.py, which builds on this module, hence imported here) with the
    README's limits: rows and sorted pages far above the front end's caps, so that every cut is the front end's."""
    from virtuoso_engine import VirtuosoEngine

    limits = {"max_result_rows": 1_000_000, "max_sorted_top_rows": 1_000_000}
    return VirtuosoEngine(workdir, **(limits | options))


ENGINES: dict[str, Any] = {  # name → what makes the engine from (workdir, timeout_s=…)
    "oxigraph": OxigraphEngine,
    "virtuoso": virtuoso_engine,
}


def publish_to(engine: Engine, project: Path) -> subprocess.CompletedProcess:
    """`aichr-kg publish` of the project's build to the engine, as an operator would run it."""
    user, password = engine.credentials or ("", "")
    return run_cli(
        *("--root", str(project), "publish", "--endpoint", engine.query_url, "--graph-store", engine.graph_store_url),
        env={"AICHR_KG_STORE_USER": user, "AICHR_KG_STORE_PASSWORD": password},
    )
