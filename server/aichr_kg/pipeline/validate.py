"""Validate data against the SHACL shapes with pySHACL, and report each finding where it is."""

from __future__ import annotations

import re
from collections.abc import Set
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from aichr_kg.namespaces import SH
from aichr_kg.pipeline.load import LoadedGraph
from aichr_kg.pipeline.shacl_focus import targets_narrowed_to
from aichr_kg.pipeline.shacl_query_cache import parsed_query_cache

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
# SHACL-SPARQL on, no inference, warnings allowed: how pySHACL is asked (the tests ask plain pySHACL the same).
PYSHACL_OPTIONS: dict[str, Any] = {"inference": "none", "advanced": True, "allow_warnings": True}
FIRST_WORD = re.compile(r"\s*(\S+)")
NAME_STOP = re.compile(r"[;,.]")  # besides white space and the line's end, what may follow a subject's name


@dataclass(frozen=True)
class Finding:
    """One SHACL result, located in the Turtle file that describes its focus node."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    file: str | None
    line: int | None


@dataclass(frozen=True)
class ValidationOutcome:
    """All findings of one run; the data conforms when none is a violation."""

    findings: list[Finding]
    results_graph: Graph
    left_out: int = 0  # findings about resources outside the scope asked for (see validate_graph's `scope`)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)


def validate_graph(
    data: LoadedGraph, shapes: Graph, ontology: Graph, scope: Set[Node] | None = None, focus: Set[Node] | None = None
) -> ValidationOutcome:
    """Run pySHACL (with SHACL-SPARQL) on the data plus the ontology, without RDFS inference.

    Inference stays off on purpose: a range axiom would otherwise type any value as what the
    property expects, and a wrong donor would pass sh:class checks. The report is pySHACL's own;
    the query cache only spares it parsing the same SHACL-SPARQL text once per focus node.
    With a `scope`, the whole data is still validated, but only the results whose focus node is
    in it are kept (in the findings and in the report graph); the others are counted in left_out.
    With a `focus`, only the shapes' targets in it are validated (see shacl_focus), on the whole data.
    """
    narrowing = nullcontext() if focus is None else targets_narrowed_to(focus)
    with parsed_query_cache(), narrowing:
        _, results_graph, _ = pyshacl.validate(data.graph, shacl_graph=shapes, ont_graph=ontology, **PYSHACL_OPTIONS)
    results = list(results_graph.subjects(SH.resultSeverity, None))
    kept = results if scope is None else [r for r in results if results_graph.value(r, SH.focusNode) in scope]
    lines = SubjectLines(data.graph)
    findings = [_finding(results_graph, result, data, lines) for result in kept]
    findings.sort(key=lambda f: (f.file or "", f.line or 0, f.focus, f.message))
    if scope is not None:
        results_graph = _report_of(results_graph, kept)
    return ValidationOutcome(findings=findings, results_graph=results_graph, left_out=len(results) - len(kept))


def _report_of(results_graph: Graph, kept: list[Node]) -> Graph:
    """A validation report holding only the `kept` results of `results_graph` (each with its blank-node detail)."""
    report = Graph(namespace_manager=results_graph.namespace_manager)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    violations = [r for r in kept if results_graph.value(r, SH.resultSeverity) == SH.Violation]
    report.add((node, SH.conforms, Literal(not violations)))
    for result in kept:
        report.add((node, SH.result, result))
        _copy_description(results_graph, result, report)
    return report


def _copy_description(source: Graph, subject: Node, target: Graph) -> None:
    """The triples about `subject` and, recursively, about the blank nodes they lead to."""
    for _, predicate, value in source.triples((subject, None, None)):
        target.add((subject, predicate, value))
        if isinstance(value, BNode) and (value, None, None) not in target:
            _copy_description(source, value, target)


def _finding(results: Graph, result: Node, data: LoadedGraph, lines: SubjectLines) -> Finding:
    """Read one sh:ValidationResult into a Finding."""
    focus = results.value(result, SH.focusNode)
    message = results.value(result, SH.resultMessage)
    path_node = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    file = data.subject_files.get(focus) if isinstance(focus, URIRef) else None
    severity = results.value(result, SH.resultSeverity)
    return Finding(
        severity=SEVERITY_NAMES.get(severity, "violation") if isinstance(severity, URIRef) else "violation",
        focus=str(focus),
        path=data.graph.namespace_manager.normalizeUri(path_node) if isinstance(path_node, URIRef) else None,
        value=None if value is None else str(value),
        message=str(message) if message is not None else "constraint not met",
        shape=str(results.value(result, SH.sourceShape)),
        file=str(file) if file else None,
        line=lines.line_of(file, focus) if file and isinstance(focus, URIRef) else None,
    )


class SubjectLines:
    """The first line of a file that starts a description of a subject, each file read once.

    A subject is named as `<iri>` or as `prefix:local` with any of the graph's prefixes. A line
    starts describing it when, after its indentation, one of those names is followed by white
    space, `;`, `,`, `.` or the end of the line. Names hold no white space (Turtle's IRIs and
    prefixed names cannot), so each line is indexed by the ways its first word can end a name.
    """

    def __init__(self, graph: Graph) -> None:
        self._namespaces = [(prefix, str(namespace)) for prefix, namespace in graph.namespaces() if prefix]
        self._files: dict[Path, dict[str, int]] = {}

    def line_of(self, path: Path, subject: URIRef) -> int:
        """The line (1 if no line starts describing `subject`, so a finding still points into the file)."""
        if path not in self._files:
            self._files[path] = _first_lines_by_name(path)
        index = self._files[path]
        return min((index[name] for name in self.names(subject) if name in index), default=1)

    def names(self, subject: URIRef) -> list[str]:
        """How Turtle may write `subject`: `<iri>` and each prefixed name the graph's prefixes allow."""
        iri = str(subject)
        prefixed = [f"{prefix}:{iri[len(namespace) :]}" for prefix, namespace in self._namespaces if iri.startswith(namespace)]
        return [f"<{iri}>", *prefixed]


def _first_lines_by_name(path: Path) -> dict[str, int]:
    """Each name a line of `path` could start with, mapped to the first such line."""
    index: dict[str, int] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        first_word = FIRST_WORD.match(text)
        if first_word is None:
            continue
        word = first_word.group(1)
        for end in [*(stop.start() for stop in NAME_STOP.finditer(word)), len(word)]:
            index.setdefault(word[:end], number)
    return index
