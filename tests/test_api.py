"""/api over real HTTP: formats, pagination links, parameter errors, caching, OpenAPI, generated requests.

What the saved queries answer is checked in test_saved_queries.py; this file checks the API's
behaviour around the answers.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_openapi
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.support import ROOT, generated_examples

pytestmark = pytest.mark.every_backend

ID = "https://w3id.org/aichr-japan/id/"
SAVED = sorted(path.stem for path in (ROOT / "queries").glob("*.rq"))


def get(server, path: str, **kwargs) -> requests.Response:
    return requests.get(server.url + path, timeout=30, **kwargs)


def page_of(link: str) -> int:
    return int(parse_qs(urlparse(link).query)["page"][0])


# --- formats -----------------------------------------------------------------------------------


def test_default_is_a_json_list_of_records_with_exact_decimals(server):
    response = get(server, "/api/jaif-cost-total")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    records = json.loads(response.text, parse_float=Decimal)
    assert records == [
        {
            "projects": 10,
            "projects_with_cost": 9,
            "projects_cost_unknown": 1,
            "total_usd": Decimal("1136162.55"),
            "currency": "USD",
        }
    ]


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/csv", "text/csv"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/html", "text/html"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
    ],
)
def test_accept_chooses_the_format(server, accept, expected):
    response = get(server, "/api/jaif-cost-by-country", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


def test_format_parameter_wins_over_accept(server):
    response = get(server, "/api/jaif-cost-by-country?format=csv", headers={"Accept": "application/json"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["Content-Type"].startswith("text/csv")
    assert [(r["country_label"], Decimal(r["total_usd"])) for r in rows] == [
        ("Thailand", Decimal("975679.55")),
        ("Viet Nam", Decimal("160483.00")),
    ]


def test_sparql_results_json_keeps_datatypes_and_column_names(server):
    document = get(server, "/api/jaif-projects?format=srj&country=" + ID + "country/vn").json()
    assert document["head"]["vars"][:4] == ["row", "month", "project", "label"]
    assert "country" in document["head"]["vars"], "a parameter's column is named after the parameter"
    cost = document["results"]["bindings"][0]["cost_usd"]
    assert cost["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal" and Decimal(cost["value"]) == Decimal("81404.00")


def test_html_page_has_table_query_text_and_query_page_link(server):
    page = get(server, "/api/jaif-cost-by-country", headers={"Accept": "text/html"}).text
    assert "<table>" in page and "Thailand" in page and "975,679.55" in page
    assert "#+ summary: JAIF cost per lead country" in page, "the query text is shown"
    assert 'href="/sparql?query=' in page, "a link opens the query in the query page"
    assert 'src="/api/jaif-cost-by-country.svg"' in page, "the chart is shown"


def test_query_page_link_opens_the_query(server):
    page = get(server, "/api/meetings?format=html").text
    link = page.split('href="/sparql?query=', 1)[1].split('"', 1)[0]
    opened = get(server, "/sparql?query=" + link.replace("&amp;", "&"), headers={"Accept": "text/html"})
    assert opened.status_code == 200 and "1st AICHR-Japan Interface Meeting" in opened.text


def test_unacceptable_format_is_406_and_unknown_format_name_400(server):
    assert get(server, "/api/meetings", headers={"Accept": "image/png"}).status_code == 406
    response = get(server, "/api/meetings?format=xml")
    assert response.status_code == 400 and "json, csv, srj, html" in response.text


# --- pagination --------------------------------------------------------------------------------


def test_first_page_links_to_next_and_last_not_prev(server):
    response = get(server, "/api/jaif-projects")
    links = response.links
    assert set(links) == {"first", "next", "last"}
    assert (page_of(links["first"]["url"]), page_of(links["next"]["url"]), page_of(links["last"]["url"])) == (1, 2, 2)
    assert [r["row"] for r in response.json()] == [1, 2, 3, 4, 5]
    assert response.headers["X-Total-Count"] == "10"


def test_last_page_links_to_prev_and_first_not_next(server):
    response = get(server, "/api/jaif-projects?page=2")
    assert set(response.links) == {"first", "prev", "last"}
    assert page_of(response.links["prev"]["url"]) == 1
    assert [r["row"] for r in response.json()] == [6, 7, 8, 9, 10]


def test_middle_page_has_all_four_links(server):
    response = get(server, "/api/meeting-outcomes?page=1")
    assert set(response.links) == {"first", "next", "last"}
    assert response.headers["X-Total-Count"] == "16" and page_of(response.links["last"]["url"]) == 2
    middle = get(server, "/api/fact-provenance?resource=" + ID + "project/jaif-01&page=2")
    assert set(middle.links) == {"first", "prev", "next", "last"}


def test_following_next_links_reads_every_row_once_and_keeps_parameters(server):
    url, rows = server.url + "/api/theme-projects?format=csv", []
    while url:
        response = requests.get(url, timeout=30)
        assert response.headers["Content-Type"].startswith("text/csv"), "format= is kept in the links"
        rows += list(csv.DictReader(io.StringIO(response.text)))
        url = urljoin(server.url, response.links["next"]["url"]) if "next" in response.links else None
    assert len(rows) == 30 == len({(r["theme"], r["project"]) for r in rows})
    filtered = get(server, "/api/theme-projects?theme=" + ID + "theme/business-and-human-rights")
    assert "next" not in filtered.links and "theme=" in filtered.links["last"]["url"]


@pytest.mark.parametrize(
    "page", ["0", "-1", "two", "1.5", "", "%C2%B2", "%D9%A2", "%EF%BC%92"]
)  # ², Arabic-Indic 2, full-width 2
def test_bad_page_numbers_are_400(server, page):
    response = get(server, f"/api/jaif-projects?page={page}")
    assert response.status_code == 400 and "page must be a whole number" in response.text


def test_page_past_the_last_is_404_saying_which_is_last(server):
    response = get(server, "/api/jaif-projects?page=3")
    assert response.status_code == 404 and "last page (2)" in response.text


# --- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/country-links", "parameter 'country' is required"),
        ("/api/country-links?country=Thailand", "must be the IRI of a resource of this graph"),
        ("/api/country-links?country=" + ID + "country/xx", "is not in it"),
        ("/api/country-links?country=" + ID + "org/jaif", "must be one of the values this query knows"),
        ("/api/goj-initiatives?year=23", "must be a four-digit year"),
        ("/api/goj-initiatives?year=1999", "must be one of the values this query knows: 2011"),
        ("/api/goj-initiatives?yaer=2023", "unknown parameter 'yaer'; this query accepts: actor, year"),
        ("/api/goj-initiatives?year=2023&year=2022", "given more than once"),
        ("/api/meetings?page=2", "unknown parameter 'page'"),
        ("/api/fact-provenance?resource=" + ID + "project/jaif-01&property=%3Cx%3E", "absolute http(s) IRI"),
        ("/api/country-links?country=http://%5Bx%5D/", "a valid IRI: Invalid host IP"),
        ("/api/country-links?country=http://a:b:c/", "a valid IRI"),
        ("/api/country-links?country=http://a%25zz", "a valid IRI: Invalid IRI percent encoding"),
        ("/api/fact-provenance?resource=" + ID + "project/jaif-01&property=http://x%5B", "parameter 'property' must be the IRI"),
    ],
)
def test_bad_parameter_is_400_saying_what_was_expected(server, path, expected):
    response = get(server, path)
    assert response.status_code == 400, response.text
    assert expected in response.text
    as_json = get(server, path, headers={"Accept": "application/json"}).json()
    assert as_json["status"] == 400 and expected in as_json["error"]


def test_parameter_value_is_bound_not_spliced(server):
    hostile = ID + "country/th> } UNION { ?x ?y ?z"
    response = get(server, "/api/jaif-projects", params={"country": hostile})
    assert response.status_code == 400 and "Traceback" not in response.text


def test_unknown_query_and_missing_chart_are_404(server):
    assert get(server, "/api/no-such-question").status_code == 404
    assert "no saved query named" in get(server, "/api/no-such-question.svg").text
    response = get(server, "/api/meetings.svg")
    assert response.status_code == 404 and "has no chart" in response.text


# --- caching and index -------------------------------------------------------------------------


def test_etag_gives_304(server):
    first = get(server, "/api/donors-ranked")
    again = get(server, "/api/donors-ranked", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = get(server, "/api/donors-ranked?format=csv", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200, "another format is another representation"


def test_index_lists_every_saved_query_and_shows_charts_offline(server):
    page = get(server, "/api").text
    for name in SAVED:
        assert f"/api/{name}" in page
    assert page.count('<img src="/api/') >= 4
    assert "cdn" not in page.lower() and '<script src="http' not in page


# --- OpenAPI -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(server) -> dict:
    return get(server, "/api/openapi.json").json()


def test_openapi_document_is_valid_3_1(openapi):
    validate_openapi(openapi)
    assert openapi["openapi"].startswith("3.1")


def test_openapi_describes_every_saved_query_and_chart(openapi):
    assert {f"/api/{name}" for name in SAVED} <= set(openapi["paths"])
    charts = {path for path in openapi["paths"] if path.endswith(".svg")}
    assert charts == {
        "/api/donor-projects.svg",
        "/api/donors-ranked.svg",
        "/api/initiatives-per-year.svg",
        "/api/jaif-cost-by-country.svg",
        "/api/theme-project-counts.svg",
        "/api/timeline.svg",
    }


def test_openapi_parameters_are_typed_from_the_variable_names(openapi):
    operation = openapi["paths"]["/api/goj-initiatives"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["year"]["required"] is False
    year, empty = parameters["year"]["schema"]["anyOf"]
    assert year["enum"] == ["2011", "2014", "2018", "2020", "2021", "2022", "2023"] and empty["maxLength"] == 0
    assert ID + "org/meti" in parameters["actor"]["schema"]["anyOf"][0]["enum"]
    country = {p["name"]: p for p in openapi["paths"]["/api/country-links"]["get"]["parameters"]}["country"]
    assert country["required"] is True and country["schema"]["format"] == "iri"
    paged = {p["name"] for p in openapi["paths"]["/api/jaif-projects"]["get"]["parameters"]}
    assert {"country", "page", "format"} == paged
    assert operation["summary"].startswith("Government of Japan initiatives") and "Japan" in operation["tags"]


def test_generated_requests_never_get_a_server_error(server):
    """Every operation, with generated valid and invalid parameters, formats and pages: the answers
    are documented (status, media type, schema) and never a 5xx; invalid values get a 4xx.

    Schemathesis's Python API drives Hypothesis directly (its pytest plugin does not run under the
    pytest we use). Excluded check: a valid page number past the last page is a 404 by design.
    """
    schema = schemathesis.openapi.from_url(server.url + "/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(SAVED) + 6
    for operation in operations:

        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)))
        @settings(max_examples=generated_examples(25), deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
