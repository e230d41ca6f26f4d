"""`prepare`, the one preparation of a saved query for the CLI and the API: typed binding, the allowed
values (read from the graph once per query, or taken from the decorator), and the graph's checks."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from aichr_kg.namespaces import CANONICAL_BASE, XSD
from aichr_kg.saved.catalog import SavedQuery, parse_saved_query
from aichr_kg.saved.parameters import ParameterError
from aichr_kg.saved.prepare import EXISTS, SavedStore, prepare
from aichr_kg.store import QueryFailed, QueryRequest, QueryResult
from aichr_kg.store.local import LocalStore
from tests.support import CountingStore

EX = "http://example.org/"
TH, VN, ELSEWHERE = EX + "country/th", EX + "country/vn", EX + "place/elsewhere"
COUNTRIES = f"""#+ summary: Countries and their status
#+ enumerate:
#+   - country
#+   - status: [active, done]
SELECT ?_country_iri ?__status ?label WHERE {{
  ?_country_iri <{EX}type> <{EX}Country> ; <{EX}label> ?label .
  OPTIONAL {{ ?_country_iri <{EX}status> ?__status }}
}}
"""
YEARS = """#+ enumerate:
#+   - year: ["2023", "2024"]
SELECT ?__year_xsd_gYear ?n WHERE { BIND(1 AS ?n) }
"""


@pytest.fixture(scope="module")
def local_store(tmp_path_factory) -> LocalStore:
    """Two countries, and a place of the graph that is not a country."""
    path: Path = tmp_path_factory.mktemp("prepare") / "store"
    writable = pyoxigraph.Store(str(path))
    for iri, label in ((TH, "Thailand"), (VN, "Viet Nam")):
        country = pyoxigraph.NamedNode(iri)
        writable.add(pyoxigraph.Quad(country, pyoxigraph.NamedNode(EX + "label"), pyoxigraph.Literal(label)))
        writable.add(pyoxigraph.Quad(country, pyoxigraph.NamedNode(EX + "type"), pyoxigraph.NamedNode(EX + "Country")))
    writable.add(pyoxigraph.Quad(pyoxigraph.NamedNode(ELSEWHERE), pyoxigraph.NamedNode(EX + "near"), pyoxigraph.NamedNode(TH)))
    writable.flush()
    del writable
    return LocalStore(path)


@pytest.fixture()
def counted(local_store) -> CountingStore:
    return CountingStore(local_store)


@pytest.fixture()
def saved_store(counted) -> SavedStore:
    return SavedStore(counted, CANONICAL_BASE)


def saved_query(tmp_path: Path, text: str, name: str = "countries") -> SavedQuery:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return parse_saved_query(path)


def test_prepare_binds_typed_terms_and_gives_the_allowed_values(tmp_path, saved_store):
    prepared = prepare(saved_query(tmp_path, COUNTRIES), {"country": TH, "status": "active"}, saved_store)
    assert prepared.bindings == {"_country_iri": f"<{TH}>", "__status": f'"active"^^<{XSD}string>'}
    assert prepared.allowed == {"country": [TH, VN], "status": ["active", "done"]}


def test_the_prepared_query_answers_under_its_column_names(tmp_path, saved_store):
    prepared = prepare(saved_query(tmp_path, COUNTRIES), {"country": VN}, saved_store)
    answer = saved_store.answer(prepared, max_rows=10)
    assert answer.columns == ("country", "status", "label")
    assert [row["label"]["value"] for row in answer.rows] == ["Viet Nam"]


@pytest.mark.parametrize(
    "given, message",
    [
        ({"country": EX + "country/xx"}, f"the IRI of a resource of this graph; <{EX}country/xx> is not in it"),
        ({"country": ELSEWHERE}, f"must be one of the values this query knows: {TH}, {VN}"),
        ({"country": TH, "status": "paused"}, "'status' must be one of the values this query knows: active, done"),
    ],
)
def test_prepare_refuses_what_the_graph_or_the_enumeration_does_not_allow(tmp_path, saved_store, given, message):
    with pytest.raises(ParameterError, match=message.replace("?", r"\?")):
        prepare(saved_query(tmp_path, COUNTRIES), given, saved_store)


@pytest.mark.parametrize(
    "given, message",
    [({}, "'country' is required"), ({"country": "Thailand"}, "absolute http"), ({"colour": "red"}, "unknown parameter")],
)
def test_ill_formed_values_are_refused_before_any_store_round_trip(tmp_path, saved_store, counted, given, message):
    with pytest.raises(ParameterError, match=message):
        prepare(saved_query(tmp_path, COUNTRIES), given, saved_store)
    assert counted.requests == []


def test_allowed_values_are_read_once_per_query(tmp_path, saved_store, counted):
    query = saved_query(tmp_path, COUNTRIES)
    prepare(query, {"country": TH}, saved_store)
    prepare(query, {"country": VN}, saved_store)
    texts = [request.text for request in counted.requests]
    assert texts.count(EXISTS) == 2, "each IRI is checked"
    assert len(texts) == 3, "the enumeration is read the first time only"


def test_a_fixed_enumeration_needs_no_store(tmp_path, saved_store, counted):
    query = saved_query(tmp_path, YEARS, name="years")
    assert prepare(query, {"year": "2024"}, saved_store).allowed == {"year": ["2023", "2024"]}
    with pytest.raises(ParameterError, match="must be one of the values this query knows: 2023, 2024"):
        prepare(query, {"year": "2025"}, saved_store)
    assert counted.requests == []


class RefusingStore:
    """A store whose engine refuses every query, as it refuses a term it cannot parse."""

    def execute(self, request: QueryRequest) -> QueryResult:
        raise QueryFailed("Invalid IRI code point", syntax=True)

    def status(self) -> dict:
        return {"kind": "refusing", "degraded": False}

    def close(self) -> None:
        pass


def test_a_value_the_engine_refuses_is_a_parameter_error(tmp_path):
    query = saved_query(tmp_path, "SELECT ?_place_iri WHERE { ?_place_iri ?p ?o }", name="places")
    with pytest.raises(ParameterError, match="parameter 'place' must be the IRI of a resource of this graph; the store refused"):
        prepare(query, {"place": "http://a/"}, SavedStore(RefusingStore(), CANONICAL_BASE))
