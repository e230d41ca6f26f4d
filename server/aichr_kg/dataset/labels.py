"""Every name in the dataset, for label search and for telling known IRIs from unknown ones.

Loaded once per dataset with two queries; matching happens here in Python, so user input never
reaches SPARQL. Matching is case- and accent-insensitive ("Viet Nam" finds "Việt Nam"), and a
name that starts with the query ranks before one that merely contains it. `labels_of` names a
page's few IRIs (terms of an answer, never text typed by a user) with one query of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph

from aichr_kg.namespaces import RDFS_LABEL, SKOS, graph_iri, with_graph
from aichr_kg.store import SparqlStore, select
from aichr_kg.store.paging import select_all

NAMES = f"""
SELECT ?x ?name ?p WHERE {{
  VALUES ?p {{ <{RDFS_LABEL}> <{SKOS}prefLabel> <{SKOS}altLabel> }}
  ?x ?p ?name .
  FILTER(isIRI(?x) && isLiteral(?name))
}} ORDER BY ?x ?p ?name"""

# Every described IRI, with its asserted types (the inferred superclasses would only add noise).
SUBJECTS = """
SELECT DISTINCT ?x ?type WHERE {
  ?x ?p ?o .
  FILTER(isIRI(?x))
  OPTIONAL { GRAPH ?g { ?x a ?type } FILTER(?g != $inferred) }
} ORDER BY ?x ?type"""


def fold(text: str) -> str:
    """Lower-case, accents stripped, punctuation as single spaces: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


@dataclass
class Entry:
    """One described IRI: its display label, every name it goes by, its asserted types."""

    iri: str
    label: str = ""
    names: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    """A search result: the entry, the name that matched and how well (0 best)."""

    entry: Entry
    matched: str
    rank: int  # 0 the whole name, 1 its start, 2 a word's start, 3 every word's start, 4 anywhere


class LabelIndex:
    """Names and types of every IRI subject in the dataset."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self._folded = [(entry, name, fold(name)) for entry in entries.values() for name in entry.names]

    def knows(self, iri: str) -> bool:
        return iri in self.entries

    def label(self, iri: str) -> str | None:
        entry = self.entries.get(iri)
        return entry.label if entry and entry.label else None

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best `limit` entries for a query, best first; an empty query finds nothing."""
        wanted = fold(query)
        if not wanted:
            return []
        best: dict[str, Hit] = {}
        for entry, name, folded in self._folded:
            rank = _rank(wanted, folded)
            if rank is not None and (entry.iri not in best or rank < best[entry.iri].rank):
                best[entry.iri] = Hit(entry, name, rank)
        ordered = sorted(best.values(), key=lambda h: (h.rank, len(h.matched), h.entry.label.casefold(), h.entry.iri))
        return ordered[:limit]


def _rank(wanted: str, folded: str) -> int | None:
    if folded == wanted:
        return 0
    if folded.startswith(wanted):
        return 1
    if f" {wanted}" in f" {folded}":
        return 2
    words = folded.split()
    if all(any(w.startswith(part) for w in words) for part in wanted.split()):
        return 3
    if wanted in folded:
        return 4
    return None


def load_label_index(store: SparqlStore, base: str) -> LabelIndex:
    """Read every name and described IRI from the store (two queries, each read in full)."""
    entries: dict[str, Entry] = {}
    for row in select_all(store, with_graph(SUBJECTS, graph_iri(base, "inferred"))):
        entry = entries.setdefault(row["x"].value, Entry(row["x"].value))
        if "type" in row and row["type"].value not in entry.types:
            entry.types.append(row["type"].value)
    for row in sorted(select_all(store, NAMES), key=label_preference):
        found = entries.get(row["x"].value)
        if found is None:
            continue
        entry = found
        if row["name"].value not in entry.names:
            entry.names.append(row["name"].value)
        if not entry.label and row["p"].value != SKOS + "altLabel":
            entry.label = row["name"].value
    for entry in entries.values():
        entry.types.sort()
        if entry.iri.startswith(base):
            entry.names.append(entry.iri[len(base) :])  # "project/jaif-01" finds the project too
    return LabelIndex(entries)


def label_preference(row: dict) -> tuple:
    """English (or untagged) names first, rdfs:label before skos:prefLabel among them, then the
    others by language: one order for the pages' index, completion and `labels_of`, so a resource
    is named alike everywhere."""
    language = getattr(row["name"], "language", None) or ""
    return (language not in ("en", ""), language, row["p"].value != RDFS_LABEL, row["name"].value)


LABELS_OF = """
SELECT ?x ?name ?p WHERE {{
  VALUES ?p {{ <{label}> <{pref_label}> }}
  VALUES ?x {{ {iris} }}
  ?x ?p ?name .
  FILTER(isLiteral(?name))
}}"""


def labels_of(store: SparqlStore, iris: list[str]) -> dict[str, str]:
    """The rdfs:label or skos:prefLabel of each of `iris` that has one (English first), in one query:
    for a page's few IRIs, where the full index would be read for nothing."""
    if not iris:
        return {}
    values = " ".join(str(pyoxigraph.NamedNode(iri)) for iri in iris)  # the IRIs come from terms, so they are valid
    query = LABELS_OF.format(label=RDFS_LABEL, pref_label=SKOS + "prefLabel", iris=values)
    found: dict[str, str] = {}
    for row in sorted(select(store, query), key=label_preference):
        found.setdefault(row["x"].value, row["name"].value)
    return found
