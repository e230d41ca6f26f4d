"""One timeline: the home page's SVG and the API's chart of the saved query `timeline` are one
drawing, so they show the same lanes, rows, links, classes and text alternative; what it writes is
escaped, and it carries its own colours, so the chart looks the same as an image or on its own."""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

from aichr_kg.charts import render_chart

SVG = "{http://www.w3.org/2000/svg}"
HINT = {"type": "timeline", "date": "date", "label": "name", "group": "kind", "link": "item", "planned": "planned"}
FIRST_MEETING = "1st AICHR-Japan Interface Meeting (8 May 2015)"


def home_timeline(site) -> ElementTree.Element:
    page = site.get("/").text
    drawings = re.findall(r'<svg class="timeline".*?</svg>', page, flags=re.DOTALL)
    assert len(drawings) == 1, "the home page draws one timeline, inline"
    return ElementTree.fromstring(drawings[0])


def api_timeline(site) -> ElementTree.Element:
    response = site.get("/api/timeline.svg")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("image/svg+xml")
    return ElementTree.fromstring(response.content)


def rows(svg: ElementTree.Element) -> list[tuple]:
    """Every row as drawn: element, link, class, its marker's class, its label and its tooltip."""
    return [
        (row.tag, row.get("href"), row.get("class"), _marker(row), row.find(SVG + "text").text, row.find(SVG + "title").text)
        for row in svg.iter()
        if row.get("class") == "row"
    ]


def _marker(row: ElementTree.Element) -> str:
    """`circle.mark planned`: the marker's shape and classes."""
    (marker,) = [element for element in row if "mark" in (element.get("class") or "").split()]
    return f"{marker.tag.removeprefix(SVG)}.{marker.get('class')}"


def drawing(svg: ElementTree.Element) -> dict:
    """What a reader sees and a stylesheet hooks into, leaving out the title (a page may show its own)."""
    return {
        "rows": rows(svg),
        "texts": [(t.get("class"), t.text) for t in svg.iter(SVG + "text") if t.get("class")],
        "classes": sorted({element.get("class") for element in svg.iter() if element.get("class")}),
        "desc": svg.find(SVG + "desc").text,
        "size": svg.get("viewBox").split()[2],
    }


def test_the_home_page_and_the_api_chart_are_one_drawing(site):
    home, chart = home_timeline(site), api_timeline(site)
    assert drawing(home) == drawing(chart)
    drawn = drawing(home)
    assert [text for kind, text in drawn["texts"] if kind == "lane"] == ["Project (19)", "planned (1)", "Meeting (8)"]
    assert [text for kind, text in drawn["texts"] if kind == "year"] == [str(year) for year in range(2014, 2026)]
    assert len(drawn["rows"]) == 27 and all(tag == SVG + "a" for tag, *_ in drawn["rows"])
    assert (SVG + "a", "/id/meeting/interface-1", "row", "rect.mark", FIRST_MEETING, FIRST_MEETING) in drawn["rows"]
    assert [row[3] for row in drawn["rows"]].count("circle.mark planned") == 1
    assert drawn["desc"].startswith("Timeline from 2014 to 2025 of 27 items (project: 19, meeting: 8). Jun 2014: ")


def test_only_the_api_chart_draws_its_title_and_both_name_themselves(site):
    home, chart = home_timeline(site), api_timeline(site)
    drawn_title = [t.text for t in chart.iter(SVG + "text") if not t.get("class")]
    assert drawn_title == [chart.find(SVG + "title").text] == ["AICHR-Japan cooperation, 2014-2025"]
    assert [t.text for t in home.iter(SVG + "text") if not t.get("class")] == [], "the section's heading is the title"
    for svg in (home, chart):
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == "timeline-title timeline-desc"
        assert svg.find(SVG + "title").get("id") == "timeline-title" and svg.find(SVG + "desc").get("id") == "timeline-desc"


def test_every_row_links_to_the_page_of_its_item(site):
    for _, href, *_ in rows(home_timeline(site)):
        page = site.get(href)  # /id/… answers 303 to its page
        assert page.status_code == 200 and urlsplit(page.url).path.startswith("/doc/"), href


def test_the_drawing_needs_no_stylesheet_and_no_inline_style(site):
    """Colours are attributes (an <img> loads no stylesheet); nothing the Content-Security-Policy forbids."""
    for svg in (home_timeline(site), api_timeline(site)):
        markers = [e for e in svg.iter() if "mark" in (e.get("class") or "").split()]
        assert len(markers) == 27 + 3 and all(e.get("fill") and e.get("stroke") for e in markers)
        assert not [e for e in svg.iter() if e.get("style") is not None or e.tag in (SVG + "style", SVG + "script")]


def test_hostile_labels_kinds_and_links_are_written_as_text():
    hostile = '<script>alert("x")</script> & </svg>'
    records = [
        {
            "date": "2015-05-08",
            "name": hostile,
            "kind": 'k" onload="x',
            "item": 'https://example.org/?a=1&b="2"',
            "planned": True,
        },
        {"date": "not a date", "name": "left out", "kind": "k", "item": "https://example.org/2", "planned": False},
    ]
    text = render_chart({**HINT, "title": "<b>T</b>"}, records, chart_id="h", href_of=lambda iri: iri)
    assert "<script" not in text and text.count("</svg>") == 1
    svg = ElementTree.fromstring(text)
    assert svg.find(SVG + "title").text == "<b>T</b>"
    (row,) = [element for element in svg.iter() if element.get("class") == "row"]
    assert row.get("href") == 'https://example.org/?a=1&b="2"'
    assert row.find(SVG + "text").text == hostile + " (8 May 2015)"
    assert 'K" onload="x (1)' in [t.text for t in svg.iter(SVG + "text")]
    assert not [element for element in svg.iter() if "onload" in element.attrib]


def test_rows_without_a_link_column_are_not_links():
    records = [{"date": "2020-02", "name": "A", "kind": None, "item": None, "planned": None}]
    svg = ElementTree.fromstring(render_chart({"type": "timeline", "date": "date", "label": "name"}, records, chart_id="n"))
    assert [row.tag for row in svg.iter() if row.get("class") == "row"] == [SVG + "g"]
    assert not list(svg.iter(SVG + "a")) and "Items (1)" in [t.text for t in svg.iter(SVG + "text")]
