"""`aichr-kg validate --changed-since REV` as a process, on a git repository made from a copy of the project.

For each generated edit of the working tree, the findings of `--changed-since HEAD` are those of a full
`validate` (the committed project conforms, so a full run's findings are all about what the edit can
affect): the same (focus node, source shape, component, severity, value, path) in pySHACL's report,
the same findings in JSON, the same verdict, besides the IRIs described at REV and no longer (which only
a comparison with REV can find, see test_links.py). A change of the ontology or the shapes, or of the class
hierarchy, is validated in full, and says so.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Hashable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from aichr_kg.namespaces import SH
from aichr_kg.pipeline.published import VANISHED
from tests.support import copy_project, git, run_cli

RESULT_PARTS = (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.resultSeverity, SH.value, SH.resultPath)
NEW_INVALID_PROJECT = """
project:jaif-99
    a aj:JAIFProject ;
    aj:month "May 2025" ;
    aj:leadCountry country:xx ;
    aj:actualCost cost:jaif-99 .

cost:jaif-99
    a aj:MonetaryAmount ;
    aj:amount "-5"^^xsd:decimal .
"""
COUNTRY_TH = re.compile(r"^country:th\n.*?\n\n", re.DOTALL | re.MULTILINE)


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert old in text, f"the edit's text is not in {path}"
        (root / path).write_text(text.replace(old, new), encoding="utf-8")

    return edit


def append(path: str, addition: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / path).open("a", encoding="utf-8") as file:
            file.write(addition)

    return edit


def remove_country_th(root: Path) -> None:
    text = (root / "data/places.ttl").read_text(encoding="utf-8")
    assert COUNTRY_TH.search(text)
    (root / "data/places.ttl").write_text(COUNTRY_TH.sub("", text, count=1), encoding="utf-8")


def comment_every_project(root: Path) -> None:
    for path in ("data/jaif-projects.ttl", "data/bhr-projects.ttl"):
        replace(path, '"@en ;', '"@en ; rdfs:comment "Checked again."@en ;')(root)


# Each edit, and whether a full validation of the edited project then conforms.
EDITS: dict[str, tuple[Callable[[Path], None], bool]] = {
    "cost amount made a string": (
        replace("data/jaif-projects.ttl", 'aj:amount "169934.75"^^xsd:decimal', 'aj:amount "169934.75"'),
        False,
    ),
    "project label removed": (
        replace(
            "data/jaif-projects.ttl",
            '    rdfs:label "AICHR Regional Dialogue on the Mainstreaming of the Rights of Persons with Disabilities in ASEAN"@en ;\n',
            "",
        ),
        False,
    ),
    "month made a date": (
        replace("data/jaif-projects.ttl", 'aj:month "2015-12"^^xsd:gYearMonth', 'aj:month "2015-12-01"^^xsd:date'),
        False,
    ),
    "country that projects link to removed": (remove_country_th, False),
    "new invalid project": (append("data/jaif-projects.ttl", NEW_INVALID_PROJECT), False),
    "priority-area links removed (seen through an inverse path)": (
        replace(
            "data/meetings.ttl",
            "    aj:identifiesPriorityArea theme:rights-of-persons-with-disabilities , theme:empowerment-of-women ,\n"
            "        theme:trafficking-in-persons ;\n",
            "",
        ),
        True,  # warnings only
    ),
    "meeting moved after its outcome (seen by a SHACL-SPARQL constraint)": (
        replace("data/meetings.ttl", 'aj:date "2023-11-08"^^xsd:date', 'aj:date "2024-02-01"^^xsd:date'),
        False,
    ),
    "date made a plain string (a sh:or on a literal value)": (
        replace("data/meetings.ttl", 'dct:date "2018"^^xsd:gYear', 'dct:date "in 2018"'),
        False,
    ),
    "formatting only": (
        replace("data/jaif-projects.ttl", "    a aj:JAIFProject ;\n", "    a   aj:JAIFProject ;   # a row of the table\n\n"),
        True,
    ),
    "valid change": (
        replace("data/jaif-projects.ttl", '"169934.75"^^xsd:decimal', '"170000.00"^^xsd:decimal'),
        True,
    ),
}


def node_key(report: Graph, node: Node | None) -> Hashable:
    """A term as itself, a blank node (a shape, a path) as its description: blank labels differ between runs."""
    if not isinstance(node, BNode):
        return node
    return frozenset((p, node_key(report, o)) for p, o in report.predicate_objects(node))


def report_results(turtle: str) -> Counter:
    """Each result of a pySHACL report as (focus node, source shape, component, severity, value, path)."""
    report = Graph().parse(data=turtle, format="turtle")
    results = Counter()
    for result in report.subjects(SH.resultSeverity, None):
        if report.value(result, SH.sourceShape) == URIRef(VANISHED):
            continue
        results[tuple(node_key(report, report.value(result, part)) for part in RESULT_PARTS)] += 1
    return results


def json_findings(output: str) -> tuple[bool, Counter]:
    """The verdict and the findings of a JSON report; a blank source shape's label and the message are left
    out (pySHACL picks either of two messages at random; the shape is compared in the report above)."""
    report = json.loads(output)
    kept = Counter()
    for finding in report["results"]:
        if finding["shape"] == VANISHED:
            continue
        finding.pop("message")
        if not finding["shape"].startswith(("http:", "https:")):
            finding.pop("shape")
        kept[json.dumps(finding, sort_keys=True)] += 1
    return report["conforms"], kept


def validate(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    done = run_cli("validate", *arguments, cwd=root)
    assert "Traceback" not in done.stderr
    return done


@pytest.mark.parametrize("name", list(EDITS))
def test_changed_since_finds_what_a_full_validation_finds(clean: Path, name: str) -> None:
    edit, conforms = EDITS[name]
    edit(clean)
    for report_format, read in (("turtle", report_results), ("json", json_findings)):
        full = validate(clean, "--format", report_format)
        changed = validate(clean, "--format", report_format, "--changed-since", "HEAD")
        assert (changed.returncode, read(changed.stdout)) == (full.returncode, read(full.stdout))
        assert "validating everything" not in changed.stderr
        assert re.search(r"validating \d+ focus node\(s\) a change since HEAD can affect", changed.stderr)
    assert full.returncode == (0 if conforms else 1)
    assert (VANISHED in changed.stdout) == (name == "country that projects link to removed")
    assert json_findings(full.stdout)[1] or name in ("formatting only", "valid change")


def test_formatting_only_validates_no_focus_node(clean: Path) -> None:
    EDITS["formatting only"][0](clean)
    done = validate(clean, "--changed-since", "HEAD")
    assert done.returncode == 0
    assert "validating 0 focus node(s)" in done.stderr


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (append("ontology/aichr.ttl", "\naj:NewKind a owl:Class .\n"), "the ontology changed since HEAD"),
        (replace("shapes/projects.ttl", "sh:targetClass aj:BHRProject ;", "sh:targetClass aj:Project ;"), "the shapes changed"),
        (
            append("data/themes.ttl", "\naj:LocalTheme rdfs:subClassOf aj:Theme .\n"),
            "the data changes the class or property hierarchy",
        ),
        (comment_every_project, "the change since HEAD affects 45% of the resources (more than 20%)"),
    ],
    ids=["ontology", "shapes", "class hierarchy in data", "large change"],
)
def test_changes_that_can_affect_any_node_fall_back_to_a_full_run(clean: Path, edit: Callable[[Path], None], reason: str) -> None:
    edit(clean)
    full = validate(clean, "--format", "turtle")
    changed = validate(clean, "--format", "turtle", "--changed-since", "HEAD")
    assert f"validating everything: {reason}" in changed.stderr
    assert (changed.returncode, report_results(changed.stdout)) == (full.returncode, report_results(full.stdout))


def test_a_formatting_change_of_the_shapes_is_no_change(clean: Path) -> None:
    replace("shapes/projects.ttl", "    sh:targetClass aj:BHRProject ;\n", "    sh:targetClass   aj:BHRProject ;\n\n")(clean)
    done = validate(clean, "--changed-since", "HEAD")
    assert done.returncode == 0
    assert "validating 0 focus node(s)" in done.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--changed-since", "no-such-branch"), "no-such-branch"),
        (("--changed-since=-x",), "a revision does not start with '-'"),
        (("--changed-since", "HEAD", "data/themes.ttl"), "--changed-since validates the project's data/"),
        (("--changed-since", "HEAD", "--shapes", "shapes"), "--changed-since validates the project's data/"),
    ],
)
def test_unusable_arguments_are_refused_with_exit_2(clean: Path, arguments: tuple[str, ...], message: str) -> None:
    done = validate(clean, *arguments)
    assert done.returncode == 2
    assert message in done.stderr


def test_a_project_below_the_repository_top_reads_its_own_files(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_project(repo / "project")
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "a project in a folder")
    EDITS["month made a date"][0](repo / "project")
    full = validate(repo / "project", "--format", "turtle")
    changed = validate(repo / "project", "--format", "turtle", "--changed-since", "HEAD")
    assert full.returncode == 1
    assert (changed.returncode, report_results(changed.stdout)) == (full.returncode, report_results(full.stdout))
    assert re.search(r"validating \d+ focus node\(s\)", changed.stderr)


def test_outside_a_git_repository_it_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    done = validate(root, "--changed-since", "HEAD")
    assert done.returncode == 2
    assert "HEAD" in done.stderr
