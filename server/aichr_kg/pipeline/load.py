"""Parse the project's Turtle into rdflib graphs (with Oxigraph's parser), remembering which file said what."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from aichr_kg.errors import InputMissingError, TurtleSyntaxError
from aichr_kg.namespaces import CANONICAL_BASE, rebase_iri
from aichr_kg.pipeline.bulk import collector_paused
from aichr_kg.pipeline.turtle import ParsedTurtle, TermConverter


@dataclass
class LoadedGraph:
    """A merged graph plus, for each subject, the file that describes it."""

    graph: Graph
    files: list[Path] = field(default_factory=list)
    subject_files: dict[Node, Path] = field(default_factory=dict)


def turtle_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their *.ttl files (sorted, recursively); refuse what is missing."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(path.rglob("*.ttl"))
            if not inside:
                raise InputMissingError(str(path), "folder holds no .ttl file")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputMissingError(str(path), "no such file or folder")
    return found


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file; a syntax error names the file, line and column."""
    return _graph_of(_parsed_file(path, TermConverter()))


def parse_turtle_bytes(content: bytes, *, name: str, public_id: str) -> Graph:
    """Parse Turtle read from anywhere (a file, a git revision); relative IRIs resolve against
    `public_id`, and an error names `name`, the line and the column."""
    return _graph_of(_parsed(content, TermConverter(), name=name, public_id=public_id))


def _parsed_file(path: Path, converter: TermConverter) -> ParsedTurtle:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InputMissingError(str(path), error.strerror or "cannot be read") from None
    return _parsed(content, converter, name=str(path), public_id=path.resolve().as_uri())


def _parsed(content: bytes, converter: TermConverter, *, name: str, public_id: str) -> ParsedTurtle:
    """Refuse bytes that are not UTF-8 first, naming the line, as for any other syntax error."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise TurtleSyntaxError(name, line, 1, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    return converter.parse(content, name=name, public_id=public_id)


def _graph_of(parsed: ParsedTurtle) -> Graph:
    """A graph of the file's triples with its prefixes bound as rdflib's Turtle parser binds them."""
    graph = _prefixed_graph(parsed.prefixes)
    for triple in parsed.triples:
        graph.add(triple)
    return graph


def _prefixed_graph(prefixes: dict[str, str]) -> Graph:
    graph = Graph()
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, URIRef(namespace))
    return graph


def rebase_graph(graph: Graph, base: str) -> Graph:
    """The same triples with IRIs under the canonical base moved to `base`."""
    if base == CANONICAL_BASE:
        return graph
    moved = Graph()
    for prefix, namespace in graph.namespaces():
        moved.bind(prefix, URIRef(rebase_iri(str(namespace), base)), override=False)
    for subject, predicate, value in graph:
        moved.add((_rebased(subject, base), _rebased(predicate, base), _rebased(value, base)))
    return moved


def _rebased(term: Node, base: str) -> Node:
    return URIRef(rebase_iri(str(term), base)) if isinstance(term, URIRef) else term


def load_files(paths: list[Path]) -> LoadedGraph:
    """Parse and merge Turtle files and folders into one graph, keeping their prefixes."""
    loaded = LoadedGraph(graph=Graph())
    converter = TermConverter()
    with collector_paused():
        for path in turtle_files(paths):
            _merge(loaded, path, _parsed_file(path, converter))
    return loaded


def _merge(loaded: LoadedGraph, path: Path, part: ParsedTurtle) -> None:
    """Add one file's triples and prefixes; the prefixes pass through a graph of their own so that rdflib's
    default bindings and its renaming of a clashing prefix apply as when each file was parsed into its own graph."""
    for prefix, namespace in _prefixed_graph(part.prefixes).namespaces():
        loaded.graph.bind(prefix, namespace, override=False)
    for triple in part.triples:
        loaded.graph.add(triple)
        loaded.subject_files.setdefault(triple[0], path)
    loaded.files.append(path)


def load_in_context(paths: list[Path], context_dir: Path) -> tuple[LoadedGraph, frozenset[Node]]:
    """The given files (or folders) merged with the other Turtle files of `context_dir`, and the resources they describe.

    A file of the context that is also given is loaded once. The given files are loaded first, so a
    subject they describe is located in them even when a context file also says something about it.
    """
    given = turtle_files(paths)
    given_names = {path.resolve() for path in given}
    context = sorted(context_dir.rglob("*.ttl")) if context_dir.is_dir() else []
    loaded = load_files(given + [path for path in context if path.resolve() not in given_names])
    described = {subject for subject, path in loaded.subject_files.items() if path in given}
    return loaded, frozenset(_with_blank_nodes(loaded.graph, described))


def _with_blank_nodes(graph: Graph, subjects: set[Node]) -> set[Node]:
    """The subjects and every blank node hanging from them (their values, their values' values, ...).

    Blank nodes are local to the file that writes them, so each belongs to the file of the subject it hangs from.
    """
    found, pending = set(subjects), list(subjects)
    while pending:
        for value in graph.objects(pending.pop(), None):
            if isinstance(value, BNode) and value not in found:
                found.add(value)
                pending.append(value)
    return found


def content_hash(paths: list[Path], root: Path | None = None) -> str:
    """SHA-256 over the files' names (relative to `root`) and bytes: the identity of a build's inputs."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(root) if root else Path(path.name)
        digest.update(name.as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
