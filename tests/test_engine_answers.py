"""The questions the pages, the completion document and the API ask a store get, from each engine,
the answers the embedded store gives: a page's linked resources, the ontology (union domains and
ranges), and each saved query's enumerated values. Each is written so that every engine answers it
within the budget (see docs/operations.md, "Virtuoso"), and these tests hold the forms to the same
meaning everywhere.
"""

from __future__ import annotations

import pyoxigraph
import pytest

from aichr_kg.dataset.describe import describe
from aichr_kg.dataset.ontology import read_ontology
from aichr_kg.pipeline.integrity import read_manifest
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.saved.prepare import SavedStore
from aichr_kg.store import QueryRequest, rows_of
from aichr_kg.store.local import LocalStore
from aichr_kg.store.publication import PublishedDataset
from aichr_kg.store.remote import RemoteStore

pytestmark = pytest.mark.every_engine

BASE = "https://w3id.org/aichr-japan/"
RESOURCES = ["id/project/jaif-01", "ontology/country", "ontology/themeOf", "ontology/Project"]


@pytest.fixture(scope="module")
def stores(backend, built):
    """(the engine's store, the embedded store) over the same build."""
    manifest = read_manifest(built)
    remote = RemoteStore(backend.engine.query_url, timeout_s=20, published=PublishedDataset.of(manifest, BASE))
    local = LocalStore(built / "store")
    yield remote, local
    remote.close()
    local.close()


def linked_summary(store, iri: str) -> dict:
    """What a page shows of the resources a description links to, and how many statements it has."""
    found = describe(store, iri, BASE)
    linked = {key: (value.label, sorted(value.types), value.slide_number) for key, value in found.linked.items()}
    own = sorted((s.predicate.value, str(s.object)) for s in found.own if not isinstance(s.object, pyoxigraph.BlankNode))
    return {"linked": linked, "own": own, "statements": len(found.statements), "incoming": found.incoming_counts}


@pytest.mark.parametrize("path", RESOURCES)
def test_a_description_is_the_embedded_stores(stores, path):
    remote, local = stores
    assert linked_summary(remote, BASE + path) == linked_summary(local, BASE + path)


def test_the_ontology_with_its_union_domains_and_ranges_is_the_embedded_stores(stores):
    remote, local = stores
    from_engine, embedded = read_ontology(remote, BASE).terms, read_ontology(local, BASE).terms
    assert len(embedded[BASE + "ontology/country"].domain) == 2, "a union domain the test is about"
    assert from_engine == embedded


def test_enumerated_values_are_the_embedded_stores(stores, built):
    remote, local = stores
    queries, problems = read_saved_queries(built.parent / "queries")
    assert not problems
    enumerating = [query for query in queries if None in query.enumerated.values()]
    assert enumerating, "saved queries that enumerate values from the graph"
    for query in enumerating:
        assert SavedStore(remote, BASE).allowed(query) == SavedStore(local, BASE).allowed(query), query.name


def test_group_concat_without_a_separator_joins_with_a_space(stores):
    """Virtuoso fails on it (SR183) unless the default separator is written out; the length is the
    same in any order of concatenation."""
    remote, local = stores
    text = f"SELECT (STRLEN(GROUP_CONCAT(STR(?p))) AS ?n) WHERE {{ ?p a <{BASE}ontology/JAIFProject> }}"

    def length(store) -> int:
        return int(rows_of(store.execute(QueryRequest(text=text)))[0]["n"].value)

    assert length(remote) == length(local) > 0
