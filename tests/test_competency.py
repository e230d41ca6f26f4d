"""Competency questions: what a reader finds in the slides, asked in SPARQL of the built graph (the server's engine)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest

PREFIXES = """PREFIX aj: <https://w3id.org/aichr-japan/ontology/>
PREFIX id: <https://w3id.org/aichr-japan/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _exact(term) -> str:
    """A term's value; a number that is not an integer must be an xsd:decimal, never a float."""
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value.endswith(("#double", "#float")):
        raise AssertionError(f"{term} is a floating-point number; money must stay xsd:decimal")
    return term.value


@pytest.fixture(scope="module")
def ask(built):
    store = pyoxigraph.Store.read_only(str(built / "store"))

    def rows(query: str) -> list[dict[str, str]]:
        solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{n: _exact(row[n]) for n in names if row[n] is not None} for row in solutions]

    return rows


def test_total_known_jaif_cost_is_exact(ask):
    rows = ask("""SELECT (SUM(?amount) AS ?total) (COUNT(?p) AS ?known) WHERE {
        ?p a aj:JAIFProject ; aj:actualCost/aj:amount ?amount }""")
    assert Decimal(rows[0]["total"]) == Decimal("1136162.55")
    datatype = ask("""SELECT (DATATYPE(SUM(?amount)) AS ?type) WHERE { ?p a aj:JAIFProject ; aj:actualCost/aj:amount ?amount }""")
    assert datatype == [{"type": XSD_DECIMAL}]
    assert rows[0]["known"] == "9"


def test_one_jaif_project_has_no_cost_yet_and_is_closing(ask):
    rows = ask("""SELECT ?p ?status WHERE { ?p a aj:JAIFProject ; aj:status ?status
        FILTER NOT EXISTS { ?p aj:actualCost ?c } }""")
    assert rows == [
        {
            "p": "https://w3id.org/aichr-japan/id/project/migrant-workers-workshop-2024",
            "status": "https://w3id.org/aichr-japan/id/status/closing-process",
        }
    ]


def test_projects_and_cost_per_lead_country(ask):
    rows = ask("""SELECT ?country (COUNT(DISTINCT ?p) AS ?projects) (SUM(COALESCE(?amount, 0.0)) AS ?total) WHERE {
        ?p a aj:JAIFProject ; aj:leadCountry ?country . OPTIONAL { ?p aj:actualCost/aj:amount ?amount } }
        GROUP BY ?country ORDER BY ?country""")
    by_country = {r["country"].rsplit("/", 1)[1]: (int(r["projects"]), Decimal(r["total"])) for r in rows}
    assert by_country == {
        "th": (8, Decimal("975679.55")),
        "vn": (2, Decimal("160483.00")),
    }


def test_donors_of_the_2019_interregional_dialogue(ask):
    rows = ask("""SELECT ?donor WHERE { ?p a aj:BHRProject ; aj:month "2019-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> ;
        aj:mainDonor ?donor }""")
    assert sorted(r["donor"].rsplit("/", 1)[1] for r in rows) == ["au", "ch", "ilo", "no", "oecd", "undp"]


def test_three_priority_areas_identified_at_the_first_meeting(ask):
    rows = ask("""SELECT ?label WHERE { <https://w3id.org/aichr-japan/id/meeting/interface-1> aj:outcome ?o . ?o aj:identifiesPriorityArea ?area .
        ?area skos:prefLabel ?label FILTER(LANG(?label) = "en") } ORDER BY ?label""")
    labels = [r["label"].lower() for r in rows]
    assert len(labels) == 3
    assert all(any(word in label for label in labels) for word in ("disabilit", "women", "trafficking"))


def test_interface_meetings_in_date_order(ask):
    rows = ask("SELECT ?m ?date ?n WHERE { ?m a aj:InterfaceMeeting ; aj:date ?date ; aj:ordinal ?n } ORDER BY ?date")
    assert [(r["date"], r["n"]) for r in rows] == [
        ("2015-05-08", "1"),
        ("2023-11-08", "2"),
        ("2024-05-22", "3"),
        ("2025-05-13", "4"),
    ]


def test_goj_initiatives_of_2023(ask):
    rows = ask("""SELECT ?i ?actor WHERE { ?i a aj:Initiative ; aj:year "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
        aj:actor ?actor } ORDER BY ?i""")
    assert [r["i"].rsplit("/", 1)[1] for r in rows] == ["goj-07", "goj-08", "goj-09", "goj-10"]
    assert sorted(r["actor"].rsplit("/", 1)[1] for r in rows) == ["maff", "meti", "meti", "mhlw"]


def test_the_migrant_workers_workshop_is_one_resource_in_both_tables(ask):
    rows = ask("""SELECT ?p ?jaifRow ?bhrRow WHERE { ?p a aj:JAIFProject , aj:BHRProject ;
        aj:jaifTableRow ?jaifRow ; aj:bhrTableRow ?bhrRow }""")
    assert rows == [
        {"p": "https://w3id.org/aichr-japan/id/project/migrant-workers-workshop-2024", "jaifRow": "10", "bhrRow": "9"}
    ]


def test_first_meeting_counts_nine_projects(ask):
    rows = ask("""SELECT ?count (COUNT(?p) AS ?linked) WHERE { <https://w3id.org/aichr-japan/id/meeting/interface-1> aj:outcome ?o .
        ?o aj:statedCount ?count ; aj:concerns ?p . ?p a aj:JAIFProject } GROUP BY ?count""")
    assert rows == [{"count": "9", "linked": "9"}]
