"""Result views of the query page: the view chosen from the column types, each view's SVG read as
text, the switcher's links, unfit and unknown views, and IRIs shown by their labels."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pyoxigraph
import pytest

from aichr_kg.dataset.labels import labels_of
from aichr_kg.namespaces import RDFS_LABEL, SKOS, XSD
from aichr_kg.store.local import LocalStore
from aichr_kg.web.sparql.views import choose_views, number_of, read_columns

SVG = "{http://www.w3.org/2000/svg}"
ID = "https://w3id.org/aichr-japan/id/"
DATA_GRAPH = "https://w3id.org/aichr-japan/graph/data"
COST_BY_COUNTRY = """SELECT ?country (SUM(?amount) AS ?total)
WHERE { ?p a aj:JAIFProject ; aj:leadCountry ?country ; aj:actualCost [ aj:amount ?amount ] }
GROUP BY ?country ORDER BY DESC(?total)"""
PROJECTS_PER_MONTH = """SELECT ?month (COUNT(?p) AS ?projects)
WHERE { ?p a aj:JAIFProject ; aj:month ?month } GROUP BY ?month ORDER BY ?month"""
PROJECT_MONTHS = """SELECT ?p ?label ?month
WHERE { ?p a aj:JAIFProject ; rdfs:label ?label ; aj:month ?month } ORDER BY ?month"""
DESCRIBE_PROJECT = f"DESCRIBE <{ID}project/jaif-01>"
EVERY_PROJECT_LINK = "CONSTRUCT { ?p ?link ?o } WHERE { ?p a aj:JAIFProject ; ?link ?o }"


def literal(value: str, datatype: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + datatype))


def iri(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(ID + name)


def text(value: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(value)


def choice_of(names: list[str], rows: list[list]):
    return choose_views(read_columns(names, rows), len(rows))


@pytest.mark.parametrize(
    ("names", "rows", "default", "offered"),
    [
        (
            ["country", "total"],
            [[iri("th"), literal("975679.55", "decimal")], [iri("vn"), literal("160483", "decimal")]],
            "bar",
            {"table", "bar"},
        ),
        (
            ["month", "n"],
            [
                [literal("2015-12", "gYearMonth"), literal("1", "integer")],
                [literal("2016-07", "gYearMonth"), literal("2", "integer")],
            ],
            "line",
            {"table", "bar", "line"},
        ),
        (
            ["year", "n"],
            [[literal("2015", "gYear"), literal("1.5", "double")], [literal("2016", "gYear"), literal("2", "double")]],
            "line",
            {"table", "bar", "line"},
        ),
        (
            ["p", "name", "day"],
            [[iri("a"), text("A"), literal("2015-05-08", "date")], [iri("b"), text("B"), literal("2016-01-02", "date")]],
            "timeline",
            {"table", "timeline"},
        ),
        (["name", "note"], [[text("A"), text("x")], [text("B"), text("y")]], "table", {"table"}),
        (
            ["country", "n"],
            [[iri("th"), literal("1", "integer")], [iri("th"), literal("2", "integer")]],
            "table",
            {"table", "bar"},
        ),
        (
            ["month", "n"],
            [
                [literal("2015-12", "gYearMonth"), literal("1", "integer")],
                [literal("2015-12", "gYearMonth"), literal("2", "integer")],
            ],
            "table",
            {"table", "bar"},
        ),
        (["n"], [[literal("NaN", "double")]], "table", {"table"}),
        (["name", "n"], [[text("A"), literal("abc", "integer")]], "table", {"table"}),
        (["country", "n"], [], "table", {"table"}),
    ],
    ids=[
        "iri-number",
        "month-number",
        "year-double",
        "dates-with-names",
        "text-only",
        "repeated-names",
        "repeated-months",
        "not-a-number",
        "ill-typed",
        "no-rows",
    ],
)
def test_default_view_follows_the_column_types(names, rows, default, offered):
    choice = choice_of(names, rows)
    assert choice.default == default
    assert set(choice.hints) == offered


def test_a_bar_is_named_by_the_label_column_and_measures_the_first_number():
    names = ["country", "label", "projects", "total"]
    rows = [[iri("th"), text("Thailand"), literal("9", "integer"), literal("975679.55", "decimal")]]
    assert choice_of(names, rows).hints["bar"] == {"type": "bar", "x": "label", "y": "projects"}


def page_of(site, query: str, status: int = 200, **params) -> str:
    response = site.get("/sparql", params={"query": query, "format": "html", **params})
    assert response.status_code == status, response.text[:2000]
    return response.text


def drawn(page: str) -> ElementTree.Element:
    """The one inline SVG of the result view."""
    charts = re.findall(r'<div class="result-chart" data-view="\w+">(<svg.*?</svg>)</div>', page, re.S)
    assert len(charts) == 1, "one chart is drawn"
    return ElementTree.fromstring(charts[0])


def texts(svg: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in svg.iter(SVG + "text")]


def switcher(page: str) -> dict[str, tuple[str, bool]]:
    """Each view link: its href (unescaped) and whether it is marked as the current view."""
    links = re.findall(r'<a href="([^"]*)" data-view="(\w+)"( aria-current="page")?>', page)
    return {view: (html.unescape(href), bool(current)) for href, view, current in links}


def test_cost_per_country_opens_as_bars_with_the_labels_and_amounts(site):
    page = page_of(site, COST_BY_COUNTRY)
    views = switcher(page)
    assert set(views) == {"table", "bar"} and views["bar"][1] and not views["table"][1]
    shown = texts(drawn(page))
    assert {"Thailand", "Viet Nam", "975,679.55", "160,483"} <= set(shown), "countries by label, exact amounts"
    assert "<table" not in page
    assert " style=" not in page, "the policy allows no style attribute"


def test_switching_to_the_table_keeps_the_query_and_the_graphs(site):
    page = page_of(site, COST_BY_COUNTRY, **{"default-graph-uri": DATA_GRAPH})
    href = switcher(page)["table"][0]
    parameters = parse_qs(urlsplit(href).query)
    assert parameters == {"query": [COST_BY_COUNTRY], "format": ["html"], "view": ["table"], "default-graph-uri": [DATA_GRAPH]}
    table = site.get(href)
    assert table.status_code == 200
    assert "<table" in table.text and 'class="result-chart"' not in table.text
    assert switcher(table.text)["table"][1]


def test_projects_per_month_open_as_a_line_through_every_month(site):
    page = page_of(site, PROJECTS_PER_MONTH)
    assert switcher(page)["line"][1]
    svg = drawn(page)
    assert len(list(svg.iter(SVG + "circle"))) == 10, "a point per month"
    assert svg.find(f"{SVG}polyline") is not None
    assert {"Dec 2015", "Sep 2024", "projects", "month"} <= set(texts(svg))


def test_dated_projects_open_as_a_timeline_linked_to_their_pages(site):
    page = page_of(site, PROJECT_MONTHS)
    assert switcher(page)["timeline"][1]
    svg = drawn(page)
    links = [a.get("href") for a in svg.iter(SVG + "a")]
    assert len(links) == 10 and all(link.startswith("/id/project/") for link in links)
    assert any(label.startswith("AICHR Regional Dialogue") for label in texts(svg))


def test_describe_opens_as_a_graph_with_labelled_nodes_and_predicates(site):
    page = page_of(site, DESCRIBE_PROJECT)
    assert set(switcher(page)) == {"graph", "table"} and switcher(page)["graph"][1]
    shown = texts(drawn(page))
    assert "aj:leadCountry" in shown, "edges are labelled with compact predicates"
    assert "Thailand" in shown, "the lead country is named by its label"
    assert "rdfs:label" not in shown, "labels name the nodes rather than being drawn as edges"
    assert '<pre class="rdf">' in page, "the Turtle text stays on the page"


def test_a_large_graph_is_bounded_and_says_so(site):
    page = page_of(site, EVERY_PROJECT_LINK)
    svg = drawn(page)
    nodes = len(list(svg.iter(SVG + "circle")))
    assert 0 < nodes <= 40
    assert re.search(r'class="view-note"[^>]*>Drawn: \d+ of \d+ triples \(\d+ nodes; at most 40\)', page)


def test_the_triples_table_names_subjects_predicates_and_values(site):
    page = page_of(site, DESCRIBE_PROJECT, view="table")
    assert '<th scope="col">predicate</th>' in page
    assert f'<a href="/id/country/th" title="{ID}country/th">Thailand</a>' in page


def test_iris_in_the_table_show_labels_with_the_iri_on_hover(site):
    query = f"SELECT ?thing WHERE {{ VALUES ?thing {{ <{ID}country/th> schema:Thing }} }}"
    page = page_of(site, query)
    assert f'<a href="/id/country/th" title="{ID}country/th">Thailand</a>' in page
    assert '<a href="http://schema.org/Thing" title="http://schema.org/Thing">schema:Thing</a>' in page, "no label: prefixed"


def test_an_unknown_view_is_a_400_with_a_message(site):
    page = page_of(site, COST_BY_COUNTRY, status=400, view="pie")
    assert re.search(
        r'<div id="error"[^>]*>Unknown view &#39;pie&#39;: the views are table, bar, line, timeline, graph.</div>', page
    )


def test_an_unfit_view_falls_back_to_the_table_with_a_note(site):
    ask = page_of(site, "ASK { ?s ?p ?o }", view="bar")
    assert '<p class="boolean">true</p>' in ask
    assert "The bar chart view does not fit this result" in ask
    select = page_of(site, COST_BY_COUNTRY, view="graph")
    assert "<table" in select and "The graph view does not fit this result" in select
    assert switcher(select)["table"][1]


def test_a_chart_caps_its_rows_and_says_so(site):
    numbers = " ".join(map(str, range(1, 71)))
    query = f'SELECT (CONCAT("row ", STR(?n)) AS ?name) ?n WHERE {{ VALUES ?n {{ {numbers} }} }}'
    page = page_of(site, query, view="bar")
    assert "Drawn: the first 60 of 70 rows" in page
    assert len(list(drawn(page).iter(SVG + "rect"))) == 61, "60 bars and the background"


def test_a_decimal_sum_is_written_exactly():
    """The amounts are the answer's decimals, not floats rounded on the way."""
    names, rows = ["c", "t"], [[iri("th"), literal("975679.55", "decimal")]]
    assert read_columns(names, rows)[1].kind == "number"
    assert number_of(rows[0][1]) == Decimal("975679.55")


@pytest.fixture()
def named_store(tmp_path):
    """A store where one IRI has labels in three languages and by two properties, another only a prefLabel."""
    writable = pyoxigraph.Store(str(tmp_path / "store"))
    label, pref = pyoxigraph.NamedNode(RDFS_LABEL), pyoxigraph.NamedNode(SKOS + "prefLabel")
    for predicate, value, language in ((label, "Thaïlande", "fr"), (pref, "Thailand", "en"), (label, "タイ", "ja")):
        writable.add(pyoxigraph.Quad(iri("th"), predicate, pyoxigraph.Literal(value, language=language)))
    writable.add(pyoxigraph.Quad(iri("vn"), pref, pyoxigraph.Literal("Viet Nam")))
    writable.flush()
    del writable
    return LocalStore(tmp_path / "store")


def test_labels_of_prefers_english_and_names_only_what_has_a_label(named_store):
    wanted = [ID + "th", ID + "vn", ID + "nothing"]
    assert labels_of(named_store, wanted) == {ID + "th": "Thailand", ID + "vn": "Viet Nam"}
    assert labels_of(named_store, []) == {}


def bars_of(svg: ElementTree.Element) -> int:
    """The bars of a bar chart (every rect but the background)."""
    return len(list(svg.iter(SVG + "rect"))) - 1


def test_projects_without_a_known_cost_are_left_out_of_the_bars_with_a_note(site):
    query = "SELECT ?p ?amount WHERE { ?p a aj:JAIFProject . OPTIONAL { ?p aj:actualCost/aj:amount ?amount } }"
    page = page_of(site, query, view="bar")
    note = re.search(r"Not drawn: (\d+) of (\d+) rows, which have no p or amount; the table lists them all\.", page)
    assert note, "the rows without an amount are counted"
    left_out, total = int(note[1]), int(note[2])
    assert 0 < left_out < total
    assert bars_of(drawn(page)) == total - left_out


def test_an_undef_value_in_a_line_series_is_not_drawn(site):
    query = """SELECT ?month ?n WHERE { VALUES (?month ?n) {
      ("2020-01"^^xsd:gYearMonth 1) ("2020-02"^^xsd:gYearMonth UNDEF) ("2020-03"^^xsd:gYearMonth 3) } }"""
    page = page_of(site, query)
    svg = drawn(page)
    assert switcher(page)["line"][1]
    assert len(list(svg.iter(SVG + "circle"))) == 2 and "Feb 2020" not in texts(svg)
    assert "Not drawn: 1 of 3 rows, which have no month or n" in page


@pytest.mark.parametrize(
    ("value", "datatype", "kind"),
    [
        ("2020-12", "gYearMonth", "month"),
        ("2020-13", "gYearMonth", "text"),
        ("2020-00", "gYearMonth", "text"),
        ("2020-1", "gYearMonth", "text"),
        ("2020-02-29", "date", "date"),
        ("2021-02-29", "date", "text"),
        ("2020-01-01Z", "date", "date"),
        ("2020-04-31T00:00:00", "dateTime", "text"),
        ("2020-04-30T23:59:59+09:00", "dateTime", "date"),
        ("2020", "gYear", "year"),
        ("20201", "gYear", "text"),
        ("2020-05", "gYear", "text"),
    ],
)
def test_a_date_counts_as_a_date_only_when_it_is_a_real_one(value, datatype, kind):
    assert read_columns(["when"], [[literal(value, datatype)]])[0].kind == kind


def test_impossible_months_are_text_so_the_line_falls_back_to_the_table(site):
    query = 'SELECT ?m ?n WHERE { VALUES (?m ?n) { ("2020-13"^^xsd:gYearMonth 1) ("2020-00"^^xsd:gYearMonth 2) } }'
    page = page_of(site, query)
    assert "line" not in switcher(page) and switcher(page)["bar"][1], "named by their text"
    assert {"2020-13", "2020-00"} <= set(texts(drawn(page))) and "Dec 2019" not in page
    table = page_of(site, query, view="line")
    assert "<table" in table and "The line chart view does not fit this result" in table


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("9" * 401, "integer"), ("1" + "0" * 400 + ".5", "decimal"), ("-" + "9" * 401, "integer"), ("1e400", "double")],
)
def test_a_number_too_large_for_an_axis_is_not_a_number(value, datatype):
    assert number_of(literal(value, datatype)) is None
    assert read_columns(["n"], [[literal(value, datatype)]])[0].kind == "text"


def test_a_huge_number_is_shown_in_the_table_not_charted(site):
    huge = "9" * 401
    query = f"""SELECT ?name ?n WHERE {{ VALUES (?name ?n) {{
      ("a" {huge}) ("b" {huge}.5) ("c" 2) }} }}"""
    page = page_of(site, query)
    assert "bar" not in switcher(page) and "<table" in page, "a mixed column of numbers and text"
    bars = page_of(site, query, view="bar")
    assert "The bar chart view does not fit this result" in bars
    months = f'SELECT ?m ?n WHERE {{ VALUES (?m ?n) {{ ("2020-01"^^xsd:gYearMonth {huge}) ("2020-02"^^xsd:gYearMonth 1) }} }}'
    assert "The line chart view does not fit" in page_of(site, months, view="line")


def test_a_negative_number_is_not_drawn_as_bars_or_a_line():
    months = [
        [literal("2020-01", "gYearMonth"), literal("-1", "integer")],
        [literal("2020-02", "gYearMonth"), literal("2", "integer")],
    ]
    assert set(choice_of(["month", "n"], months).hints) == {"table"}
    names = ["country", "change", "projects"]
    rows = [[iri("th"), literal("-0.5", "decimal"), literal("3", "integer")]]
    assert choice_of(names, rows).hints["bar"]["y"] == "projects", "the first number column with no value below zero"


@pytest.mark.parametrize("view", ["bar", "line"])
def test_asking_for_a_chart_of_negative_values_shows_the_table_with_a_note(site, view):
    query = """SELECT ?m ?n WHERE { VALUES (?m ?n) { ("2020-01"^^xsd:gYearMonth -5) ("2020-02"^^xsd:gYearMonth 3) } }"""
    page = page_of(site, query, view=view)
    assert "<table" in page and 'class="result-chart"' not in page
    assert f"The {'bar' if view == 'bar' else 'line'} chart view does not fit this result" in page
    assert "no value below zero" in page


SCRIPT_IRI = "javascript:alert(1)"


def test_an_iri_that_is_not_a_web_address_is_shown_in_the_table_without_a_link(site):
    page = page_of(site, f"SELECT ?x WHERE {{ VALUES ?x {{ <{SCRIPT_IRI}> <https://example.org/a> }} }}")
    assert "javascript:" in page and 'href="javascript:' not in page
    assert '<a href="https://example.org/a"' in page, "a web address is still a link"


def test_a_timeline_row_of_an_iri_that_is_not_a_web_address_has_no_link(site):
    query = f"""SELECT ?x ?label ?day WHERE {{ VALUES (?x ?label ?day) {{
      (<{SCRIPT_IRI}> "Script" "2020-01-02"^^xsd:date) (<{ID}project/jaif-01> "Ours" "2021-03-04"^^xsd:date) }} }}"""
    page = page_of(site, query)
    assert switcher(page)["timeline"][1]
    svg = drawn(page)
    assert [a.get("href") for a in svg.iter(SVG + "a")] == ["/id/project/jaif-01"]
    assert any(label.startswith("Script") for label in texts(svg)), "the row is drawn, unlinked"
