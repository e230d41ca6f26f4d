"""Links inside our namespace: every IRI the data or the ontology uses must be described, and not retired.

An IRI is *described* when some file of data/ or ontology/ gives it an rdf:type or an rdfs:label
(a retired IRI keeps its label in data/retired.ttl, so it stays described). An IRI is *ours* when
it is minted under the base and names a resource (namespaces.NOT_RESOURCES lists what does not).
A use of an IRI of ours that nothing describes is a dangling link; a use of a retired IRI (by
anything but its own tombstone) is reported the same way, naming its successor when it has one.
Each finding is located on the file and line that use the IRI, as SHACL findings are, and joins
them in every report format (see merge_findings).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeGuard

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from aichr_kg.namespaces import CANONICAL_BASE, DCT, NOT_RESOURCES, OWL, SH
from aichr_kg.pipeline.load import LoadedGraph
from aichr_kg.pipeline.validate import Finding, SubjectLines, ValidationOutcome

DANGLING = URIRef(CANONICAL_BASE + "shapes/DanglingLink")  # the "shape" a finding names, as SHACL's do
RETIRED = URIRef(CANONICAL_BASE + "shapes/RetiredLink")
TOKEN_END = r"(?=[\s;,.)\]]|$)"


def is_ours(iri: Node, base: str = CANONICAL_BASE) -> TypeGuard[URIRef]:
    """Whether `iri` names a resource minted under `base` (not a graph, a dump, a version IRI, ...)."""
    return isinstance(iri, URIRef) and iri.startswith(base) and not NOT_RESOURCES.fullmatch(iri[len(base) :])


def described_iris(graph: Graph) -> set[URIRef]:
    """The IRIs of ours that `graph` gives a type or a label."""
    subjects = {*graph.subjects(RDF.type, None), *graph.subjects(RDFS.label, None)}
    return {subject for subject in subjects if is_ours(subject)}


def retired_iris(graph: Graph) -> dict[URIRef, URIRef | None]:
    """Each retired IRI of ours (owl:deprecated true) and its successor (dct:isReplacedBy), if any."""
    retired = (s for s in graph.subjects(OWL.deprecated, Literal(True)) if is_ours(s))
    return {iri: _iri_or_none(graph.value(iri, DCT.isReplacedBy)) for iri in retired}


def _iri_or_none(node: Node | None) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


@dataclass(frozen=True)
class Use:
    """`user` (a named resource) uses `iri` through `predicate` (None when `iri` is the subject itself)."""

    user: URIRef
    predicate: URIRef | None
    iri: URIRef


def link_findings(data: LoadedGraph, ontology: LoadedGraph) -> list[Finding]:
    """A violation for each use, in data/ or ontology/, of an IRI of ours that is undescribed or retired."""
    described = described_iris(data.graph) | described_iris(ontology.graph)
    retired = retired_iris(ontology.graph) | retired_iris(data.graph)
    names = data.graph  # its prefixes (those of data/, aj: among them) name IRIs in messages and find them in files
    locator = UseLocator(names, {**ontology.subject_files, **data.subject_files})
    findings = []
    for loaded in (data, ontology):
        for use in _uses(loaded.graph):
            if use.iri not in described:
                findings.append(locator.finding(use, DANGLING, _dangling_message(use, names)))
            elif use.iri in retired and use.user != use.iri:
                findings.append(locator.finding(use, RETIRED, _retired_message(use, retired[use.iri], names)))
    return sorted(set(findings), key=lambda f: (f.file or "", f.line or 0, f.focus, f.value or ""))


def _uses(graph: Graph) -> Iterator[Use]:
    """Every IRI of ours in the graph's triples, with the named resource whose description holds it."""
    for subject, predicate, value in graph:
        user = _named_owner(graph, subject)
        if user is None:
            continue
        if is_ours(subject):
            yield Use(user, None, subject)
        for term in (predicate, value):
            if is_ours(term):
                yield Use(user, URIRef(str(predicate)), term)  # a predicate is always an IRI


def _named_owner(graph: Graph, node: Node, seen: frozenset[Node] = frozenset()) -> URIRef | None:
    """The node itself when named; for a blank node, the named resource it hangs from."""
    if isinstance(node, URIRef):
        return node
    for parent in graph.subjects(None, node):
        if parent not in seen:
            owner = _named_owner(graph, parent, seen | {node})
            if owner is not None:
                return owner
    return None


def _dangling_message(use: Use, graph: Graph) -> str:
    name = graph.namespace_manager.normalizeUri(use.iri)
    if use.predicate is None:
        return f"{name} is said things about, but nothing describes it: give it a type and a label, or retire it"
    return f"{name} is linked to, but nothing describes it (renamed or mistyped?): no file gives it a type or a label"


def _retired_message(use: Use, successor: URIRef | None, graph: Graph) -> str:
    name = graph.namespace_manager.normalizeUri(use.iri)
    if successor is None:
        return f"{name} is retired and has no successor: remove this link"
    return f"{name} is retired: link to its successor {graph.namespace_manager.normalizeUri(successor)} instead"


class UseLocator:
    """The file and line of a use: the user's description, at the first line from its start that names the IRI."""

    def __init__(self, graph: Graph, subject_files: dict[Node, Path]) -> None:
        self._graph = graph
        self._files = subject_files
        self._subject_lines = SubjectLines(graph)
        self._texts: dict[Path, list[str]] = {}

    def finding(self, use: Use, shape: URIRef, message: str) -> Finding:
        file = self._files.get(use.user)
        line = None if file is None else self._line(file, use)
        return Finding(
            severity="violation",
            focus=str(use.user),
            path=None if use.predicate is None else self._graph.namespace_manager.normalizeUri(use.predicate),
            value=str(use.iri),
            message=message,
            shape=str(shape),
            file=None if file is None else str(file),
            line=line,
        )

    def _line(self, file: Path, use: Use) -> int:
        start = self._subject_lines.line_of(file, use.user)
        if file not in self._texts:
            self._texts[file] = file.read_text(encoding="utf-8").splitlines()
        names = "|".join(re.escape(name) for name in self._subject_lines.names(use.iri))
        pattern = re.compile(rf"(?<![\w:/<-])({names}){TOKEN_END}")
        lines = self._texts[file]
        found = (number for number in range(start, len(lines) + 1) if pattern.search(lines[number - 1]))
        return next(found, start)


def merge_findings(outcome: ValidationOutcome, extra: list[Finding], scope: Set[Node] | None = None) -> ValidationOutcome:
    """The outcome with `extra` findings added (only those about resources in `scope`, if given), in its
    findings and in its report graph as sh:ValidationResult, so every report format carries them."""
    kept = [f for f in extra if scope is None or URIRef(f.focus) in scope]
    report = Graph(namespace_manager=outcome.results_graph.namespace_manager)
    report += outcome.results_graph
    node = next(report.subjects(RDF.type, SH.ValidationReport), None) or BNode()
    for finding in kept:
        report.add((node, SH.result, _result_node(report, finding)))
    findings = sorted([*outcome.findings, *kept], key=lambda f: (f.file or "", f.line or 0, f.focus, f.message))
    merged = replace(outcome, findings=findings, results_graph=report, left_out=outcome.left_out + len(extra) - len(kept))
    report.set((node, SH.conforms, Literal(merged.conforms)))
    return merged


def _result_node(report: Graph, finding: Finding) -> BNode:
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.resultSeverity, SH.Violation))
    report.add((result, SH.focusNode, URIRef(finding.focus)))
    report.add((result, SH.sourceShape, URIRef(finding.shape)))
    report.add((result, SH.resultMessage, Literal(finding.message)))
    if finding.value is not None:
        report.add((result, SH.value, URIRef(finding.value)))
    return result
