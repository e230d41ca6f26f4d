"""What a Virtuoso answer says in its own way, read so that it means what the embedded store's would.

Each reading is harmless on other engines (they never send these headers or this spelling), so
the remote store applies them to every answer rather than asking which engine it talks to.
- A blank node's value comes as "nodeID://b10000", which SPARQL JSON readers refuse: the prefix is
  dropped. Only the exact text Virtuoso writes before it is matched (`"type": "bnode", "value": "`),
  which a literal cannot contain unescaped, so a literal "nodeID://x" stays as it is.
- An xsd:boolean comes as "1" or "0" (both valid lexical forms): it is read as "true" or "false",
  pyoxigraph's canonical form. Only a value typed xsd:boolean is read so; an integer stays one.
- X-SQL-State S1TAT on a 200 answer: the query ran out of its `timeout` and the body is partial.
- X-SPARQL-MaxRows: the engine cut the result at ResultSetMaxRows.
- "SR171 … Transaction timed out" in an error: MaxQueryExecutionTime was reached; S1TAT in an
  error (seen on a page's query): its `timeout` was.

What is written for it in the text sent is in virtuoso_text.py.
"""

from __future__ import annotations

import io
import re
from email.message import Message

from aichr_kg.namespaces import XSD

BLANK_NODE_VALUE = b'"type": "bnode", "value": "'
BOOLEAN_VALUE = f'"datatype": "{XSD}boolean", "value": "'.encode()
_READINGS = {  # Virtuoso's exact text → what the embedded store writes
    BLANK_NODE_VALUE + b"nodeID://": BLANK_NODE_VALUE,
    BOOLEAN_VALUE + b'1"': BOOLEAN_VALUE + b'true"',
    BOOLEAN_VALUE + b'0"': BOOLEAN_VALUE + b'false"',
}
_SPELLING = re.compile(b"|".join(re.escape(spelling) for spelling in _READINGS))
_HELD_BACK = max(map(len, _READINGS)) - 1  # the longest unfinished match a chunk can end with
PARTIAL_RESULT = "S1TAT"
TRANSACTION_TIMED_OUT = "SR171"


class PlainSpellings(io.RawIOBase):
    """`source` with blank nodes and booleans written as the embedded store writes them, read as it streams in."""

    def __init__(self, source: io.RawIOBase) -> None:
        self.source, self.pending, self.ready, self.ended = source, b"", b"", False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.ready and not self.ended:
            self._fill(len(buffer))
        size = min(len(buffer), len(self.ready))
        buffer[:size], self.ready = self.ready[:size], self.ready[size:]
        return size

    def _fill(self, size: int) -> None:
        """Read a chunk; what is certainly not the start of a match becomes ready, rewritten."""
        chunk = self.source.read(max(size, _HELD_BACK + 1)) or b""
        data = self.pending + chunk
        cut = _safe_cut(data, len(data) - _HELD_BACK) if chunk else len(data)
        self.ready, self.pending, self.ended = (
            _SPELLING.sub(lambda found: _READINGS[found.group()], data[:cut]),
            data[cut:],
            not chunk,
        )


def _safe_cut(data: bytes, cut: int) -> int:
    """`cut`, or earlier where a match would straddle it: the bytes before it hold only whole matches."""
    for match in _SPELLING.finditer(data):
        if match.start() < cut < match.end():
            return match.start()
    return max(cut, 0)


def answer_is_partial(headers: Message) -> bool:
    """The engine stopped at its `timeout` and sent what it had: a timeout, never an answer."""
    return (headers.get("X-SQL-State") or "").strip() == PARTIAL_RESULT


def rows_were_cut(headers: Message) -> bool:
    return headers.get("X-SPARQL-MaxRows") is not None


def is_transaction_timeout(message: str) -> bool:
    """An error that is a time limit: SR171 (MaxQueryExecutionTime), or S1TAT sent as an error status."""
    return any(code in message for code in (TRANSACTION_TIMED_OUT, PARTIAL_RESULT)) or "transaction timed out" in message.lower()
