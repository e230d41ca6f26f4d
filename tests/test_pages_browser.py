"""The linked-data pages in a real browser (Debian chromium through Playwright): the home page, a
project and the ontology, reached by following links; sorting with JavaScript off; no sideways
scrolling on a phone. Takes and checks the screenshots the README shows (see conftest.screenshot).
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PROJECT = "AICHR Regional Dialogue on the Mainstreaming of the Rights of Persons with Disabilities in ASEAN"


def test_home_to_project_by_links_and_the_ontology(server, page, screenshot):
    page.goto(server.url + "/")
    assert page.locator("h1").inner_text().startswith("ASEAN–Japan cooperation on human rights")
    assert page.locator("svg.timeline a").count() > 20
    screenshot(page, "home")

    page.locator(".shelves a", has_text="Projects").click()
    page.wait_for_url(re.compile(r"/list/Project$"))
    page.get_by_role("link", name=PROJECT, exact=True).click()
    page.wait_for_url(re.compile(r"/doc/project/jaif-01$"))  # /id/project/jaif-01 → 303 → its page
    assert page.locator("h1").inner_text() == PROJECT
    assert page.locator("dl.facts").inner_text().count("USD 169,934.75") == 1
    screenshot(page, "project")

    page.get_by_role("link", name="Thailand").first.click()
    page.wait_for_url(re.compile(r"/doc/country/th$"))
    assert page.locator("h1").inner_text() == "Thailand"
    assert page.get_by_role("link", name=PROJECT, exact=True).count() == 1  # the project it leads, incoming

    page.goto(server.url + "/ontology")
    page.locator("svg.model-diagram").scroll_into_view_if_needed()
    screenshot(page, "ontology", region="svg.model-diagram")
    page.locator("svg.model-diagram a[href='#Project'] text.box-title").click()
    page.wait_for_url(re.compile(r"/ontology#Project$"))
    assert page.locator("#Project h3").inner_text().startswith("Project")


def test_lists_sort_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(server.url + "/list/Project")
    tab.get_by_role("link", name=re.compile(r"^Actual cost")).click()
    tab.wait_for_url(re.compile(r"sort=actualCost"))
    assert tab.locator("th[aria-sort]").inner_text().startswith("Actual cost")
    context.close()


@pytest.mark.parametrize(
    "path", ["/", "/doc/project/jaif-01", "/doc/meeting/interface-2", "/ontology", "/list/Project", "/.well-known/void"]
)
def test_pages_fit_a_phone_screen(server, browser, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(server.url + path)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    context.close()
