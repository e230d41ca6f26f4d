"""The query page's result views in a real browser (Debian chromium): a grouped sum drawn as bars,
switched to the table and back by the view links, under the page's Content-Security-Policy."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

COST_BY_COUNTRY = """SELECT ?country (SUM(?amount) AS ?total_usd)
WHERE {
  ?project a aj:JAIFProject ;
           aj:leadCountry ?country ;
           aj:actualCost [ aj:amount ?amount ; aj:currency "USD" ] .
}
GROUP BY ?country
ORDER BY DESC(?total_usd)"""
# Through the textarea the page's contract names (an editor on it writes its text back there) and the form's own submit.
RUN = """query => {
  const textarea = document.getElementById("query");
  textarea.value = query;
  textarea.dispatchEvent(new CustomEvent("query-replaced"));
  document.getElementById("query-form").requestSubmit();
}"""


def bar_texts(page) -> list[str]:
    return page.locator(".result-chart[data-view=bar] svg text").all_text_contents()


def test_a_grouped_sum_is_drawn_as_bars_and_switched_to_the_table_and_back(page, server, screenshot):
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(server.url + "/sparql")
    with page.expect_navigation():
        page.evaluate(RUN, COST_BY_COUNTRY)
    assert page.locator("nav.result-views a[aria-current=page]").inner_text() == "Bar chart", "bars are the default"
    page.click("nav.result-views a[data-view=table]")
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == 2
    assert page.locator("#results tbody a[title$='country/th']").inner_text() == "Thailand"
    page.click("nav.result-views a[data-view=bar]")
    page.wait_for_selector(".result-chart[data-view=bar] svg")
    assert {"Thailand", "Viet Nam", "975,679.55", "160,483"} <= set(bar_texts(page))
    bars = page.locator(".result-chart svg rect[fill='#0b5cad']")
    assert bars.count() == 2
    widths = [bars.nth(i).bounding_box()["width"] for i in range(2)]
    assert widths[0] > 4 * widths[1] > 0, "the bars are drawn to scale"
    assert page.input_value("#query") == COST_BY_COUNTRY, "the page reopens with the query it shows"
    assert blocked == []
    page.locator("#run").scroll_into_view_if_needed()
    screenshot(page, "sparql-chart", region=".result-chart svg")
