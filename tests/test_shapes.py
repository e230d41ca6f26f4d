"""The SHACL shapes: the real data conforms, each invalid example breaks its rule, the shapes are valid SHACL.

Every check runs with RDFS inference and without it: the tests' mode ("rdfs") and the CLI's
("none") must agree, since the CLI reuses tests/invalid/ and their `# expect:` lines.
"""

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")

ROOT = Path(__file__).resolve().parents[1]
INVALID_EXAMPLES = sorted((ROOT / "tests" / "invalid").glob("*.ttl"))
INFERENCE_MODES = ("rdfs", "none")
EXPECT_PREFIX = "# expect: "
SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"


def parse_turtle(paths: list[Path]) -> Graph:
    """One graph holding every triple of the given Turtle files."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def expected_message(example: Path) -> str:
    """The substring of a sh:message that the example's first line promises."""
    first_line = example.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith(EXPECT_PREFIX), f"{example.name}: first line must be '{EXPECT_PREFIX}<message>'"
    return first_line[len(EXPECT_PREFIX) :].strip()


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    return parse_turtle(sorted((ROOT / "shapes").glob("*.ttl")))


@pytest.fixture(scope="module")
def ontology_graph() -> Graph:
    return parse_turtle([ROOT / "ontology" / "aichr.ttl"])


def validate(data: Graph, shapes: Graph, ontology: Graph, inference: str) -> tuple[bool, str]:
    """pySHACL with SHACL-SPARQL; warnings are suspicious-but-allowed, so only violations fail."""
    conforms, _, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=inference,
        advanced=True,
        allow_warnings=True,
    )
    return conforms, text


@pytest.mark.parametrize("inference", INFERENCE_MODES)
def test_real_data_conforms(shapes_graph, ontology_graph, inference):
    data = parse_turtle(sorted((ROOT / "data").glob("*.ttl")))
    conforms, text = validate(data, shapes_graph, ontology_graph, inference)
    assert conforms, text


def test_every_class_the_data_uses_has_a_shape(shapes_graph):
    data = parse_turtle(sorted((ROOT / "data").glob("*.ttl")))
    shaped = set(shapes_graph.objects(None, SH.targetClass))
    unshaped = set(data.objects(None, RDF.type)) - shaped
    assert not unshaped, sorted(unshaped)


def test_every_constraint_has_a_message_and_a_severity(shapes_graph):
    """Property shapes and SPARQL constraints speak plain language and say how bad they are."""
    property_shapes = set(shapes_graph.objects(None, SH.property)) | set(shapes_graph.subjects(RDF.type, SH.PropertyShape))
    mute = [shape for shape in property_shapes if (shape, SH.message, None) not in shapes_graph]
    unrated = [shape for shape in property_shapes if (shape, SH.severity, None) not in shapes_graph]
    mute += [c for c in shapes_graph.objects(None, SH.sparql) if (c, SH.message, None) not in shapes_graph]
    assert not mute and not unrated, (mute, unrated)


def test_there_are_at_least_twelve_invalid_examples():
    assert len(INVALID_EXAMPLES) >= 12, [example.name for example in INVALID_EXAMPLES]


@pytest.mark.parametrize("inference", INFERENCE_MODES)
@pytest.mark.parametrize("example", INVALID_EXAMPLES, ids=lambda path: path.stem)
def test_invalid_example_breaks_its_rule(shapes_graph, ontology_graph, example, inference):
    conforms, text = validate(parse_turtle([example]), shapes_graph, ontology_graph, inference)
    assert not conforms, f"{example.name} conforms, but should break: {expected_message(example)}"
    assert expected_message(example) in text, text


def test_shapes_are_valid_shacl(shapes_graph):
    """The shapes themselves conform to the W3C SHACL-for-SHACL shapes that pySHACL ships."""
    shacl_for_shacl = parse_turtle([SHACL_SHACL])
    conforms, _, text = pyshacl.validate(shapes_graph, shacl_graph=shacl_for_shacl)
    assert conforms, text
