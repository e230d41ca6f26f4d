"""What the SHACL shapes ask of a resource of one class, read from the shapes themselves.

A class's contract is the union of the node shapes that target it or one of its superclasses
(sh:targetClass applies to instances of subclasses too), each property shape merged by path.
A property is required when any shape gives it sh:minCount or sh:qualifiedMinCount of 1 or more,
whatever the severity: a warning is a requirement the data is expected to meet as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TypeVar

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Literal, Node

from aichr_kg.namespaces import RDFS, SH

Item = TypeVar("Item")


@dataclass(frozen=True)
class PropertyNeed:
    """What the shapes say about the values of one property (`path`) of the class."""

    path: URIRef
    required: bool = False
    alternatives: tuple[URIRef, ...] = ()  # other properties that meet the same sh:minCount (sh:alternativePath)
    datatypes: frozenset[URIRef] = frozenset()
    classes: frozenset[URIRef] = frozenset()
    allowed: tuple[Node, ...] = ()  # sh:in
    fixed: Node | None = None  # sh:hasValue
    languages: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    node_shapes: tuple[Node, ...] = ()  # sh:node: each value is a node of its own, described by these shapes
    node_kinds: tuple[Node, ...] = ()  # sh:nodeKind: sh:IRI, sh:Literal, ...
    forbidden: bool = False  # sh:maxCount 0

    def combined(self, other: PropertyNeed) -> PropertyNeed:
        """Both shapes' constraints on the same property, as one."""
        return replace(
            self,
            required=self.required or other.required,
            alternatives=_unique(self.alternatives + other.alternatives),
            datatypes=self.datatypes | other.datatypes,
            classes=self.classes | other.classes,
            allowed=_unique(self.allowed + other.allowed),
            fixed=self.fixed if self.fixed is not None else other.fixed,
            languages=_unique(self.languages + other.languages),
            patterns=_unique(self.patterns + other.patterns),
            node_shapes=_unique(self.node_shapes + other.node_shapes),
            node_kinds=_unique(self.node_kinds + other.node_kinds),
            forbidden=self.forbidden or other.forbidden,
        )


@dataclass(frozen=True)
class Contract:
    """The shapes that apply to a class, its properties by path, and the messages of its SHACL-SPARQL rules."""

    target: URIRef
    shapes: tuple[Node, ...]
    properties: dict[URIRef, PropertyNeed] = field(default_factory=dict)
    rules: tuple[str, ...] = ()


def class_contract(shapes: Graph, ontology: Graph, target: URIRef) -> Contract:
    """The contract of `target`: every node shape whose sh:targetClass is the class or one of its superclasses."""
    classes = set(ontology.transitive_objects(target, RDFS.subClassOf))
    node_shapes = sorted({shape for cls in classes for shape in shapes.subjects(SH.targetClass, cls)}, key=str)
    return shape_contract(shapes, target, node_shapes)


def shape_contract(shapes: Graph, target: URIRef, node_shapes: list[Node]) -> Contract:
    """The contract the given node shapes make together."""
    properties: dict[URIRef, PropertyNeed] = {}
    for property_shape in (p for shape in node_shapes for p in shapes.objects(shape, SH.property)):
        need = property_need(shapes, property_shape)
        if need is not None:
            properties[need.path] = properties[need.path].combined(need) if need.path in properties else need
    rules = sorted({str(m) for s in node_shapes for rule in shapes.objects(s, SH.sparql) for m in _messages(shapes, rule)})
    return Contract(target=target, shapes=tuple(node_shapes), properties=properties, rules=tuple(rules))


def owning_shapes(shapes: Graph, ontology: Graph, need: PropertyNeed) -> list[Node]:
    """The node shapes of a value that exists only as this property's value, so it is written with its owner.

    That is a value with sh:node shapes, or one of a class whose shapes require it to be the object of
    this property (an sh:inversePath of it with sh:minCount ≥ 1, as a cost must be some project's aj:actualCost).
    """
    if need.node_shapes:
        return list(need.node_shapes)
    for cls in sorted(need.classes, key=str):
        contract = class_contract(shapes, ontology, cls)
        if any(_requires_inverse(shapes, shape, need.path) for shape in contract.shapes):
            return list(contract.shapes)
    return []


def property_need(shapes: Graph, property_shape: Node) -> PropertyNeed | None:
    """One property shape read as a PropertyNeed; None for paths a skeleton cannot write (inverse, sequence)."""
    path = _forward_path(shapes, shapes.value(property_shape, SH.path))
    if path is None:
        return None
    value = shapes.value
    qualified = value(property_shape, SH.qualifiedValueShape)
    min_count = max(_integer(value(property_shape, SH.minCount)), _integer(value(property_shape, SH.qualifiedMinCount)))
    constraint_nodes = [property_shape, *([qualified] if qualified is not None else [])]
    constraint_nodes += [member for node in constraint_nodes for member in _list(shapes, value(node, SH["or"]))]
    return PropertyNeed(
        path=path[0],
        required=min_count >= 1,
        alternatives=path[1] if min_count >= 1 else (),
        datatypes=frozenset(d for n in constraint_nodes for d in shapes.objects(n, SH.datatype) if isinstance(d, URIRef)),
        classes=frozenset(c for n in constraint_nodes for c in shapes.objects(n, SH["class"]) if isinstance(c, URIRef)),
        allowed=tuple(_list(shapes, value(property_shape, SH["in"]))),
        fixed=value(property_shape, SH.hasValue),
        languages=tuple(str(t) for n in constraint_nodes for t in _list(shapes, value(n, SH.languageIn))),
        patterns=tuple(str(p) for p in shapes.objects(property_shape, SH.pattern)),
        node_shapes=tuple(shapes.objects(property_shape, SH.node)),
        node_kinds=tuple(shapes.objects(property_shape, SH.nodeKind)),
        forbidden=value(property_shape, SH.maxCount) is not None and _integer(value(property_shape, SH.maxCount)) == 0,
    )


def _forward_path(shapes: Graph, path: Node | None) -> tuple[URIRef, tuple[URIRef, ...]] | None:
    """A predicate path, or the first predicate of an sh:alternativePath (with the others as alternatives)."""
    if isinstance(path, URIRef):
        return path, ()
    options = [option for option in _list(shapes, shapes.value(path, SH.alternativePath)) if isinstance(option, URIRef)]
    return (options[0], tuple(options[1:])) if options else None


def _requires_inverse(shapes: Graph, node_shape: Node, path: URIRef) -> bool:
    for property_shape in shapes.objects(node_shape, SH.property):
        inverse = shapes.value(shapes.value(property_shape, SH.path), SH.inversePath)
        if inverse == path and _integer(shapes.value(property_shape, SH.minCount)) >= 1:
            return True
    return False


def _messages(shapes: Graph, node: Node) -> Iterator[Node]:
    if (node, SH.deactivated, Literal(True)) not in shapes:
        yield from shapes.objects(node, SH.message)


def _list(shapes: Graph, head: Node | None) -> list[Node]:
    return list(Collection(shapes, head)) if head is not None else []


def _integer(node: Node | None) -> int:
    return int(node) if isinstance(node, Literal) and isinstance(node.toPython(), int) else 0


def _unique(items: tuple[Item, ...]) -> tuple[Item, ...]:
    return tuple(dict.fromkeys(items))
