"""A minimal keep-alive HTTP/1.1 client for the benchmark's load generator.

http.client parses every response's headers with the email package, which costs more CPU per
request than Oxigraph spends answering a small query; on a 2-core machine shared with the servers
that would make the client the bottleneck. This client sends prepared bytes on one socket and reads
only what framing needs (status, Content-Length or chunked encoding).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

FORM_TYPE = "application/x-www-form-urlencoded"
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
CHUNKED = re.compile(rb"\r\ntransfer-encoding:\s*chunked", re.IGNORECASE)
CLOSE = re.compile(rb"\r\nconnection:\s*close", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint on 127.0.0.1: which server, its port and its query path."""

    name: str
    port: int
    path: str

    def query_request(self, query: str, accept: str, tag: str = "") -> bytes:
        """The same form POST for every server; `tag` is appended as a comment so no cache can answer it."""
        return self.prepare(query, accept)(tag)

    def get_request(self, headers: dict[str, str]) -> bytes:
        """A GET of the endpoint's path with `headers` (a resource that takes no query, such as completion.json)."""
        lines = [f"GET {self.path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", *(f"{k}: {v}" for k, v in headers.items())]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

    def prepare(self, query: str, accept: str) -> Callable[[str], bytes]:
        """`query_request` for one query, its text encoded once: the load generator tags every request."""
        encoded = "query=" + quote_plus(query)

        def request(tag: str) -> bytes:
            body = encoded + (quote_plus(f"\n# {tag}") if tag else "")
            head = (
                f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: {FORM_TYPE}\r\n"
                f"Accept: {accept}\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            return (head + body).encode("ascii")

        return request


class KeepAliveClient:
    """One persistent connection to an endpoint; reconnects when the server closes it."""

    def __init__(self, endpoint: Endpoint, timeout_s: float = 600) -> None:
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.sock: socket.socket | None = None
        self.buffer = bytearray()  # appended to and consumed from the front, both amortised O(1)

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send one request and read its whole response: (status, body)."""
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.endpoint.port), timeout=self.timeout_s)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer.clear()
        self.sock.sendall(request)
        head = self._read_until(b"\r\n\r\n")
        if CHUNKED.search(head):
            body = self._read_chunked()
        else:
            length = CONTENT_LENGTH.search(head)
            body = self._read_exactly(int(length.group(1)) if length else 0)
        if CLOSE.search(head):
            self.close()
        return int(head[9:12]), body

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _fill(self) -> None:
        assert self.sock is not None
        received = self.sock.recv(262144)
        if not received:
            self.close()
            raise ConnectionError(f"{self.endpoint.name} closed the connection mid-response")
        self.buffer += received

    def _read_until(self, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._fill()
        found = bytes(self.buffer[:end])
        del self.buffer[: end + len(marker)]
        return found

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        found = bytes(self.buffer[:size])
        del self.buffer[:size]
        return found

    def _read_chunked(self) -> bytes:
        chunks = []
        while size := int(self._read_until(b"\r\n").split(b";")[0], 16):
            chunks.append(self._read_exactly(size))
            self._read_exactly(2)
        self._read_until(b"\r\n")  # the (empty) trailer section
        return b"".join(chunks)
