"""The Python API (docs/api.md): `aichr_kg.validate`, `aichr_kg.build` and `aichr_kg.diff` give what the
commands give, and the documented example runs as it stands."""

from __future__ import annotations

import contextlib
import io
import json
import os

import pytest

import aichr_kg
from aichr_kg.changes.render import render
from aichr_kg.errors import RevisionError, UsageError
from tests.support import ROOT, committed_copy, run_cli

EXAMPLE = (ROOT / "docs" / "api.md").read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A committed copy of the project with one cost corrected in the working tree."""
    repo = committed_copy(tmp_path_factory.mktemp("api"))
    projects = repo / "data" / "jaif-projects.ttl"
    projects.write_text(projects.read_text(encoding="utf-8").replace('"103942.30"^^xsd:decimal', '"103942.00"^^xsd:decimal'))
    return repo


def test_validate_gives_the_findings_the_command_reports(project, tmp_path):
    assert aichr_kg.validate(project).conforms
    broken = tmp_path / "broken.ttl"
    broken.write_text((ROOT / "tests" / "invalid" / "month-as-date.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    validation = aichr_kg.validate(project, files=[broken], alone=True)
    printed = run_cli("--root", str(project), "validate", "--alone", str(broken), "--format", "json").stdout
    assert not validation.conforms
    assert [f.message for f in validation.outcome.findings] == [r["message"] for r in json.loads(printed)["results"]]


def test_validate_refuses_options_that_do_not_go_together(project):
    with pytest.raises(UsageError, match="--changed-since"):
        aichr_kg.validate(project, changed_since="HEAD", alone=True)


def test_build_returns_the_typed_manifest_and_skips_an_unchanged_build(project):
    first = aichr_kg.build(project)
    assert first.manifest is not None and not first.skipped
    assert set(first.manifest.graphs) == {"data", "ontology", "inferred"}
    again = aichr_kg.build(project)
    assert again.skipped and again.manifest == first.manifest


def test_diff_is_what_the_command_prints(project):
    report = aichr_kg.diff("HEAD", root=project)
    printed = run_cli("--root", str(project), "diff", "HEAD", "--format", "json").stdout
    assert render(report, "json") == printed
    assert "USD 103,942.30 → USD 103,942.00" in render(report, "text")


def test_an_unknown_revision_raises_the_commands_error(project):
    with pytest.raises(RevisionError):
        aichr_kg.diff("no-such-revision", root=project)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'publish'"):
        aichr_kg.publish  # noqa: B018


def test_the_documented_example_runs(project):
    output = io.StringIO()
    previous = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(EXAMPLE, "docs/api.md", "exec"), {})
    finally:
        os.chdir(previous)
    assert output.getvalue().startswith("conforms\n")
    assert "triples in ['data', 'inferred', 'ontology']" in output.getvalue()
    assert "103,942.00" in output.getvalue()
