"""The `aichr-kg` command as a process: exit codes, reports for CI systems, build skipping, queries, stats."""

from __future__ import annotations

import json
import shutil
import socket
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.support import ROOT, copy_project, run_cli, run_cli_process

INVALID = sorted((ROOT / "tests" / "invalid").glob("*.ttl"))


def expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <message>'"
    return first[len("# expect: ") :].strip()


def test_project_data_conforms():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conforms: 0 violation(s)" in result.stdout


@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_example_exits_1_with_its_message(example):
    result = run_cli("validate", "--alone", str(example))
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected_message(example) in result.stdout
    assert f"{example}:" in result.stdout, "the finding names its file and line"


def test_broken_turtle_exits_2_naming_file_line_and_column(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    result = run_cli("validate", str(broken))
    assert result.returncode == 2
    assert f"{broken}:3:" in result.stderr and "Turtle syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path_exits_2(tmp_path):
    result = run_cli("validate", str(tmp_path / "nothing-here.ttl"))
    assert result.returncode == 2 and "no such file" in result.stderr


@pytest.mark.parametrize("report_format", ["turtle", "json", "junit", "github"])
def test_report_formats_for_ci(report_format):
    example = ROOT / "tests" / "invalid" / "missing-currency.ttl"
    result = run_cli("validate", "--alone", "--format", report_format, str(example))
    assert result.returncode == 1
    if report_format == "json":
        report = json.loads(result.stdout)
        assert report["conforms"] is False and report["results"][0]["file"] == str(example)
    elif report_format == "junit":
        suite = ElementTree.fromstring(result.stdout.split("?>", 1)[1])
        assert int(suite.get("failures")) >= 1
    elif report_format == "github":
        assert f"::error file={example},line=" in result.stdout
    else:
        assert "sh:ValidationReport" in result.stdout and "sh:conforms false" in result.stdout


def test_build_is_skipped_when_nothing_changed(tmp_path):
    project = copy_project(tmp_path)
    first = run_cli("--root", str(project), "build")
    assert first.returncode == 0, first.stderr
    assert "[5/5]" in first.stderr, "long work shows progress"
    manifest = json.loads((project / "build" / "manifest.json").read_text())
    assert set(manifest["graphs"]) == {"data", "ontology", "inferred"}
    second = run_cli("--root", str(project), "build")
    assert second.returncode == 0 and "up to date" in second.stderr
    (project / "data" / "extra.ttl").write_text("# a comment changes the content hash\n")
    third = run_cli("--root", str(project), "build")
    assert "[1/5]" in third.stderr
    assert json.loads((project / "build" / "manifest.json").read_text())["input_hash"] != manifest["input_hash"]


BAD_COST = """@prefix aj: <https://w3id.org/aichr-japan/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/aichr-japan/id/cost/new-project> a aj:MonetaryAmount ;
    rdfs:label "cost of a new project"@en ;
    aj:amount "10.00"^^xsd:decimal ;
    aj:source <https://w3id.org/aichr-japan/id/slide/04> .
"""


def test_build_refuses_invalid_data_and_keeps_the_previous_build(tmp_path):
    project = copy_project(tmp_path)
    assert run_cli("--root", str(project), "build").returncode == 0
    before = (project / "build" / "manifest.json").read_text()
    (project / "data" / "bad.ttl").write_text(BAD_COST)
    result = run_cli("--root", str(project), "build")
    assert result.returncode == 1 and "does not conform" in result.stderr
    assert (project / "build" / "manifest.json").read_text() == before


def test_build_with_another_base_mints_under_it(tmp_path):
    project = copy_project(tmp_path)
    assert run_cli("--root", str(project), "--base-iri", "http://example.org/kg/", "build").returncode == 0
    result = run_cli(
        "--root",
        str(project),
        "--base-iri",
        "http://example.org/kg/",
        "query",
        "-",
        "--format",
        "json",
        stdin="SELECT ?p WHERE { ?p a <http://example.org/kg/ontology/JAIFProject> }",
    )
    assert len(json.loads(result.stdout)) == 10


def test_query_from_stdin_as_table_csv_and_json(cli):
    query = "PREFIX aj: <https://w3id.org/aichr-japan/ontology/>\nSELECT ?m ?d WHERE { ?m a aj:InterfaceMeeting ; aj:date ?d } ORDER BY ?d"
    table = cli("query", "-", stdin=query)
    assert table.returncode == 0 and "2015-05-08" in table.stdout and "(4 rows)" in table.stdout
    assert "id:meeting/interface-1" in table.stdout, "IRIs are shown with their prefix"
    csv_out = cli("query", "-", "--format", "csv", stdin=query).stdout.splitlines()
    assert csv_out[0] == "m,d" and len(csv_out) == 5
    rows = json.loads(cli("query", "-", "--format", "json", stdin=query).stdout)
    assert [r["d"] for r in rows] == ["2015-05-08", "2023-11-08", "2024-05-22", "2025-05-13"]


def test_query_errors_exit_1_and_missing_file_exits_2(cli, tmp_path):
    bad = cli("query", "-", stdin="SELECT * WHERE { ?s ?p }")
    assert bad.returncode == 1 and "query error" in bad.stderr
    missing = cli("query", str(tmp_path / "none.rq"))
    assert missing.returncode == 2


def test_stats_counts_classes_and_properties(cli):
    result = cli("stats")
    assert result.returncode == 0
    assert "# by class" in result.stdout and "# by property" in result.stdout
    assert any(line.startswith("aj:JAIFProject") and line.split()[1] == "10" for line in result.stdout.splitlines())


def test_usage_error_exits_2():
    assert run_cli("no-such-command").returncode == 2


def test_non_utf8_file_exits_2_naming_it(tmp_path):
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(b"\xff\xfe not turtle")
    result = run_cli("validate", str(binary))
    assert result.returncode == 2 and f"{binary}:1:1" in result.stderr and "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_syntax_errors_become_github_annotations(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "100% broken\n')
    result = run_cli("validate", "--format", "github", str(broken))
    assert result.returncode == 2
    assert result.stdout.startswith(f"::error file={broken},line=2,col=")
    assert "title=Turtle syntax error::" in result.stdout


@pytest.mark.parametrize(
    "env, message",
    [({"AICHR_KG_QUERY_TIMEOUT_S": "abc"}, "not a valid float"), ({"AICHR_KG_QUERY_WORKERS": "0"}, "greater than 0")],
)
def test_bad_settings_exit_2_with_a_message(env, message):
    result = run_cli("stats", env=env)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_ontology_and_shapes_can_live_elsewhere(tmp_path):
    """A data repository without ontology/ and shapes/ points at them (e.g. from the pre-commit hook)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    result = run_cli("--root", str(tmp_path), "validate", "--ontology", str(ROOT / "ontology"), "--shapes", str(ROOT / "shapes"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_query_prints_ask_and_construct_answers(cli):
    assert cli("query", "-", stdin="ASK { ?s a aj:Country }").stdout == "true\n"
    construct = cli("query", "-", stdin="CONSTRUCT WHERE { ?s a aj:Country }")
    assert construct.returncode == 0 and construct.stdout.count("ontology/Country>") == 10


def test_serve_on_a_taken_port_says_so_in_one_line(built):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_cli_process("serve", "--port", str(port), cwd=built.parent, timeout=120)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "code", "said"),
    [
        (("validate", "data/jaif-projects.ttl"), 0, "Conforms: 0 violation(s)"),
        (("new", "project", "--id", "jaif-99"), 0, "project:jaif-99"),
        (("build", "--wait", "60"), 0, "built"),
        (("query", "-"), 0, "true"),
        (("queries",), 0, "jaif-cost-by-country"),
        (("stats",), 0, "aj:JAIFProject"),
        (("diff", "HEAD"), 0, "Changes from HEAD"),
        (("publish",), 2, "publish needs --endpoint"),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else None,
)
def test_each_command_runs_as_a_process(repo, arguments, code, said):
    """The commands the other tests run through main() in-process, each once as a real process
    (serve, release, retire and w3id have theirs in their own modules)."""
    if arguments[0] in ("query", "stats"):
        assert run_cli("--root", str(repo), "build").returncode == 0  # in-process: skipped once built
    result = run_cli_process("--root", str(repo), *arguments, cwd=repo, stdin="ASK { ?s ?p ?o }")
    assert result.returncode == code, result.stdout + result.stderr
    assert said in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
