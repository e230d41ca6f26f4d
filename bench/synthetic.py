"""A synthetic project N times our size, grown as the real data would grow: more of what recurs.

What recurs is the per-item part of data/: projects, their costs, outcomes, initiatives and
publications. Each copy gets those under new IRIs (`…/project/jaif-01-c1`) with numbered labels,
linked to the SAME shared resources as the originals: countries, organisations and donors, themes
and concept schemes, meetings, and the source slides that provenance must cite. Shared resources
are written once, so the copies conform to shapes/ as the real data does, and a benchmark of them
measures what users will meet.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.pipeline.load import load_files

# The kinds of resource a larger dataset has more of; every other resource is shared by all copies.
PER_ITEM_KINDS = ("project", "cost", "outcome", "initiative", "publication")
PER_ITEM_PREFIXES = tuple(f"{CANONICAL_BASE}id/{kind}/" for kind in PER_ITEM_KINDS)

Triple = tuple[Node, Node, Node]


def is_per_item(term: Node) -> bool:
    """Whether `term` names a resource that is copied (a project, cost, outcome, initiative or publication)."""
    return isinstance(term, URIRef) and str(term).startswith(PER_ITEM_PREFIXES)


def make_synthetic_project(root: Path, target: Path, copies: int, file_per_copy: bool = False) -> Path:
    """A project folder at `target` with the real ontology/shapes and data/ grown to `copies` times its items,
    in data/synthetic.ttl or, as a data repository grows by files, one data/synthetic-N.ttl per copy."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(root / folder, target / folder)
    triples = list(load_files([root / "data"]).graph)
    (target / "data").mkdir()
    for copy in range(copies):
        name = f"synthetic-{copy}.ttl" if file_per_copy else "synthetic.ttl"
        with (target / "data" / name).open("a", encoding="utf-8") as out:
            out.writelines(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in copy_of(triples, copy))
    return target


def copy_of(triples: list[Triple], copy: int) -> Iterator[Triple]:
    """Copy number `copy` (0 is the real data): every triple that mentions a per-item resource, renamed.

    A triple between shared resources only belongs to copy 0; a shared resource that points to an
    item (a meeting's outcome) points to each copy of it, as it would to each new outcome.
    """
    for subject, predicate, value in triples:
        if copy == 0:
            yield subject, predicate, value
        elif is_per_item(subject) or is_per_item(value):
            yield _renamed(subject, copy), predicate, _copied_value(subject, predicate, value, copy)


def _renamed(term: Node, copy: int) -> Node:
    return URIRef(f"{term}-c{copy}") if is_per_item(term) else term


def _copied_value(subject: Node, predicate: Node, value: Node, copy: int) -> Node:
    """The value in the copy: a per-item IRI renamed, an item's label numbered so that copies are told apart."""
    if predicate == RDFS.label and is_per_item(subject) and isinstance(value, Literal):
        return Literal(f"{value} ({copy + 1})", lang=value.language, datatype=value.datatype)
    return _renamed(value, copy)
