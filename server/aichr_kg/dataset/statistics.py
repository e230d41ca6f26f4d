"""The shape of the dataset: entities per class, triples per property, and the dated meetings and
projects of the timeline. One query each, over the union of the named graphs (what /sparql sees);
the timeline's is the saved query `queries/timeline.rq`, so the home page shows what the API charts.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from aichr_kg.namespaces import rebase_query
from aichr_kg.store import SparqlStore
from aichr_kg.store.paging import select_all

CLASS_COUNTS = "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY ?class"
PROPERTY_COUNTS = "SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } GROUP BY ?property ORDER BY ?property"

CALENDAR_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
AFTER_DATE = re.compile(r"(T.*)?(Z|[+-][0-9]{2}:[0-9]{2})?")  # a time of day and a time zone, both optional
TIMELINE_QUERY = "timeline.rq"  # the saved query the API charts, shared with the home page


@dataclass(frozen=True)
class Dated:
    """A meeting or project on the timeline: when (as precisely as known) and its shortest name."""

    iri: str  # '' for a chart's row that names no resource
    kind: str  # its lane on the timeline: 'meeting' or 'project' (a chart's group, '' for none)
    name: str
    date: str  # '2015-05-08', '2015-12' or '2018'
    planned: bool

    @property
    def sort_key(self) -> tuple:
        year, month, day = ([int(part) for part in self.date.split("-")] + [6, 15])[:3]
        return (year, month, day, self.name)


def calendar_date(lexical: str) -> str | None:
    """The `YYYY`, `YYYY-MM` or `YYYY-MM-DD` a date's lexical form begins with (followed at most by a
    time and a time zone), when it is a year, month or day of the calendar; else None (`2020-13`,
    `2021-02-29`): a chart places only dates that exist, and reads no impossible month as December."""
    match = CALENDAR_DATE.match(lexical)
    if match is None or not AFTER_DATE.fullmatch(lexical[match.end() :]):
        return None
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return match[0]


def class_counts(store: SparqlStore) -> dict[str, int]:
    """Distinct instances per class, counting inferred types (a JAIF project is a project too)."""
    return {row["class"].value: int(row["n"].value) for row in select_all(store, CLASS_COUNTS)}


def property_counts(store: SparqlStore) -> dict[str, int]:
    return {row["property"].value: int(row["n"].value) for row in select_all(store, PROPERTY_COUNTS)}


def dated_items(store: SparqlStore, base: str, queries_dir: Path) -> list[Dated]:
    """Every dated meeting and project of the saved timeline query, by its shortest name, in time order."""
    text = rebase_query((queries_dir / TIMELINE_QUERY).read_text(encoding="utf-8"), base)
    found: dict[str, Dated] = {}
    for row in select_all(store, text):
        date = calendar_date(row["date"].value) if "date" in row else None
        if date is None:
            continue
        item = Dated(row["item"].value, row["kind"].value, row["name"].value, date, row["planned"].value == "true")
        current = found.get(item.iri)
        if current is None or len(item.name) < len(current.name):
            found[item.iri] = item
    return sorted(found.values(), key=lambda d: d.sort_key)
