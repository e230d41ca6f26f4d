"""The SPARQL query page in a real browser (Debian chromium), used as a user would: the editor, its
completion from our own ontology and data, Ctrl+Enter, links, examples, errors, offline, and the
page without JavaScript."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests

from tests.support import run_query

QUERY = """SELECT ?project ?label
WHERE { ?project a aj:JAIFProject ; rdfs:label ?label ; aj:month ?month }
ORDER BY ?month"""
COUNTS = """SELECT ?country (COUNT(?p) AS ?n)
WHERE { ?p a aj:JAIFProject ; aj:leadCountry ?country } GROUP BY ?country ORDER BY DESC(?n)"""
EDITOR = ".cm-content"
OPTION_LABELS = ".cm-tooltip-autocomplete li .cm-completionLabel"
# CodeMirror ignores keys for 75 ms after the list opens (so a key pressed before the list was seen
# does not pick from it): a user's Enter comes later than that, a script's must wait for it.
SEEN_MS = 150

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


@pytest.fixture(scope="module")
def completion(server) -> dict:
    """The completion resource the page completes from, as the server serves it."""
    response = requests.get(server.url + "/sparql/completion.json", timeout=30)
    assert response.status_code == 200
    return response.json()


def empty_editor(page) -> None:
    page.click(EDITOR)
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")


def paste_into_editor(page, text: str) -> None:
    """Replace the editor's text as a paste does: no key presses, so no completion is picked."""
    page.click(EDITOR)
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def offered(page) -> list[str]:
    """The suggestions the completion list shows (it must open)."""
    page.wait_for_selector(OPTION_LABELS)
    return page.locator(OPTION_LABELS).all_inner_texts()


def shown_lines(page_or_text) -> list[str]:
    """The non-blank lines the editor shows (its DOM renders an empty line as a break), or of a text."""
    text = page_or_text if isinstance(page_or_text, str) else page_or_text.locator(EDITOR).inner_text()
    return [line for line in text.splitlines() if line.strip()]


def pick(page) -> None:
    page.wait_for_timeout(SEEN_MS)
    page.keyboard.press("Enter")


def test_run_with_ctrl_enter_shows_a_linked_table(offline_page, server, screenshot):
    page = offline_page
    page.goto(server.url + "/sparql")
    paste_into_editor(page, QUERY)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table")
    page.wait_for_load_state()  # the new page's editor has mounted
    rows = page.locator("#results tbody tr")
    assert rows.count() == 10
    first_link = page.locator("#results tbody tr >> nth=0 >> a").first
    assert first_link.get_attribute("href").startswith("/id/project/")
    assert page.locator(f"{EDITOR} .tok-keyword").count() > 3, "the editor highlights SPARQL"
    assert page.locator(f"{EDITOR} .tok-prefixed").count() >= 3
    screenshot(page, "sparql")


def test_completion_offers_the_class_then_only_the_properties_of_its_subjects(offline_page, server, completion, screenshot):
    page = offline_page
    page.goto(server.url + "/sparql")
    empty_editor(page)
    page.keyboard.type("SELECT * WHERE { ?p a aj:JAIFPro")
    assert offered(page) == ["aj:JAIFProject"]
    assert page.locator(".cm-completionDetail").first.inner_text() == "JAIF-supported project"
    assert "Japan-ASEAN Integration Fund" in page.locator(".cm-completionInfo").inner_text()
    pick(page)
    page.keyboard.type(" ;")
    page.keyboard.type(" aj:")
    properties = offered(page)
    assert "aj:leadCountry" in properties and "aj:slideNumber" not in properties
    assert set(properties) <= set(completion["classProperties"]["aj:JAIFProject"]), "only a JAIF project's"
    screenshot(page, "query-completion", region=".cm-tooltip-autocomplete")
    page.keyboard.type("leadC")
    assert offered(page) == ["aj:leadCountry"]
    pick(page)
    page.keyboard.type(" ?country . ?")
    assert {"?p", "?country"} <= set(offered(page)), "the query's variables"
    page.keyboard.press("Escape")
    page.keyboard.press("Backspace")
    page.keyboard.type("}")
    assert page.input_value("#query") == "SELECT * WHERE { ?p a aj:JAIFProject ; aj:leadCountry ?country . }"
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == 10


def test_after_a_property_its_values_come_first(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    empty_editor(page)
    page.keyboard.type("SELECT * WHERE { ?p aj:leadCountry ")
    page.keyboard.press("Escape")  # the property list typing opened may still be showing: ask afresh
    page.wait_for_selector(OPTION_LABELS, state="detached")
    page.keyboard.press("Control+Space")
    values = offered(page)
    assert values[0] == "aj:Country"
    assert "<https://w3id.org/aichr-japan/id/country/th>" in values
    thailand = page.locator(".cm-tooltip-autocomplete li", has_text="country/th>")
    assert thailand.locator(".cm-completionDetail").inner_text() == "Thailand"


def test_without_the_completion_resource_the_editor_still_runs_queries(offline_page, server):
    page = offline_page
    warnings = []
    page.on("console", lambda message: warnings.append(message.text))
    page.route("**/sparql/completion.json", lambda route: route.fulfill(status=503, body="busy"))
    page.goto(server.url + "/sparql")
    empty_editor(page)
    page.keyboard.type("SELECT * WHERE { ?s a aj:JAIFProject } LIMIT 3")
    assert page.locator(".cm-tooltip-autocomplete").count() == 0
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == 3
    assert any("query completion is off" in text and "503" in text for text in warnings), warnings


def test_permalink_reopens_the_query(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    paste_into_editor(page, QUERY)
    assert page.input_value("#query") == QUERY, "the editor writes the textarea"
    permalink = page.get_attribute("#permalink", "href")
    page.goto(server.url + permalink)
    assert page.input_value("#query") == QUERY
    assert shown_lines(page) == shown_lines(QUERY)
    assert page.locator("#results tbody tr").count() == 10


def test_a_query_replaced_by_another_script_is_loaded_without_an_echo(offline_page, server):
    """The contract with the page's other scripts (tabs, history): they set the textarea and send
    `query-replaced`; the editor shows it and sends no `input` back, but does for every edit."""
    page = offline_page
    page.goto(server.url + "/sparql")
    page.evaluate("""() => {
      window.inputs = 0;
      const area = document.getElementById("query");
      area.addEventListener("input", () => window.inputs++);
      area.value = "ASK { ?s ?p ?o }";
      area.dispatchEvent(new CustomEvent("query-replaced"));
    }""")
    assert shown_lines(page) == ["ASK { ?s ?p ?o }"]
    assert page.evaluate("window.inputs") == 0, "a replacement is not echoed"
    page.click(EDITOR)
    page.keyboard.press("Control+End")
    page.keyboard.type(" # x")
    assert page.evaluate("window.inputs") == 4, "one input per change"
    assert page.input_value("#query") == "ASK { ?s ?p ?o } # x"
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results .boolean")
    assert page.inner_text("#results .boolean") == "true"


def test_download_links_cover_every_format(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    paste_into_editor(page, QUERY)
    run_query(page)
    page.wait_for_selector("#results table")
    formats = {link.get_attribute("data-format") for link in page.locator("#downloads a").all()}
    assert formats == {"json", "xml", "csv", "tsv"}
    assert all("query=SELECT" in link.get_attribute("href") for link in page.locator("#downloads a").all())


def test_error_is_shown_at_its_line(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    paste_into_editor(page, "SELECT ?s\nWHERE {\n  ?s ?p\n}")
    run_query(page)
    error = page.locator("#error")
    assert error.is_visible()
    assert error.get_attribute("data-line") == "4"
    page.wait_for_selector(".cm-line.error-line")  # the editor mounts on the new page
    marked = page.locator(".cm-line.error-line")
    assert marked.count() == 1 and marked.inner_text() == "}"


def test_saved_queries_are_offered_as_examples(offline_page, server):
    page = offline_page
    page.goto(server.url + "/sparql")
    options = page.locator("#examples option")
    assert options.count() > 10
    page.select_option("#examples", index=1)
    example = options.nth(1).get_attribute("data-query")
    assert example.strip() != ""
    assert page.input_value("#query") == example
    assert shown_lines(page) == shown_lines(example)
    assert page.get_attribute("#permalink", "href").startswith("/sparql?query=")


def test_without_javascript_the_form_runs_the_query(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/sparql")
    assert page.locator(EDITOR).count() == 0 and page.locator("#query").is_visible()
    page.fill("#query", QUERY)
    run_query(page)
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == 10
    context.close()


def test_permalink_keeps_the_view_and_the_graphs(offline_page, server):
    page = offline_page
    graph = "https://w3id.org/aichr-japan/graph/data"
    opened = {"query": COUNTS, "view": "table", "default-graph-uri": graph}
    page.goto(f"{server.url}/sparql?{urlencode(opened)}")
    permalink = page.get_attribute("#permalink", "href")
    assert parse_qs(urlparse(permalink).query) == {key: [value] for key, value in opened.items()}
    for link in page.locator("#downloads a").all():
        kept = parse_qs(urlparse(link.get_attribute("href")).query)
        assert kept["default-graph-uri"] == [graph] and "view" not in kept, "a download has the graphs but no view"
    paste_into_editor(page, COUNTS + " LIMIT 2")
    edited = parse_qs(urlparse(page.get_attribute("#permalink", "href")).query)
    assert edited["query"] == [COUNTS + " LIMIT 2"] and edited["view"] == ["table"]
    page.goto(server.url + page.get_attribute("#permalink", "href"))
    assert page.locator("#results table").count() == 1 and page.locator(".result-chart").count() == 0
    assert page.locator("#results tbody tr").count() == 2
