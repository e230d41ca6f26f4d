"""The focus nodes a change can affect: the changed resources and every node whose shapes can see them.

A resource is changed when its asserted triples differ between the two sides, the triples of the
blank nodes hanging from it included (a blank node is compared by its content, not its label). The
comparison is of terms as pySHACL sees them ("1.0" and "1.00" differ), unlike `compare`'s, which
reads values as people do.

A shape at a focus node reads the triples of the nodes along its paths: a path of n steps (an
inverse step read from the node it arrives at) and a sh:class on its values read nodes at most n
steps away, and nested shapes (sh:node, sh:property, sh:or, …) add their own steps. A node whose
reading neighbourhood holds no changed resource, following the links of either side, has the same
findings as before, so the affected nodes are those that reach a changed resource within that
radius: forward along any property, backward along the properties used inversely (or named by
sh:targetObjectsOf). SHACL-SPARQL constraints are not analysed; ours read their focus node and its
neighbours, so the values of a changed resource are affected too. sh:class and targets follow
rdfs:subClassOf* without bound, so a change of the class hierarchy in the data is a `FullRun`, as
is any path or nesting that has no bound; its message says why.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from aichr_kg.changes.compare import Reader
from aichr_kg.namespaces import SH

NESTED_SHAPES = (SH.node, SH.property, SH.qualifiedValueShape, SH["not"])
NESTED_LISTS = (SH["or"], SH["and"], SH.xone)
UNBOUNDED_PATHS = (SH.zeroOrMorePath, SH.oneOrMorePath)
SPARQL_PARAMETERS = (SH.sparql, SH.select, SH.ask, SH.target)
HIERARCHY = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
CLASSES = (RDFS.Class, OWL.Class)


class FullRun(Exception):
    """Only a full validation is exact here; the message says why."""


@dataclass(frozen=True)
class Reach:
    """How far the shapes look from a focus node: `radius` steps, forward along any property,
    backward along `backward`; with SHACL-SPARQL, a changed node's neighbours in both directions."""

    radius: int
    backward: frozenset[Node]
    sparql: bool


def shapes_reach(shapes: Graph) -> Reach:
    """The reach of every shape in `shapes`; FullRun when a path or a nesting has no bound."""
    backward: set[Node] = set(shapes.objects(None, SH.targetObjectsOf))
    shape_nodes = set(shapes.subjects(SH.path, None)) | set(shapes.subjects(RDF.type, SH.NodeShape))
    radius = max((_shape_radius(shapes, shape, frozenset(), backward) for shape in shape_nodes), default=0)
    sparql = any((None, parameter, None) in shapes for parameter in SPARQL_PARAMETERS)
    return Reach(radius=max(radius, 1), backward=frozenset(backward), sparql=sparql)


def _shape_radius(shapes: Graph, shape: Node, seen: frozenset[Node], backward: set[Node]) -> int:
    """The farthest step a shape reads from its focus node: its path, then its nested shapes' own."""
    if shape in seen:
        raise FullRun(f"the shape {shape.n3()} refers to itself, so how far it reads has no bound")
    path = shapes.value(shape, SH.path)
    steps = 0 if path is None else _path_length(shapes, path, backward, inverse=False)
    nested = [o for p in NESTED_SHAPES for o in shapes.objects(shape, p)]
    nested += [member for p in NESTED_LISTS for head in shapes.objects(shape, p) for member in Collection(shapes, head)]
    return steps + max((_shape_radius(shapes, n, seen | {shape}, backward) for n in nested), default=0)


def _path_length(shapes: Graph, path: Node, backward: set[Node], inverse: bool) -> int:
    """The most steps a SHACL path takes; the predicates it walks inversely are added to `backward`."""
    if isinstance(path, URIRef):
        if inverse:
            backward.add(path)
        return 1
    if any((path, kind, None) in shapes for kind in UNBOUNDED_PATHS):
        raise FullRun("a shape's path repeats a step (sh:zeroOrMorePath or sh:oneOrMorePath), so it has no bound")
    if (inner := shapes.value(path, SH.inversePath)) is not None:
        return _path_length(shapes, inner, backward, not inverse)
    if (inner := shapes.value(path, SH.zeroOrOnePath)) is not None:
        return _path_length(shapes, inner, backward, inverse)
    if (head := shapes.value(path, SH.alternativePath)) is not None:
        return max(_path_length(shapes, step, backward, inverse) for step in Collection(shapes, head))
    return sum(_path_length(shapes, step, backward, inverse) for step in Collection(shapes, path))


def affected_focus_nodes(before: Graph, after: Graph, data: Graph, reach: Reach) -> set[Node]:
    """The nodes whose findings can differ between the two sides.

    `before` and `after` hold what differs (the changed files, say) on each side, `data` all the data
    validated (the after side). Walking `data` and `before` together follows every link of either side.
    """
    changed = set().union(*_changed_resources(before, after))
    if any(isinstance(term, BNode) for term in changed):
        raise FullRun("a changed resource is a blank node that nothing refers to, so it has no name to find it by")
    starts = _with_blank_parts(data, changed) | _with_blank_parts(before, changed)
    return _reaching((data, before), starts, reach)


def _changed_resources(before: Graph, after: Graph) -> tuple[set[Node], set[Node]]:
    """The changed resources, as terms of each side; FullRun if one of them changes the class hierarchy."""
    descriptions = [_descriptions(graph) for graph in (before, after)]
    keys = set(descriptions[0]) | set(descriptions[1])
    changed = {k for k in keys if descriptions[0].get(k, (None, None))[1] != descriptions[1].get(k, (None, None))[1]}
    terms = tuple({described[k][0] for k in changed if k in described} for described in descriptions)
    for graph, side_terms in zip((before, after), terms, strict=True):
        _refuse_hierarchy_change(graph, side_terms)
    return terms[0], terms[1]


def _refuse_hierarchy_change(graph: Graph, terms: Iterable[Node]) -> None:
    """sh:class and targets follow rdfs:subClassOf* without bound: a data change there is a full run."""
    for term in terms:
        if any((term, p, None) in graph for p in HIERARCHY) or any((term, RDF.type, c) in graph for c in CLASSES):
            raise FullRun(f"the data changes the class or property hierarchy at {term.n3()}")


Description = tuple[Node, frozenset]


def _descriptions(graph: Graph) -> dict[Hashable, Description]:
    """Each resource (named, or a blank node no triple refers to) with its triples, blank parts by content."""
    nested = Reader(graph).nested
    described: dict[Hashable, Description] = {}
    for subject in set(graph.subjects()) - nested:
        content = _content(graph, subject, frozenset({subject}))
        described[subject if not isinstance(subject, BNode) else ("blank", content)] = (subject, content)
    return described


def _content(graph: Graph, node: Node, seen: frozenset[Node]) -> frozenset:
    """A node's properties and values, a blank value by its own content (a cycle is marked, not followed)."""
    return frozenset(
        (p, o if not isinstance(o, BNode) else ("cycle",) if o in seen else ("blank", _content(graph, o, seen | {o})))
        for p, o in graph.predicate_objects(node)
    )


def _with_blank_parts(graph: Graph, starts: set[Node]) -> set[Node]:
    """The nodes with the blank nodes hanging from them, whose triples are theirs."""
    found, frontier = set(starts), list(starts)
    while frontier:
        for value in graph.objects(frontier.pop()):
            if isinstance(value, BNode) and value not in found:
                found.add(value)
                frontier.append(value)
    return found


def _reaching(graphs: tuple[Graph, ...], starts: set[Node], reach: Reach) -> set[Node]:
    """The nodes of `graphs` that reach one of `starts` within the reach's radius (the starts included),
    and with SHACL-SPARQL the values of the starts (a constraint there may read the start's triples)."""
    found, frontier = set(starts), set(starts)
    for _ in range(reach.radius):
        step = {s for graph in graphs for node in frontier for s in graph.subjects(None, node)}
        step |= {o for graph in graphs for node in frontier for p in reach.backward for o in graph.objects(node, p)}
        frontier = step - found
        found |= frontier
    if reach.sparql:
        found |= {o for graph in graphs for node in starts for o in graph.objects(node)}
    return found
