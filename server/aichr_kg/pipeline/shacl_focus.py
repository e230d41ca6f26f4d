"""Validate only some focus nodes, with pySHACL deciding everything else exactly as in a full run.

pySHACL's own `focus_nodes` option filters every shape's focus nodes, nested ones included: a
sh:or on a literal value, or a sh:node on a value that is not listed, then passes without being
checked. Narrowing the *targets* instead keeps the rest of the evaluation whole: a top-level shape
asks `Shape.focus_nodes` for its targets (sh:targetClass, sh:targetSubjectsOf, …, SPARQL targets),
and only those are narrowed to the nodes asked for; value nodes and nested shapes are evaluated as
always. The upstream form would be a `target_filter` argument applied at the end of that method.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Set
from contextlib import contextmanager

from pyshacl.shape import Shape
from rdflib import Graph
from rdflib.term import Node

_LOCK = threading.Lock()  # one narrowing at a time: the patch is on the class, shared by every validation


@contextmanager
def targets_narrowed_to(focus: Set[Node]) -> Iterator[None]:
    """While inside, each shape's targets are only those of its focus nodes that are in `focus`."""
    with _LOCK:
        original = Shape.focus_nodes
        setattr(Shape, "focus_nodes", _narrowed(original, focus))  # noqa: B010
        try:
            yield
        finally:
            setattr(Shape, "focus_nodes", original)  # noqa: B010


def _narrowed(original: Callable[..., set], focus: Set[Node]) -> Callable[..., set]:
    def focus_nodes(self: Shape, data_graph: Graph, debug: bool = False) -> set:
        return {node for node in original(self, data_graph, debug) if node in focus}

    return focus_nodes
