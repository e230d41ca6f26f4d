"""The bench's synthetic data grows as the real data would, conforms to shapes/, and the bench refuses data that does not.

More projects, costs, outcomes, initiatives and publications, linked to the same countries,
organisations, themes, meetings and slides: a benchmark of it measures what users will meet.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from aichr_kg.pipeline.load import load_files
from bench import run as bench_run
from bench.synthetic import make_synthetic_project

ROOT = Path(__file__).resolve().parents[1]
AJ = "https://w3id.org/aichr-japan/ontology/"
SHARED_CLASSES = [
    URIRef(AJ + name) for name in ("Country", "Organization", "Fund", "Slide", "SourceDocument", "Summit", "Person")
] + [SKOS.ConceptScheme, SKOS.Concept]
ITEM_CLASSES = [URIRef(AJ + name) for name in ("JAIFProject", "BHRProject", "MonetaryAmount", "Initiative", "Outcome")]


def data_of(project: Path) -> Graph:
    return load_files([project / "data"]).graph


def instances(graph: Graph, kind: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, kind)))


def broken_synthetic_project(root: Path, target: Path, copies: int) -> Path:
    """The generator's output with one fact a copy gets wrong: a project citing a country as its source slide."""
    project = make_synthetic_project(root, target, copies)
    with (project / "data" / "synthetic.ttl").open("a", encoding="utf-8") as out:
        out.write(
            f"<https://w3id.org/aichr-japan/id/project/jaif-01-c1> <{AJ}source> <https://w3id.org/aichr-japan/id/country/th> .\n"
        )
    return project


@pytest.mark.slow
@pytest.mark.parametrize("copies", [2, 3])
def test_copies_validate_with_no_violation(tmp_path, copies):
    outcome = bench_run.validate_project(make_synthetic_project(ROOT, tmp_path / f"x{copies}", copies))

    assert [finding for finding in outcome.findings if finding.severity == "violation"] == []
    assert outcome.conforms


def test_the_graph_grows_linearly_with_the_copies(tmp_path):
    sizes = [len(data_of(make_synthetic_project(ROOT, tmp_path / f"x{n}", n))) for n in (1, 2, 3)]

    assert sizes[0] == len(data_of(ROOT))
    assert sizes[1] > sizes[0] and sizes[2] - sizes[1] == sizes[1] - sizes[0]


def test_shared_resources_are_written_once_and_items_once_per_copy(tmp_path):
    real, grown = data_of(ROOT), data_of(make_synthetic_project(ROOT, tmp_path / "x3", 3))

    assert {kind: instances(grown, kind) for kind in SHARED_CLASSES} == {kind: instances(real, kind) for kind in SHARED_CLASSES}
    assert all(instances(real, kind) > 0 for kind in ITEM_CLASSES)
    assert {kind: instances(grown, kind) for kind in ITEM_CLASSES} == {kind: 3 * instances(real, kind) for kind in ITEM_CLASSES}


def test_a_copy_links_to_the_real_shared_resources_and_has_its_own_label(tmp_path):
    grown = data_of(make_synthetic_project(ROOT, tmp_path / "x2", 2))
    original, copy = (URIRef(f"https://w3id.org/aichr-japan/id/project/jaif-01{suffix}") for suffix in ("", "-c1"))
    links = [URIRef(AJ + name) for name in ("leadCountry", "fundedBy", "theme", "source")]

    assert {link: set(grown.objects(copy, link)) for link in links} == {
        link: set(grown.objects(original, link)) for link in links
    }
    assert str(grown.value(copy, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))).endswith("(2)")
    assert grown.value(copy, URIRef(AJ + "actualCost")) == URIRef("https://w3id.org/aichr-japan/id/cost/jaif-01-c1")


@pytest.mark.slow
def test_the_bench_stops_on_a_broken_copy_naming_the_violation(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_run, "make_synthetic_project", broken_synthetic_project)

    with pytest.raises(bench_run.NonConformingData, match=r"3x does not conform.*1 violation.*jaif-01-c1.*must be a slide"):
        bench_run.require_generator_conforms(tmp_path)


def test_the_bench_exits_non_zero_with_the_reason_when_data_does_not_conform(monkeypatch, capsys):
    def failing_run(args: object) -> None:
        raise bench_run.NonConformingData("the synthetic data at 3x does not conform to shapes/: 1 violation(s)")

    monkeypatch.setattr(bench_run, "run", failing_run)
    monkeypatch.setattr(sys, "argv", ["bench/run.py", "--scale", "0"])

    assert bench_run.main() == 1
    message = capsys.readouterr().err
    assert "3x does not conform to shapes/" in message and "not a measurement; nothing was written" in message
    assert "Traceback" not in message


def test_a_file_per_copy_holds_the_same_graph(tmp_path):
    split = make_synthetic_project(ROOT, tmp_path / "split", 3, file_per_copy=True)

    assert sorted(path.name for path in (split / "data").iterdir()) == [f"synthetic-{n}.ttl" for n in range(3)]
    assert set(data_of(split)) == set(data_of(make_synthetic_project(ROOT, tmp_path / "one", 3)))
