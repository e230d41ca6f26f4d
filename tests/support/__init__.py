"""Helpers the tests and the benchmarks share: the project and its CLI, servers and waits, generated-input counts.

Imported as `tests.support` (the project's root is on pytest's path, and `python -m bench.…` runs from it),
so one file has one module name whoever imports it. Fixtures stay in tests/conftest.py.
"""

from tests.support.generated import THOROUGH, generated_examples
from tests.support.project import (
    ROOT,
    bare_manifest,
    committed_copy,
    copy_block_as,
    copy_project,
    git,
    rename_links,
    retired_copy,
    run_cli,
    run_cli_process,
)
from tests.support.servers import (
    ARTIFACTS,
    CHROMIUM,
    SERVER_LIMITS,
    SERVER_TIMEOUT_S,
    CountingStore,
    RunningServer,
    free_port,
    process_running,
    run_query,
    settled_health,
    stop_process,
    wait_for_busy_workers,
    wait_until,
)

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "ROOT",
    "SERVER_LIMITS",
    "SERVER_TIMEOUT_S",
    "THOROUGH",
    "CountingStore",
    "RunningServer",
    "bare_manifest",
    "committed_copy",
    "copy_block_as",
    "copy_project",
    "free_port",
    "generated_examples",
    "git",
    "process_running",
    "rename_links",
    "retired_copy",
    "run_cli",
    "run_cli_process",
    "run_query",
    "settled_health",
    "stop_process",
    "wait_for_busy_workers",
    "wait_until",
]
