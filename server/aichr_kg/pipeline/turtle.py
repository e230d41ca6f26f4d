"""Turtle parsed by Oxigraph's parser and handed over as rdflib terms.

pySHACL and the line-finder need an rdflib Graph, but rdflib's own Turtle parser is pure Python
and about ten times slower than Oxigraph's. Here Oxigraph parses and its terms are converted once:
IRIs and literals through a cache shared by every file of a load (a term recurs in thousands of
triples), blank nodes through a map per file, so that `_:b` in two files stays two nodes as rdflib
makes it. Literals are built with rdflib's own constructor from the lexical form as written, so
rdflib's normalisation of a typed literal is applied exactly as its parser applies it, and
"103942.30"^^xsd:decimal keeps its lexical form. Oxigraph writes language tags in lower case
(BCP 47 tags are case-insensitive; rdflib compares them so), and refuses what is no IRI (a space
inside `<…>`), which rdflib let through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from aichr_kg.errors import TurtleSyntaxError
from aichr_kg.namespaces import XSD

Triple = tuple[Node, Node, Node]
XSD_STRING = pyoxigraph.NamedNode(str(XSD.string))
PARSER_POSITION = re.compile(r"^Parser error [^:]*: ")  # "at line 3 column 11: ", "at line 1 between columns 27 and 39: "


@dataclass(frozen=True)
class ParsedTurtle:
    """One file's triples, as rdflib terms, and the prefixes it declares (in order)."""

    triples: list[Triple]
    prefixes: dict[str, str]


class TermConverter:
    """Oxigraph terms to rdflib terms; one converter per load, so that equal terms are one object."""

    def __init__(self) -> None:
        self._known: dict[object, Node] = {}

    def parse(self, content: bytes, *, name: str, public_id: str) -> ParsedTurtle:
        """Parse UTF-8 Turtle; relative IRIs resolve against `public_id`, an error names `name`, line and column."""
        if b"\r" in content:  # universal newlines, so that lines are counted as a text editor counts them
            content = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        blank_nodes: dict[str, BNode] = {}
        parser = pyoxigraph.parse(content, format=pyoxigraph.RdfFormat.TURTLE, base_iri=public_id)
        try:
            triples = [
                (self._term(q.subject, blank_nodes), self._term(q.predicate, blank_nodes), self._term(q.object, blank_nodes))
                for q in parser
            ]
        except SyntaxError as error:
            reason = PARSER_POSITION.sub("", error.msg or str(error))
            raise TurtleSyntaxError(name, error.lineno or 1, error.offset or 1, reason) from None
        return ParsedTurtle(triples=triples, prefixes=dict(parser.prefixes))

    def _term(self, term: object, blank_nodes: dict[str, BNode]) -> Node:
        if isinstance(term, pyoxigraph.BlankNode):
            return blank_nodes.setdefault(term.value, BNode())
        known = self._known.get(term)
        if known is None:
            known = self._known[term] = _converted(term)
        return known


def _converted(term: object) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"Turtle gives no {type(term).__name__}")  # quoted triples are RDF-star, not Turtle
