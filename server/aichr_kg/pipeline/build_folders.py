"""Where builds live on disk, so that no interrupted or concurrent build changes what `serve` opens.

`<root>/build` is a symlink to a build folder, `<root>/.build/<id>/`. A build writes its own staging
folder (`.build/staging-*`) and, once it is complete, points the link at it with one rename of a
new symlink over the old (os.replace): a reader sees the old build folder or the new one, never a
mixture or nothing. The previous one stays (a running server may have it open); older ones go.
One lock file held with flock for the whole build serialises builds; the kernel drops it when its
process dies, so a killed build leaves no stale lock, only a staging folder the next build removes.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from aichr_kg.errors import BuildBusyError

LOCK = "lock"
STAGING_PREFIX = "staging-"
LINK_PREFIX = "link-"
POLL_S = 0.1


def build_folders_dir(link: Path) -> Path:
    """The hidden folder beside the `build` link: `.build` for `build`."""
    return link.with_name("." + link.name)


@contextmanager
def build_lock(link: Path, *, wait_s: float, quiet: bool = False) -> Iterator[None]:
    """Hold the build lock, waiting up to `wait_s` for another build; BuildBusyError past that."""
    hidden = build_folders_dir(link)
    hidden.mkdir(parents=True, exist_ok=True)
    with (hidden / LOCK).open("a+") as lock_file:
        _acquire(lock_file, wait_s, quiet)
        lock_file.truncate(0)
        lock_file.write(f"{os.getpid()}\n")
        lock_file.flush()
        yield


def _acquire(lock_file: TextIO, wait_s: float, quiet: bool) -> None:
    deadline = time.monotonic() + wait_s
    announced = quiet
    while True:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _holder(lock_file)
            if time.monotonic() >= deadline:
                raise BuildBusyError(
                    f"another build ({holder}) is running; gave up after waiting {wait_s:g} s (see --wait)"
                ) from None
            if not announced:
                print(f"waiting up to {wait_s:g} s for another build ({holder}) to finish …", file=sys.stderr, flush=True)
                announced = True
            time.sleep(POLL_S)


def _holder(lock_file: TextIO) -> str:
    lock_file.seek(0)
    pid = lock_file.read().strip()
    return f"pid {pid}" if pid else "pid unknown"


def tidy(link: Path) -> None:
    """Under the lock: remove what killed builds left, and turn a real `build/` folder into a linked build folder."""
    hidden = build_folders_dir(link)
    for entry in hidden.iterdir():
        if entry.name.startswith(STAGING_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(LINK_PREFIX):
            entry.unlink(missing_ok=True)
    if link.is_dir() and not link.is_symlink():
        name = f"{_stamp()}-migrated"
        link.rename(hidden / name)
        _point(link, name)


def new_staging(link: Path) -> Path:
    """A fresh folder, named for this process, to write the next build into (permissions per umask)."""
    staging = build_folders_dir(link) / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    return staging


def switch_to(link: Path, staging: Path, label: str) -> Path:
    """Make the complete `staging` folder the current build; keep the previous one, delete older ones."""
    hidden = build_folders_dir(link)
    previous = Path(os.readlink(link)).name if link.is_symlink() else None
    folder = hidden / f"{_stamp()}-{label}-{staging.name.removeprefix(STAGING_PREFIX)}"
    staging.rename(folder)
    _point(link, folder.name)
    for entry in hidden.iterdir():
        if entry.is_dir() and entry.name not in (folder.name, previous):
            shutil.rmtree(entry, ignore_errors=True)
    return folder


def _point(link: Path, folder_name: str) -> None:
    """Point `link` at `.build/<folder_name>` in one atomic rename (a relative link: the project can move)."""
    hidden = build_folders_dir(link)
    temporary = hidden / f"{LINK_PREFIX}{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(hidden.name) / folder_name)
    os.replace(temporary, link)


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
