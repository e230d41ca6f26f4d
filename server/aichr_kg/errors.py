"""The errors a user can act on: each names the file and the place in it."""

import re
from dataclasses import dataclass

ERROR_POSITION = re.compile(r"at (\d+):(\d+)")  # where the SPARQL engine's syntax errors point


class AichrKgError(Exception):
    """Base of the project's own errors; the CLI maps them to exit codes."""


@dataclass
class TurtleSyntaxError(AichrKgError):
    """A Turtle file that does not parse; line and column are 1-based."""

    path: str
    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: Turtle syntax error: {self.reason}"


@dataclass
class InputMissingError(AichrKgError):
    """A file or folder named on the command line that does not exist or holds no Turtle."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class RevisionError(InputMissingError):
    """A git revision that cannot be read (unknown, outside a repository, git missing); `path` is the revision."""

    def __str__(self) -> str:
        return f"cannot read revision {self.path!r}: {self.reason}"


class BuildMissingError(AichrKgError):
    """The built dataset is absent; `aichr-kg build` makes it."""


@dataclass
class BuildBrokenError(AichrKgError):
    """A build whose manifest or files are not as the build wrote them; `aichr-kg build` remakes it."""

    build_dir: str
    problem: str

    def __str__(self) -> str:
        return f"the build in {self.build_dir} is damaged: {self.problem}; run `aichr-kg build` to rebuild it"


class BuildBusyError(AichrKgError):
    """Another process holds the build lock, and went on holding it for as long as we agreed to wait."""


class RemoteStoreError(AichrKgError):
    """A remote store that cannot be reached or refused a request; the message names its URL and answer."""


class SavedQueryError(AichrKgError):
    """A saved query that cannot be used (decorators, SPARQL or a parameter); names the file and line."""


def error_position(message: str) -> tuple[int, int] | None:
    """The (line, column) a SPARQL engine's error message points at, if it names one."""
    found = ERROR_POSITION.search(message)
    return (int(found.group(1)), int(found.group(2))) if found else None


class ListenError(AichrKgError):
    """The server cannot listen where it was told to (the port is taken, the address is not this machine's)."""


class UsageError(AichrKgError):
    """A command-line value that cannot be used as given; the message says what to give instead."""
