"""The query workers' network sandbox: a seccomp filter that leaves them no way to open a connection.

The endpoint promises that no query makes the server contact another host. The federation check
in `sparql_guard` refuses SERVICE before execution; this is the second, independent guard: once
`confine_network()` has run, the kernel refuses `socket()` for every address family but AF_UNIX
(the worker's pipe to its parent) and refuses io_uring, which could open sockets without
`socket()`. Whatever a query makes the engine try, the attempt fails with EACCES. A filter cannot
be lifted by the process it confines, and it is inherited by any child the process starts.
"""

from __future__ import annotations

import errno
import socket
import sys
from dataclasses import dataclass

MECHANISM = "seccomp: socket() refused for every family but AF_UNIX; io_uring refused"
_IO_URING = ("io_uring_setup", "io_uring_enter", "io_uring_register")


@dataclass(frozen=True)
class SandboxStatus:
    """Whether a worker is confined, and by what; `reason` says why not when it is not."""

    confined: bool
    description: str

    def as_json(self) -> dict:
        return {"confined": self.confined, "mechanism" if self.confined else "reason": self.description}


def confine_network() -> SandboxStatus:
    """Install the filter in this process; report, never raise, when the platform cannot."""
    if not sys.platform.startswith("linux"):
        return SandboxStatus(False, f"seccomp is a Linux facility; this platform is {sys.platform}")
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError, OSError) as error:  # RuntimeError: libseccomp.so is missing
        return SandboxStatus(False, f"libseccomp is not usable: {error}")
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for name in _IO_URING:
            rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
        rules.load()
    except (OSError, ValueError) as error:
        return SandboxStatus(False, f"the seccomp filter could not be installed: {error}")
    return SandboxStatus(True, MECHANISM)


UNCONFINED_BY_REQUEST = SandboxStatus(False, "the network sandbox was switched off for this pool")
