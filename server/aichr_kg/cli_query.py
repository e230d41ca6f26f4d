"""`aichr-kg query` and `aichr-kg stats`: SPARQL on the built store with the server's engine, printed for a terminal."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pyoxigraph

from aichr_kg.errors import BuildMissingError, InputMissingError
from aichr_kg.namespaces import prefixes_for
from aichr_kg.saved_queries import bind_cli_parameters
from aichr_kg.store import QueryFailed, QueryRequest, run_on_store, select

STATS_QUERIES = {
    "class": "SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?class ORDER BY DESC(?count) ?class",
    "property": "SELECT ?property (COUNT(*) AS ?count) WHERE { GRAPH ?g { ?s ?property ?o } } GROUP BY ?property ORDER BY DESC(?count) ?property",
}


class _DirectStore:
    """The SparqlStore interface over a store opened in this process (no worker pool for a CLI)."""

    def __init__(self, path: Path):
        if not path.is_dir():
            raise BuildMissingError(f"no built store at {path}: run `aichr-kg build` first")
        self.store = pyoxigraph.Store.read_only(str(path))

    def execute(self, request: QueryRequest):
        return run_on_store(self.store, request)


def _query_text(args) -> str:
    if args.file == "-":
        return sys.stdin.read()
    path = Path(args.file)
    if not path.is_file():
        raise InputMissingError(args.file, "no such query file")
    return path.read_text(encoding="utf-8")


def run_query_command(settings, args) -> int:
    """Print the rows of a query file (or a saved query with parameters) as a table, CSV or JSON."""
    store = _DirectStore(settings.store_dir)
    if args.saved:
        text, bindings = bind_cli_parameters(settings, args.saved, args.param)
    elif args.file:
        text, bindings = _query_text(args), {}
    else:
        raise InputMissingError("query", "give a .rq file, - for standard input, or --saved NAME")
    try:
        rows = select(store, text, bindings)
    except QueryFailed as error:
        print(f"aichr-kg: query error: {error}", file=sys.stderr)
        return 1
    _print_rows(rows, args.format, settings.base_iri)
    return 0


def _cell(term, prefixes: dict[str, str]) -> str:
    value = term.value
    if isinstance(term, pyoxigraph.NamedNode):
        for name, iri in prefixes.items():
            if value.startswith(iri):
                return f"{name}:{value[len(iri):]}"
    return value


def _print_rows(rows: list[dict], output_format: str, base: str) -> None:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    if output_format == "json":
        json.dump([{k: term.value for k, term in row.items()} for row in rows], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[row[c].value if c in row else "" for c in columns] for row in rows])
        return
    prefixes = prefixes_for(base)
    table = [[_cell(row[c], prefixes) if c in row else "" for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in table]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for line in table:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths)))
    print(f"({len(table)} row{'s' if len(table) != 1 else ''})")


def print_stats(settings) -> int:
    """Counts by class and by property over all graphs of the built dataset."""
    store = _DirectStore(settings.store_dir)
    for title, text in STATS_QUERIES.items():
        print(f"\n# by {title}")
        _print_rows(select(store, text), "table", settings.base_iri)
    return 0
