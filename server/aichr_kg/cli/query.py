"""`aichr-kg query`: SPARQL on the built store with the server's engine, printed for a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aichr_kg.cli.stats import print_table
from aichr_kg.config import Settings
from aichr_kg.errors import InputMissingError, SavedQueryError
from aichr_kg.namespaces import compact_iri, prefix_pairs, prefixes_for
from aichr_kg.saved.catalog import SavedQuery, read_saved_queries
from aichr_kg.saved.parameters import ParameterError
from aichr_kg.saved.prepare import SavedStore, prepare
from aichr_kg.saved.results import Answer, csv_text, records_json, run_query
from aichr_kg.store import QueryFailed, QueryRequest
from aichr_kg.store.guard import inspect_query
from aichr_kg.store.local import LocalStore

CLI_MAX_ROWS = 100_000  # a terminal user asked for this query: no server budget applies


def _query_text(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    if not path.is_file():
        raise InputMissingError(file, "no such query file")
    return path.read_text(encoding="utf-8")


def run_query_command(settings: Settings, *, file: str | None, saved: str | None, params: list[str], output_format: str) -> int:
    """Print a query's answer: rows as a table, CSV or JSON; ASK as true/false; CONSTRUCT/DESCRIBE as Turtle."""
    store = LocalStore(settings.store_dir)
    try:
        if saved:
            _print_answer(_answer_saved(store, settings, saved, params), output_format, settings.base_iri)
        elif file:
            _print_any(store, _query_text(file), output_format, settings.base_iri)
        else:
            raise InputMissingError("query", "give a .rq file, - for standard input, or --saved NAME")
    except QueryFailed as error:
        print(f"aichr-kg: query error: {error}", file=sys.stderr)
        return 1
    return 0


def _print_any(store: LocalStore, text: str, output_format: str, base: str) -> None:
    """Run a query of any form with the server's predeclared prefixes and print its answer."""
    prefixes = prefix_pairs(base)
    form = inspect_query(text).form
    if form in ("CONSTRUCT", "DESCRIBE", "ASK"):
        result_format = "json" if form == "ASK" else "turtle"
        result = store.execute(QueryRequest.internal(text, max_rows=CLI_MAX_ROWS, prefixes=prefixes, result_format=result_format))
        sys.stdout.write(_boolean_text(result.body, output_format) if form == "ASK" else result.body.decode())
        return
    _print_answer(run_query(store, text, max_rows=CLI_MAX_ROWS, prefixes=prefixes), output_format, base)


def _boolean_text(body: bytes, output_format: str) -> str:
    answer = json.loads(body)["boolean"]
    return json.dumps({"boolean": answer}) + "\n" if output_format == "json" else f"{str(answer).lower()}\n"


def _answer_saved(store: LocalStore, settings: Settings, name: str, pairs: list[str]) -> Answer:
    """Prepare `NAME=VALUE` pairs as the API prepares its URL's (types, IRIs of the graph, enumerations) and run."""
    query = _usable_query(settings.queries_dir, name)
    malformed = [pair for pair in pairs if "=" not in pair]
    if malformed:
        raise SavedQueryError(f"--param expects NAME=VALUE, got {malformed[0]!r}")
    saved_store = SavedStore(store, settings.base_iri)
    try:
        prepared = prepare(query, dict(p.split("=", 1) for p in pairs), saved_store)
    except ParameterError as error:
        raise SavedQueryError(f"saved query {name!r}: {error}") from None
    return saved_store.answer(prepared, max_rows=CLI_MAX_ROWS)


def _usable_query(folder: Path, name: str) -> SavedQuery:
    """The saved query `name` if it passes the checks the API makes; else its problems, or that there is none."""
    usable, problems = read_saved_queries(folder)
    found = [query for query in usable if query.name == name]
    if found:
        return found[0]
    own = [problem for problem in problems if problem.startswith(f"{folder / name}.rq:")]
    if own:
        raise SavedQueryError(f"saved query {name!r} is not usable: " + "; ".join(own))
    raise SavedQueryError(f"no saved query named {name!r}; `aichr-kg queries` lists them")


def _cell(term: dict, prefixes: dict[str, str]) -> str:
    return compact_iri(term["value"], prefixes) if term["type"] == "uri" else term["value"]


def _print_answer(answer: Answer, output_format: str, base: str) -> None:
    if output_format == "json":
        sys.stdout.write(records_json(answer))
        return
    if output_format == "csv":
        sys.stdout.write(csv_text(answer))
        return
    prefixes = prefixes_for(base)
    print_table(answer.columns, [[_cell(row[c], prefixes) if c in row else "" for c in answer.columns] for row in answer.rows])
