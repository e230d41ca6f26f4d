"""Retired IRIs keep answering over HTTP, and `build` keeps published IRIs: in a copy of the project where
project:jaif-03 was renamed to project:jaif-03x by retirement and initiative:goj-10 retired without successor.

The build before the retirements is the previous build the next one is compared with: a rename
without retirement is refused naming the file that described the old IRI, the retirements pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aichr_kg.cli import main
from tests.support import RunningServer, copy_block_as, copy_project, rename_links, run_cli, run_cli_process
from tests.support.project import MEETINGS, PROJECTS

pytestmark = pytest.mark.slow  # two builds and a server

ID = "https://w3id.org/aichr-japan/id/"
REASON = "Not an initiative of the Government of Japan."


def cli(project: Path, *args: str) -> int:
    return main(["--root", str(project), *args])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once as the project is, then renamed without retirement (its links dangling, then the old IRI
    vanished: both refused), then renamed and removed by retirement (built)."""
    project = copy_project(tmp_path_factory.mktemp("retired"))
    assert cli(project, "build") == 0
    original, links = ((project / path).read_text(encoding="utf-8") for path in (PROJECTS, MEETINGS))
    (project / PROJECTS).write_text(original.replace("\nproject:jaif-03\n", "\nproject:jaif-03x\n"), encoding="utf-8")
    dangling = run_cli("--root", str(project), "build")
    assert dangling.returncode == 1
    assert "meetings.ttl:51: violation: project:jaif-03 is linked to, but nothing describes it" in dangling.stdout
    assert f"focus: {ID}outcome/interface-1-2\n" in dangling.stdout
    rename_links(project, "project:jaif-03", "project:jaif-03x")
    refused = run_cli("--root", str(project), "build")
    assert refused.returncode == 1
    assert f"data/jaif-projects.ttl: violation: {ID}project/jaif-03 was described in data/jaif-projects.ttl" in refused.stdout
    assert "at the previous build" in refused.stdout
    (project / PROJECTS).write_text(original, encoding="utf-8")
    (project / MEETINGS).write_text(links, encoding="utf-8")
    copy_block_as(project, "project:jaif-03", "project:jaif-03x")
    assert cli(project, "retire", "project:jaif-03", "--replaced-by", "project:jaif-03x") == 0
    assert cli(project, "retire", "initiative:goj-10", "--reason", REASON) == 0
    assert cli(project, "build") == 1, "the links to the retired IRI are not moved yet"
    rename_links(project, "project:jaif-03", "project:jaif-03x")
    assert cli(project, "build") == 0
    return project


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[RunningServer]:
    running = RunningServer(root=project)
    yield running
    running.stop()


def test_retire_as_a_process_writes_the_tombstone(project: Path, tmp_path: Path):
    copy = copy_project(tmp_path)
    result = run_cli_process("--root", str(copy), "retire", "initiative:goj-09", "--reason", REASON)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("initiative:goj-09\n    rdfs:label ")
    assert "owl:deprecated true" in (copy / "data/retired.ttl").read_text(encoding="utf-8")
    refused = run_cli_process("--root", str(copy), "retire", "initiative:goj-09", "--reason", REASON)
    assert refused.returncode == 2 and "is retired already" in refused.stderr and "Traceback" not in refused.stderr


def test_a_retired_iri_with_a_successor_moved_permanently(server: RunningServer):
    answer = server.get("/id/project/jaif-03", allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"].endswith("/id/project/jaif-03x")
    assert '</doc/project/jaif-03>; rel="describedby"' in answer.headers["Link"]
    followed = server.get("/id/project/jaif-03", headers={"Accept": "text/turtle"})
    assert followed.status_code == 200 and followed.url.endswith("/doc/project/jaif-03x")


def test_the_retired_iris_document_says_replaced_by(server: RunningServer):
    page = server.get("/doc/project/jaif-03", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "This identifier is retired" in page.text
    assert '<dt>Replaced by</dt><dd><a href="/id/project/jaif-03x">' in page.text
    turtle = server.get("/doc/project/jaif-03.ttl")
    assert turtle.status_code == 200
    assert server.get("/doc/project/jaif-03.ttl", headers={"If-None-Match": turtle.headers["ETag"]}).status_code == 304
    assert "dct:isReplacedBy project:jaif-03x" in turtle.text and "owl:deprecated true" in turtle.text


def test_a_retired_iri_without_successor_is_gone_with_a_tombstone(server: RunningServer):
    page = server.get("/id/initiative/goj-10", headers={"Accept": "text/html"}, allow_redirects=False)
    assert page.status_code == 410
    assert page.headers["Content-Type"].startswith("text/html")
    assert REASON in page.text and "nothing: it is gone" in page.text and "Slide 9" in page.text
    for accept, marker in (("text/turtle", "owl:deprecated true"), ("application/ld+json", "isReplacedBy")):
        answer = server.get("/id/initiative/goj-10", headers={"Accept": accept}, allow_redirects=False)
        assert answer.status_code == 410 and answer.headers["Content-Type"].startswith(accept)
        assert (marker in answer.text) == (marker != "isReplacedBy")
    assert server.get("/doc/initiative/goj-10.nt").status_code == 410
    again = server.get("/id/initiative/goj-10", headers={"Accept": "text/html", "If-None-Match": page.headers["ETag"]})
    assert again.status_code == 410, "a precondition is ignored where the answer is no 2xx"
    assert server.get("/id/initiative/goj-10", headers={"Accept": "text/bogus"}).status_code == 406


def test_sparql_sees_the_tombstones(server: RunningServer):
    query = """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?retired ?successor WHERE { ?retired owl:deprecated true OPTIONAL { ?retired dct:isReplacedBy ?successor } }
ORDER BY ?retired"""
    answer = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    rows = [(row["retired"]["value"], row.get("successor", {}).get("value")) for row in answer.json()["results"]["bindings"]]
    assert rows == [(ID + "initiative/goj-10", None), (ID + "project/jaif-03", ID + "project/jaif-03x")]


def test_what_was_never_described_is_still_not_found(server: RunningServer):
    assert server.get("/id/project/jaif-99", headers={"Accept": "text/turtle"}, allow_redirects=False).status_code == 404
    assert server.get("/id/project/jaif-03x", allow_redirects=False).status_code == 303


def test_the_sitemap_lists_the_successor_not_the_retired(server: RunningServer):
    sitemap = server.get("/sitemap.xml").text
    assert "/doc/project/jaif-03x</loc>" in sitemap
    assert "/doc/project/jaif-03</loc>" not in sitemap and "/doc/initiative/goj-10</loc>" not in sitemap
    assert "/doc/initiative/goj-09</loc>" in sitemap
