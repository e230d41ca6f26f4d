"""Charts: /api/<name>.svg parses as SVG with a title, a text alternative, axis labels, units and
the source's values as readable text; the drawing functions are pure and escape what they write."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
import requests

from aichr_kg.charts import render_chart
from tests.support import ROOT

SVG = "{http://www.w3.org/2000/svg}"
ID = "https://w3id.org/aichr-japan/id/"


def chart(server, name: str, **parameters) -> ElementTree.Element:
    response = requests.get(f"{server.url}/api/{name}.svg", params=parameters, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    return ElementTree.fromstring(response.content)


def texts(svg: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in svg.iter(SVG + "text")]


def alternative(svg: ElementTree.Element) -> tuple[str, str]:
    """The <title> and <desc> a screen reader announces (aria-labelledby names both)."""
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return title.text, desc.text


def test_jaif_cost_bar_chart_has_title_axes_unit_and_exact_values(server):
    svg = chart(server, "jaif-cost-by-country")
    title, desc = alternative(svg)
    assert title == "Known actual cost of JAIF-supported projects per lead country"
    assert "Thailand: 975,679.55 USD; Viet Nam: 160,483.00 USD" in desc
    shown = texts(svg)
    assert {"Thailand", "Viet Nam", "975,679.55", "160,483.00"} <= set(shown)
    assert "Actual cost (USD)" in shown and "Lead country" in shown
    assert shown.count(title) == 1, "the title is also drawn"


def test_donor_ranking_bars_are_in_rank_order(server):
    shown = texts(chart(server, "donors-ranked"))
    assert (
        shown.index("Japan-ASEAN Integration Fund")
        < shown.index("United Nations Development Programme")
        < shown.index("European Union")
    )
    assert "Projects funded (projects)" in shown and "11" in shown


def test_theme_counts_chart(server):
    svg = chart(server, "theme-project-counts")
    shown = texts(svg)
    assert shown[shown.index("Business and human rights") + 1] == "10"
    assert shown[shown.index("Rights of persons with disabilities") + 1] == "7"
    assert "Projects per theme" in alternative(svg)[0]


def test_timeline_spans_2014_to_2025_with_meetings_and_projects(server):
    svg = chart(server, "timeline")
    shown = texts(svg)
    assert [str(year) for year in range(2014, 2026)] == [t for t in shown if t.isdigit()]
    assert "1st AICHR-Japan Interface Meeting (8 May 2015)" in shown
    assert "AICHR-AFM interface 2025 (Jul 2025)" in shown and "Year" in shown
    title, desc = alternative(svg)
    assert title == "AICHR-Japan cooperation, 2014-2025" and "27 items (project: 19, meeting: 8)" in desc


def test_donor_project_network_links_every_donor_to_its_projects(server):
    svg = chart(server, "donor-projects")
    shown = texts(svg)
    assert "Donors (11)" in shown and "Projects (19)" in shown
    assert "Japan-ASEAN Integration Fund (11)" in shown and "United Nations Development Programme (5)" in shown
    edges = [g for g in svg.iter(SVG + "g") if g.find(SVG + "line") is not None]
    assert len(edges) == 30 and all("→" in g.find(SVG + "title").text for g in edges)
    one_donor = chart(server, "donor-projects", donor=ID + "country/se")
    assert "Donors (1)" in texts(one_donor) and "Projects (1)" in texts(one_donor)


def test_bad_parameter_on_a_chart_is_400(server):
    response = requests.get(f"{server.url}/api/donor-projects.svg", params={"donor": "nobody"}, timeout=30)
    assert response.status_code == 400 and "must be" in response.text


@pytest.mark.parametrize(
    "hint",
    [
        {"type": "bar", "x": "name", "y": "value", "title": "Empty"},
        {"type": "timeline", "date": "when", "label": "name", "title": "Empty"},
        {"type": "network", "source": "name", "target": "value", "title": "Empty"},
        {"type": "line", "x": "when", "y": "value", "title": "Empty"},
    ],
)
def test_every_kind_draws_an_empty_answer(hint):
    svg = ElementTree.fromstring(render_chart(hint, [], chart_id="empty"))
    assert svg.find(SVG + "title").text == "Empty"


def test_labels_are_escaped_and_drawing_is_deterministic():
    hint = {"type": "bar", "x": "name", "y": "value", "title": "<b>&</b>", "unit": "USD"}
    records = [{"name": "A & <B>", "value": Decimal("1234.5")}, {"name": "C", "value": Decimal("0.25")}]
    first = render_chart(hint, records, chart_id="x")
    assert first == render_chart(hint, records, chart_id="x")
    svg = ElementTree.fromstring(first)
    assert svg.find(SVG + "title").text == "<b>&</b>"
    assert {"A & <B>", "1,234.50", "0.25"} <= set(texts(svg))


def test_a_line_joins_its_points_in_date_order_at_their_dates():
    hint = {"type": "line", "x": "month", "y": "usd", "title": "Cost", "unit": "USD"}
    records = [
        {"month": "2016-07", "usd": Decimal("2.5")},
        {"month": "2015-12", "usd": Decimal("1")},
        {"month": "2018", "usd": 4},
        {"month": "not a date", "usd": 9},
    ]
    svg = ElementTree.fromstring(render_chart(hint, records, chart_id="l"))
    shown = texts(svg)
    assert shown.index("Dec 2015") < shown.index("Jul 2016") < shown.index("2018"), "in date order"
    assert {"1.00", "2.50", "4.00", "usd (USD)"} <= set(shown) and "9" not in shown, "a value that is not dated is left out"
    xs = [float(point.split(",")[0]) for point in svg.find(SVG + "polyline").get("points").split()]
    assert xs == sorted(xs) and (xs[2] - xs[1]) > 2 * (xs[1] - xs[0]), "placed by date, not evenly"
    assert "Line chart of usd over month, 3 points. Dec 2015: 1.00 USD;" in svg.find(SVG + "desc").text


def test_network_lines_carry_their_edge_labels():
    hint = {"type": "network", "source": "s", "target": "o", "edge": "p", "title": "t"}
    records = [
        {"s": "a", "o": "b", "p": "aj:funds"},
        {"s": "a", "o": "b", "p": "aj:<leads>"},
        {"s": "a", "o": "c", "p": "aj:funds"},
    ]
    svg = ElementTree.fromstring(render_chart(hint, records, chart_id="n"))
    assert texts(svg).count("aj:funds, aj:<leads>") == 1 and texts(svg).count("aj:funds") == 1
    assert "a → aj:funds, aj:<leads> → b" in [title.text for title in svg.iter(SVG + "title")]


def test_long_labels_keep_their_distinguishing_suffix():
    hint = {"type": "network", "source": "donor", "target": "project", "target_name": "name", "title": "t"}
    name = "AICHR Interregional Dialogue: Sharing Good Practices on Business and Human Rights (2019-06)"
    shown = texts(ElementTree.fromstring(render_chart(hint, [{"donor": "d", "project": "p", "name": name}], chart_id="n")))
    assert any(t.endswith("… (2019-06)") for t in shown)


def test_the_readme_chart_is_the_one_the_server_draws(server):
    """docs/jaif-cost-by-country.svg is shown in docs/endpoint.md; rewrite it (see there) when the data changes."""
    served = requests.get(f"{server.url}/api/jaif-cost-by-country.svg", timeout=30).text
    assert (ROOT / "docs" / "jaif-cost-by-country.svg").read_text(encoding="utf-8") == served


@pytest.mark.parametrize(("kind", "mark"), [("bar", "rect"), ("line", "circle")])
def test_a_record_without_a_value_is_not_drawn(kind, mark):
    hint = {"type": kind, "x": "when", "y": "value", "title": "Gaps"}
    records = [{"when": "2020-01", "value": 5}, {"when": "2020-02"}, {"when": "2020-03", "value": None}]
    svg = ElementTree.fromstring(render_chart(hint, records, chart_id="g"))
    marks = [element for element in svg.iter(SVG + mark) if element.get("width") != "100%"]
    assert len(marks) == 1, "one record has a value"
    assert re.search(r", 1 (bars|points)\. ", svg.find(SVG + "desc").text), "the text alternative lists only it"


@pytest.mark.parametrize("kind", ["line", "timeline"])
def test_an_impossible_date_is_not_drawn(kind):
    hint = {"type": kind, "x": "when", "date": "when", "y": "value", "label": "name", "title": "Dates"}
    records = [{"when": when, "value": 1, "name": when} for when in ("2020-13", "2020-00", "2021-02-29", "2020-05")]
    svg = ElementTree.fromstring(render_chart(hint, records, chart_id="d"))
    description = svg.find(SVG + "desc").text
    assert "May 2020" in description and "Dec 2019" not in description and "2021" not in description
