"""`serve --public-url` names the origin the server is reached at: redirects, document URLs and ETags
are built from it while IRIs stay under the base, and X-Forwarded-* headers count only from the
proxies `--trust-proxy` says are in front (by default a spoofed one changes nothing).
"""

from __future__ import annotations

import pytest

from aichr_kg.cli import main
from aichr_kg.config import ConfigError, load_settings
from aichr_kg.store.local import LocalStore
from aichr_kg.web import close_stores, create_app

RESOURCE = "/id/project/jaif-01"
DOCUMENT = "/doc/project/jaif-01"
FORWARDED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
SPOOFED = {**FORWARDED, "Host": "spoofed.example"}
TURTLE = {"Accept": "text/turtle"}


@pytest.fixture(scope="module")
def make_client(built):
    """A test client over the built store with the given settings (the apps closed at the module's end)."""
    apps = []

    def client(**settings):
        app = create_app(load_settings(environ={}, root=built.parent, **settings), store=LocalStore(built / "store"))
        apps.append(app)
        return app.test_client()

    yield client
    for app in apps:
        close_stores(app)


def test_by_default_a_spoofed_forwarded_host_changes_nothing(make_client):
    client = make_client()
    plain, spoofed = client.get(DOCUMENT, headers=TURTLE), client.get(DOCUMENT, headers={**TURTLE, **FORWARDED})
    assert f"<http://localhost{DOCUMENT}>" in spoofed.text
    assert spoofed.text == plain.text and spoofed.headers["ETag"] == plain.headers["ETag"]
    assert client.get(RESOURCE, headers=FORWARDED).headers["Location"] == DOCUMENT
    assert "evil.example" not in client.get("/.well-known/void", headers=FORWARDED).text


def test_trusted_proxies_name_the_host_they_were_asked_for(make_client):
    client = make_client(trust_proxy=1)
    answer = client.get(DOCUMENT, headers={**TURTLE, **FORWARDED})
    assert f"<https://evil.example{DOCUMENT}>" in answer.text
    assert answer.headers["ETag"] != client.get(DOCUMENT, headers=TURTLE).headers["ETag"]


def test_the_public_url_builds_locations_documents_and_etags(make_client):
    client = make_client(public_url="https://kg.example.org/", trust_proxy=1)
    assert client.get(RESOURCE).headers["Location"] == "https://kg.example.org" + DOCUMENT
    assert client.get("/ontology/").headers["Location"] == "https://kg.example.org/ontology"
    plain, spoofed = client.get(DOCUMENT, headers=TURTLE), client.get(DOCUMENT, headers={**TURTLE, **SPOOFED})
    assert f"<https://kg.example.org{DOCUMENT}>" in plain.text
    assert "@prefix project: <https://w3id.org/aichr-japan/id/project/>" in plain.text  # the IRIs stay under the base
    assert "project:jaif-01 " in plain.text
    assert spoofed.text == plain.text and spoofed.headers["ETag"] == plain.headers["ETag"]
    assert client.get(RESOURCE, headers=SPOOFED).headers["Location"] == "https://kg.example.org" + DOCUMENT
    assert "<https://kg.example.org/sparql>" in client.get("/sparql", headers=TURTLE).text
    assert "https://kg.example.org/sparql" in client.get("/.well-known/void", headers={**TURTLE, **SPOOFED}).text
    assert "curl https://kg.example.org/api/" in client.get("/api", headers={"Accept": "text/html"}).text


def test_the_environment_names_the_public_url():
    settings = load_settings(environ={"AICHR_KG_PUBLIC_URL": "https://kg.example.org", "AICHR_KG_TRUST_PROXY": "2"})
    assert (settings.public_url, settings.trust_proxy) == ("https://kg.example.org", 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ftp://kg.example.org", "is not an http:// or https:// origin"),
        ("https://user:pw@kg.example.org", "is not an http:// or https:// origin"),
        ("https://kg.example.org/kg/", "give the origin alone"),
        ("https://kg.example.org/?a=1", "give the origin alone"),
    ],
)
def test_a_public_url_that_is_not_an_origin_is_refused(value, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(environ={}, public_url=value)


def test_serve_refuses_a_bad_public_url_or_proxy_count(capsys):
    assert main(["serve", "--public-url", "https://kg.example.org/kg/"]) == 2
    assert "give the origin alone" in capsys.readouterr().err
    assert main(["serve", "--trust-proxy", "-1"]) == 2
    assert "0 or more" in capsys.readouterr().err
