"""/sparql/completion.json on every backend: the ontology's terms with their labels and definitions,
the properties that fit a project and the countries that fit after `aj:leadCountry`, ids a query
accepts, one document per dataset whatever front end makes it, conditional requests, hostile input,
and a size that stays put as the data grows.

What to expect is read from ontology/aichr.ttl and data/*.ttl with rdflib, so the tests follow the
model as it changes.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import requests
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from aichr_kg.config import load_settings
from aichr_kg.dataset.completion import INSTANCES_PER_CLASS
from aichr_kg.namespaces import AJ, RDFS
from aichr_kg.pipeline.build import build
from aichr_kg.store.local import LocalStore
from aichr_kg.web import close_stores, create_app
from bench.synthetic import make_synthetic_project
from tests.support import ROOT, CountingStore

pytestmark = pytest.mark.every_backend

PATH = "/sparql/completion.json"
ONTOLOGY = Graph().parse(ROOT / "ontology" / "aichr.ttl", format="turtle")
DATA = Graph()
for data_file in sorted((ROOT / "data").glob("*.ttl")):
    DATA.parse(data_file, format="turtle")
COUNTRIES = sorted(str(c) for c in DATA.subjects(RDF.type, AJ.Country))


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    return next(str(o) for o in graph.objects(subject, predicate) if o.language in (None, "en"))


def document(site) -> dict:
    answer = site.get(PATH)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"] == "application/json"
    return answer.json()


def terms_by_id(found: dict) -> dict[str, dict]:
    return {term["id"]: term for term in found["terms"]}


def test_the_project_class_is_a_term_with_its_label_and_definition(site):
    term = terms_by_id(document(site))["aj:JAIFProject"]
    assert term["kind"] == "class" and term["iri"] == str(AJ.JAIFProject)
    assert term["label"] == english(ONTOLOGY, AJ.JAIFProject, RDFS.label)
    assert term["definition"] == english(ONTOLOGY, AJ.JAIFProject, SKOS.definition)
    assert term["count"] == len(set(DATA.subjects(RDF.type, AJ.JAIFProject))) > 0


def test_a_project_is_offered_its_lead_country_and_not_a_slide_number(site):
    found = document(site)
    assert (AJ.leadCountry, RDFS.domain, AJ.Project) in ONTOLOGY  # reached through JAIFProject's superclass
    assert (AJ.slideNumber, RDFS.domain, AJ.Slide) in ONTOLOGY
    offered = found["classProperties"]["aj:JAIFProject"]
    assert "aj:leadCountry" in offered and "aj:slideNumber" not in offered
    assert "aj:slideNumber" in found["classProperties"]["aj:Slide"]
    assert "rdf:type" not in offered, "`a` says it; it would top every list"


def test_domain_fits_come_in_even_when_no_subject_states_them(site):
    """Every property the ontology gives aj:Project fits a JAIF project, whether or not one states it."""
    offered = set(document(site)["classProperties"]["aj:JAIFProject"])
    declared = {s for s in ONTOLOGY.subjects(RDFS.domain, AJ.Project) if str(s).startswith(str(AJ))}
    assert {"aj:" + str(p)[len(str(AJ)) :] for p in declared} <= offered


def test_properties_come_most_used_first(site):
    found = document(site)
    offered = found["classProperties"]["aj:JAIFProject"]
    projects = set(DATA.subjects(RDF.type, AJ.JAIFProject))
    counts = {p: sum(1 for s in projects if (s, AJ[p[3:]], None) in DATA) for p in offered if p.startswith("aj:")}
    used = [p for p in offered if counts.get(p)]
    assert [counts[p] for p in used] == sorted((counts[p] for p in used), reverse=True)
    assert offered.index("aj:leadCountry") < offered.index("aj:mainDonor")


def test_after_lead_country_come_the_country_class_and_the_countries(site):
    found = document(site)
    values = found["propertyValues"]["aj:leadCountry"]
    assert values["classes"][0] == "aj:Country"
    terms = terms_by_id(found)
    listed = {terms[i]["iri"] for i in values["instances"]}
    assert listed == set(COUNTRIES)
    thailand = next(t for t in found["terms"] if t["iri"].endswith("/country/th"))
    assert thailand["kind"] == "instance" and thailand["label"] == "Thailand" and thailand["types"] == ["aj:Country"]
    assert found["propertyValues"]["aj:slideNumber"] == {"classes": [], "instances": []}, "an integer is no class"
    assert terms["aj:slideNumber"]["range"] == ["xsd:integer"]


def test_every_id_is_a_term_of_the_document(site):
    found = document(site)
    ids = set(terms_by_id(found))
    for class_id, properties in found["classProperties"].items():
        assert class_id in ids and set(properties) <= ids, class_id
    for property_id, values in found["propertyValues"].items():
        assert property_id in ids and set(values["instances"]) <= ids, property_id


def test_every_id_is_accepted_by_the_endpoint_as_written(site):
    """The ids are what completion inserts: each must parse with the predeclared prefixes alone."""
    ids = sorted(terms_by_id(document(site)))
    query = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?term { " + " ".join(ids) + " } }"
    answer = site.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == len(ids)


def test_keywords_and_prefixes_are_those_of_the_endpoint(site):
    found = document(site)
    assert {"SELECT", "WHERE", "OPTIONAL", "GROUP BY", "COUNT", "STRSTARTS"} <= set(found["keywords"])
    assert "SERVICE" not in found["keywords"], "the endpoint refuses it"
    page = site.get("/sparql", headers={"Accept": "text/html"}).text
    page_config = json.loads(re.search(r'<script id="config" type="application/json">(.*?)</script>', page, re.S)[1])
    assert found["prefixes"] == page_config["prefixes"] and page_config["completion"] == PATH


def test_the_document_names_its_dataset(site, built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert document(site)["dataset"] == manifest["input_hash"]


def test_every_front_end_makes_the_same_document(site, built):
    """A fresh app over the embedded store gives, byte for byte, what this backend gives (a remote engine too)."""
    served = site.get(PATH)
    other = create_app(load_settings(environ={}, root=built.parent), store=LocalStore(built / "store"))
    try:
        fresh = other.test_client().get(PATH)
    finally:
        close_stores(other)
    assert fresh.data == served.content
    assert fresh.headers["ETag"] == served.headers["ETag"]
    assert site.get(PATH).content == served.content


def test_a_revalidation_is_answered_304_with_the_same_headers(server):
    served = server.get(PATH)
    etag = served.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/"), "a strong validator"
    assert served.headers["Cache-Control"].startswith("public, max-age=")
    again = server.get(PATH, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and again.content == b""
    for answer in (served, again):
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert server.get(PATH, headers={"If-None-Match": '"another"'}).status_code == 200


def test_browsers_get_it_gzipped_with_a_validator_of_its_own(server):
    plain = server.get(PATH, headers={"Accept-Encoding": "identity"})
    gzipped = server.get(PATH, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}, stream=True)
    assert gzipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in gzipped.headers["Vary"]
    assert gzip.decompress(gzipped.raw.read()) == plain.content
    assert gzipped.headers["ETag"] != plain.headers["ETag"], "two encodings, two representations"
    for answer in (plain, gzipped):
        revalidated = server.get(PATH, headers={**answer.request.headers, "If-None-Match": answer.headers["ETag"]})
        assert revalidated.status_code == 304 and revalidated.headers["ETag"] == answer.headers["ETag"]


@pytest.mark.parametrize(
    "query_string", ["?x=%FF", "?query=%C3%28", "?%FE=1"], ids=["not-utf8-value", "bad-sequence", "not-utf8-name"]
)
def test_a_hostile_query_string_is_refused_plainly(server, query_string):
    answer = requests.get(server.url + PATH + query_string, timeout=30)
    assert answer.status_code == 400 and "UTF-8" in answer.text and "Traceback" not in answer.text


def test_harmless_parameters_change_nothing(server):
    plain = server.get(PATH)
    busted = server.get(PATH, params={"v": "123", "callback": "<script>alert(1)</script>"})
    assert busted.status_code == 200 and busted.content == plain.content
    assert busted.headers["ETag"] == plain.headers["ETag"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_method_that_is_not_a_read_is_refused(server, method):
    answer = requests.request(method, server.url + PATH, data="x", timeout=30)
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]
    assert "Traceback" not in answer.text


def test_head_and_preflight_are_answered(server):
    assert requests.head(server.url + PATH, timeout=30).status_code == 200
    preflight = requests.options(
        server.url + PATH, headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}, timeout=30
    )
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"


def counting_app(built):
    store = CountingStore(LocalStore(built / "store"))
    return create_app(load_settings(environ={}, root=built.parent), store=store), store


def test_made_once_and_a_revalidation_costs_no_query(built):
    (app, store), (fresh, fresh_store) = counting_app(built), counting_app(built)
    try:
        client = app.test_client()
        etag = client.get(PATH).headers["ETag"]
        made = len(store.requests)
        assert made > 0
        assert client.get(PATH).status_code == 200 and len(store.requests) == made, "made again"
        assert fresh.test_client().get(PATH, headers={"If-None-Match": etag}).status_code == 304
        assert fresh_store.requests == [], "a 304 reached the store"
    finally:
        close_stores(app)
        close_stores(fresh)


def synthetic_document(tmp_path: Path, copies: int) -> bytes:
    """The document of a project with `copies` times data/'s projects, costs, outcomes, initiatives and publications."""
    project = make_synthetic_project(ROOT, tmp_path / f"x{copies}", copies)
    build(load_settings(environ={}, root=project), validate=False, quiet=True)
    app = create_app(load_settings(environ={}, root=project), store=LocalStore(project / "build" / "store"))
    try:
        return app.test_client().get(PATH).data
    finally:
        close_stores(app)


def test_the_document_stays_the_same_size_as_the_data_grows(tmp_path):
    smaller, larger = (synthetic_document(tmp_path, copies) for copies in (8, 16))
    found = json.loads(larger)
    projects = [t for t in found["terms"] if "aj:JAIFProject" in t.get("types", [])]
    assert len(projects) == INSTANCES_PER_CLASS, "16 copies hold 160 JAIF projects: the cap must apply"
    per_class: dict[str, int] = {}
    for term in found["terms"]:
        for class_id in term.get("types", []):
            per_class[class_id] = per_class.get(class_id, 0) + 1
    assert max(per_class.values()) <= INSTANCES_PER_CLASS
    assert len(larger) <= 1.05 * len(smaller), f"{len(smaller)} bytes at 8 copies, {len(larger)} at 16"
