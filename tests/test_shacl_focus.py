"""Narrowing a validation to some focus nodes (pipeline/shacl_focus.py): it leaves out exactly the findings
outside the focus, keeps those inside, and never narrows a full validation running beside it."""

from __future__ import annotations

import threading

import pytest
from rdflib import URIRef

from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.shacl_focus import targets_narrowed_to
from aichr_kg.pipeline.validate import validate_graph
from tests.support import copy_project

ID = "https://w3id.org/aichr-japan/id/"
JAIF_02, JAIF_05 = URIRef(ID + "project/jaif-02"), URIRef(ID + "project/jaif-05")
PROJECTS = "data/jaif-projects.ttl"


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """data/ with two projects broken in the same way (a month written as a full date), and the shapes and ontology."""
    project = copy_project(tmp_path_factory.mktemp("broken"))
    path = project / PROJECTS
    text = path.read_text(encoding="utf-8")
    for month in ('aj:month "2016-08"^^xsd:gYearMonth', 'aj:month "2018-10"^^xsd:gYearMonth'):
        assert text.count(month) == 1, month
        text = text.replace(month, month.replace('"^^xsd:gYearMonth', '-01"^^xsd:date'))
    path.write_text(text, encoding="utf-8")
    data, shapes, ontology = (load_files([project / folder]) for folder in ("data", "shapes", "ontology"))
    return data, shapes.graph, ontology.graph


def focus_nodes(outcome) -> set[str]:
    return {finding.focus for finding in outcome.findings}


def test_both_broken_projects_are_found_by_a_full_validation(broken):
    assert focus_nodes(validate_graph(*broken)) == {str(JAIF_02), str(JAIF_05)}


def test_narrowing_leaves_out_a_violation_outside_the_focus_and_keeps_the_one_inside(broken):
    outcome = validate_graph(*broken, focus={JAIF_02})
    assert focus_nodes(outcome) == {str(JAIF_02)}
    assert not outcome.conforms


def test_narrowing_to_a_conforming_node_reports_nothing(broken):
    assert validate_graph(*broken, focus={URIRef(ID + "project/jaif-01")}).findings == []


def test_a_full_validation_beside_a_narrowing_is_not_narrowed(broken):
    """While another thread holds a narrowing open, a full validation here sees every target.

    The validations themselves do not overlap (rdflib's SPARQL parser is not thread-safe); the narrowing does.
    """
    entered, release = threading.Event(), threading.Event()

    def hold_a_narrowing() -> None:
        with targets_narrowed_to({JAIF_05}):
            entered.set()
            release.wait(timeout=300)

    holder = threading.Thread(target=hold_a_narrowing)
    holder.start()
    try:
        assert entered.wait(timeout=30)
        assert focus_nodes(validate_graph(*broken)) == {str(JAIF_02), str(JAIF_05)}
    finally:
        release.set()
        holder.join(timeout=30)
