"""Answers that must be complete are read page by page: a store that cuts every answer short (as
any store does at its row limit) still yields every label, every statement and every count; an
answer read whole in one request is refused when cut, never used in part."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph
import pytest

from aichr_kg.dataset.describe import describe
from aichr_kg.dataset.labels import load_label_index
from aichr_kg.dataset.statistics import class_counts
from aichr_kg.namespaces import RDF_TYPE, RDFS_LABEL, graph_iri
from aichr_kg.store import QueryFailed, QueryRequest, QueryResult
from aichr_kg.store.local import LocalStore
from aichr_kg.store.paging import select_all, select_whole

BASE = "https://example.org/"
THINGS = 30
CAP = 7  # rows per answer of the capped store: far fewer than the graph holds


class CappedStore:
    """A store that never answers more than `cap` rows, and says when it cut an answer."""

    def __init__(self, inner: LocalStore, cap: int):
        self.inner = inner
        self.cap = cap

    def execute(self, request: QueryRequest) -> QueryResult:
        return self.inner.execute(dataclasses.replace(request, max_rows=min(request.max_rows, self.cap)))

    def close(self) -> None:
        self.inner.close()


def thing(n: int) -> str:
    return f"{BASE}id/thing/{n:02d}"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LocalStore:
    """THINGS resources, each labelled and of its own class; thing 00 links to all of the others."""
    path: Path = tmp_path_factory.mktemp("paged") / "store"
    data = pyoxigraph.NamedNode(graph_iri(BASE, "data"))
    writable = pyoxigraph.Store(str(path))
    for n in range(THINGS):
        subject = pyoxigraph.NamedNode(thing(n))
        writable.add(
            pyoxigraph.Quad(subject, pyoxigraph.NamedNode(RDFS_LABEL), pyoxigraph.Literal(f"Thing {n}", language="en"), data)
        )
        writable.add(
            pyoxigraph.Quad(subject, pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(f"{BASE}ontology/Kind{n}"), data)
        )
        if n:
            writable.add(
                pyoxigraph.Quad(pyoxigraph.NamedNode(thing(0)), pyoxigraph.NamedNode(f"{BASE}ontology/has"), subject, data)
            )
    writable.flush()
    del writable
    return LocalStore(path)


def test_select_all_reads_every_row_once_in_pages(store):
    rows = select_all(store, f"SELECT ?x ?label WHERE {{ ?x <{RDFS_LABEL}> ?label }} ORDER BY ?x", page_rows=4)
    assert [row["x"].value for row in rows] == [thing(n) for n in range(THINGS)]


def test_select_all_reads_on_past_a_store_that_cuts_answers_short(store):
    rows = select_all(CappedStore(store, CAP), f"SELECT ?x WHERE {{ ?x <{RDFS_LABEL}> ?label }} ORDER BY ?x")
    assert len(rows) == THINGS


def test_select_whole_reads_an_unordered_answer_in_one_request(store):
    rows = select_whole(store, f"SELECT ?x WHERE {{ ?x <{RDFS_LABEL}> ?label }}")
    assert sorted(row["x"].value for row in rows) == [thing(n) for n in range(THINGS)]


def test_select_whole_refuses_an_answer_cut_short_rather_than_use_part_of_it(store):
    with pytest.raises(QueryFailed, match="read whole"):
        select_whole(CappedStore(store, CAP), f"SELECT ?x WHERE {{ ?x <{RDFS_LABEL}> ?label }}")
    with pytest.raises(QueryFailed, match="read whole"):
        select_whole(store, f"SELECT ?x WHERE {{ ?x <{RDFS_LABEL}> ?label }}", max_rows=THINGS - 1)


def test_select_all_keeps_bindings_on_every_page(store):
    rows = select_all(CappedStore(store, CAP), "SELECT ?p ?y WHERE { ?x ?p ?y } ORDER BY ?y", {"p": f"<{BASE}ontology/has>"})
    assert {row["y"].value for row in rows} == {thing(n) for n in range(1, THINGS)}


def test_select_all_refuses_an_unordered_query(store):
    with pytest.raises(ValueError, match="ORDER BY"):
        select_all(store, "SELECT ?x WHERE { ?x ?p ?o }")


def test_label_index_knows_every_resource_past_the_row_limit(store):
    index = load_label_index(CappedStore(store, CAP), BASE)
    assert all(index.label(thing(n)) == f"Thing {n}" for n in range(THINGS))


def test_description_has_every_statement_past_the_row_limit(store):
    description = describe(CappedStore(store, CAP), thing(0), BASE)
    assert len(description.values(f"{BASE}ontology/has")) == THINGS - 1
    assert all(thing(n) in description.linked for n in range(1, THINGS))


def test_class_counts_cover_every_class_past_the_row_limit(store):
    assert len(class_counts(CappedStore(store, CAP))) == THINGS
