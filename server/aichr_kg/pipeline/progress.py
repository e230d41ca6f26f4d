"""Progress lines on stderr for long work, so the user sees which step is running and how long each took."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Numbered steps, each timed; the timings end up in the build manifest."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.done += 1
        if not self.quiet:
            print(f"[{self.done}/{self.total}] {name} …", file=self.stream, flush=True)
        started = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - started, 4)
        if not self.quiet:
            print(f"      {name}: {self.timings[name]:.2f} s", file=self.stream, flush=True)
