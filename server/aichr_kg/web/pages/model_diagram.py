"""A diagram of the model, computed from the ontology and drawn as SVG by a template (no JS library).

Each class is a UML-style box listing the properties whose domain names it (object properties as
"property → Range", datatype and annotation properties as "property: datatype"); subclasses hang below their
superclass, indented, with a hollow-triangle generalisation line. The class trees are packed into
columns, tallest first, so the diagram stays about as wide as the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from aichr_kg.dataset.ontology import Ontology, OntologyTerm
from aichr_kg.namespaces import local_name

COLUMNS = 4
COLUMN_WIDTH = 290
INDENT = 18
HEADER = 24
LINE = 15
BOX_GAP = 10
TREE_GAP = 26
MARGIN = 8


@dataclass(frozen=True)
class Line:
    """One property in a box; `range_anchor` is set when the range is one of our classes."""

    property_name: str
    property_anchor: str
    arrow: str  # ' → ' for object properties, ': ' for datatype and annotation (date) properties
    range_text: str
    range_anchor: str | None


@dataclass(frozen=True)
class Box:
    anchor: str  # local name, the id of the class's section ('' for the "any resource" box)
    title: str
    tooltip: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    boxes: tuple[Box, ...]
    edges: tuple[tuple[tuple[float, float], ...], ...]  # polylines from a subclass up to its superclass
    triangles: tuple[tuple[float, float], ...]  # tips of the generalisation arrows


def model_diagram(ontology: Ontology) -> Diagram:
    trees = [_tree_heights(ontology, root) for root in ontology.roots()]
    any_resource = [p for p in ontology.properties if not p.domain]
    column_heights: list[float] = [MARGIN] * COLUMNS
    boxes: list[Box] = []
    edges: list[tuple] = []
    triangles: list[tuple] = []
    placements: list[tuple[OntologyTerm | None, float]] = sorted(trees, key=lambda t: -t[1])
    if any_resource:
        placements.append((None, _box_height(any_resource)))
    for root, height in placements:
        column = column_heights.index(min(column_heights))
        x, y = MARGIN + column * COLUMN_WIDTH, column_heights[column]
        if root is None:
            boxes.append(_box(ontology, None, "(any resource)", x, y, 0, any_resource))
        else:
            _place(ontology, root, x, y, 0, boxes, edges, triangles)
        column_heights[column] = y + height + TREE_GAP
    height = int(max(column_heights) - TREE_GAP + MARGIN)
    return Diagram(COLUMNS * COLUMN_WIDTH + MARGIN, height, tuple(boxes), tuple(edges), tuple(triangles))


def _box_height(properties: list[OntologyTerm]) -> float:
    return HEADER + LINE * len(properties) + (6 if properties else 0)


def _tree_heights(ontology: Ontology, term: OntologyTerm) -> tuple[OntologyTerm, float]:
    """A root and the height of its whole tree."""
    return term, _subtree_height(ontology, term)


def _subtree_height(ontology: Ontology, term: OntologyTerm) -> float:
    own = _box_height(ontology.properties_about(term.iri))
    return own + sum(BOX_GAP + _subtree_height(ontology, child) for child in ontology.subclasses(term.iri))


def _place(
    ontology: Ontology, term: OntologyTerm, x: float, y: float, depth: int, boxes: list, edges: list, triangles: list
) -> float:
    """Draw a class and, below it, its subclasses; return the bottom of the tree."""
    box = _box(ontology, term, ontology.local_name(term.iri), x, y, depth, ontology.properties_about(term.iri))
    boxes.append(box)
    bottom = y + box.height
    trunk = x + INDENT / 2
    for child in ontology.subclasses(term.iri):
        child_y = bottom + BOX_GAP
        edges.append(((x + INDENT, child_y + HEADER / 2), (trunk, child_y + HEADER / 2), (trunk, y + box.height + 7)))
        bottom = _place(ontology, child, x + INDENT, child_y, depth + 1, boxes, edges, triangles)
    if ontology.subclasses(term.iri):
        triangles.append((trunk, y + box.height))
    return bottom


def _box(
    ontology: Ontology, term: OntologyTerm | None, title: str, x: float, y: float, depth: int, properties: list[OntologyTerm]
) -> Box:
    lines = tuple(_line(ontology, p) for p in properties)
    tooltip = f"{term.label}: {term.definition}" if term else "Properties with no domain: any resource may carry them"
    return Box(title if term else "", title, tooltip, x, y, COLUMN_WIDTH - 14 - depth * INDENT, _box_height(properties), lines)


def _line(ontology: Ontology, prop: OntologyTerm) -> Line:
    arrow = " → " if prop.kind == "object" else ": "
    ranges = [ontology.local_name(r) or local_name(r) for r in prop.range]
    anchor = ranges[0] if len(prop.range) == 1 and ontology.local_name(prop.range[0]) else None
    return Line(ontology.local_name(prop.iri), ontology.local_name(prop.iri), arrow, " | ".join(ranges) or "any", anchor)
