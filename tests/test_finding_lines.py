"""Findings point at the line where their focus node's description starts, each file read once.

The oracle is the scan `validate` used to run once per finding (every line of the file against a
pattern of the subject's names); the index built once per file must give the same line for
every subject of data/, of every tests/invalid/ example and of generated data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.validate import SubjectLines
from bench.synthetic import make_synthetic_project
from tests.support import ROOT, run_cli

INVALID_EXAMPLES = sorted((ROOT / "tests" / "invalid").glob("*.ttl"))
BANGKOK = "https://w3id.org/aichr-japan/id/place/bangkok"


def scanned_line(path: Path, subject: URIRef, graph: Graph) -> int:
    """The former answer: the first line whose start names `subject` by IRI or prefix, else 1."""
    names = [f"<{subject}>"]
    for prefix, namespace in graph.namespaces():
        if prefix and str(subject).startswith(str(namespace)):
            names.append(f"{prefix}:{str(subject)[len(str(namespace)) :]}")
    pattern = re.compile(r"^\s*(?:" + "|".join(re.escape(n) for n in names) + r")(?=[\s;,.]|$)")
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.match(text):
            return number
    return 1


def assert_lines_as_scanned(paths: list[Path]) -> None:
    loaded = load_files(paths)
    lines = SubjectLines(loaded.graph)
    subjects = [(file, subject) for subject, file in loaded.subject_files.items() if isinstance(subject, URIRef)]
    assert subjects
    indexed = {(file, subject): lines.line_of(file, subject) for file, subject in subjects}
    assert indexed == {(file, subject): scanned_line(file, subject, loaded.graph) for file, subject in subjects}


def test_every_subject_of_data_is_found_where_the_scan_finds_it():
    assert_lines_as_scanned([ROOT / "data"])


@pytest.mark.parametrize("example", INVALID_EXAMPLES, ids=lambda path: path.stem)
def test_every_subject_of_an_invalid_example_is_found_where_the_scan_finds_it(example):
    assert_lines_as_scanned([example])


def test_every_subject_of_generated_data_is_found_where_the_scan_finds_it(tmp_path):
    """Generated copies are written as N-Triples: every subject named by its full IRI."""
    assert_lines_as_scanned([make_synthetic_project(ROOT, tmp_path / "synthetic", copies=2) / "data"])


def test_names_ending_in_punctuation_are_found_where_the_scan_finds_them(tmp_path):
    """A name may end at `,` `;` `.` (objects on lines of their own, local names with dots, the bare prefix)."""
    crafted = tmp_path / "crafted.ttl"
    crafted.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "@prefix exx: <http://example.org/x/> .\n"
        "ex:list ex:has\n"
        "    ex:b,\n"
        "    ex:c;\n"
        "    ex:p ex:d.\n"
        "ex:a.b ex:p ex:a .\n"
        "\tex:a ex:p <http://example.org/x/y> .\n"
        "ex: ex:p exx:y .\n"
        "<http://example.org/x/y> ex:p ex:b .\n"
        "exx:y ex:p ex:c .\n"
        "ex:b ex:p ex:c . ex:c ex:p ex:d . ex:d ex:p ex:list .\n",
        encoding="utf-8",
    )
    assert_lines_as_scanned([crafted])


def test_a_finding_names_the_line_that_starts_its_description(tmp_path):
    """Mentions that are not the start of a description do not count: a comment, a longer name, an object."""
    case = (ROOT / "tests" / "invalid" / "missing-label.ttl").read_text(encoding="utf-8")
    described = f"<{BANGKOK}>"
    decoys = (
        "# place:bangkok is described below\n"
        'place:bangkok-old rdfs:comment "An older name."@en .\n'
        "country:th aj:source slide:08 ;\n    rdfs:seeAlso place:bangkok .\n"
    )
    example = tmp_path / "decoys.ttl"
    example.write_text(case.replace("place:bangkok\n", decoys + described + "\n"), encoding="utf-8")
    result = run_cli("validate", "--alone", "--format", "json", str(example))
    assert result.returncode == 1, result.stdout + result.stderr
    expected_line = example.read_text(encoding="utf-8").splitlines().index(described) + 1
    lines = {finding["line"] for finding in json.loads(result.stdout)["results"] if finding["focus"] == BANGKOK}
    assert lines == {expected_line}
