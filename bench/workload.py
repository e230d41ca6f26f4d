"""The benchmark's queries: every saved query with its default parameters, and a few generic shapes.

Each text declares every prefix it uses, so our endpoint (which predeclares the project's prefixes)
and a plain SPARQL engine parse the very same query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aichr_kg.namespaces import CANONICAL_BASE, PREFIXES
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.saved.parameters import ParameterError, bind_parameters

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
GRAPH_QUERY = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)

# Generic query shapes besides the saved ones; {project} is replaced by a JAIF project's IRI.
GENERIC_QUERIES = {
    "lookup-by-iri": "SELECT ?p ?o WHERE { <{project}> ?p ?o }",
    "two-hop-join": """SELECT ?project ?country ?country_label WHERE {
  ?project a aj:JAIFProject ; aj:leadCountry ?country .
  ?country rdfs:label ?country_label .
}""",
    "group-by-sum": """SELECT ?country (SUM(?amount) AS ?total_usd) (COUNT(?project) AS ?projects) WHERE {
  ?project aj:leadCountry ?country ; aj:actualCost ?cost .
  ?cost aj:amount ?amount .
} GROUP BY ?country""",
    "construct": """CONSTRUCT { ?project rdfs:label ?label ; aj:leadCountry ?country } WHERE {
  ?project a aj:JAIFProject ; rdfs:label ?label ; aj:leadCountry ?country .
}""",
    "first-three": "SELECT ?p WHERE { ?p a aj:JAIFProject } LIMIT 3",
}
FIRST_PROJECT = "SELECT ?p WHERE { ?p a aj:JAIFProject } ORDER BY ?p LIMIT 1"


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix and the result format both servers are asked for."""

    name: str
    text: str
    accept: str


def with_prologue(text: str) -> str:
    """`text` preceded by a PREFIX line for each of the project's prefixes it does not declare itself."""
    missing = [name for name in PREFIXES if not re.search(rf"PREFIX\s+{name}:", text, re.IGNORECASE)]
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in missing) + text


def saved_query_texts(root: Path) -> dict[str, str]:
    """Each saved query with its default parameters as a trailing VALUES block (the protocol has no bindings)."""
    texts = {}
    for saved in read_saved_queries(root / "queries")[0]:
        try:
            bindings = bind_parameters(saved.parameters, {}, saved.defaults)
        except ParameterError:
            continue  # needs a parameter that has no default
        values = "".join(f"\nVALUES ?{name} {{ {term} }}" for name, term in bindings.items())
        texts[saved.name] = saved.text_for(CANONICAL_BASE) + values
    return texts


def bench_queries(root: Path, project_iri: str) -> list[BenchQuery]:
    """The saved queries of the project at `root`, then the generic shapes, each with its full prologue."""
    texts = saved_query_texts(root)
    texts.update({name: text.replace("{project}", project_iri) for name, text in GENERIC_QUERIES.items()})
    return [
        BenchQuery(name, with_prologue(text), N_TRIPLES if GRAPH_QUERY.search(strip_comments(text)) else RESULTS_JSON)
        for name, text in texts.items()
    ]


def strip_comments(text: str) -> str:
    """The query without its `#` comment lines (the saved queries' decorators mention CONSTRUCT freely)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
