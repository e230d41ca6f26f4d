"""Turtle parsed by Oxigraph gives the graph rdflib's own parser gives: the same triples, lexical forms,
datatypes, language tags, blank nodes, resolved IRIs and prefixes, so validation and inference see the same input.

The oracle is rdflib's Turtle parser, merged file by file as the project loaded its Turtle with it.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from aichr_kg.errors import TurtleSyntaxError
from aichr_kg.pipeline.load import LoadedGraph, load_files, parse_turtle_bytes, turtle_files
from bench.synthetic import make_synthetic_project
from tests.support import ROOT

EDGE_CASES = """@prefix : <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <http://example.org/base/> .
:s :decimal 103942.30, "103942.30"^^xsd:decimal, -0.0, .5 ;
   :integer 007, +5, "042"^^xsd:integer ;
   :double 1.0e3, "1E0"^^xsd:double ;
   :boolean true, "false"^^xsd:boolean ;
   :date "2024-02-29"^^xsd:date ;
   :text "plain", "tagged"@en, "tagged"@ja, \"\"\"long
text\"\"\", "esc\\t\\u00e9\\"" ;
   :relative <other>, <#fragment>, <../up> ;
   :node _:shared, [ :inner [ :deeper "x" ] ] ;
   :list ( 1 "two" :three ) .
_:shared :label "shared in this file" .
"""


def rdflib_loaded(paths: list[Path]) -> LoadedGraph:
    """The oracle: each file parsed by rdflib and merged with its prefixes."""
    loaded = LoadedGraph(graph=Graph())
    for path in turtle_files(paths):
        part = Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=path.resolve().as_uri())
        for prefix, namespace in part.namespaces():
            loaded.graph.bind(prefix, namespace, override=False)
        loaded.graph += part
        loaded.files.append(path)
        for subject in part.subjects(unique=True):
            loaded.subject_files.setdefault(subject, path)
    return loaded


def assert_same_load(paths: list[Path]) -> None:
    fast, oracle = load_files(paths), rdflib_loaded(paths)
    assert len(fast.graph) == len(oracle.graph)
    assert isomorphic(fast.graph, oracle.graph)
    assert ground_n3(fast.graph) == ground_n3(oracle.graph), "lexical forms, datatypes and language tags as written"
    assert sorted(fast.graph.namespaces()) == sorted(oracle.graph.namespaces())
    assert fast.files == oracle.files
    assert named(fast.subject_files) == named(oracle.subject_files)
    assert blank_count(fast.subject_files) == blank_count(oracle.subject_files)


def ground_n3(graph: Graph) -> set[str]:
    return {" ".join(term.n3() for term in triple) for triple in graph if not any(isinstance(t, BNode) for t in triple)}


def named(subject_files: dict) -> dict:
    return {subject: path for subject, path in subject_files.items() if not isinstance(subject, BNode)}


def blank_count(subject_files: dict) -> int:
    return sum(isinstance(subject, BNode) for subject in subject_files)


@pytest.mark.parametrize("folder", ["data", "ontology", "shapes", "tests/invalid"])
def test_the_project_parses_as_rdflib_parses_it(folder):
    assert_same_load([ROOT / folder])


def test_a_generated_project_ten_times_ours_parses_as_rdflib_parses_it(tmp_path):
    project = make_synthetic_project(ROOT, tmp_path / "x10", 10, file_per_copy=True)
    assert_same_load([project / "data"])


def test_edge_cases_of_turtle_parse_as_rdflib_parses_them(tmp_path):
    """Numbers keep or lose their lexical forms as rdflib decides, IRIs resolve against @base, blank nodes
    labelled alike in two files stay two nodes."""
    for name in ("one.ttl", "two.ttl"):
        (tmp_path / name).write_text(EDGE_CASES, encoding="utf-8")
    assert_same_load([tmp_path])
    graph = load_files([tmp_path]).graph
    assert len({s for s in graph.subjects() if isinstance(s, BNode)}) == 2 * 6
    assert "103942.30" in {str(o) for o in graph.objects()}


def test_a_literal_written_with_crlf_counts_lines_as_an_editor_does():
    content = b'@prefix ex: <http://example.org/> .\r\nex:a ex:b ex:c .\r\nex:a ex:b "unterminated .\r\n'
    with pytest.raises(TurtleSyntaxError) as raised:
        parse_turtle_bytes(content, name="broken.ttl", public_id="file:///broken.ttl")
    assert (raised.value.path, raised.value.line) == ("broken.ttl", 3)
    assert not raised.value.reason.startswith("Parser error"), "the position is said once, by the error itself"


def test_loading_leaves_the_garbage_collector_as_it_found_it():
    """The collector is paused while a graph is built, and on again after, even when the parse fails."""
    assert gc.isenabled()
    load_files([ROOT / "ontology"])
    assert gc.isenabled()
    with pytest.raises(TurtleSyntaxError):
        load_files([ROOT / "ontology", ROOT / "tests" / "test_turtle_parse.py"])
    assert gc.isenabled()
    gc.disable()
    try:
        load_files([ROOT / "ontology"])
        assert not gc.isenabled(), "a caller's choice to keep it off stands"
    finally:
        gc.enable()


def test_an_iri_with_a_space_is_a_syntax_error_naming_its_place():
    """rdflib let `<http://example.org/a b>` through (and warned it could not be written back); it is no IRI."""
    content = b"@prefix ex: <http://example.org/> .\nex:a ex:b <http://example.org/a b> .\n"
    with pytest.raises(TurtleSyntaxError) as raised:
        parse_turtle_bytes(content, name="space.ttl", public_id="file:///space.ttl")
    assert (raised.value.line, raised.value.column) == (2, 11)
    assert raised.value.reason == "Invalid IRI code point ' '"
