"""The releases served: /release/, each release's page and files, the DCAT catalog, old ontology versions."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
import rdflib
from pyshacl import validate as shacl_validate

from aichr_kg.cli import main
from aichr_kg.namespaces import ADMS, DCAT, RDF, SPDX
from tagged_repo import OLD_AMOUNT, ONTOLOGY, tagged_repository
from tests.support import ROOT, RunningServer, git

DCAT_AP = ROOT / "server" / "aichr_kg" / "dataset" / "external" / "dcat-ap-3.0.0" / "dcat-ap-SHACL.ttl"
BROWSER = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    repo = tagged_repository(tmp_path_factory.mktemp("served"))
    assert main(["--root", str(repo), "release"]) == 0
    server = RunningServer(root=repo)
    yield server
    server.stop()


def graph_of(served, path: str, media_type: str = "text/turtle", rdf_format: str = "turtle") -> rdflib.Graph:
    response = served.get(path, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(media_type)
    return rdflib.Graph().parse(data=response.content, format=rdf_format)


def test_the_catalog_conforms_to_dcat_ap_3(served):
    catalog = graph_of(served, "/catalog")
    conforms, _, report = shacl_validate(catalog, shacl_graph=rdflib.Graph().parse(DCAT_AP))
    assert conforms, report
    assert (None, RDF.type, DCAT.DatasetSeries) in catalog and (None, RDF.type, DCAT.DataService) in catalog
    assert len(set(catalog.subjects(RDF.type, DCAT.Dataset))) == 3  # the series and two releases


def test_the_catalog_comes_in_every_rdf_format_and_as_a_page(served):
    turtle = graph_of(served, "/catalog")
    for media_type, rdf_format in (
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ):
        assert len(graph_of(served, "/catalog", media_type, rdf_format)) == len(turtle), media_type
    page = served.get("/catalog", headers=BROWSER)
    assert page.headers["Content-Type"].startswith("text/html") and "/release/1.1.0/" in page.text
    assert "Accept" in page.headers["Vary"]
    assert served.get("/catalog", headers={"Accept": "image/png"}).status_code == 406


def test_every_checksum_in_the_catalog_matches_the_bytes_served(served):
    catalog = graph_of(served, "/catalog")
    distributions = list(catalog.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 6  # three dumps of each release
    for distribution in distributions:
        url = str(catalog.value(distribution, DCAT.downloadURL))
        checksum = catalog.value(distribution, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        content = served.get(url.removeprefix(served.url), headers={"Accept-Encoding": "identity"}).content
        assert hashlib.sha256(content).hexdigest() == str(catalog.value(checksum, SPDX.checksumValue)), url
        assert len(content) == int(catalog.value(distribution, DCAT.byteSize)), url


def test_each_release_has_its_notes_and_the_series_its_versions(served):
    catalog = graph_of(served, "/catalog")
    series, first, second = (rdflib.URIRef(f"https://w3id.org/aichr-japan/release/{v}") for v in ("", "1.0.0", "1.1.0"))
    assert set(catalog.objects(series, DCAT.hasVersion)) == {first, second}
    assert catalog.value(second, DCAT.previousVersion) == first
    assert "169,934.75 → USD 169,934.00" in str(catalog.value(second, ADMS.versionNotes))


def test_the_release_list_and_pages(served):
    listing = served.get("/release/", headers=BROWSER)
    assert listing.status_code == 200 and listing.text.index("1.1.0") < listing.text.index("1.0.0")
    page = served.get("/release/1.1.0/", headers=BROWSER).text
    manifest = (served.root / "releases" / "1.1.0" / "release.json").read_text()
    for fact in ('"commit": "', '"issued": "', '"sha256": "'):
        value = manifest.split(fact, 1)[1].split('"', 1)[0]
        assert value in page, fact
    assert 'href="/release/1.0.0/" rel="prev"' in page and "USD 169,934.75 → USD 169,934.00" in page
    assert 'href="/ontology/1.2.0"' in page  # the release's ontology version, which resolves on this server
    assert 'href="/release/1.1.0/" rel="next"' in served.get("/release/1.0.0/", headers=BROWSER).text
    release = graph_of(served, "/release/1.0.0/")
    assert str(release.value(rdflib.URIRef("https://w3id.org/aichr-japan/release/1.0.0"), DCAT.version)) == "1.0.0"


def test_a_version_iri_leads_to_its_page_and_its_files_never_change(served):
    answer = served.get("/release/1.0.0", allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/release/1.0.0/")
    dump = served.get("/release/1.0.0/aichr-kg.nq.gz")
    assert dump.content == (served.root / "releases" / "1.0.0" / "aichr-kg.nq.gz").read_bytes()
    assert "immutable" in dump.headers["Cache-Control"]


def test_download_stays_the_latest_build(served):
    latest = served.get("/download/aichr-kg.ttl").text
    assert OLD_AMOUNT.strip('"') not in latest and '"169934"^^xsd:decimal' in latest and "owl:versionIRI aj:1.3.0" in latest


@pytest.mark.parametrize("path", ["/release/9.9.9/", "/release/9.9.9", "/release/latest/", "/release/1.0.0/secret.txt"])
def test_an_unknown_release_or_file_is_a_404(served, path):
    answer = served.get(path)
    assert answer.status_code == 404
    assert "1.0.0" in answer.text


def test_an_old_ontology_version_resolves_to_its_file_from_git(served):
    old = served.get("/ontology/1.2.0")
    assert old.status_code == 200 and old.headers["Content-Type"].startswith("text/turtle")
    assert f"owl:versionIRI <{ONTOLOGY}1.2.0>" in old.text
    current = served.get("/ontology/1.3.0", allow_redirects=False)
    assert current.status_code == 303 and current.headers["Location"].endswith("/ontology")
    assert served.get("/ontology/0.9.0").status_code == 404
    assert served.get("/ontology/Project", allow_redirects=False).status_code == 303


def test_the_home_page_carries_the_dataset_in_schema_org(served):
    page = served.get("/", headers=BROWSER).text
    embedded = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    dataset = json.loads(embedded)
    assert dataset["@type"] == "Dataset" and dataset["name"] and dataset["description"]
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["version"] == "1.1.0" and [part["version"] for part in dataset["hasPart"]] == ["1.1.0", "1.0.0"]
    assert {d["contentUrl"].rsplit("/", 2)[-2] for d in dataset["distribution"]} == {"download"}
    for part in dataset["hasPart"]:
        for download in part["distribution"]:
            content = served.get(download["contentUrl"].removeprefix(served.url)).content
            assert hashlib.sha256(content).hexdigest() == download["sha256"]


def test_void_links_to_the_catalog(served):
    void = graph_of(served, "/.well-known/void")
    assert rdflib.URIRef(served.url + "/catalog") in set(void.objects(None, rdflib.RDFS.seeAlso))


def test_a_harvester_asking_again_gets_304(served):
    first = served.get("/catalog")
    again = served.get("/catalog", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = served.get("/catalog", headers={"Accept": "application/ld+json", "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]


def test_a_release_made_while_serving_is_listed_without_a_restart(served):
    """The server reads the releases again when their folder changes: a tag released now is listed at once."""
    repo = served.root
    assert "1.2.0" not in served.get("/release/", headers=BROWSER).text
    git(repo, "tag", "v1.2.0")
    try:
        assert main(["--root", str(repo), "release"]) == 0
        assert served.get("/release/1.2.0/", headers=BROWSER).status_code == 200
        assert "1.2.0" in served.get("/release/", headers=BROWSER).text
    finally:
        git(repo, "tag", "--delete", "v1.2.0")
        shutil.rmtree(repo / "releases" / "1.2.0", ignore_errors=True)
    assert served.get("/release/1.2.0/", headers=BROWSER).status_code == 404
