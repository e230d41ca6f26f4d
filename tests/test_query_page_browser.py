"""The SPARQL query page in a real browser (Debian chromium): editor, Ctrl+Enter, links, errors, offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

QUERY = """SELECT ?project ?label
WHERE { ?project a aj:JAIFProject ; rdfs:label ?label ; aj:month ?month }
ORDER BY ?month"""

pytestmark = pytest.mark.browser


@pytest.fixture()
def offline_page(page, server):
    """Every request the page makes must go to our server; anything else fails the test."""
    outside = []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", guard)
    yield page
    assert outside == [], f"the page tried to reach {outside}"


def test_run_with_ctrl_enter_shows_a_linked_table(offline_page, server, screenshot):
    page = offline_page
    page.goto(server.url + "/sparql")
    page.fill("#query", QUERY)
    page.focus("#query")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 10
    first_link = page.locator("#results tbody tr >> nth=0 >> a").first
    assert first_link.get_attribute("href").startswith("/id/project/")
    assert page.locator(".tok-keyword").count() > 3, "the editor highlights SPARQL"
    screenshot(page, "sparql")


def test_permalink_reopens_the_query(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    page.fill("#query", QUERY)
    page.dispatch_event("#query", "input")
    permalink = page.get_attribute("#permalink", "href")
    page.goto(server.url + permalink)
    assert page.input_value("#query") == QUERY
    assert page.locator("#results tbody tr").count() == 10


def test_download_links_cover_every_format(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    page.fill("#query", QUERY)
    page.click("#run")
    page.wait_for_selector("#results table")
    formats = {link.get_attribute("data-format") for link in page.locator("#downloads a").all()}
    assert formats == {"json", "xml", "csv", "tsv"}


def test_error_is_shown_at_its_line(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    page.fill("#query", "SELECT ?s\nWHERE {\n  ?s ?p\n}")
    page.click("#run")
    error = page.locator("#error")
    assert error.is_visible()
    assert error.get_attribute("data-line") == "4"
    page.wait_for_selector("#highlight .error-line")
    assert page.locator("#highlight .error-line").count() == 1


def test_saved_queries_are_offered_as_examples(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    options = page.locator("#examples option")
    assert options.count() > 10
    page.select_option("#examples", index=1)
    assert page.input_value("#query").strip() != ""
