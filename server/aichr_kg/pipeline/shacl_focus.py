"""Validate only some focus nodes, with pySHACL deciding everything else exactly as in a full run.

pySHACL's own `focus_nodes` option filters every shape's focus nodes, nested ones included: a
sh:or on a literal value, or a sh:node on a value that is not listed, then passes without being
checked. Narrowing the *targets* instead keeps the rest of the evaluation whole: a top-level shape
asks `Shape.focus_nodes` for its targets (sh:targetClass, sh:targetSubjectsOf, …, SPARQL targets),
and only those are narrowed to the nodes asked for; value nodes and nested shapes are evaluated as
always. The upstream form would be a `target_filter` argument applied at the end of that method.

The narrowing is held in a context variable, not in the patched class: pySHACL's `Shape` is shared
by every validation in the process, and a full validation running in another thread at the same time
must see every target. The wrapper is installed once and passes targets through unchanged wherever
no narrowing is in force. Tested against the pySHACL versions `pyproject.toml` allows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Set
from contextlib import contextmanager
from contextvars import ContextVar

from pyshacl.shape import Shape
from rdflib import Graph
from rdflib.term import Node

_FOCUS: ContextVar[Set[Node] | None] = ContextVar("aichr_kg_shacl_focus", default=None)
_INSTALLING = threading.Lock()
_MARK = "_aichr_kg_narrowable"  # set on the wrapper, so that it is installed once


@contextmanager
def targets_narrowed_to(focus: Set[Node]) -> Iterator[None]:
    """While inside, in this thread only, each shape's targets are those of its focus nodes that are in `focus`."""
    _install()
    token = _FOCUS.set(focus)
    try:
        yield
    finally:
        _FOCUS.reset(token)


def _install() -> None:
    """Wrap `Shape.focus_nodes` once; the wrapper reads the narrowing of the calling context."""
    with _INSTALLING:
        if not getattr(Shape.focus_nodes, _MARK, False):
            setattr(Shape, "focus_nodes", _narrowable(Shape.focus_nodes))  # noqa: B010


def _narrowable(original: Callable[..., set]) -> Callable[..., set]:
    def focus_nodes(self: Shape, data_graph: Graph, debug: bool = False) -> set:
        targets = original(self, data_graph, debug)
        focus = _FOCUS.get()
        return targets if focus is None else {node for node in targets if node in focus}

    setattr(focus_nodes, _MARK, True)
    return focus_nodes
