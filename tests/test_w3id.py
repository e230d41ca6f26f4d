"""`aichr-kg w3id` writes the w3id.org folder, and IRIs followed through Debian's apache2 running it
(as w3id.org runs it) in front of `aichr-kg serve` end where the server alone would send them:
for every media type, a browser, */*, no Accept, a bogus type and q-values, with 303 for IRIs of
things, 302 for documents and 307 for the SPARQL endpoint, and never a 301 first.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from aichr_kg.cli import main
from aichr_kg.web.pages.documents import DOCUMENT_FORMATS
from front_servers import Apache, readable_folder
from tests.support import ROOT, RunningServer, retired_copy, run_cli_process

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ACCEPTS = (
    *(f.media_type for f in DOCUMENT_FORMATS),
    BROWSER,
    "*/*",
    None,
    "text/turtlesss",
    "text/html;q=0.5, text/turtle",
    "application/ld+json;q=0.9, text/turtle;q=0.1",
)
IRIS = {  # path below the folder: the status of w3id's redirect
    "id/project/jaif-01": 303,
    "ontology/Project": 303,
    "ontology/1.2.0": 303,
    "ontology/": 303,
    "ontology": 302,
    "ontology.ttl": 302,
    "shapes/": 303,
    "graph/data": 303,
    ".well-known/void": 302,
    "download/aichr-kg.ttl": 302,
    "": 302,
    "sparql?query=ASK%7B%7D": 307,
}


@dataclass(frozen=True)
class Hop:
    status: int
    location: str | None
    content_type: str | None


def follow(url: str, accept: str | None, method: str = "GET", data: dict | None = None) -> list[Hop]:
    """Every answer on the way from `url`, redirects followed while they stay on this machine."""
    hops: list[Hop] = []
    headers = {} if accept is None else {"Accept": accept}
    for _ in range(6):
        answer = requests.request(method, url, headers=headers, data=data, allow_redirects=False, timeout=30)
        location = answer.headers.get("Location")
        hops.append(Hop(answer.status_code, location, answer.headers.get("Content-Type")))
        if location is None or urlsplit(urljoin(url, location)).hostname != "127.0.0.1":
            return hops
        url = urljoin(url, location)
        if answer.status_code in (301, 302, 303):
            method, data = "GET", None
    raise AssertionError(f"more than 6 redirects from {url}")


@pytest.fixture(scope="module")
def w3id(server):
    """apache2 with the generated folder under its DocumentRoot, redirecting to the running server."""
    docroot = readable_folder()
    assert main(["--root", str(ROOT), "w3id", "--target", server.url + "/", "-o", str(docroot)]) == 0
    try:
        apache = Apache(docroot)
        yield apache
        apache.stop()
    finally:
        shutil.rmtree(docroot)


@pytest.mark.slow
@pytest.mark.parametrize("accept", ACCEPTS)
def test_each_iri_redirects_once_then_answers_as_the_server_does(w3id, server, accept):
    for path, status in IRIS.items():
        through = follow(f"{w3id.url}/aichr-japan/{path}", accept)
        assert through[0].status == status, path
        assert through[0].location == f"{server.url}/{path}", path
        assert through[1:] == follow(f"{server.url}/{path}", accept), path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("accept", "status", "content_type"),
    [
        ("text/turtle", 200, "text/turtle"),
        ("application/ld+json", 200, "application/ld+json"),
        ("application/n-triples", 200, "application/n-triples"),
        ("application/rdf+xml", 200, "application/rdf+xml"),
        (BROWSER, 200, "text/html"),
        ("*/*", 200, "text/turtle"),
        (None, 200, "text/turtle"),
        ("text/html;q=0.5, text/turtle", 200, "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.1", 200, "application/ld+json"),
        ("text/turtlesss", 406, "text/plain"),
    ],
)
def test_a_resource_iri_ends_in_the_format_asked_for(w3id, accept, status, content_type):
    hops = follow(f"{w3id.url}/aichr-japan/id/project/jaif-01", accept)
    assert [hop.status for hop in hops] == [303, 303, status]
    assert hops[-1].content_type.split(";")[0] == content_type


@pytest.mark.slow
def test_unknown_iris_and_trailing_slashes_get_the_servers_answer(w3id, server):
    assert [hop.status for hop in follow(f"{w3id.url}/aichr-japan/id/project/no-such-project", "text/turtle")] == [303, 404]
    assert [hop.status for hop in follow(f"{w3id.url}/aichr-japan/id/project/jaif-01/", "text/turtle")] == [303, 404]
    assert [hop.status for hop in follow(f"{w3id.url}/aichr-japan/no-such-path", "text/turtle")] == [404]
    for root in ("/aichr-japan", "/aichr-japan/"):  # no 301 from the slashless folder to the slashed one
        assert follow(w3id.url + root, BROWSER)[0] == Hop(302, server.url + "/", "text/html; charset=iso-8859-1")


@pytest.mark.slow
def test_a_posted_query_stays_a_post_through_the_307(w3id):
    hops = follow(f"{w3id.url}/aichr-japan/sparql", "application/sparql-results+json", "POST", {"query": "ASK {}"})
    assert [hop.status for hop in hops] == [307, 200]
    assert hops[-1].content_type.startswith("application/sparql-results+json")


@pytest.mark.slow
def test_catalog_and_release_paths_are_redirected(w3id, server):
    for path, status in {"catalog": 302, "catalog.ttl": 302, "release/1.0.0": 303}.items():
        first = follow(f"{w3id.url}/aichr-japan/{path}", "text/turtle")[0]
        assert (first.status, first.location) == (status, f"{server.url}/{path}")


@pytest.fixture(scope="module")
def retired_w3id(tmp_path_factory):
    """apache2 in front of a server of a project that retires two IRIs: (its URL, the server's URL)."""
    server = RunningServer(root=retired_copy(tmp_path_factory.mktemp("retired")))
    docroot = readable_folder()
    try:
        assert main(["--root", str(ROOT), "w3id", "--target", server.url + "/", "-o", str(docroot)]) == 0
        apache = Apache(docroot)
        yield apache.url, server.url
        apache.stop()
    finally:
        server.stop()
        shutil.rmtree(docroot)


@pytest.mark.slow
@pytest.mark.parametrize(("path", "status"), [("id/project/jaif-03", 301), ("id/initiative/goj-10", 410)])
@pytest.mark.parametrize("accept", ["text/turtle", BROWSER, None])
def test_a_retired_iri_passes_the_servers_301_or_410_through(retired_w3id, path, status, accept):
    w3id_url, server_url = retired_w3id
    through = follow(f"{w3id_url}/aichr-japan/{path}", accept)
    assert through[0].status == 303 and through[1].status == status
    assert through[1:] == follow(f"{server_url}/{path}", accept)


def test_the_folder_holds_the_rules_and_the_readme_w3id_asks_for(tmp_path, capsys):
    assert (
        main(["--root", str(ROOT), "w3id", "--target", "https://kg.example.org", "-o", str(tmp_path), "--contact", "@aichr-kg"])
        == 0
    )
    folder = tmp_path / "aichr-japan"
    rules = (folder / ".htaccess").read_text()
    assert "RewriteRule ^(id/.+)$ https://kg.example.org/$1 [R=303,L]" in rules
    assert "HTTP_ACCEPT" not in rules and "RewriteBase" not in rules and "RewriteRule ^/" not in rules
    readme = (folder / "README.md").read_text()
    assert "# AICHR–Japan cooperation ontology" in readme
    assert "- aichr-kg contributors" in readme and "- @aichr-kg" in readme
    assert "perma-id/w3id.org" in readme and "https://kg.example.org/" in readme
    assert "give one with --contact" not in capsys.readouterr().err


def test_the_folder_follows_the_base_iri(tmp_path):
    assert (
        main(["--root", str(ROOT), "--base-iri", "https://w3id.org/a/b", "w3id", "--target", "http://x/", "-o", str(tmp_path)])
        == 0
    )
    assert "https://w3id.org/a/b/" in (tmp_path / "a" / "b" / "README.md").read_text()
    assert "=/a/b\n" in (tmp_path / "a" / "b" / ".htaccess").read_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--base-iri", "https://example.org/kg/", "w3id", "--target", "http://x/"], "is not a folder of https://w3id.org/"),
        (["--base-iri", "https://w3id.org/", "w3id", "--target", "http://x/"], "is not a folder of https://w3id.org/"),
        (["w3id", "--target", "ftp://x/"], "is not an http:// or https:// URL"),
        (["w3id", "--target", "https://user:secret@x/"], "without credentials"),
        (["w3id", "--target", "https://x/?a=1"], "without credentials, query or fragment"),
    ],
)
def test_bad_bases_and_targets_are_refused(tmp_path, capsys, arguments, message):
    assert main(["--root", str(ROOT), *arguments, "-o", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_an_unwritable_output_is_refused(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert main(["--root", str(ROOT), "w3id", "--target", "http://x/", "-o", str(tmp_path / "file")]) == 2
    assert "cannot be written" in capsys.readouterr().err


def test_the_command_runs_as_a_process(tmp_path):
    result = run_cli_process("w3id", "--target", "https://kg.example.org/", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "give one with --contact" in result.stderr
    assert (tmp_path / "aichr-japan" / ".htaccess").is_file()
