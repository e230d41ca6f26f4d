"""Inference: the expected OWL 2 RL entailments, no axiomatic noise, and both engines agree on our data."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Namespace

from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.pipeline.infer import infer
from aichr_kg.pipeline.load import load_files
from tests.support import ROOT

AJ = Namespace(CANONICAL_BASE + "ontology/")
ID = Namespace(CANONICAL_BASE + "id/")
SCHEMA = Namespace("http://schema.org/")


@pytest.fixture(scope="module")
def graphs():
    data = load_files([ROOT / "data"]).graph
    ontology = load_files([ROOT / "ontology"]).graph
    return data, ontology


@pytest.fixture(scope="module")
def inferred(graphs) -> Graph:
    return infer(*graphs, CANONICAL_BASE, engine="rules")


def test_engines_agree_on_our_data(graphs, inferred):
    assert set(infer(*graphs, CANONICAL_BASE, engine="owlrl")) == set(inferred)


def test_superclasses_are_entailed(inferred):
    project = ID["project/jaif-01"]
    assert (project, RDF.type, AJ.Project) in inferred
    assert (project, RDF.type, SCHEMA.Project) in inferred
    assert (ID["org/undp"], RDF.type, AJ.Agent) in inferred


def test_inverse_properties_are_entailed(graphs, inferred):
    data, _ = graphs
    assert (ID["project/bhr-02"], AJ.mainDonor, ID["org/undp"]) in data
    assert (ID["org/undp"], AJ.funds, ID["project/bhr-02"]) in inferred
    assert (ID["country/th"], AJ.leadsProject, ID["project/jaif-01"]) in inferred


def test_superproperties_are_entailed(inferred):
    assert (ID["project/bhr-02"], AJ.fundedBy, ID["org/undp"]) in inferred
    assert (ID["project/bhr-02"], SCHEMA.funder, ID["org/undp"]) in inferred


def test_skos_broader_gives_narrower(graphs, inferred):
    data, _ontology = graphs
    pairs = [(s, o) for s, o in data.subject_objects(SKOS.broader)]
    assert pairs, "the theme scheme declares broader links"
    closure = data + inferred
    assert all((o, SKOS.narrower, s) in closure for s, o in pairs)


def test_no_axiomatic_noise(graphs, inferred):
    """Independent of the filter's code: every inferred type is a class the ontology names (its own or
    one it aligns to), every predicate is one the ontology or its alignments use, no blank nodes."""
    _, ontology = graphs
    named_classes = set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.objects(None, RDFS.subClassOf))
    used_properties = (
        set(ontology.subjects(RDF.type, OWL.ObjectProperty))
        | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
        | set(ontology.objects(None, RDFS.subPropertyOf))
        | set(ontology.objects(None, OWL.inverseOf))
        | {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf}
    )
    for subject, predicate, obj in inferred:
        assert not isinstance(subject, BNode) and not isinstance(obj, BNode), (subject, predicate, obj)
        assert predicate in used_properties, predicate
        if predicate == RDF.type:
            assert obj in named_classes, obj
    assert not set(inferred.objects(None, RDF.type)) & {OWL.Thing, RDFS.Resource, OWL.Class, RDF.Property, OWL.NamedIndividual}


def test_nothing_asserted_is_repeated(graphs, inferred):
    data, ontology = graphs
    assert not any(triple in data or triple in ontology for triple in inferred)


def test_inferred_graph_is_served_separately(built):
    """The built dataset keeps entailments in their own named graph."""
    nquads = (built / "dataset.nq").read_text()
    inferred_graph = f"<{CANONICAL_BASE}graph/inferred>"
    assert f"<{ID['org/undp']}> <{AJ.funds}> <{ID['project/bhr-02']}> {inferred_graph} ." in nquads


def test_skos_broader_transitivity_is_entailed(inferred):
    assert (ID["theme/accessibility-universal-design"], SKOS.broaderTransitive, ID["theme/human-rights"]) in inferred
    assert (ID["theme/human-rights"], SKOS.narrowerTransitive, ID["theme/accessibility-universal-design"]) in inferred
