"""The build manifest is read in one place: a manifest a build wrote reads back equal, and a damaged one is
refused naming what it lacks, by `serve` and `build` alike."""

from __future__ import annotations

import json

import pytest

from aichr_kg.errors import BuildBrokenError
from aichr_kg.pipeline.integrity import MANIFEST, read_manifest
from aichr_kg.pipeline.manifest import Manifest, ManifestUnreadable


@pytest.fixture(scope="module")
def written(built) -> dict:
    return json.loads((built / MANIFEST).read_text(encoding="utf-8"))


def test_what_a_build_wrote_reads_back_equal(written):
    manifest = Manifest.from_json(written)
    assert manifest.to_json() == written
    assert set(manifest.graphs) == {"data", "ontology", "inferred"}
    assert manifest.triples == sum(entry.triples for entry in manifest.graphs.values())
    assert manifest.graph_iris == tuple(entry["iri"] for entry in written["graphs"].values())


@pytest.mark.parametrize("field", ["input_hash", "engine", "built_at", "triples", "graphs", "outputs"])
def test_a_missing_field_is_named(written, field):
    damaged = {key: value for key, value in written.items() if key != field}
    with pytest.raises(ManifestUnreadable, match=f"lacks {field}"):
        Manifest.from_json(damaged)


@pytest.mark.parametrize(("field", "value"), [("triples", "many"), ("triples", True), ("input_hash", 7), ("graphs", [])])
def test_a_mistyped_field_is_named(written, field, value):
    with pytest.raises(ManifestUnreadable, match=f"its {field} is not"):
        Manifest.from_json({**written, field: value})


def test_an_incomplete_graph_entry_is_refused(written):
    with pytest.raises(ManifestUnreadable, match="graph or output entry"):
        Manifest.from_json({**written, "graphs": {"data": {"iri": "x"}}})


def test_a_build_with_a_damaged_manifest_is_broken_naming_the_field(written, tmp_path):
    (tmp_path / MANIFEST).write_text(json.dumps({**written, "outputs": None}), encoding="utf-8")
    with pytest.raises(BuildBrokenError, match="its outputs is not a dict"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST).write_text("[]", encoding="utf-8")
    with pytest.raises(BuildBrokenError, match="not a JSON object"):
        read_manifest(tmp_path)
