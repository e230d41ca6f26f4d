"""The SHACL shapes in words: which constraints apply to which class, for the ontology documentation.

Shapes are not part of the served dataset, so they are read from shapes/*.ttl once, with pyoxigraph
(no rdflib on the request path), and walked as a graph. Each constraint becomes a `Rule`: a
sequence of pieces, text or term IRIs, that a template turns into words and links.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode

from aichr_kg.namespaces import RDF, RDFS, SH, local_name, rebase_iri
from aichr_kg.store import Term

# Keys of a shape that say something other than a constraint.
NOT_CONSTRAINTS = {
    RDF + "type",
    RDFS + "comment",
    RDFS + "label",
    SH + "path",
    SH + "message",
    SH + "severity",
    SH + "name",
    SH + "description",
    SH + "order",
    SH + "group",
    SH + "property",
    SH + "sparql",
    SH + "targetClass",
    SH + "targetSubjectsOf",
    SH + "targetObjectsOf",
    SH + "targetNode",
    SH + "ignoredProperties",
    SH + "prefixes",
    SH + "qualifiedMinCount",
    SH + "qualifiedMaxCount",
    SH + "deactivated",
}
NODE_KINDS = {
    SH + "IRI": "an IRI",
    SH + "Literal": "a literal",
    SH + "BlankNode": "a blank node",
    SH + "BlankNodeOrIRI": "an IRI or a blank node",
}
WORDING = {  # constraint → the words before its value
    SH + "datatype": "of datatype",
    SH + "class": "an instance of",
    SH + "hasValue": "includes",
    SH + "pattern": "matches",
    SH + "minInclusive": "≥",
    SH + "maxInclusive": "≤",
    SH + "minExclusive": ">",
    SH + "maxExclusive": "<",
    SH + "minLength": "characters ≥",
    SH + "maxLength": "characters ≤",
    SH + "in": "one of",
    SH + "languageIn": "in language",
    SH + "node": "conforms to",
    SH + "equals": "equals",
    SH + "disjoint": "differs from",
    SH + "lessThan": "less than",
}


@dataclass(frozen=True)
class Piece:
    """Words, or a term (iri set) the template shows as a link."""

    text: str
    iri: str | None = None


Rule = tuple[Piece, ...]


@dataclass(frozen=True)
class Constraint:
    """What one property shape (or the node itself, `path` empty) requires, and what it says when broken."""

    path: Rule
    rules: tuple[Rule, ...]
    severity: str
    message: str


@dataclass(frozen=True)
class Shape:
    """A node shape: what it targets and every constraint it checks."""

    iri: str
    comment: str
    target_classes: tuple[str, ...]
    target_subjects_of: tuple[str, ...]
    constraints: tuple[Constraint, ...]

    @property
    def name(self) -> str:
        return local_name(self.iri)


def read_shapes(shapes_dir: Path, base: str) -> list[Shape]:
    """Every node shape of shapes/*.ttl, with IRIs moved to `base`, sorted by name."""
    graph = pyoxigraph.Store()
    for path in sorted(shapes_dir.rglob("*.ttl")):
        graph.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    reader = _ShapeReader(graph, base)
    node_shapes = {q.subject for q in graph.quads_for_pattern(None, NamedNode(RDF + "type"), NamedNode(SH + "NodeShape"))}
    return sorted((reader.shape(node) for node in node_shapes if isinstance(node, NamedNode)), key=lambda s: s.name)


class _ShapeReader:
    """Walks the shapes graph; `base` rebases every IRI it hands out."""

    def __init__(self, graph: pyoxigraph.Store, base: str) -> None:
        self.graph = graph
        self.base = base

    def statements(self, node: Term, predicate: str | None = None) -> list[tuple[str, Term]]:
        """(predicate, value) of each statement about `node`; none about a literal, none with a triple term (not SHACL)."""
        if isinstance(node, Literal):
            return []
        found = self.graph.quads_for_pattern(node, None if predicate is None else NamedNode(predicate), None)
        return [(q.predicate.value, q.object) for q in found if not isinstance(q.object, pyoxigraph.Triple)]

    def values(self, node: Term, predicate: str) -> list[Term]:
        return [value for _, value in self.statements(node, predicate)]

    def one(self, node: Term, predicate: str) -> Term | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def text(self, node: Term, predicate: str) -> str:
        """The English (or untagged) text of a property, '' if none."""
        texts = [v for v in self.values(node, predicate) if isinstance(v, Literal)]
        english = [t for t in texts if t.language in (None, "en")]
        return (english or texts or [Literal("")])[0].value

    def iri(self, node: Term) -> str:
        return rebase_iri(node.value, self.base)

    def shape(self, node: NamedNode) -> Shape:
        constraints = sorted((self.constraint(p) for p in self.values(node, SH + "property")), key=_path_order)
        node_rules = self.rules(node)
        if node_rules:
            constraints.insert(0, Constraint((), node_rules, self.severity(node), self.text(node, SH + "message")))
        sparql_check = ((Piece("passes a SPARQL check"),),)
        constraints += [
            Constraint((), sparql_check, self.severity(check) or self.severity(node), self.text(check, SH + "message"))
            for check in self.values(node, SH + "sparql")
        ]
        return Shape(
            iri=self.iri(node),
            comment=self.text(node, RDFS + "comment"),
            target_classes=tuple(sorted(self.iri(c) for c in self.values(node, SH + "targetClass"))),
            target_subjects_of=tuple(sorted(self.iri(p) for p in self.values(node, SH + "targetSubjectsOf"))),
            constraints=tuple(constraints),
        )

    def constraint(self, node: Term) -> Constraint:
        return Constraint(
            self.path(self.one(node, SH + "path")), self.rules(node), self.severity(node), self.text(node, SH + "message")
        )

    def severity(self, node: Term) -> str:
        severity = self.one(node, SH + "severity")
        return severity.value.removeprefix(SH) if isinstance(severity, NamedNode) else ""

    def path(self, node: Term | None) -> Rule:
        """A SHACL property path in SPARQL-like notation: p, ^p, p | q, p / q."""
        if isinstance(node, NamedNode):
            return (Piece("", self.iri(node)),)
        if node is None:
            return ()
        inverse = self.one(node, SH + "inversePath")
        if inverse is not None:
            return (Piece("^"), *self.path(inverse))
        alternatives = self.one(node, SH + "alternativePath")
        if alternatives is not None:
            return _joined([self.path(p) for p in self.list_items(alternatives)], " | ")
        return _joined([self.path(p) for p in self.list_items(node)], " / ")

    def list_items(self, node: Term | None) -> list[Term]:
        items = []
        while isinstance(node, BlankNode | NamedNode) and node != NamedNode(RDF + "nil"):
            first = self.one(node, RDF + "first")
            if first is None:
                break
            items.append(first)
            node = self.one(node, RDF + "rest")
        return items

    def rules(self, node: Term) -> tuple[Rule, ...]:
        """One rule per constraint parameter of a shape, in a stable order."""
        found = []
        for predicate, value in sorted(self.statements(node), key=lambda statement: statement[0]):
            if predicate not in NOT_CONSTRAINTS and predicate.startswith(SH):
                found.append(self.rule(node, predicate, value))
        return tuple(found)

    def rule(self, node: Term, predicate: str, value: Term) -> Rule:
        if predicate in (SH + "minCount", SH + "maxCount"):
            bound = "at least" if predicate == SH + "minCount" else "at most"
            return (Piece(f"{bound} {value.value} value{'' if value.value == '1' else 's'}"),)
        if predicate == SH + "nodeKind":
            return (Piece(NODE_KINDS.get(value.value, value.value)),)
        if predicate == SH + "closed":
            return (Piece("closed: no properties beyond those listed" if value.value == "true" else "open"),)
        if predicate == SH + "uniqueLang":
            return (Piece("at most one per language"),)
        if predicate == SH + "or":
            return _joined([self.inner_shape(member) for member in self.list_items(value)], " or ", "either ")
        if predicate == SH + "qualifiedValueShape":
            least = self.one(node, SH + "qualifiedMinCount")
            count = f"at least {least.value} value(s)" if least is not None else "values"
            return (Piece(f"{count} that are: "), *_joined(list(self.rules(value)), ", "))
        words = WORDING.get(predicate, predicate.removeprefix(SH))
        if predicate in (SH + "in", SH + "languageIn"):
            return (Piece(words + " "), *_joined([self.value(v) for v in self.list_items(value)], ", "))
        return (Piece(words + " "), *self.value(value))

    def inner_shape(self, node: Term) -> Rule:
        path = self.path(self.one(node, SH + "path"))
        rules = _joined(list(self.rules(node)), ", ")
        return (Piece("("), *path, *((Piece(": "),) if path else ()), *rules, Piece(")"))

    def value(self, value: Term) -> Rule:
        if isinstance(value, NamedNode):
            return (Piece("", self.iri(value)),)
        if isinstance(value, Literal):
            return (Piece(f'"{value.value}"' if value.datatype.value.endswith("#string") else value.value),)
        return (Piece("[…]"),)


def _path_order(constraint: Constraint) -> tuple[tuple[str, ...], str]:
    return tuple((piece.iri or piece.text) for piece in constraint.path), constraint.message


def _joined(parts: list[Rule], separator: str, prefix: str = "") -> Rule:
    pieces: list[Piece] = [Piece(prefix)] if prefix else []
    for index, part in enumerate(parts):
        if index:
            pieces.append(Piece(separator))
        pieces.extend(part)
    return tuple(pieces)


def shapes_for_class(shapes: list[Shape], class_iri: str) -> list[Shape]:
    """The node shapes that target a class directly."""
    return [s for s in shapes if class_iri in s.target_classes]
