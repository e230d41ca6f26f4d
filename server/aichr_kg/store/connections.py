"""HTTP to one SPARQL engine: a cap on requests in flight, kept-alive connections, and a deadline that holds.

Measured on a 2-core machine against `oxigraph serve` (a 3-row SELECT, p50 of 1,000 requests, three
runs): a new TCP connection per query (urllib) 0.96–1.15 ms; urllib3's pool with keep-alive
0.55–0.86 ms; a kept-alive `http.client` connection 0.26–0.46 ms. Keep-alive pays, and the standard
library's client is the fastest of the three, so the pool here keeps `http.client` connections
rather than adding a dependency.

urllib's `timeout` bounds each socket operation, not the request: an engine that trickles bytes
could hold a request forever. Here every socket wait is given only what is left of the request's
deadline, and the deadline is checked before each read of the body.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from aichr_kg.store import QueryTimeout, StoreBusy

ERROR_TEXT_BYTES = 2000  # how much of an error answer is read and shown
TAIL_BYTES = 256  # the end of a body kept, to say why an engine broke off its answer
TIMED_OUT = "the remote store did not answer in time"


class EngineUnavailable(StoreBusy):
    """The engine could not be reached, or refused this front end (credentials, URL): a 503 for the client."""


@dataclass(frozen=True)
class Credentials:
    """A user and password sent with HTTP Basic authentication; the password is never shown."""

    user: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=…)"

    @classmethod
    def given(cls, user: str, password: str) -> Credentials | None:
        """Credentials when a user is named, else None (the store is open)."""
        return cls(user, password) if user else None

    def header(self) -> str:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


class DeadlineReader(io.RawIOBase):
    """A response body read under the request's deadline; keeps its last bytes for error messages."""

    def __init__(self, response: http.client.HTTPResponse, sock: socket.socket | None, deadline: float, url: str) -> None:
        self.response, self.sock, self.deadline, self.url = response, sock, deadline, url
        self.tail = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wait_within(self.sock, self.deadline)
        try:
            chunk = self.response.read1(len(buffer))
        except TimeoutError:
            raise QueryTimeout(TIMED_OUT) from None
        except (http.client.HTTPException, OSError) as error:
            raise EngineUnavailable(f"the remote store at {self.url} broke off its answer ({error!r})") from None
        if not chunk and self.response.length == 0:
            self.response.read()  # read1 never closes a body sent with Content-Length (Virtuoso's): done, it is reusable
        buffer[: len(chunk)] = chunk
        self.tail = (self.tail + chunk)[-TAIL_BYTES:]
        return len(chunk)

    def error_text(self) -> str:
        """The start of an error answer, as text."""
        return self.read(ERROR_TEXT_BYTES).decode("utf-8", "replace").strip()


def wait_within(sock: socket.socket | None, deadline: float) -> None:
    """Give the socket's next wait only what is left before `deadline`; QueryTimeout once nothing is."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise QueryTimeout(TIMED_OUT)
    if sock is not None:
        with contextlib.suppress(OSError):  # a socket the server closed keeps its last timeout
            sock.settimeout(left)


@dataclass
class Answer:
    """An engine's answer: status, content type, and the body to read before the deadline."""

    status: int
    content_type: str
    body: DeadlineReader
    headers: http.client.HTTPMessage


class EngineConnections:
    """At most `size` requests in flight to one URL (the rest wait `queue_wait_s`, then StoreBusy), on kept-alive connections."""

    def __init__(self, url: str, *, size: int, queue_wait_s: float, credentials: Credentials | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")
        self.url, self.size, self.queue_wait_s = url, size, queue_wait_s
        self._https, self._host, self._port = parts.scheme == "https", parts.hostname, parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._auth = {"Authorization": credentials.header()} if credentials else {}
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self.busy = 0

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """One of the `size` places for a request in flight; StoreBusy when none frees up in time."""
        if not self._slots.acquire(timeout=self.queue_wait_s):
            raise StoreBusy(f"all {self.size} connections to the remote store are busy")
        with self._lock:
            self.busy += 1
        try:
            yield
        finally:
            with self._lock:
                self.busy -= 1
            self._slots.release()

    @contextlib.contextmanager
    def post(self, body: bytes, headers: dict[str, str], deadline: float) -> Iterator[Answer]:
        """POST `body`; the connection goes back to the pool only if its answer was read to the end.

        A kept-alive connection the engine closed while idle is retried once on a new one.
        """
        connection, sock, response = self._send(body, headers, deadline)
        answer = Answer(
            response.status,
            response.getheader("Content-Type", ""),
            DeadlineReader(response, sock, deadline, self.url),
            response.headers,
        )
        try:
            yield answer
        finally:
            reusable = response.isclosed() and not response.will_close
            if reusable:
                with self._lock:
                    self._idle.append(connection)
            else:
                connection.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _send(
        self, body: bytes, headers: dict[str, str], deadline: float
    ) -> tuple[http.client.HTTPConnection, socket.socket | None, http.client.HTTPResponse]:
        for attempt in ("kept", "new"):
            connection, reused = self._connection(deadline, fresh=attempt == "new")
            try:
                wait_within(connection.sock, deadline)
                connection.request("POST", self._path, body=body, headers={**headers, **self._auth})
                sock = connection.sock
                wait_within(sock, deadline)
                return connection, sock, connection.getresponse()
            except QueryTimeout:
                connection.close()
                raise
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
                connection.close()
                if not reused:
                    raise EngineUnavailable(f"the remote store at {self.url} closed the connection ({error!r})") from None
            except TimeoutError:
                connected = connection.sock is not None
                connection.close()
                if connected:
                    raise QueryTimeout(TIMED_OUT) from None
                raise EngineUnavailable(f"the remote store at {self.url} could not be reached in time") from None
            except (http.client.HTTPException, OSError) as error:
                connection.close()
                raise EngineUnavailable(f"the remote store at {self.url} could not be reached ({error})") from None
        raise AssertionError("the second attempt always uses a new connection")

    def _connection(self, deadline: float, *, fresh: bool) -> tuple[http.client.HTTPConnection, bool]:
        """A kept-alive connection if there is one (and `fresh` is not asked), else a new one; and whether it was kept."""
        with self._lock:
            kept = self._idle.pop() if self._idle and not fresh else None
        timeout = max(0.001, deadline - time.monotonic())
        if kept is not None:
            kept.timeout = timeout
            return kept, True
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return kind(self._host, self._port, timeout=timeout), False
