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
from aichr_kg.dataset.statistics import dated_items
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


PROLOGUE = f"PREFIX aj: <{BASE}ontology/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
VALUES = {  # each ordered, so that the answers compare row by row in every format
    "comparison": "SELECT ?c (?a > 100000 AS ?b) WHERE { ?c aj:amount ?a } ORDER BY ?c",
    "exists": "SELECT ?p ?e WHERE { ?p a aj:JAIFProject BIND(EXISTS { ?p aj:actualCost/aj:amount ?a FILTER(?a > 100000) } AS ?e) } ORDER BY ?p",
    "constants": "SELECT (true AS ?t) (false AS ?f) (1 AS ?one) (0 AS ?zero) (xsd:boolean(1) AS ?cast) WHERE {}",
    "integers": "SELECT ?c (COUNT(?a) AS ?n) (xsd:integer(?a > 100000) AS ?i) WHERE { ?c aj:amount ?a } GROUP BY ?c ?a ORDER BY ?c",
    "functions": (
        "SELECT ?c (!(?a > 100000) || !BOUND(?c) AS ?l) (STRSTARTS(STR(?c), 'x') AS ?s) (?a IN (81404, 1) AS ?in)"
        " (NOT EXISTS { ?c rdfs:label ?x } AS ?n) WHERE { ?c aj:amount ?a } ORDER BY ?c"
    ),
    "choices": "SELECT ?c (IF(?a > 100000, true, ?a < 0) AS ?i) (COALESCE(?x > 1, false) AS ?f) (IF(?a > 1, 1, 0) AS ?n) WHERE { ?c aj:amount ?a } ORDER BY ?c",
    "nested": "SELECT ?c ?b WHERE { { SELECT ?c (?a < 100000 AS ?b) WHERE { ?c aj:amount ?a } } FILTER(?b) } ORDER BY ?c",
    "decimals": "SELECT ?c ?a (?a * 2 AS ?d) (SUM(?a) AS ?s) WHERE { ?c aj:amount ?a } GROUP BY ?c ?a ORDER BY ?c",
}
FORMATS = ("json", "xml", "csv", "tsv")


@pytest.mark.parametrize("result_format", FORMATS)
@pytest.mark.parametrize("name", VALUES)
def test_booleans_numbers_and_decimals_read_back_as_the_embedded_stores(stores, name, result_format):
    """Virtuoso writes a boolean expression as xsd:integer 0/1 and a cast as xsd:boolean 1/0; a real
    integer 1 stays an integer."""
    remote, local = stores
    request = QueryRequest(text=PROLOGUE + VALUES[name], result_format=result_format)
    embedded = local.execute(request).body
    assert embedded.count(b"\n") > 1 or result_format in ("json", "xml"), "the query has rows"
    assert remote.execute(request).body.decode() == embedded.decode()


CONCATENATED = {  # (query, separator): the labels of every JAIF project are all in English
    # GROUP_CONCAT over literals of one language: pyoxigraph keeps the tag, Virtuoso 7.2 drops it. Put back
    # with IF(COUNT(DISTINCT LANG(?l)) = 1, STRLANG(…), …), the query fails to compile on Virtuoso over more
    # than one default graph, with or without GROUP BY (SQ156 "Bad dfe in sqlo_place_exp").
    "one language": ("SELECT (GROUP_CONCAT(?l) AS ?g) WHERE { ?p a aj:JAIFProject ; rdfs:label ?l }", " "),
    "one language, a separator": (
        "SELECT (GROUP_CONCAT(DISTINCT ?l; SEPARATOR = ' | ') AS ?g) WHERE { ?p a aj:JAIFProject ; rdfs:label ?l }",
        " | ",
    ),
    "a plain string too": (
        "SELECT ?c (GROUP_CONCAT(?v; SEPARATOR='|') AS ?g) WHERE { ?c aj:currency ?u ; rdfs:label ?l"
        " VALUES ?k { 1 2 } BIND(IF(?k = 1, ?u, ?l) AS ?v) } GROUP BY ?c ORDER BY ?c",
        "|",
    ),
    "per group": (
        "SELECT ?p (GROUP_CONCAT(?l; SEPARATOR='|') AS ?g) WHERE { ?p a aj:JAIFProject OPTIONAL { ?p rdfs:label ?l } }"
        " GROUP BY ?p ORDER BY ?p",
        "|",
    ),
    "strings": ("SELECT (GROUP_CONCAT(STR(?l); SEPARATOR='|') AS ?g) WHERE { ?p a aj:JAIFProject ; rdfs:label ?l }", "|"),
}


LANGUAGE_DROPPED = ("one language", "one language, a separator", "per group")


@pytest.mark.parametrize("name", CONCATENATED)
def test_group_concat_keeps_a_common_language_as_the_embedded_store_does(stores, backend, name, request):
    """A concatenation of literals that share one language tag keeps it; any other is a plain string.
    The order of the parts is the engine's own (SPARQL leaves it open), so parts are compared sorted."""
    if backend.name == "virtuoso" and name in LANGUAGE_DROPPED:
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="Virtuoso 7.2's GROUP_CONCAT drops the language tag; IF over aggregates to put it back fails (SQ156)",
            )
        )
    remote, local = stores
    text, separator = CONCATENATED[name]

    def read(store) -> list[tuple]:
        rows = rows_of(store.execute(QueryRequest(text=PROLOGUE + text)))
        return [(str(row.get("p", row.get("c"))), sorted(row["g"].value.split(separator)), row["g"].language) for row in rows]

    embedded = read(local)
    assert embedded and all(parts for _, parts, _ in embedded)
    assert read(remote) == embedded


def test_the_timelines_planned_projects_are_the_embedded_stores(stores, built):
    """The saved timeline binds EXISTS { ?item a aj:PlannedProject } and the page reads it as "true"."""
    remote, local = stores
    queries = built.parent / "queries"

    def planned(store) -> list[str]:
        return [item.iri for item in dated_items(store, BASE, queries) if item.planned]

    assert planned(local), "planned projects the test is about"
    assert planned(remote) == planned(local)
