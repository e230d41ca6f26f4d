"""The writing side of a remote store: the SPARQL 1.1 Graph Store Protocol, where PUT ?graph=IRI replaces a graph.

Each graph is first written as N-Triples to a temporary file, then sent from it memory-mapped with
its length: memory stays flat whatever the graph's size, no chunked request encoding is asked of
the server, and the body can be sent again when the server answers 401 with a challenge (Basic or
Digest). N-Triples is labelled text/turtle (every N-Triples document is Turtle), which every
implementation of the protocol reads.
"""

from __future__ import annotations

import io
import mmap
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from typing import IO
from urllib.parse import urlencode

import pyoxigraph

from aichr_kg.errors import RemoteStoreError
from aichr_kg.store.connections import Credentials

PUT_TIMEOUT_S = 600.0  # per socket operation: a store may index a large graph for minutes before it answers
BODY_TYPE = "text/turtle"


class GraphStore:
    """A Graph Store Protocol endpoint (`…/store` on Oxigraph, `…/sparql-graph-crud-auth` on Virtuoso)."""

    def __init__(self, url: str, credentials: Credentials | None = None, *, timeout_s: float = PUT_TIMEOUT_S) -> None:
        self.url, self.timeout_s = url, timeout_s
        handlers: list[urllib.request.BaseHandler] = []
        if credentials:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, credentials.user, credentials.password)
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def replace(self, graph: str, triples: Iterable[pyoxigraph.Triple]) -> int:
        """Replace the graph `graph` with `triples` as a whole; the number of triples sent."""
        counted = _Counted(triples)
        with tempfile.TemporaryFile() as spool:
            pyoxigraph.serialize(counted, spool, format=pyoxigraph.RdfFormat.N_TRIPLES)
            spool.flush()
            self._put(graph, spool)
        return counted.count

    def _put(self, graph: str, spool: IO[bytes]) -> None:
        """Send the spooled file as one body; a memoryview (not a file object) so urllib can send it again."""
        if not spool.seek(0, io.SEEK_END):
            self._send(graph, b"")  # a file of length 0 cannot be memory-mapped
            return
        with mmap.mmap(spool.fileno(), 0, access=mmap.ACCESS_READ) as mapped, memoryview(mapped) as body:
            self._send(graph, body)

    def _send(self, graph: str, body: bytes | memoryview) -> None:
        separator = "&" if "?" in self.url else "?"
        request = urllib.request.Request(
            f"{self.url}{separator}{urlencode({'graph': graph})}",
            data=body,
            method="PUT",
            headers={"Content-Type": BODY_TYPE, "Content-Length": str(len(body))},
        )
        try:
            with self.opener.open(request, timeout=self.timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise RemoteStoreError(_refused(self.url, graph, error)) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise RemoteStoreError(f"the graph store at {self.url} could not be reached: {reason}") from None


def _refused(url: str, graph: str, error: urllib.error.HTTPError) -> str:
    answer = " ".join(error.read(300).decode("utf-8", "replace").split())
    message = f"the graph store at {url} refused to replace <{graph}>: {error.code} {error.reason}"
    if answer:
        message += f" ({answer})"
    if error.code == 401:
        message += "; give --user and --password, or set AICHR_KG_STORE_USER and AICHR_KG_STORE_PASSWORD"
    return message


class _Counted:
    """Triples passed through, counted."""

    def __init__(self, triples: Iterable[pyoxigraph.Triple]) -> None:
        self.triples, self.count = triples, 0

    def __iter__(self) -> Iterator[pyoxigraph.Triple]:
        for triple in self.triples:
            self.count += 1
            yield triple
