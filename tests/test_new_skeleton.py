"""`aichr-kg new KIND` as a process: a skeleton read from the shapes, refused while its placeholders stay,
accepted in the context of data/ once they hold the values of a real resource of the seed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from aichr_kg.authoring.skeleton import _a
from tests.support import ROOT, copy_project, run_cli

ID = "https://w3id.org/aichr-japan/id/"
# The real resource of each kind whose values fill the skeleton (under a new name).
SEEDS = {"project": ID + "project/jaif-01", "meeting": ID + "meeting/interface-1", "organisation": ID + "org/aichr"}
PREFIX_LINE = re.compile(r"^@prefix\s+(\w*):\s+<([^>]+)>\s*\.", re.MULTILINE)


def is_placeholder(value: Node) -> bool:
    return (isinstance(value, Literal) and str(value).startswith("FILL: ")) or str(value).endswith("/FILL")


def placeholders(skeleton: Graph) -> set[tuple[Node, Node]]:
    return {(subject, predicate) for subject, predicate, value in skeleton if is_placeholder(value)}


def new_skeleton(kind: str, target: Path, *, root: Path = ROOT) -> Graph:
    result = run_cli("--root", str(root), "new", kind, "--id", f"seeded-{kind}", "-o", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    return Graph().parse(target, format="turtle")


def filled_with_seed(skeleton: Graph, kind: str, data: Graph) -> Graph:
    """The skeleton with each placeholder replaced by the seed's values of that property.

    The new resource takes the seed's values; a node it owns (its cost) takes the values of the seed's own.
    """
    (main,) = {s for s in skeleton.subjects() if (None, None, s) not in skeleton}  # the node no other one owns
    seed_of = {main: URIRef(SEEDS[kind])}
    for predicate, child in skeleton.predicate_objects(main):
        if (child, None, None) in skeleton:
            seed_of[child] = data.value(seed_of[main], predicate)
    filled = Graph()
    filled += skeleton
    for subject, predicate in placeholders(skeleton):
        seed_values = list(data.objects(seed_of[subject], predicate))
        assert seed_values, f"the seed has no {predicate}: it cannot fill the skeleton"
        filled.remove((subject, predicate, None))
        for value in seed_values:
            filled.add((subject, predicate, value))
    return filled


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_a_skeleton_filled_with_a_real_resources_values_validates(tmp_path, kind, data):
    skeleton = new_skeleton(kind, tmp_path / "skeleton.ttl")
    assert placeholders(skeleton), "the skeleton asks for values"
    filled = tmp_path / "filled.ttl"
    filled.write_text(filled_with_seed(skeleton, kind, data).serialize(format="turtle"), encoding="utf-8")
    result = run_cli("validate", str(filled))
    assert result.returncode == 0, filled.read_text() + result.stdout + result.stderr
    assert result.stdout == "Conforms: 0 violation(s), 0 other finding(s).\n"


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_an_unfilled_skeleton_fails_on_each_placeholder(tmp_path, kind):
    target = tmp_path / "skeleton.ttl"
    skeleton = new_skeleton(kind, target)
    result = run_cli("validate", "--format", "json", str(target))
    assert result.returncode == 1, result.stdout + result.stderr
    findings = json.loads(result.stdout)["results"]
    reported = {(f["focus"], skeleton.namespace_manager.expand_curie(f["path"])) for f in findings if f["path"]}
    assert {(str(s), p) for s, p in placeholders(skeleton)} <= reported
    assert all(f["file"] == str(target) for f in findings)
    assert all(f["value"] is None or f["value"].startswith("FILL: ") or f["value"].endswith("/FILL") for f in findings)


def test_the_project_skeleton_writes_its_cost_and_the_shapes_rules():
    result = run_cli("new", "project", "--id", "jaif-11")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "project:jaif-11\n    a aj:JAIFProject ;" in text and "aj:actualCost cost:jaif-11 ;" in text
    assert "cost:jaif-11\n    a aj:MonetaryAmount ;" in text and 'aj:currency "FILL: currency"' in text
    assert "aj:fundedBy organisation:jaif ;" in text, "sh:hasValue is written as the value"
    assert "#   - A JAIF-supported project must have either an actual cost" in text
    assert "schema:OnlineEventAttendanceMode" in text, "sh:in values are listed"


def test_the_skeleton_uses_the_prefixes_of_data():
    declared = {m.groups() for path in (ROOT / "data").glob("*.ttl") for m in PREFIX_LINE.finditer(path.read_text())}
    for kind in SEEDS:
        result = run_cli("new", kind)
        assert result.returncode == 0, result.stderr
        assert set(PREFIX_LINE.findall(result.stdout)) <= declared


def test_the_skeleton_follows_the_shapes(tmp_path):
    """A property the shapes start requiring appears in the skeleton: nothing is written from a list of its own."""
    project = copy_project(tmp_path / "project")
    shapes = project / "shapes" / "organisations.ttl"
    required_country = "ajsh:OrganizationShape sh:property [ sh:path aj:country ; sh:minCount 1 ; sh:class aj:Country ] .\n"
    shapes.write_text(shapes.read_text(encoding="utf-8") + required_country, encoding="utf-8")
    before = run_cli("new", "organisation").stdout
    after = run_cli("--root", str(project), "new", "organisation").stdout
    assert "    aj:country country:FILL ;" in after and "    aj:country country:FILL" not in before


def test_an_existing_output_file_is_kept_and_named(tmp_path):
    target = tmp_path / "mine.ttl"
    target.write_text("# my work\n")
    result = run_cli("new", "meeting", "-o", str(target))
    assert result.returncode == 2 and f"{target}: exists already" in result.stderr
    assert target.read_text() == "# my work\n" and "Traceback" not in result.stderr


def test_an_id_that_cannot_end_an_iri_is_refused():
    result = run_cli("new", "project", "--id", "two words")
    assert result.returncode == 2 and "--id 'two words'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [("aj:Agent", "an aj:Agent"), ("aj:Slide", "a aj:Slide"), ("xsd:integer", "an xsd:integer"), ("ex:", "a ex:"), ("", "a ")],
)
def test_the_article_follows_the_local_name_and_an_empty_one_takes_a(name, expected):
    assert _a(name) == expected


def test_an_id_data_describes_already_is_refused_with_each_iri_and_its_file(tmp_path):
    target = tmp_path / "skeleton.ttl"
    result = run_cli("new", "project", "--id", "jaif-01", "-o", str(target))
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    projects = ROOT / "data" / "jaif-projects.ttl"
    assert result.stderr == (
        f"aichr-kg: --id 'jaif-01': {ID}project/jaif-01 is described already in {projects}; "
        f"{ID}cost/jaif-01 is described already in {projects}; choose another --id\n"
    )
    assert not target.exists()


def test_an_id_whose_owned_node_alone_is_described_is_refused(tmp_path):
    """A cost of no project yet is taken as well: the new project's cost would be written over it."""
    project = copy_project(tmp_path / "project")
    stray = project / "data" / "stray.ttl"
    stray.write_text(f'<{ID}cost/stray-1> <http://www.w3.org/2000/01/rdf-schema#label> "a cost"@en .\n', encoding="utf-8")
    result = run_cli("--root", str(project), "new", "project", "--id", "stray-1")
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == f"aichr-kg: --id 'stray-1': {ID}cost/stray-1 is described already in {stray}; choose another --id\n"
    assert run_cli("--root", str(project), "new", "project", "--id", "stray-2").returncode == 0
