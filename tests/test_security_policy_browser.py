"""The Content-Security-Policy in a real browser (Debian chromium): the pages work under it and
break none of it; a page that does break it is caught, so the silence means something."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Playwright's init scripts run before the page's own and are exempt from the page's policy.
LISTEN = """window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline code"));
});"""
QUERY = "SELECT ?project ?label WHERE { ?project a aj:JAIFProject ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture()
def violations(page):
    """`violations()`: what the page reported so far, as securitypolicyviolation events and console messages."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)

    def reported() -> list[str]:
        return page.evaluate("window.cspViolations") + [text for text in console if "Content Security Policy" in text]

    return reported


def styled(page) -> bool:
    """Our stylesheet applies (the site header is a flex row only by style.css)."""
    return page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "flex"


def test_home_page_and_a_resource_page_work_within_the_policy(page, violations, server):
    page.goto(server.url + "/")
    assert page.locator("svg.timeline a").count() > 20 and styled(page)
    assert violations() == []
    page.goto(server.url + "/doc/project/jaif-01")
    assert page.locator("dl.facts").count() == 1 and styled(page)
    assert page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)['@type']")
    assert violations() == []


def test_query_page_runs_a_query_within_the_policy(page, violations, server):
    """The editor's own styles (CodeMirror's) and its completion fetch break none of it."""
    page.goto(server.url + "/sparql")
    assert page.evaluate("document.body.classList.contains('js')"), "the query page's script ran"
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT ?project ?label WHERE { ?project a aj:JAIFPro")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    page.keyboard.press("Escape")
    page.keyboard.type("ject ; rdfs:label ?label } ORDER BY ?label")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results table")
    page.wait_for_load_state()  # the new page's editor has mounted
    assert page.locator("#results tbody tr").count() == 10
    assert page.locator(".cm-content .tok-keyword").count() > 3 and styled(page)
    gutter = page.evaluate(
        "getComputedStyle(document.querySelector('.query-editor').shadowRoot.querySelector('.cm-gutters')).display"
    )
    assert gutter == "flex", "CodeMirror's own stylesheet applies"
    assert violations() == []


def test_api_page_shows_its_charts_within_the_policy(page, violations, server):
    page.goto(server.url + "/api")
    charts = page.locator(".api-chart img")
    assert charts.count() > 0
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=chart.element_handle())
    assert styled(page)
    assert violations() == []


def test_a_violation_would_be_reported(page, violations, server):
    page.goto(server.url + "/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("window.cspViolations.length > 0")
    assert any(v.startswith("style-src-attr") for v in violations())
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)", "the inline style was blocked"
