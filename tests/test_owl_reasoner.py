"""The ontology opens and reasons in HermiT, the OWL 2 DL reasoner of Protégé (through owlready2):
alone and with data/, it is consistent and no class is unsatisfiable. The same check reports an
unsatisfiable class, an individual in two disjoint classes, and a datatype HermiT does not support.
Skipped, saying why, where no Java runtime is installed (.ci/run installs one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from java_runtime import requires_java
from owl_reasoner import ReasonerFailed, reason

pytestmark = requires_java("HermiT")

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "aichr.ttl"
DATA = sorted((ROOT / "data").glob("*.ttl"))
PREFIXES = """
@prefix aj: <https://w3id.org/aichr-japan/ontology/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_hermit_accepts_the_ontology(tmp_path):
    verdict = reason([ONTOLOGY], tmp_path)
    assert verdict.consistent and verdict.unsatisfiable == ()


def test_hermit_finds_the_ontology_and_data_consistent(tmp_path):
    verdict = reason([ONTOLOGY, *DATA], tmp_path)
    assert verdict.consistent and verdict.unsatisfiable == ()


def test_a_class_below_two_disjoint_classes_is_reported_unsatisfiable(tmp_path):
    """aj:Organization and aj:Project are disjoint in the ontology: nothing can be both."""
    extra = PREFIXES + "aj:FundedOrganisation rdfs:subClassOf aj:Organization , aj:Project ."
    verdict = reason([ONTOLOGY], tmp_path, extra)
    assert verdict.consistent and verdict.unsatisfiable == ("https://w3id.org/aichr-japan/ontology/FundedOrganisation",)


def test_a_project_typed_as_an_organisation_is_inconsistent(tmp_path):
    extra = PREFIXES + "<https://w3id.org/aichr-japan/id/project/jaif-01> a aj:Organization ."
    assert not reason([ONTOLOGY, *DATA], tmp_path, extra).consistent


def test_a_month_as_a_datatype_property_value_is_refused(tmp_path):
    """Why aj:date, aj:month and aj:year are annotation properties: HermiT supports only the OWL 2 datatype map."""
    extra = PREFIXES + 'aj:monthOfSomething a owl:DatatypeProperty . aj:x aj:monthOfSomething "2015-12"^^xsd:gYearMonth .'
    with pytest.raises(ReasonerFailed, match=r"XMLSchema#gYearMonth' is not part of the OWL 2 datatype map"):
        reason([ONTOLOGY], tmp_path, extra)


def test_a_run_past_its_time_limit_is_stopped_and_reported(tmp_path):
    with pytest.raises(ReasonerFailed, match=r"HermiT did not finish within 0\.01 s"):
        reason([ONTOLOGY], tmp_path, timeout_s=0.01)
