"""The ontology passes OWLAPI's OWL 2 DL profile check (the one ROBOT's `validate-profile --profile DL`
runs): every term its axioms use is declared, the outside ones it aligns to included. The same check
reports an undeclared class, refuses an import rather than fetching it, and stops at its time limit.
Skipped, saying why, where no Java runtime is installed (.ci/run installs one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from java_runtime import requires_jdk
from owl_profile import ProfileCheckFailed, Violation, compile_checker, dl_violations

pytestmark = [requires_jdk("OWLAPI's profile check"), pytest.mark.slow]  # a JVM starts for each check

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "aichr.ttl"
PREFIXES = """
@prefix aj: <https://w3id.org/aichr-japan/ontology/> .
@prefix ex: <http://example.org/vocabulary/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Path:
    """The checker compiled once for the module's checks."""
    return compile_checker(tmp_path_factory.mktemp("dl-profile-classes"))


def turtle_file(folder: Path, turtle: str) -> Path:
    path = folder / "extra.ttl"
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


def test_the_ontology_is_in_the_owl_2_dl_profile(checker):
    assert dl_violations([ONTOLOGY], checker) == []


def test_a_subclass_of_an_undeclared_outside_class_is_reported(tmp_path, checker):
    extra = turtle_file(tmp_path, "aj:Gadget a owl:Class ; rdfs:subClassOf ex:Thing .")
    thing = "http://example.org/vocabulary/Thing"
    axiom = f"SubClassOf(<https://w3id.org/aichr-japan/ontology/Gadget> <{thing}>)"
    assert dl_violations([ONTOLOGY, extra], checker) == [Violation("UseOfUndeclaredClass", thing, axiom)]


def test_files_are_checked_as_one_document(tmp_path, checker):
    """A fact in another file using a property the ontology declares is no punning: the files are one graph."""
    extra = turtle_file(tmp_path, "<urn:x-test:a> <http://purl.org/dc/terms/source> <urn:x-test:b> .")
    assert dl_violations([ONTOLOGY, extra], checker) == []


def test_an_import_is_refused_not_fetched(tmp_path, checker):
    extra = turtle_file(tmp_path, "<urn:x-test:importer> a owl:Ontology ; owl:imports <http://example.org/vocabulary/> .")
    with pytest.raises(ProfileCheckFailed, match=r"imports are not followed; http://example\.org/vocabulary/ is imported"):
        dl_violations([ONTOLOGY, extra], checker)


def test_a_file_that_is_not_rdf_is_reported_by_name(tmp_path, checker):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not Turtle", encoding="utf-8")
    with pytest.raises(ProfileCheckFailed, match=r"broken\.ttl is not Turtle"):
        dl_violations([broken], checker)


def test_a_run_past_its_time_limit_is_stopped_and_reported(checker):
    with pytest.raises(ProfileCheckFailed, match=r"did not finish within 0\.01 s"):
        dl_violations([ONTOLOGY], checker, timeout_s=0.01)
