"""The retired IRIs of the dataset (owl:deprecated true in its data graph) and the successor of each.

Read once per dataset, so /id/ answers 301 or 410 without a query of its own. Deprecated ontology
terms are not in the data graph: they keep their ordinary pages.
"""

from __future__ import annotations

from aichr_kg.namespaces import DCT, OWL, graph_iri
from aichr_kg.store import SparqlStore
from aichr_kg.store.paging import select_all


def read_retired(store: SparqlStore, base: str) -> dict[str, str | None]:
    """Each retired IRI with its successor's IRI, or None when it has none."""
    query = f"""
SELECT ?s ?successor WHERE {{
  GRAPH <{graph_iri(base, "data")}> {{
    ?s <{OWL}deprecated> true .
    OPTIONAL {{ ?s <{DCT}isReplacedBy> ?successor FILTER(isIRI(?successor)) }}
  }}
  FILTER(isIRI(?s))
}} ORDER BY ?s ?successor"""
    return {row["s"].value: row["successor"].value if "successor" in row else None for row in select_all(store, query)}
