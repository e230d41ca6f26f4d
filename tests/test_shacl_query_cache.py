"""The parsed-query cache changes nothing pySHACL reports, and is switched on only while asked for.

Plain pySHACL, asked with the same options, is the oracle: on data/, on every tests/invalid/
example and on generated failing data, `validate_graph` (which validates with the cache) gives
the same results (focus node, path, value, source shape and constraint, component, severity,
messages) and a report graph isomorphic to pySHACL's own.
"""

from __future__ import annotations

import pyshacl
import pytest
from pyshacl.graph_abstraction import RdfLibDataGraph
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.plugins.stores.memory import Memory

from aichr_kg.namespaces import SH
from aichr_kg.pipeline.load import LoadedGraph, load_files
from aichr_kg.pipeline.shacl_query_cache import parsed_query_cache
from aichr_kg.pipeline.validate import PYSHACL_OPTIONS, validate_graph
from bench.synthetic import make_synthetic_project
from tests.support import ROOT

INVALID_EXAMPLES = sorted((ROOT / "tests" / "invalid").glob("*.ttl"))
RESULT_FIELDS = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.sourceShape,
    SH.sourceConstraint,
    SH.sourceConstraintComponent,
    SH.resultSeverity,
    SH.resultMessage,
)
ASK_EVERYTHING = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_files([ROOT / "shapes"]).graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_files([ROOT / "ontology"]).graph


def plain_pyshacl_report(data: LoadedGraph, shapes: Graph, ontology: Graph) -> Graph:
    """The oracle: pySHACL as published, with nothing switched on."""
    _, report, _ = pyshacl.validate(data.graph, shacl_graph=shapes, ont_graph=ontology, **PYSHACL_OPTIONS)
    return report


def result_rows(report: Graph) -> list[tuple[str, ...]]:
    """Every result as its fields in N3, blank nodes named by content so that two runs compare.

    A field may hold several values (a SPARQL result carries its constraint's and its shape's
    sh:message), so each is all its values, sorted.
    """
    canonical = to_canonical_graph(report)
    rows = []
    for result in canonical.subjects(RDF.type, SH.ValidationResult):
        fields = (sorted(value.n3() for value in canonical.objects(result, field)) for field in RESULT_FIELDS)
        rows.append(tuple(" | ".join(values) for values in fields))
    return sorted(rows)


def assert_same_report(data: LoadedGraph, shapes: Graph, ontology: Graph) -> list[tuple[str, ...]]:
    plain = plain_pyshacl_report(data, shapes, ontology)
    cached = validate_graph(data, shapes, ontology).results_graph
    assert result_rows(cached) == result_rows(plain)
    assert isomorphic(cached, plain)
    return result_rows(plain)


def test_real_data_gives_pyshacls_report(shapes, ontology):
    assert_same_report(load_files([ROOT / "data"]), shapes, ontology)


@pytest.mark.parametrize("example", INVALID_EXAMPLES, ids=lambda path: path.stem)
def test_each_invalid_example_gives_pyshacls_report(shapes, ontology, example):
    rows = assert_same_report(load_files([example]), shapes, ontology)
    assert rows, f"{example.name} should have results to compare"


@pytest.mark.slow
def test_generated_failing_data_gives_pyshacls_report(tmp_path, shapes, ontology):
    """Two copies of data/ plus every invalid example in one graph: many focus nodes, every kind of finding."""
    project = make_synthetic_project(ROOT, tmp_path / "synthetic", copies=2)
    rows = assert_same_report(load_files([project / "data", *INVALID_EXAMPLES]), shapes, ontology)
    assert len({row[RESULT_FIELDS.index(SH.sourceConstraintComponent)] for row in rows}) > 5, (
        "the generated data should break many kinds of constraint"
    )


def test_each_text_is_parsed_once_and_pyshacl_is_restored(shapes, ontology):
    """Inside the context every SHACL-SPARQL text is parsed once (a nested validation shares the cache)."""
    original = RdfLibDataGraph.query
    with parsed_query_cache() as cache:
        assert RdfLibDataGraph.query is not original
        validate_graph(load_files([ROOT / "data"]), shapes, ontology)
        counts = cache.cache_info()
    assert counts.misses > 0 and counts.hits > 5 * counts.misses, counts
    assert RdfLibDataGraph.query is original


def test_pyshacl_is_restored_when_validation_fails():
    original = RdfLibDataGraph.query
    with pytest.raises(RuntimeError, match="stop"), parsed_query_cache():
        raise RuntimeError("stop")
    assert RdfLibDataGraph.query is original


class RecordingStore(Memory):
    """A store with a query engine of its own: it records what it is given, then lets rdflib answer."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[object] = []

    def query(self, query: object, *args: object, **kwargs: object) -> None:
        self.received.append(query)
        raise NotImplementedError


def test_a_store_with_its_own_engine_gets_the_text_unchanged():
    store = RecordingStore()
    graph = RdfLibDataGraph(store, Graph(store=store))
    with parsed_query_cache() as cache:
        graph.query(ASK_EVERYTHING)
    assert store.received == [ASK_EVERYTHING]
    assert cache.cache_info().currsize == 0


def test_rdflibs_own_engine_gets_the_prepared_query_with_the_same_answer():
    graph = Graph()
    graph.add((URIRef("http://example.org/a"), RDF.value, Literal(1)))
    wrapped = RdfLibDataGraph(graph.store, graph)
    with parsed_query_cache() as cache:
        answers = [wrapped.query(ASK_EVERYTHING).askAnswer for _ in range(3)]
        counts = cache.cache_info()
    assert answers == [True, True, True]
    assert (counts.misses, counts.hits) == (1, 2)


def test_cache_entries_are_bounded():
    graph = Graph()
    wrapped = RdfLibDataGraph(graph.store, graph)
    with parsed_query_cache(max_queries=2) as cache:
        for limit in range(1, 5):
            wrapped.query(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit}")
        assert cache.cache_info().currsize == 2
