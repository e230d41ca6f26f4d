"""`aichr-kg validate FILE` as a process: the file's resources validated with the rest of data/ as context,
only their findings reported; `--alone` validates the file by itself, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.validate import validate_graph
from tests.support import ROOT, copy_project, run_cli

PROJECTS = Path("data") / "jaif-projects.ttl"
ID = "https://w3id.org/aichr-japan/id/"
GOOD_MONTH = 'aj:month "2016-08"^^xsd:gYearMonth'  # jaif-02's, and only jaif-02's
BAD_MONTH = 'aj:month "2016-08-01"^^xsd:date'


def findings(stdout: str) -> list[dict]:
    return json.loads(stdout)["results"]


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory) -> Path:
    """A copy of the project in which one project of data/jaif-projects.ttl (jaif-02) has a full date as its month."""
    project = copy_project(tmp_path_factory.mktemp("broken"))
    text = (project / PROJECTS).read_text(encoding="utf-8")
    assert text.count(GOOD_MONTH) == 1
    (project / PROJECTS).write_text(text.replace(GOOD_MONTH, BAD_MONTH), encoding="utf-8")
    return project


def test_a_valid_data_file_reports_nothing():
    result = run_cli("validate", str(PROJECTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "Conforms: 0 violation(s), 0 other finding(s).\n"
    assert result.stderr == ""


def test_alone_reports_the_links_to_other_files_as_violations():
    """Today's behaviour, kept under --alone: slides, donors and countries live in other files, so their links fail."""
    result = run_cli("validate", "--alone", "--format", "json", str(PROJECTS))
    assert result.returncode == 1
    cross_file = {(f["path"], f["value"]) for f in findings(result.stdout)}
    assert ("aj:source", ID + "slide/04") in cross_file
    assert ("aj:leadCountry", ID + "country/th") in cross_file
    assert ("aj:implementedBy", ID + "org/aichr") in cross_file


def test_alone_is_the_file_validated_by_itself_as_before():
    """--alone gives exactly what validating the file's own graph gives, the one thing `validate FILE` did before."""
    result = run_cli("validate", "--alone", "--format", "json", str(PROJECTS))
    by_itself = validate_graph(
        load_files([ROOT / PROJECTS]), load_files([ROOT / "shapes"]).graph, load_files([ROOT / "ontology"]).graph
    )
    assert by_itself.findings, "the file by itself has cross-file findings"
    shown = {(f["focus"], f["path"], f["value"], f["message"]) for f in findings(result.stdout)}
    assert shown == {(f.focus, f.path, f.value, f.message) for f in by_itself.findings}


def test_a_broken_project_is_the_only_one_reported(broken_project):
    result = run_cli("validate", "--format", "json", str(PROJECTS), cwd=broken_project)
    assert result.returncode == 1, result.stdout + result.stderr
    (finding,) = findings(result.stdout)
    assert finding["focus"] == ID + "project/jaif-02" and finding["path"] == "aj:month"
    line = (broken_project / PROJECTS).read_text(encoding="utf-8").splitlines().index("project:jaif-02") + 1
    assert (finding["file"], finding["line"]) == (str(PROJECTS), line)


@pytest.mark.parametrize("report_format", ["text", "github", "turtle", "junit"])
def test_every_report_format_holds_only_the_files_findings(broken_project, report_format):
    result = run_cli("validate", "--format", report_format, str(PROJECTS), cwd=broken_project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("project/jaif-02") == 1 and "xsd:gYearMonth" in result.stdout
    if report_format == "text":
        assert result.stdout.endswith("Does not conform: 1 violation(s), 0 other finding(s).\n")
    elif report_format == "github":
        assert result.stdout.startswith(f"::error file={PROJECTS},line=")
    elif report_format == "turtle":
        report = Graph().parse(data=result.stdout, format="turtle")
        assert len(set(report.objects(None, SH.result))) == 1


def test_findings_about_other_files_are_counted_not_shown(broken_project):
    """jaif-02 is described in jaif-projects.ttl only: validating another file does not report it."""
    result = run_cli("validate", "data/meetings.ttl", cwd=broken_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "Conforms: 0 violation(s), 0 other finding(s).\n"
    assert "1 finding(s) about resources of other files not shown" in result.stderr


NEW_PROJECT = """@prefix aj: <https://w3id.org/aichr-japan/ontology/> .
@prefix slide: <https://w3id.org/aichr-japan/id/slide/> .
@prefix project: <https://w3id.org/aichr-japan/id/project/> .
@prefix organisation: <https://w3id.org/aichr-japan/id/org/> .
@prefix country: <https://w3id.org/aichr-japan/id/country/> .
@prefix status: <https://w3id.org/aichr-japan/id/status/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
project:jaif-new a aj:JAIFProject ;
    rdfs:label "A new project"@en ;
    aj:month "2019-03"^^xsd:gYearMonth ;
    aj:leadCountry country:th ;
    aj:fundedBy organisation:jaif ;
    aj:status status:closing-process ;
    aj:source slide:04 .
"""


def test_a_new_file_outside_data_is_validated_with_data_as_context(tmp_path):
    new_file = tmp_path / "new-project.ttl"
    new_file.write_text(NEW_PROJECT, encoding="utf-8")
    assert run_cli("validate", str(new_file)).returncode == 0
    alone = run_cli("validate", "--alone", "--format", "json", str(new_file))
    assert alone.returncode == 1 and {f["path"] for f in findings(alone.stdout)} >= {"aj:source", "aj:leadCountry"}


def test_blank_nodes_hanging_from_the_files_subjects_are_its_resources(tmp_path):
    """A cost written as a blank node under the new project is reported, though it is no subject of its own name."""
    new_file = tmp_path / "blank-cost.ttl"
    blank_cost = '    aj:actualCost [ a aj:MonetaryAmount ; rdfs:label "Its cost"@en ; aj:amount "12.5"^^xsd:double ; aj:currency "USD" ; aj:source slide:04 ] ;\n'
    new_file.write_text(NEW_PROJECT.replace("    aj:status status:closing-process ;\n", blank_cost), encoding="utf-8")
    result = run_cli("validate", "--format", "json", str(new_file))
    assert result.returncode == 1, result.stdout + result.stderr
    amount = [f for f in findings(result.stdout) if f["path"] == "aj:amount"]
    assert amount and not amount[0]["focus"].startswith("http"), "the focus is the blank node"


def test_broken_turtle_in_the_file_exits_2_naming_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    broken = project / PROJECTS
    broken.write_text(broken.read_text(encoding="utf-8") + 'project:x rdfs:label "unterminated .\n', encoding="utf-8")
    result = run_cli("validate", "--format", "github", str(PROJECTS), cwd=project)
    assert result.returncode == 2
    assert f"{PROJECTS}:" in result.stderr and "Turtle syntax error" in result.stderr
    assert result.stdout.startswith(f"::error file={PROJECTS},line=")
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2_with_its_name(tmp_path):
    result = run_cli("validate", str(tmp_path / "no-such.ttl"), cwd=ROOT)
    assert result.returncode == 2 and f"{tmp_path / 'no-such.ttl'}: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr
