"""The dataset a remote engine is given, so that it is the one the embedded store would query.

pyoxigraph reads each part of the dataset on its own: the request's default graphs replace the
query's FROM, its named graphs the query's FROM NAMED, and a part nobody names is empty once the
query names the other (without any dataset, the default graph is the union of every graph and
GRAPH ranges over them all). Engines differ: Oxigraph server lets the protocol's parameters
replace the whole of the query's dataset, Virtuoso merges them with it, and Virtuoso lets GRAPH ?g
range over every graph it holds when a query has FROM but no FROM NAMED.

So a query that names its own dataset is sent with no dataset parameters at all, its clauses
rewritten instead: FROM for the request's default graphs (else the query's own), FROM NAMED for
the request's named graphs (else the query's own), and FROM NAMED of a graph that does not exist
where the named part must be empty. Every engine reads a query's own dataset as SPARQL says.
The clauses are found on the text with strings, IRIs and comments blanked (a subquery has none).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph

from aichr_kg.store.guard import blank_lexemes

NO_GRAPH = "urn:aichr-kg:no-graph"  # named by no graph: FROM NAMED of it makes the named part empty
_FROM = re.compile(r"(?i)(?<![\w:?$-])(?<![\w-]\.)FROM(?![\w:-])")  # the keyword, on the blanked text
_REST = re.compile(  # on the text itself: the graph, after NAMED or not, across white space and comments
    r"(?i)(?:\s|#[^\n]*)*(NAMED(?![\w:-]))?(?:\s|#[^\n]*)*(?:<[^<>\"{}|^`\\\x00-\x20]*>|[^\s{}#<]+)"
)


def with_dataset(text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """`text` with its dataset clauses replaced as the module's docstring says (unchanged without any)."""
    clauses = _clauses(text)
    if not clauses:
        return text
    own_default = [text[start:end] for start, end, named in clauses if not named]
    own_named = [text[start:end] for start, end, named in clauses if named]
    default = [f"FROM {_iri(g)}" for g in default_graphs] or own_default
    named = [f"FROM NAMED {_iri(g)}" for g in named_graphs] or own_named
    if default and not named:
        named = [f"FROM NAMED <{NO_GRAPH}>"]
    first = clauses[0][0]
    kept, position = [], first
    for start, end, _ in clauses:
        kept.append(text[position:start])
        position = end
    return text[:first] + " ".join(default + named) + " " + "".join(kept) + text[position:]


def _clauses(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is FROM NAMED) of each dataset clause, the graph's IRI or prefixed name included."""
    blanked = blank_lexemes(text)
    found = []
    for keyword in _FROM.finditer(blanked):
        rest = _REST.match(text, keyword.end())
        if rest is not None:
            found.append((keyword.start(), rest.end(), rest.group(1) is not None))
    return found


def _iri(graph: str) -> str:
    """`<graph>`; a SyntaxError (the client's error, a 400) for what is not an IRI, which could end the clause early."""
    try:
        return str(pyoxigraph.NamedNode(graph))
    except ValueError as error:
        raise SyntaxError(f"the graph {graph!r} is not an IRI: {error}") from None
