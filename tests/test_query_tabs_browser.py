"""Tabs and history of the query page in a real browser (Debian chromium), kept in localStorage.

The tests reach the editor only as the page's other scripts do: they set textarea#query and send it
`input` (what the editor does on every change), so they hold whichever editor the page uses.
A "next visit" is a fresh page of the same browser context, which shares its localStorage.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.support import run_query

pytestmark = pytest.mark.browser

PROJECTS = """# Projects by month
SELECT ?project ?month WHERE { ?project a aj:JAIFProject ; aj:month ?month } ORDER BY ?month"""
COUNTRIES = """SELECT ?country ?label
WHERE { ?country a aj:Country ; rdfs:label ?label }"""
TABS_KEY = "aichr-kg.query-tabs"
HISTORY_KEY = "aichr-kg.query-history"
# The results of a run, in whichever view the page chose for them (a table or a chart).
RESULTS_SHOWN = "#results :is(table, .result-chart)"
COUNT_REPLACEMENTS = """window.replacements = 0;
document.getElementById("query").addEventListener("query-replaced", () => window.replacements++);"""
STORAGE_FAILS = "(() => { try { localStorage.setItem('probe', '1'); return false; } catch (error) { return true; } })()"


@pytest.fixture()
def errors(page):
    """The page's uncaught script errors and Content-Security-Policy reports; a test using it must end with none."""
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(str(error)))
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    yield seen
    assert seen == [], f"the page threw or broke its policy: {seen}"


def type_query(page, text: str) -> None:
    page.eval_on_selector("#query", "(area, text) => { area.value = text; area.dispatchEvent(new Event('input')); }", text)


def query_text(page) -> str:
    return page.eval_on_selector("#query", "area => area.value")


def tab_titles(page) -> list[str]:
    return page.locator("#query-tablist [role=tab]").all_inner_texts()


def selected_title(page) -> str:
    return page.locator("#query-tablist [role=tab][aria-selected=true]").inner_text()


def store(page, key: str, text: str) -> None:
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [key, text])


def open_two_tabs(page, url: str) -> None:
    page.goto(url + "/sparql")
    type_query(page, PROJECTS)
    page.click("#query-tab-new")
    type_query(page, COUNTRIES)


def test_each_tab_keeps_its_text_and_survives_a_reload(page, server, errors):
    open_two_tabs(page, server.url)
    assert tab_titles(page) == ["Projects by month", "SELECT · aj:Country"]
    page.click("#query-tablist [role=tab] >> nth=0")
    assert query_text(page) == PROJECTS
    assert selected_title(page) == "Projects by month"
    page.click("#query-tablist [role=tab] >> nth=1")
    assert query_text(page) == COUNTRIES
    page.reload()
    assert tab_titles(page) == ["Projects by month", "SELECT · aj:Country"]
    assert selected_title(page) == "SELECT · aj:Country", "the active tab is restored too"
    assert query_text(page) == COUNTRIES
    page.click("#query-tablist [role=tab] >> nth=0")
    assert query_text(page) == PROJECTS


def test_tabs_open_close_and_move_from_the_keyboard(page, server, errors):
    open_two_tabs(page, server.url)
    page.focus("#query-tablist [role=tab][aria-selected=true]")
    page.keyboard.press("ArrowLeft")
    assert selected_title(page) == "Projects by month"
    assert query_text(page) == PROJECTS
    page.keyboard.press("End")
    assert query_text(page) == COUNTRIES
    page.keyboard.press("Delete")
    assert tab_titles(page) == ["Projects by month"]
    assert query_text(page) == PROJECTS
    assert page.evaluate("document.activeElement.getAttribute('aria-selected')") == "true", "focus stays on the tabs"
    page.click("#query-tab-new")
    type_query(page, COUNTRIES)
    page.evaluate(COUNT_REPLACEMENTS)
    page.click("#query-tablist .query-tab-close >> nth=0")
    assert tab_titles(page) == ["SELECT · aj:Country"]
    assert page.evaluate("window.replacements") == 0, "closing a tab not shown leaves the editor alone"
    page.click("#query-tablist .query-tab-close")
    assert len(tab_titles(page)) == 1, "closing the last tab leaves a fresh one"
    assert query_text(page).startswith("SELECT ?class"), "the fresh tab holds the default query"


def test_an_example_picked_into_a_tab_stays_in_it(page, server, errors):
    page.goto(server.url + "/sparql")
    page.select_option("#examples", index=1)
    example = query_text(page)
    page.click("#query-tab-new")
    assert query_text(page) != example
    page.click("#query-tablist [role=tab] >> nth=0")
    assert query_text(page) == example
    summary = page.locator("#examples option >> nth=1").inner_text()
    assert tab_titles(page)[0] == (summary if len(summary) <= 36 else summary[:35] + "…"), "named by its #+ summary"


def test_a_run_is_offered_in_history_on_the_next_visit(page, server, errors):
    page.goto(server.url + "/sparql")
    type_query(page, PROJECTS)
    run_query(page)
    page.wait_for_selector(RESULTS_SHOWN)
    next_visit = page.context.new_page()
    next_visit.goto(server.url + "/sparql")
    next_visit.click("#query-tab-new")
    type_query(next_visit, "ASK {}")
    next_visit.click("#query-history summary")
    entries = next_visit.locator("#query-history-list .query-history-entry")
    assert entries.count() == 1
    assert "Projects by month" in entries.first.inner_text()
    assert "SELECT ?project ?month" in entries.first.inner_text()
    assert entries.first.locator("time").get_attribute("datetime").endswith("Z")
    entries.first.click()
    assert query_text(next_visit) == PROJECTS, "the entry opens in the tab already holding it"
    assert not next_visit.locator("#query-history").evaluate("details => details.open")
    assert tab_titles(next_visit) == ["Projects by month", "ASK"], "the query being written is kept"


def test_a_history_entry_never_overwrites_the_query_being_written(page, server, errors):
    page.goto(server.url + "/sparql")
    type_query(page, PROJECTS)
    run_query(page)
    page.wait_for_selector(RESULTS_SHOWN)
    type_query(page, "ASK {}")
    page.click("#query-history summary")
    page.locator("#query-history-list .query-history-entry").first.click()
    assert query_text(page) == PROJECTS
    assert tab_titles(page) == ["ASK", "Projects by month"], "the entry opens in a new tab, the ASK stays"


def test_history_is_newest_first_without_repeats_and_can_be_cleared(page, server, errors):
    page.goto(server.url + "/sparql")
    for query in (PROJECTS, COUNTRIES, PROJECTS):
        type_query(page, query)
        run_query(page)
        page.wait_for_selector(RESULTS_SHOWN)
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('{HISTORY_KEY}'))")
    assert [entry["query"] for entry in stored] == [PROJECTS, COUNTRIES]
    page.click("#query-history summary")
    expect(page.locator("#query-history-count")).to_have_text("2")
    page.click("#query-history-clear")
    assert page.locator("#query-history-list li").count() == 0
    assert page.locator("#query-history-empty").is_visible()
    page.reload()
    expect(page.locator("#query-history-count")).to_have_text("0")


def test_permalink_reopens_its_query_beside_the_open_tabs(page, server, errors):
    open_two_tabs(page, server.url)
    permalink = page.get_attribute("#permalink", "href")
    page.click("#query-tablist [role=tab] >> nth=0")
    page.goto(server.url + permalink)
    assert tab_titles(page) == ["Projects by month", "SELECT · aj:Country"], "a tab with that text is reused"
    assert selected_title(page) == "SELECT · aj:Country"
    assert query_text(page) == COUNTRIES
    assert page.locator("#results tbody tr").count() > 0
    page.goto(server.url + "/sparql?" + "query=ASK%20%7B%7D")
    assert tab_titles(page) == ["Projects by month", "SELECT · aj:Country", "ASK"], "a new text opens a new tab"
    assert query_text(page) == "ASK {}"
    assert page.locator("#results .boolean").inner_text() == "true"


def test_corrupt_storage_leaves_a_working_page(page, server, errors):
    page.goto(server.url + "/sparql")
    store(page, TABS_KEY, "{not json")
    store(page, HISTORY_KEY, "[1, null")
    page.reload()
    assert len(tab_titles(page)) == 1
    assert query_text(page).startswith("SELECT ?class")
    store(page, TABS_KEY, json.dumps({"tabs": [{"id": "x"}, 7], "active": 3}))
    store(page, HISTORY_KEY, json.dumps([{"query": 5}, {"query": "ASK {}", "time": "no"}]))
    page.reload()
    assert len(tab_titles(page)) == 1
    expect(page.locator("#query-history-count")).to_have_text("0")
    type_query(page, PROJECTS)
    run_query(page)
    page.wait_for_selector(RESULTS_SHOWN)
    expect(page.locator("#query-history-count")).to_have_text("1")


@pytest.mark.parametrize(
    "breakage",
    [
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }})",
        "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }",
    ],
    ids=["storage refused", "storage full"],
)
def test_tabs_work_in_memory_without_storage(page, server, errors, breakage):
    page.add_init_script(breakage)
    open_two_tabs(page, server.url)
    assert page.evaluate(STORAGE_FAILS), "the breakage is in place"
    page.click("#query-tablist [role=tab] >> nth=0")
    assert query_text(page) == PROJECTS
    run_query(page)
    page.wait_for_selector(RESULTS_SHOWN)
    assert tab_titles(page) == ["Projects by month"], "nothing was kept, and the page still works"


def test_without_javascript_nothing_of_it_shows(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(server.url + "/sparql")
        assert not plain.locator("#query-tabs").is_visible()
        plain.fill("#query", COUNTRIES)
        run_query(plain)
        assert plain.locator("#results tbody tr").count() > 0
    finally:
        context.close()


def test_screenshot_of_tabs_and_history(page, server, errors, screenshot):
    page.goto(server.url + "/sparql")
    for query in (COUNTRIES, PROJECTS):
        type_query(page, query)
        run_query(page)
        page.wait_for_selector(RESULTS_SHOWN)
    page.click("#query-tab-new")
    page.click("#query-history summary")
    assert page.locator("#query-history-list li").count() == 2
    screenshot(page, "sparql-tabs", region="#query-tabs")
