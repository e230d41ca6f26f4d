"""Linked-data pages over real HTTP: every IRI dereferences (303, four RDF formats that parse back
with the resource's label), pages show labels, links and incoming links, search, lists, sitemap,
VoID, the ontology documentation against the OWL file, hostile input, and conditional requests.

What to expect is read from data/*.ttl, ontology/aichr.ttl and shapes/*.ttl with rdflib, so the
tests follow the data as it grows.
"""

from __future__ import annotations

import http.client
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pyoxigraph
import pytest
import requests
from markupsafe import escape
from rdflib import Graph, Literal, URIRef

from aichr_kg.dataset.describe import describe
from aichr_kg.namespaces import AJ, DCT, FOAF, OWL, RDF, RDFS, SH, VOID
from aichr_kg.namespaces import CANONICAL_BASE as BASE
from aichr_kg.store.local import LocalStore
from aichr_kg.web.pages.class_list import _view as class_list_value
from aichr_kg.web.pages.terms import link_to, term_view

pytestmark = pytest.mark.every_backend

ROOT = Path(__file__).resolve().parents[1]
RDF_FORMATS = {  # Accept header → rdflib parser
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def parse_folder(folder: str) -> Graph:
    graph = Graph()
    for path in sorted((ROOT / folder).glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


DATA = parse_folder("data")
ONTOLOGY = parse_folder("ontology")
SHAPES = parse_folder("shapes")


def english_label(graph: Graph, subject: URIRef) -> Literal:
    labels = sorted(graph.objects(subject, RDFS.label), key=lambda label: (label.language != "en", str(label)))
    return labels[0]


RESOURCES = sorted(
    (str(s), english_label(DATA, s))
    for s in set(DATA.subjects(RDFS.label))
    if isinstance(s, URIRef) and str(s).startswith(BASE + "id/")
)


def own_terms(kind: URIRef) -> set[URIRef]:
    """The ontology's own terms of one kind; it also declares the outside terms it aligns to (prov:Entity)."""
    return {s for s in ONTOLOGY.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(AJ)}


TERMS = sorted(
    (str(s), english_label(ONTOLOGY, s))
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for s in own_terms(kind)
)


def local(iri: str) -> str:
    return "/" + iri[len(BASE) :]


def get(site, path: str, **kwargs):
    """A GET through the test client (`site`) or over HTTP (`server`): both answer the same way."""
    return site.get(path, **kwargs)


def raw_get(server, path: str, headers: dict | None = None) -> tuple[int, str]:
    """A GET with the path sent exactly as written (no client-side normalisation of ../ or %)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


# --- every IRI dereferences, in every format --------------------------------------------------------


@pytest.mark.parametrize("iri, label", RESOURCES + TERMS, ids=[iri[len(BASE) :] for iri, _ in RESOURCES + TERMS])
def test_every_iri_gives_303_and_each_format_parses_with_its_label(site, iri, label):
    answer = get(site, local(iri), allow_redirects=False)
    assert answer.status_code == 303
    document = answer.headers["Location"]
    assert document == "/doc/" + iri[len(BASE + ("" if iri.startswith(BASE + "ontology/") else "id/")) :]
    for media_type, parser in RDF_FORMATS.items():
        response = get(site, document, headers={"Accept": media_type})
        assert response.status_code == 200, (media_type, response.text[:300])
        assert response.headers["Content-Type"].startswith(media_type)
        graph = Graph().parse(data=response.text, format=parser)
        assert (URIRef(iri), RDFS.label, label) in graph, f"{media_type} of {iri} lacks its label"


@pytest.mark.parametrize(
    "extension, media_type",
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("html", "text/html"),
    ],
)
def test_extension_chooses_the_format_whatever_the_accept_header(site, extension, media_type):
    response = get(site, f"/doc/project/jaif-01.{extension}", headers={"Accept": "application/rdf+xml;q=0.1"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media_type)


def test_negotiation_is_advertised(site):
    response = get(site, "/doc/project/jaif-01", headers=HTML)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Accept" in response.headers["Vary"]
    links = response.headers["Link"]
    for extension in ("html", "ttl", "jsonld", "nt", "rdf"):
        assert f'</doc/project/jaif-01.{extension}>; rel="alternate"' in links
    assert '<link rel="alternate" type="text/turtle" href="/doc/project/jaif-01.ttl"' in response.text
    assert get(site, "/doc/project/jaif-01", headers={"Accept": "*/*"}).headers["Content-Type"].startswith("text/turtle")


def test_rdf_document_marks_itself_and_includes_inferred_and_incoming_triples(site):
    graph = Graph().parse(data=get(site, "/doc/org/jaif.ttl").text, format="turtle")
    jaif = URIRef(BASE + "id/org/jaif")
    assert (None, FOAF.primaryTopic, jaif) in graph
    assert (jaif, AJ.funds, URIRef(BASE + "id/project/jaif-01")) in graph  # inferred inverse
    assert (URIRef(BASE + "id/project/jaif-01"), AJ.fundedBy, jaif) in graph  # incoming, asserted
    assert (URIRef(BASE + "id/project/jaif-01"), RDFS.label, None) in graph  # label of a linked resource


def test_the_ontology_and_its_version_dereference(site):
    for path in ("/ontology/", "/ontology/1.2.0"):
        answer = get(site, path, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["Location"] == "/ontology"
    served = Graph().parse(data=get(site, "/ontology", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert len(served) == len(ONTOLOGY)
    for extension, parser in (("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")):
        assert len(Graph().parse(data=get(site, f"/ontology.{extension}").text, format=parser)) == len(ONTOLOGY)


def test_graph_and_shape_iris_resolve(site):
    assert get(site, "/graph/data", allow_redirects=False).headers["Location"] == "/.well-known/void"
    answer = get(site, "/shapes/ProjectShape", allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"] == "/ontology#shape-ProjectShape"
    assert get(site, "/shapes/NoSuchShape", allow_redirects=False).status_code == 404


# --- pages people read ------------------------------------------------------------------------------


def page_text(server, path: str) -> str:
    response = get(server, path, headers=HTML)
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_project_page_reads_like_a_page(site):
    text = page_text(site, "/doc/project/jaif-01")
    assert "<h1>AICHR Regional Dialogue on the Mainstreaming of the Rights of Persons with Disabilities in ASEAN</h1>" in text
    assert "USD 169,934.75" in text and "Dec 2015" in text
    assert 'href="/id/country/th">Thailand</a>' in text and 'href="/id/org/jaif">Japan-ASEAN Integration Fund</a>' in text
    assert "Slide 4: 10 projects were implemented with JAIF Support" in text  # provenance
    assert "1st AICHR-Japan Interface Meeting" in text  # the meeting that recorded it, through its outcome
    assert 'class="inferred-mark"' in text
    assert 'href="/sparql?query=' in text
    assert BASE + "id/project/jaif-01" not in re.sub(
        r"<code>[^<]*</code>|<script.*?</script>|href=\"[^\"]*\"", "", text, flags=re.S
    )


def test_pages_embed_schema_org_json_ld(site):
    text = page_text(site, "/doc/project/jaif-01")
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    node = json.loads(embedded)
    assert node["@context"] == {"@vocab": "http://schema.org/"}
    assert "Project" in node["@type"] and node["name"].startswith("AICHR Regional Dialogue")
    assert node["funder"]["@id"] == BASE + "id/org/jaif"


def test_meeting_page_dates_as_dates(site):
    text = page_text(site, "/doc/meeting/interface-1")
    assert "8 May 2015" in text and "2015-05-08" not in re.sub(r"<script.*?</script>", "", text, flags=re.S)


def sample_resources() -> list[str]:
    """The first resource of every kind (project, meeting, org, country, theme, slide, ...)."""
    by_kind: dict[str, str] = {}
    for iri, _ in RESOURCES:
        by_kind.setdefault(iri[len(BASE + "id/") :].split("/")[0], iri)
    return [*sorted(by_kind.values()), BASE + "id/org/jaif", BASE + "id/country/th", BASE + "id/theme/business-and-human-rights"]


@pytest.mark.parametrize("iri", sample_resources(), ids=lambda iri: iri[len(BASE) :])
def test_sample_pages_show_label_links_and_incoming_links(site, iri):
    text = page_text(site, local(iri))
    assert str(escape(english_label(DATA, URIRef(iri)))) in text
    for obj in DATA.objects(URIRef(iri), None):
        if isinstance(obj, URIRef) and str(obj).startswith(BASE + "id/"):
            assert f'href="{local(str(obj))}"' in text, f"no link to {obj}"
    incoming = sorted({str(s) for s in DATA.subjects(None, URIRef(iri)) if isinstance(s, URIRef)})
    for subject in incoming[:100]:
        assert f'href="{local(subject)}"' in text, f"no incoming link from {subject}"


def test_long_incoming_lists_are_paged(built):
    """No resource has 100 incoming links yet, so page through slide 4's with pages of 10."""
    engine = LocalStore(built / "store")
    first = describe(engine, BASE + "id/slide/04", BASE, page=1, page_size=10)
    second = describe(engine, BASE + "id/slide/04", BASE, page=2, page_size=10)
    assert first.has_next_page and len(first.incoming) == 10
    assert {link.subject for link in first.incoming}.isdisjoint({link.subject for link in second.incoming})
    assert first.incoming_total > 10


@pytest.mark.parametrize("page", ["0", "10001", "%C2%B2", "%D9%A2", "%EF%BC%92", "-1", "1.0"])  # ², Arabic-Indic 2, full-width 2
def test_bad_page_numbers_are_400(site, page):
    response = get(site, f"/doc/project/jaif-01?page={page}", headers=HTML)
    assert response.status_code == 400 and "page must be a number from 1 to 10000" in response.text


def test_later_pages_link_back(site):
    assert 'rel="prev" href="?page=1"' in page_text(site, "/doc/slide/04?page=2")


def test_ontology_term_page(site):
    text = page_text(site, "/doc/ontology/Project")
    assert 'href="/ontology/JAIFProject"' in text  # subclasses link here
    links = text.split('<p class="term-links">', 1)[1].split("</p>", 1)[0]
    assert '<a href="/ontology#Project">Its documentation, with its constraints</a>' in links
    projects = {s for s in DATA.subjects(RDF.type, None) if str(s).startswith(BASE + "id/project/")}
    assert f'<a href="/list/Project">All {len(projects)} instances</a>' in links


# --- browse and find ----------------------------------------------------------------------------------


def test_home_page_shows_the_shape_of_the_data(site):
    text = page_text(site, "/")
    assert 'href="/list/Project"' in text and 'href="/list/Meeting"' in text
    assert '<svg class="timeline"' in text
    assert 'href="/id/meeting/interface-1"' in text and 'href="/id/project/jaif-01"' in text


def test_list_page_sorts_without_javascript(site):
    costs = [Decimal(str(a)) for a in DATA.objects(None, AJ.amount)]
    text = page_text(site, "/list/Project?sort=actualCost&order=desc")
    first_row = text.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert f"USD {max(costs):,}" in first_row
    assert 'aria-sort="descending"' in text
    by_name = page_text(site, "/list/Project")
    assert 'aria-sort="ascending"' in by_name
    projects = {s for s in DATA.subjects(RDF.type, None) if str(s).startswith(BASE + "id/project/")}
    assert all(f'href="{local(str(p))}"' in by_name for p in projects)


def test_unknown_class_list_is_404(site):
    assert get(site, "/list/NoSuchClass").status_code == 404


@pytest.mark.parametrize(
    "query, first", [("viet", "Viet Nam"), ("VIỆT", "Viet Nam"), ("thai", "Thailand"), ("jaif", "Japan-ASEAN Integration Fund")]
)
def test_search_is_case_and_accent_insensitive_with_prefixes_first(site, query, first):
    text = page_text(site, "/search?q=" + requests.utils.quote(query))
    results = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', text.split('<ol class="results">', 1)[1])
    assert results and results[0] == first


def test_sitemap_lists_every_resource_page(site):
    response = get(site, "/sitemap.xml")
    assert response.headers["Content-Type"].startswith("application/xml")
    tree = ElementTree.fromstring(response.content)
    paths = {urlsplit(loc.text).path for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for iri, _ in RESOURCES:
        assert "/doc/" + iri[len(BASE + "id/") :] in paths
    assert "/ontology" in paths and "/" in paths


# --- VoID and the ontology documentation -------------------------------------------------------------


def test_void_describes_the_dataset(site, built):
    response = get(site, "/.well-known/void")
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(site.url + "/.well-known/void")
    manifest = json.loads((built / "manifest.json").read_text())
    assert graph.value(dataset, VOID.triples).toPython() == manifest["triples"]
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(site.url + "/sparql")
    assert URIRef(site.url + "/download/aichr-kg.nq.gz") in set(graph.objects(dataset, VOID.dataDump))
    assert graph.value(dataset, DCT.license) is not None
    projects = {s for s in DATA.subjects(RDF.type, None) if str(s).startswith(BASE + "id/project/")}
    partition = next(p for p in graph.objects(dataset, VOID.classPartition) if graph.value(p, VOID["class"]) == AJ.Project)
    assert graph.value(partition, VOID.entities).toPython() == len(projects)
    assert any(graph.value(p, VOID.property) == AJ.fundedBy for p in graph.objects(dataset, VOID.propertyPartition))
    for media_type, parser in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        other = Graph().parse(data=get(site, "/.well-known/void", headers={"Accept": media_type}).text, format=parser)
        assert other.value(dataset, VOID.triples).toPython() == manifest["triples"]
    assert "Class partitions" in page_text(site, "/.well-known/void")


def test_ontology_page_lists_every_class_property_and_shape(site):
    text = page_text(site, "/ontology")
    for iri, _label in TERMS:
        name = iri[len(str(AJ)) :]
        assert f'id="{name}"' in text, f"no section for {name}"
        assert iri in text
    assert f"Classes ({len(own_terms(OWL.Class))})" in text  # not the outside classes it declares
    for kind, title in (
        (OWL.ObjectProperty, "Object"),
        (OWL.DatatypeProperty, "Datatype"),
        (OWL.AnnotationProperty, "Annotation"),
    ):
        assert f"{title} properties ({len(own_terms(kind))})" in text
    for shape in SHAPES.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, URIRef):
            assert f'id="shape-{str(shape).rsplit("/", 1)[-1]}"' in text
    diagram = text.split('<svg class="model-diagram"', 1)[1].split("</svg>", 1)[0]
    for iri in own_terms(OWL.Class):
        assert f'href="#{str(iri)[len(str(AJ)) :]}"' in diagram


# --- not found, hostile input, caching -----------------------------------------------------------------


def test_unknown_iris_give_a_helpful_404(site):
    for path in ("/id/project/jaif-99", "/doc/project/jaif-99", "/ontology/NoSuchTerm", "/doc/nothing/at/all.ttl"):
        assert get(site, path, allow_redirects=False).status_code == 404, path
    page = get(site, "/id/project/jaif-99", headers=HTML)
    assert page.status_code == 404 and 'action="/search"' in page.text and 'href="/id/project/' in page.text
    plain = get(site, "/id/project/jaif-99", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and "<" not in plain.text


HOSTILE = [
    "/id/<script>alert(1)</script>",
    "/doc/%3Cscript%3Ealert(1)%3C/script%3E",
    "/doc/%3Cscript%3Ealert(1)%3C%2Fscript%3E.html",
    "/id/../../../etc/passwd",
    "/doc/..%2F..%2Fetc%2Fpasswd",
    "/doc/" + "a" * 5000,
    "/id/%ZZ",
    "/doc/%C3%28",
    "/ontology/%00<script>alert(1)</script>",
    "/list/<script>alert(1)</script>",
    "/search?q=<script>alert(1)</script>",
    "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/search?q=%ZZ",
    "/search?q=%C3%28",
    "/search?q=" + "x" * 5000,
    "/doc/project/jaif-01?page=<script>alert(1)</script>",
    "/doc/project/jaif-01?page=999999999999999999999999",
    "/doc/project/jaif-01?page=0",
    "/doc/project/jaif-01?page=%C2%B2",
    "/list/Project?sort=<script>alert(1)</script>&order=%ZZ",
    "/shapes/<script>alert(1)</script>",
]


@pytest.mark.parametrize("path", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("accept", ["text/html", "*/*"])
def test_hostile_input_is_escaped_or_refused(server, path, accept):
    status, body = raw_get(server, path, {"Accept": accept})
    assert status < 500, body[:300]
    assert "<script>alert(1)</script>" not in body
    if len(path) > 4000:
        assert "a" * 5000 not in body and "x" * 5000 not in body


@pytest.mark.parametrize(
    "path", ["/doc/project/jaif-01", "/doc/project/jaif-01.ttl", "/", "/ontology", "/.well-known/void", "/list/Project"]
)
def test_etag_and_304(site, path):
    first = get(site, path, headers=HTML)
    etag = first.headers["ETag"]
    again = get(site, path, headers={**HTML, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    ("iri", "href"),
    [
        (BASE + "id/country/th", "/id/country/th"),
        ("https://schema.org/Thing", "https://schema.org/Thing"),
        ("http://example.org/a", "http://example.org/a"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        ("data:text/html,hello", ""),
        ("mailto:someone@example.org", ""),
    ],
)
def test_only_our_pages_and_web_addresses_are_linked(iri, href):
    assert link_to(iri, BASE) == href
    assert term_view(pyoxigraph.NamedNode(iri), BASE).href == (href or None)
    listed, _ = class_list_value(pyoxigraph.NamedNode(iri), {}, BASE)  # a value in a class's list page
    assert listed.href == (href or None)
