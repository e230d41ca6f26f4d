"""The shape of the dataset: entities per class, triples per property, and the dated meetings and
projects of the timeline. One query each, over the union of the named graphs (what /sparql sees).
"""

from __future__ import annotations

from dataclasses import dataclass

from aichr_kg.namespaces import sparql_prologue
from aichr_kg.store import SparqlStore
from aichr_kg.store.paging import select_all

CLASS_COUNTS = "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY ?class"
PROPERTY_COUNTS = "SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } GROUP BY ?property ORDER BY ?property"

DATED = """
SELECT ?x ?kind ?name ?date ?month ?year ?planned WHERE {
  { ?x a aj:Event BIND("meeting" AS ?kind) } UNION { ?x a aj:Project BIND("project" AS ?kind) }
  ?x rdfs:label|skos:altLabel ?name .
  FILTER(lang(?name) IN ("en", ""))
  OPTIONAL { ?x aj:date ?date }
  OPTIONAL { ?x aj:month ?month }
  OPTIONAL { ?x dct:date|aj:year ?year }
  BIND(EXISTS { ?x a aj:PlannedProject } AS ?planned)
} ORDER BY ?x ?kind ?name ?date ?month ?year ?planned"""


@dataclass(frozen=True)
class Dated:
    """A meeting or project on the timeline: when (as precisely as known) and its shortest name."""

    iri: str
    kind: str  # 'meeting' or 'project'
    name: str
    year: int
    month: int | None
    day: int | None
    planned: bool

    @property
    def sort_key(self) -> tuple:
        return (self.year, self.month or 6, self.day or 15, self.name)


def class_counts(store: SparqlStore) -> dict[str, int]:
    """Distinct instances per class, counting inferred types (a JAIF project is a project too)."""
    return {row["class"].value: int(row["n"].value) for row in select_all(store, CLASS_COUNTS)}


def property_counts(store: SparqlStore) -> dict[str, int]:
    return {row["property"].value: int(row["n"].value) for row in select_all(store, PROPERTY_COUNTS)}


def dated_items(store: SparqlStore, base: str) -> list[Dated]:
    """Every meeting and project with a date, month or year, in time order."""
    found: dict[str, Dated] = {}
    for row in select_all(store, sparql_prologue(base) + DATED):
        when = _when(row)
        if when is None:
            continue
        item = Dated(row["x"].value, row["kind"].value, row["name"].value, *when, planned=row["planned"].value == "true")
        current = found.get(item.iri)
        if current is None or len(item.name) < len(current.name):
            found[item.iri] = item
    return sorted(found.values(), key=lambda d: d.sort_key)


def _when(row: dict) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from the most precise of aj:date, aj:month, a year; None when undated."""
    for name in ("date", "month", "year"):
        if name in row:
            parts = row[name].value[:10].split("-")
            if all(p.isascii() and p.isdigit() for p in parts) and parts[0]:
                numbers = [int(p) for p in parts] + [None, None]
                return numbers[0], numbers[1], numbers[2]
    return None
