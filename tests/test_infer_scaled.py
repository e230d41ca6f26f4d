"""The rules engine gives owlrl's entailments (restricted as `infer` restricts them) on data ten times ours,
where more copies of each item meet the same shared resources, transitive chains and inverses."""

from __future__ import annotations

import pytest

from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.pipeline.infer import infer
from aichr_kg.pipeline.load import load_files
from bench.synthetic import make_synthetic_project
from tests.support import ROOT


@pytest.mark.slow
@pytest.mark.thorough
def test_engines_agree_on_data_ten_times_ours(tmp_path):
    project = make_synthetic_project(ROOT, tmp_path / "x10", 10)
    data, ontology = load_files([project / "data"]).graph, load_files([project / "ontology"]).graph
    rules = set(infer(data, ontology, CANONICAL_BASE, engine="rules"))
    assert len(rules) > 10 * 500, "the copies entail as the real data does"
    assert set(infer(data, ontology, CANONICAL_BASE, engine="owlrl")) == rules
