"""Saved queries from the command line: `aichr-kg queries`, `aichr-kg query --saved`, and `validate`
refusing a broken saved query with its file and line (where grlc would silently drop it)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.support import ROOT, copy_project, run_cli

ID = "https://w3id.org/aichr-japan/id/"
GOOD_QUERY = """#+ summary: A broken query for the test
#+ tags:
#+   - test
PREFIX aj: <https://w3id.org/aichr-japan/ontology/>
SELECT ?project WHERE { ?project a aj:Project }
"""


def test_queries_lists_every_saved_query_with_its_parameters(cli):
    result = cli("queries")
    assert result.returncode == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert names == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert "--param country=  the IRI of a resource of this graph" in result.stdout, "required: no ?"
    assert "--param year?=  a four-digit year such as 2023" in result.stdout, "optional: ?"


def test_query_saved_json_has_exact_decimals(cli):
    result = cli("query", "--saved", "jaif-cost-by-country", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout, parse_float=Decimal)
    assert [(r["country_label"], r["total_usd"]) for r in rows] == [
        ("Thailand", Decimal("975679.55")),
        ("Viet Nam", Decimal("160483.00")),
    ]


def test_query_saved_with_parameters_as_table_and_csv(cli):
    table = cli("query", "--saved", "goj-initiatives", "--param", "year=2023", "--param", f"actor={ID}org/meti")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split()[:3] == ["row", "year", "initiative"]
    assert "id:initiative/goj-07" in table.stdout and "id:initiative/goj-10" in table.stdout and "(2 rows)" in table.stdout
    csv_text = cli("query", "--saved", "jaif-projects", "--param", f"country={ID}country/vn", "--format", "csv")
    assert csv_text.stdout.splitlines()[0] == "row,month,project,label,country,country_label,cost_usd,status"
    assert len(csv_text.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("--saved", "no-such-query"), "no saved query named 'no-such-query'"),
        (("--saved", "country-links"), "parameter 'country' is required"),
        (("--saved", "goj-initiatives", "--param", "year=23"), "must be a four-digit year"),
        (("--saved", "goj-initiatives", "--param", "colour=red"), "unknown parameter 'colour'"),
        (("--saved", "goj-initiatives", "--param", "year"), "--param expects NAME=VALUE"),
        (("--saved", "country-links", "--param", f"country={ID}country/xx"), "is not in it"),
    ],
)
def test_query_saved_refuses_bad_parameters_with_exit_2(cli, arguments, message):
    result = cli("query", *arguments)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "text, location, message",
    [
        (GOOD_QUERY.replace("#+ tags:", "#+ tags: [unclosed"), ":2:", "not valid YAML"),
        (
            GOOD_QUERY.replace("#+ tags:\n#+   - test", "#+ endpoint: http://example.org/sparql"),
            ":2:",
            "unknown decorator 'endpoint'",
        ),
        (
            GOOD_QUERY.replace("#+ tags:\n#+   - test", "#+ pagination: many"),
            ":2:",
            "decorator 'pagination' must be a whole number",
        ),
        (
            GOOD_QUERY.replace("#+   - test", "#+   - test\n#+ chart: {type: pie, x: a, y: b}"),
            ":4:",
            "decorator 'chart' must be a mapping whose `type`",
        ),
        (GOOD_QUERY.replace("a aj:Project", "a xx:Project"), ":5:46:", "the SPARQL does not parse"),
        (
            GOOD_QUERY.replace("a aj:Project", "aj:leadCountry ?_lead_country_iri"),
            ":5:",
            "?_lead_country_iri starts with _ but is not a parameter name",
        ),
        (
            GOOD_QUERY.replace("?project a aj:Project", "?project aj:leadCountry ?_country_iri"),
            ":5:",
            "must be in the SELECT projection",
        ),
        (
            GOOD_QUERY.replace("#+   - test", "#+   - test\n#+ enumerate:\n#+   - colour"),
            ":4:",
            "names 'colour', which is not a parameter",
        ),
    ],
)
def test_validate_refuses_a_broken_saved_query_naming_file_and_line(cli, tmp_path, text, location, message):
    project = copy_project(tmp_path)
    broken = project / "queries" / "broken.rq"
    broken.write_text(text, encoding="utf-8")
    result = cli("--root", str(project), "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken}{location}" in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_query_saved_refuses_a_query_the_api_leaves_out(built, tmp_path):
    """The CLI reads the saved queries with the API's checks: it does not run what /api refuses."""
    project = copy_project(tmp_path)
    (project / "build").symlink_to(built, target_is_directory=True)
    broken = project / "queries" / "broken.rq"
    broken.write_text(GOOD_QUERY.replace("?project a aj:Project", "?project aj:leadCountry ?_country_iri"), encoding="utf-8")
    result = run_cli("--root", str(project), "query", "--saved", "broken", "--param", f"country={ID}country/th")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"saved query 'broken' is not usable: {broken}:5:" in result.stderr and "SELECT projection" in result.stderr
