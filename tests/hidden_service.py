"""Queries that call SERVICE in disguise, for the outbound-request tests: a fixed corpus of forms
that fooled a lexical filter, a Hypothesis strategy that hides the keyword in valid queries, and
a listening socket that counts the connections they would make."""

from __future__ import annotations

import socket
import threading
import time

from hypothesis import strategies as st

PROLOGUE = "PREFIX aj: <https://w3id.org/aichr-japan/ontology/> "


def corpus(endpoint: str) -> dict[str, str]:
    """Named queries that each make an unguarded engine contact `endpoint` (an IRI without <>)."""
    target = f"<{endpoint}>"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT {target} {{ ?s ?p ?o }} }}",
        "lowercase after a comment": f"# harmless?\nselect * where {{ service {target} {{ ?s ?p ?o }} }}",
        "escaped quote in a prefixed name": f"{PROLOGUE}SELECT * WHERE {{ VALUES ?v {{ aj:x\\' }} SERVICE {target} {{ ?s ?p ?o }} BIND('z' AS ?q) }}",
        "escape in an IRI before a hash": f"SELECT * WHERE {{ VALUES ?v {{ <http://x/\\u0041#> }} SERVICE {target} {{ ?s ?p ?o }} }}",
        "glued to a number": f"{PROLOGUE}SELECT * WHERE {{ ?x aj:jaifTableRow 1SERVICE {target} {{ ?s ?p ?o }} }}",
        "glued to SILENT": f"SELECT * WHERE {{ SERVICESILENT{target}{{ ?s ?p ?o }} }}",
        "keyword spelt with escapes": f"SELECT * WHERE {{ \\u0053ERVIC\\u0045 {target} {{ ?s ?p ?o }} }}",
        "after a dot": f"{PROLOGUE}SELECT * WHERE {{ ?x aj:jaifTableRow 2.SERVICE {target} {{ ?a ?b ?c }} }}",
        "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }} }} }}",
    }


def refused_forms(endpoint: str) -> dict[str, str]:
    """Forms the engine reads as SERVICE but does not run today (an unbound endpoint): refused all the same."""
    return {
        "variable endpoint behind a less-than": f"SELECT * WHERE {{ BIND(<{endpoint}> AS ?x) FILTER(1<2)SERVICE?x#>\n{{ ?s ?p ?o }} }}",
    }


def _spelt(word: str, draw) -> str:
    """`word` in random case, each letter possibly written as a \\u escape."""
    letters = []
    for letter in word:
        letter = letter.lower() if draw(st.booleans()) else letter
        letters.append(f"\\u{ord(letter):04X}" if draw(st.integers(0, 5)) == 0 else letter)
    return "".join(letters)


HIDERS = [
    "",
    "VALUES ?h { aj:x\\' } ",
    "BIND('it\\'s' AS ?h) ",
    'BIND("a \\" SERVICE" AS ?h) ',
    "VALUES ?h { <urn:x\\u0041#> } ",
    "# a comment with SERVICE in it\n",
    "BIND(<urn:SERVICE> AS ?h) ",
]
GLUES = [" ", "\n", "\t", "#c\n", "  # SERVICE?\n"]
WRAPS = [
    "{}",
    "{{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "{{ {{ {{ {} }} }} }}",
    "{{}} OPTIONAL {{ {} }}",
    "{{ {} }} UNION {{ }}",
]


@st.composite
def hidden_service(draw, endpoint: str) -> str:
    """A valid query whose engine would contact `endpoint`, with SERVICE hidden one way or another."""
    keyword = _spelt("SERVICE", draw)
    silent = (_spelt("SILENT", draw) + draw(st.sampled_from(GLUES))) if draw(st.booleans()) else ""
    before = draw(st.sampled_from(["", "VALUES ?v { 1 }", "BIND(1 AS ?v)"]))
    glue = draw(st.sampled_from(GLUES + ([""] if before else [])))
    call = f"{before}{glue}{keyword}{draw(st.sampled_from(GLUES))}{silent}<{endpoint}>{draw(st.sampled_from(['', ' ']))}{{ ?s ?p ?o }}"
    return f"{PROLOGUE}SELECT * WHERE {{ {draw(st.sampled_from(HIDERS))}{draw(st.sampled_from(WRAPS)).format(call)} }}"


class Listener:
    """A TCP socket on 127.0.0.1 that accepts and counts connections (and closes them at once)."""

    def __init__(self, path: str = "/sparql"):
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.endpoint = f"http://127.0.0.1:{self.socket.getsockname()[1]}{path}"
        self.count = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.count += 1
            self.serve(connection)

    def serve(self, connection: socket.socket) -> None:
        """What is done with a connection once counted: here, hang up."""
        connection.close()

    def connections_during(self, action) -> int:
        """Connections made while `action()` ran (and in a short grace period after it)."""
        before = self.count
        action()
        time.sleep(0.02)
        return self.count - before
