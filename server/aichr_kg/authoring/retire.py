"""`aichr-kg retire`: an IRI's description becomes a tombstone in data/retired.ttl, so the IRI keeps answering.

The tombstone keeps what a visitor of the old IRI needs: its labels, what it was (its rdf:type,
written as dct:type so its class's shapes no longer apply), its slides, the day (dct:modified),
the reason (skos:changeNote) and the successor (dct:isReplacedBy). Every other triple about it
goes: each block of a data file that describes it is cut out, and the cut is checked by parsing
the file again (it must state exactly what it stated, less the IRI's description). Links to the
IRI elsewhere stay: `validate` reports each one with its file, line and the successor to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from aichr_kg.errors import UsageError
from aichr_kg.namespaces import AJ, CANONICAL_BASE, RDFS, sparql_term
from aichr_kg.pipeline.links import described_iris, is_ours, retired_iris
from aichr_kg.pipeline.load import load_files, parse_turtle, parse_turtle_bytes
from aichr_kg.pipeline.validate import SubjectLines

RETIRED_FILE = "retired.ttl"
PREFIX_LINE = re.compile(r"^@prefix\s+([\w-]*):\s+<([^>]*)>\s*\.\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Retirement:
    """What `retire` is asked: the IRI, its successor (if any), why, and on which day."""

    iri: str
    successor: str | None
    reason: str | None
    day: date


@dataclass(frozen=True)
class Retired:
    """What `retire` did: the tombstone it appended to `retired_file`, and the files it cut the description from."""

    iri: URIRef
    tombstone: str
    retired_file: Path
    edited: tuple[Path, ...]


def retire(data_dir: Path, ontology_dir: Path, retirement: Retirement) -> Retired:
    """Write the tombstone and cut the old description; refuse (UsageError) what cannot be retired."""
    data = load_files([data_dir])
    graph = data.graph + load_files([ontology_dir]).graph
    iri = _resolve(retirement.iri, data.graph)
    successor = _resolve(retirement.successor, data.graph) if retirement.successor else None
    _refuse_unretirable(iri, successor, graph, retirement.reason)
    retired_file = data_dir / RETIRED_FILE
    cuts = {path: _without_description(path, iri, data.graph) for path in data.files if path != retired_file}
    edits = {path: text for path, text in cuts.items() if text is not None}
    existing = retired_file.read_text(encoding="utf-8") if retired_file.is_file() else _header(data.files)
    tombstone = _tombstone(iri, successor, retirement, data.graph, dict(PREFIX_LINE.findall(existing)))
    for path, text in edits.items():
        path.write_text(text, encoding="utf-8")
    retired_file.write_text(existing.rstrip("\n") + "\n\n" + tombstone, encoding="utf-8")
    return Retired(iri, tombstone, retired_file, tuple(sorted(edits)))


def _resolve(name: str, graph: Graph) -> URIRef:
    """An IRI from `<iri>`, a full IRI or a prefixed name the data's files declare (project:jaif-03)."""
    text = name.strip().removeprefix("<").removesuffix(">")
    if "://" in text:
        return URIRef(text)
    try:
        return URIRef(graph.namespace_manager.expand_curie(text))
    except ValueError:
        raise UsageError(f"{name}: neither an IRI nor a prefixed name the data declares (project:jaif-01)") from None


def _refuse_unretirable(iri: URIRef, successor: URIRef | None, graph: Graph, reason: str | None) -> None:
    retired = retired_iris(graph)
    if iri.startswith(CANONICAL_BASE + "ontology/"):
        raise UsageError(f"{iri} is an ontology term: deprecate it in ontology/ (owl:deprecated true) in a new version")
    if not is_ours(iri):
        raise UsageError(f"{iri} is not an IRI of ours (under {CANONICAL_BASE}id/): only what we mint can be retired")
    if iri in retired:
        raise UsageError(f"{iri} is retired already")
    described = described_iris(graph)
    if iri not in described:
        raise UsageError(f"{iri}: nothing in data/ describes it, so there is nothing to retire (mistyped?)")
    if successor is not None:
        _refuse_successor(iri, successor, described, retired)
    elif not reason:
        raise UsageError(f"{iri} has no successor: say why it is retired with --reason (its tombstone page shows it)")


def _refuse_successor(iri: URIRef, successor: URIRef, described: set[URIRef], retired: dict[URIRef, URIRef | None]) -> None:
    if successor == iri:
        raise UsageError(f"--replaced-by {successor}: an IRI cannot replace itself")
    if not is_ours(successor) or successor not in described:
        raise UsageError(f"--replaced-by {successor}: nothing in data/ describes it; describe the successor first")
    if successor in retired:
        later = retired[successor]
        hint = f"; name its own successor {later}" if later else ""
        raise UsageError(f"--replaced-by {successor}: it is retired itself{hint}")


def _without_description(path: Path, iri: URIRef, graph: Graph) -> str | None:
    """The file's text without the blocks that describe `iri`, or None if it does not describe it.

    A block starts with the IRI's name at the start of a line and runs over the indented lines after it.
    """
    before = parse_turtle(path)
    if (iri, None, None) not in before:
        return None
    names = set(SubjectLines(graph).names(iri))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        starts = bool(line.strip()) and not line[0].isspace()
        if starts:
            skipping = re.split(r"[\s;,]", line.strip(), maxsplit=1)[0] in names
        elif skipping and not line.strip():
            skipping = False
            continue  # the blank line that closed the block
        if not skipping:
            kept.append(line)
    text = "".join(kept)
    after = parse_turtle_bytes(text.encode(), name=str(path), public_id=path.resolve().as_uri())
    if not isomorphic(after, _less_description(before, iri)):
        raise UsageError(f"{path}: its description of {iri} is not a block of its own; cut it by hand, then retire")
    return text


def _less_description(graph: Graph, iri: URIRef) -> Graph:
    """The graph without the triples about `iri` and the blank nodes hanging from them."""
    remaining = Graph()
    remaining += graph
    pending: list[Node] = [iri]
    while pending:
        subject = pending.pop()
        for triple in list(remaining.triples((subject, None, None))):
            remaining.remove(triple)
            if isinstance(triple[2], BNode):
                pending.append(triple[2])
    return remaining


def _tombstone(iri: URIRef, successor: URIRef | None, retirement: Retirement, graph: Graph, prefixes: dict[str, str]) -> str:
    """The Turtle block appended to retired.ttl, written as the data files write theirs."""

    def name(term: Node) -> str:
        return sparql_term(str(term), prefixes)

    labels = sorted(graph.objects(iri, RDFS.label), key=str)
    kinds = sorted(graph.objects(iri, RDF.type), key=str)
    slides = sorted(graph.objects(iri, AJ.source), key=str)
    reason = retirement.reason or (f"Replaced by {name(successor)}." if successor else "")  # refused without either
    statements = [f"rdfs:label {' , '.join(label.n3() for label in labels)}"]
    statements += [f"dct:type {' , '.join(name(kind) for kind in kinds)}"] if kinds else []
    statements += ["owl:deprecated true", f'dct:modified "{retirement.day.isoformat()}"^^xsd:date']
    statements += [f"dct:isReplacedBy {name(successor)}"] if successor else []
    statements += [f"skos:changeNote {Literal(reason, lang='en').n3()}"]
    statements += [f"aj:source {' , '.join(name(slide) for slide in slides)}"] if slides else []
    return f"{name(iri)}\n" + " ;\n".join(f"    {statement}" for statement in statements) + " .\n"


def _header(files: list[Path]) -> str:
    """retired.ttl's prefixes when it does not exist yet: every prefix the data files declare."""
    declared = {prefix: iri for path in files for prefix, iri in PREFIX_LINE.findall(path.read_text(encoding="utf-8"))}
    return "".join(f"@prefix {prefix + ':':13} <{iri}> .\n" for prefix, iri in sorted(declared.items()))
