"""Each saved query's answer, read through /api as JSON records, against the source slides.

The expected values are copied from the OCR of the slides (shared/seed): the JAIF table (slide 4),
the BHR table (slide 8), the GOJ initiatives table (slide 9), the meetings (slides 3, 5, 10) and
the criteria (slide 12). Amounts are compared as Decimal, parsed from the JSON text itself.
Every .rq file in queries/ must have a test here (test_every_saved_query_has_a_test).
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urljoin

import requests

from tests.support import ROOT

ID = "https://w3id.org/aichr-japan/id/"

# Slide 4: "10 projects were implemented with JAIF Support" — (row, implemented, lead country, actual cost).
JAIF_TABLE = [
    (1, "2015-12", "Thailand", "USD 169,934.75"),
    (2, "2016-08", "Viet Nam", "USD 81,404.00"),
    (3, "2016-07", "Thailand", "USD 178,182.00"),
    (4, "2016-10", "Thailand", "USD 89,293.50"),
    (5, "2018-10", "Thailand", "USD 147,829.00"),
    (6, "2017-06", "Thailand", "USD 149,578.00"),
    (7, "2019-02", "Thailand", "USD 103,942.30"),
    (8, "2019-12", "Thailand", "USD 136,920.00"),
    (9, "2019-11", "Viet Nam", "USD 79,079.00"),
    (10, "2024-09", "Thailand", "closing process"),
]
# Slide 8: "BHR projects by AICHR" — (row, implemented, place, main donors), donors by their labels.
UN_AGENCY, EU, UNDP, OECD = (
    "UN agency",
    "European Union",
    "United Nations Development Programme",
    "Organisation for Economic Co-operation and Development",
)
BHR_TABLE = [
    (1, "2014-06", "Singapore", {UN_AGENCY}),
    (2, "2016-11", "Singapore", {EU, "Sweden", UNDP}),
    (3, "2018-06", "Bangkok", {UN_AGENCY, EU, "Arab League"}),
    (4, "2019-06", None, {"Norway", "Switzerland", "Australia", UNDP, OECD, "International Labour Organization"}),
    (5, "2020-12", "Bangkok", {UNDP}),
    (6, "2022-07", None, {UNDP, "Australia"}),
    (7, "2023-05", "Kuala Lumpur", {EU}),
    (8, "2023-06", None, {UNDP, OECD}),
    (9, "2024-09", "Bangkok", {"Japan-ASEAN Integration Fund"}),
]
# Slide 9: "Initiative on BHR by GOJ" — (row, year, actor).
GOJ_TABLE = [
    (1, 2011, "UN"),
    (2, 2014, "METI"),
    (3, 2018, "GOJ"),
    (4, 2020, "GOJ"),
    (5, 2021, "MOFA"),
    (6, 2022, "GOJ"),
    (7, 2023, "METI"),
    (8, 2023, "MAFF"),
    (9, 2023, "MHLW"),
    (10, 2023, "METI"),
]


def covers(*names: str):
    """Mark a test as the check of these saved queries (see test_every_saved_query_has_a_test)."""

    def mark(test):
        test.saved_queries = names
        return test

    return mark


def usd(text: str) -> Decimal | None:
    return Decimal(text.removeprefix("USD ").replace(",", "")) if text.startswith("USD") else None


def answer(server, name: str, **parameters) -> list[dict]:
    """Every record of a saved query, following `Link: rel=next` through the pages."""
    url, records = f"{server.url}/api/{name}", []
    while url:
        response = requests.get(url, params=parameters if not records else None, timeout=30)
        assert response.status_code == 200, response.text
        records += json.loads(response.text, parse_float=Decimal)
        url = urljoin(server.url, response.links["next"]["url"]) if "next" in response.links else None
    return records


@covers("meetings")
def test_meetings_in_date_order_with_dates_and_venues(server):
    meetings = answer(server, "meetings")
    assert [(m["label"], m["date"]) for m in meetings] == [
        ("1st AICHR-Japan Interface Meeting", "2015-05-08"),
        ("33rd ASEAN Summit", "2018"),
        ("2nd AICHR-Japan Interface Meeting", "2023-11-08"),
        ("ASEAN-Japan Commemorative Summit for the 50th Year of ASEAN-Japan Friendship and Cooperation", "2023-12"),
        ("3rd AICHR-Japan Interface Meeting", "2024-05-22"),
        ("AICHR-ASEAN Foreign Ministers interface 2024", "2024-07"),
        ("4th AICHR-Japan Interface Meeting", "2025-05-13"),
        ("AICHR-AFM interface 2025", "2025-07"),
    ]
    venues = {m["label"]: m["venue_label"] for m in meetings}
    assert venues["2nd AICHR-Japan Interface Meeting"] == "ASEAN Secretariat Headquarters, Jakarta"
    assert venues["4th AICHR-Japan Interface Meeting"] == "ASEAN Secretariat Headquarters, Jakarta"
    assert venues["AICHR-AFM interface 2025"] == "Malaysia"
    assert venues["1st AICHR-Japan Interface Meeting"] is None, "slide 3 gives no venue for the 1st meeting"
    assert all(m["outcomes"] >= 1 for m in meetings if "Interface Meeting" in m["label"])


@covers("meeting-outcomes")
def test_meeting_outcomes_in_order_with_the_one_decision(server):
    outcomes = answer(server, "meeting-outcomes")
    dates = [o["date"] for o in outcomes]
    assert dates == sorted(dates) and len(outcomes) == 16
    decisions = [o for o in outcomes if o["decision"]]
    assert [(d["meeting_label"], d["outcome_label"]) for d in decisions] == [
        ("2nd AICHR-Japan Interface Meeting", "Decided interface to be held on a regular basis")
    ]
    first = answer(server, "meeting-outcomes", meeting=ID + "meeting/interface-1")
    assert [o["outcome_label"] for o in first] == [
        "Identified 3 priority areas of cooperation",
        "9 projects were implemented",
        "ASEAN Enabling Masterplan 2025 adopted at the 33rd ASEAN Summit in 2018",
    ]
    third = answer(server, "meeting-outcomes", meeting=ID + "meeting/interface-3")
    assert third[0]["outcome_label"] == "Identified Business and Human Rights as a priority area for cooperation"
    assert {o["outcome_label"] for o in third} >= {
        "1st BHR project implemented in Sep 2024",
        "2nd BHR project to be implemented in Jun 2025",
    }


@covers("jaif-projects")
def test_jaif_projects_match_the_jaif_table(server):
    projects = answer(server, "jaif-projects")
    assert [(p["row"], p["month"], p["country_label"], p["cost_usd"]) for p in projects] == [
        (row, month, country, usd(cost)) for row, month, country, cost in JAIF_TABLE
    ]
    assert [p["status"] for p in projects] == ["Implemented"] * 9 + ["Closing process"]
    viet_nam = answer(server, "jaif-projects", country=ID + "country/vn")
    assert [(p["row"], p["cost_usd"]) for p in viet_nam] == [(2, Decimal("81404.00")), (9, Decimal("79079.00"))]


@covers("jaif-cost-by-country")
def test_jaif_cost_per_lead_country_with_unknown_costs_counted(server):
    expected = {}
    for _, _, country, cost in JAIF_TABLE:
        total, projects, known = expected.get(country, (Decimal(0), 0, 0))
        expected[country] = (total + (usd(cost) or 0), projects + 1, known + (usd(cost) is not None))
    rows = answer(server, "jaif-cost-by-country")
    assert [(r["country_label"], r["total_usd"], r["projects"], r["projects_with_cost"]) for r in rows] == [
        ("Thailand", *expected["Thailand"]),
        ("Viet Nam", *expected["Viet Nam"]),
    ]
    assert rows[0]["total_usd"] == Decimal("975679.55") and rows[1]["total_usd"] == Decimal("160483.00")
    assert [r["projects_cost_unknown"] for r in rows] == [1, 0]


@covers("jaif-cost-total")
def test_jaif_total_cost_is_the_exact_sum_of_the_table(server):
    [total] = answer(server, "jaif-cost-total")
    known = [usd(cost) for *_, cost in JAIF_TABLE if usd(cost) is not None]
    assert total == {
        "projects": 10,
        "projects_with_cost": 9,
        "projects_cost_unknown": 1,
        "total_usd": sum(known),
        "currency": "USD",
    }
    assert total["total_usd"] == Decimal("1136162.55")


@covers("bhr-projects")
def test_bhr_projects_have_every_main_donor(server):
    projects = answer(server, "bhr-projects")
    assert [(p["row"], p["month"], p["venue_label"], set(p["donors"].split("; "))) for p in projects] == BHR_TABLE
    assert [p["donor_count"] for p in projects] == [len(donors) for *_, donors in BHR_TABLE]


@covers("donors-ranked")
def test_donors_ranked_by_number_of_projects(server):
    ranked = answer(server, "donors-ranked")
    counts: dict[str, int] = {"Japan-ASEAN Integration Fund": 10 + 1}  # JAIF table + Jun 2025 project (slide 10)
    for _row, _, _, donors in BHR_TABLE[:-1]:  # BHR row 9 is JAIF row 10, counted once
        for donor in donors:
            counts[donor] = counts.get(donor, 0) + 1
    assert [(r["donor_label"], r["projects"]) for r in ranked] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert ranked[:3] == [
        {"donor": ID + "org/jaif", "donor_label": "Japan-ASEAN Integration Fund", "projects": 11},
        {"donor": ID + "org/undp", "donor_label": UNDP, "projects": 5},
        {"donor": ID + "org/eu", "donor_label": EU, "projects": 3},
    ]


@covers("donor-projects")
def test_donor_projects_are_the_links_of_the_network(server):
    links = answer(server, "donor-projects")
    assert len(links) == 30 == len({(link["donor"], link["project"]) for link in links})
    undp = answer(server, "donor-projects", donor=ID + "org/undp")
    assert [link["month"] for link in undp] == ["2016-11", "2019-06", "2020-12", "2022-07", "2023-06"]
    assert len(answer(server, "donor-projects", donor=ID + "org/jaif")) == 11


@covers("theme-project-counts")
def test_theme_counts(server):
    counts = {r["theme_label"]: (r["projects"], r["priority_area"]) for r in answer(server, "theme-project-counts")}
    assert counts["Business and human rights"] == (10, True), "9 BHR table rows + the planned Jun 2025 project"
    assert counts["Rights of persons with disabilities"] == (7, True), "JAIF rows 1, 3-8"
    assert counts["Empowerment of women"] == (1, True) and counts["Fight against trafficking in persons"] == (1, True)
    assert counts["Corporate social responsibility"] == (2, False), "BHR rows 1-2 (CSR underlined)"
    assert counts["Human rights due diligence"] == (1, False) and counts["Migrant workers"] == (1, False)
    assert list(counts)[:2] == ["Business and human rights", "Rights of persons with disabilities"]


@covers("theme-projects")
def test_projects_per_theme_and_priority_area(server):
    disability = answer(server, "theme-projects", theme=ID + "theme/rights-of-persons-with-disabilities")
    assert [p["month"] for p in disability] == ["2015-12", "2016-07", "2016-10", "2017-06", "2018-10", "2019-02", "2019-12"]
    assert all(p["priority_area"] for p in disability)
    trafficking = answer(server, "theme-projects", theme=ID + "theme/trafficking-in-persons")
    assert [p["project"] for p in trafficking] == [ID + "project/jaif-02"]
    assert len(answer(server, "theme-projects")) == 30


@covers("priority-areas")
def test_priority_areas_and_where_they_were_identified(server):
    areas = answer(server, "priority-areas")
    assert [(a["area_label"], a["meeting_label"], a["date"]) for a in areas] == [
        ("Empowerment of women", "1st AICHR-Japan Interface Meeting", "2015-05-08"),
        ("Fight against trafficking in persons", "1st AICHR-Japan Interface Meeting", "2015-05-08"),
        ("Rights of persons with disabilities", "1st AICHR-Japan Interface Meeting", "2015-05-08"),
        ("Business and human rights", "3rd AICHR-Japan Interface Meeting", "2024-05-22"),
    ]


@covers("goj-initiatives")
def test_goj_initiatives_by_year_and_actor(server):
    rows = answer(server, "goj-initiatives")
    assert [(r["row"], int(r["year"]), r["actor_acronym"]) for r in rows] == GOJ_TABLE
    assert rows[3]["output_label"] == "Action Plan on Business and Human Rights (NAP)"
    assert rows[9]["output"] is None, "row 10 (a seminar) formulated no document"
    assert [r["row"] for r in answer(server, "goj-initiatives", year="2023")] == [7, 8, 9, 10]
    assert [r["row"] for r in answer(server, "goj-initiatives", actor=ID + "org/meti")] == [2, 7, 10]


@covers("initiatives-per-year")
def test_initiatives_per_year(server):
    rows = answer(server, "initiatives-per-year")
    per_year: dict[int, int] = {}
    for _, year, _ in GOJ_TABLE:
        per_year[year] = per_year.get(year, 0) + 1
    assert [(int(r["year"]), r["initiatives"]) for r in rows] == sorted(per_year.items())
    assert rows[-1]["actors"] == "MAFF, METI, MHLW"


@covers("next-steps")
def test_next_steps(server):
    steps = answer(server, "next-steps")
    assert [(s["when"], s["kind"], s["label"]) for s in steps] == [
        ("2025-05-13", "meeting", "4th AICHR-Japan Interface Meeting"),
        ("2025-05-13", "next step", "Next step: to formulate a new project of Business and Human Rights"),
        ("2025-06", "planned project", "Gender-Lens Perspective on Business and Human Rights in ASEAN"),
        ("2025-07", "meeting", "AICHR-AFM interface 2025"),
        ("2025-07", "next step", "AICHR will report on AICHR-Japan cooperation in 2025 to AFM"),
    ]
    assert steps[2]["who"] == "AICHR Malaysia"


@covers("new-project-criteria")
def test_new_project_criteria(server):
    criteria = answer(server, "new-project-criteria")
    assert len(criteria) == 4
    text = " ".join(c["definition"] for c in criteria)
    for phrase in ("great social/economic impact", "Five-Year Work Plan", "multi-year project", "relevant organizations"):
        assert phrase in text


@covers("country-links")
def test_everything_linked_to_thailand(server):
    links = answer(server, "country-links", country=ID + "country/th")
    by_relation: dict[str, set] = {}
    for link in links:
        by_relation.setdefault(link["relation_label"], set()).add(link["thing"].rsplit("/", 1)[-1])
    assert by_relation == {
        "lead country": {f"jaif-0{n}" for n in (1, 3, 4, 5, 6, 7, 8)} | {"migrant-workers-workshop-2024"},
        "represents country": {"aichr-thailand"},
        "country": {"bangkok"},
    }
    japan = answer(server, "country-links", country=ID + "country/jp")
    meetings = {link["thing"].rsplit("/", 1)[-1] for link in japan if link["relation_label"] == "participant"}
    assert {"interface-1", "interface-2", "interface-3", "interface-4"} <= meetings


@covers("fact-provenance")
def test_provenance_of_a_cost(server):
    [fact] = answer(
        server, "fact-provenance", resource=ID + "cost/jaif-01", property="https://w3id.org/aichr-japan/ontology/amount"
    )
    assert fact["value"] == Decimal("169934.75") and fact["graph"] == "data"
    assert (fact["slide_number"], fact["slide_title"]) == (4, "10 projects were implemented with JAIF Support")
    assert fact["document_label"] == "AICHR-Japan Cooperation – Progress and Next Steps"
    statements = answer(server, "fact-provenance", resource=ID + "project/jaif-01")
    assert {s["graph"] for s in statements} == {"data", "inferred"}
    assert {s["slide_number"] for s in statements} == {3, 4, 5}


@covers("timeline")
def test_timeline_2014_to_2025(server):
    items = answer(server, "timeline")
    assert len(items) == 27 and sum(i["kind"] == "meeting" for i in items) == 8
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    assert (items[0]["date"], items[0]["label"]) == (
        "2014-06",
        "Workshop on CSR and Human Rights in ASEAN: Outcomes of the AICHR Thematic Study",
    )
    assert (items[-1]["date"], items[-1]["label"]) == ("2025-07", "AICHR-AFM interface 2025")


def test_every_saved_query_has_a_test():
    """A new .rq file needs a test here, marked with @covers."""
    covered = {name for test in globals().values() for name in getattr(test, "saved_queries", ())}
    assert {p.stem for p in (ROOT / "queries").glob("*.rq")} == covered
