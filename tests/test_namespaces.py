"""IRIs are defined once, in aichr_kg/namespaces.py: no other module or template spells them out."""

from __future__ import annotations

from rdflib import Namespace

from aichr_kg import namespaces
from tests.support import ROOT

PACKAGE = ROOT / "server" / "aichr_kg"


def defined_iris() -> set[str]:
    return {str(value) for value in vars(namespaces).values() if isinstance(value, Namespace)} | {namespaces.LICENSE}


def test_no_module_or_template_redefines_a_namespace():
    iris = defined_iris()
    spelled_out = {}
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html", ".js") and path.name != "namespaces.py":
            found = {iri for iri in iris if iri in path.read_text(encoding="utf-8")}
            if found:
                spelled_out[str(path.relative_to(PACKAGE))] = sorted(found)
    assert spelled_out == {}, "import these from aichr_kg.namespaces"


def test_namespaces_concatenate_to_plain_strings():
    """Code that compares with pyoxigraph values writes `RDFS + "label"`: a str, equal to the value."""
    label = namespaces.RDFS + "label"
    assert type(label) is str and label == "http://www.w3.org/2000/01/rdf-schema#label" == namespaces.RDFS_LABEL
    assert namespaces.PREFIXES["dct"] == "http://purl.org/dc/terms/"
