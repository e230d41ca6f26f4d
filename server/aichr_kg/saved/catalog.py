"""Saved queries: `queries/*.rq` files, each a SELECT with a grlc-style `#+` YAML header.

The file is the single source of truth: its name is the route, its header the documentation,
its `?_name` variables the parameters. `check_saved_query` finds what would make it fail at run
time, so that `aichr-kg validate` refuses it with the file and line instead of serving it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph

from aichr_kg.errors import SavedQueryError, error_position
from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.saved.decorators import CHART_COLUMNS, CHART_OPTIONAL_COLUMNS, line_of, read_decorators
from aichr_kg.saved.parameters import LEXICAL_FORMS, PARAMETER, UNDERSCORE_VARIABLE, Parameter, parameters, query_body
from aichr_kg.store.guard import QueryUnreadable, ServiceRefused, refuse_federation, unescape_codepoints

RESERVED_PARAMETERS = ("page", "format")  # the API's own URL parameters

__all__ = ["SavedQuery", "SavedQueryError", "check_saved_query", "parse_saved_query", "read_saved_queries"]


@dataclass(frozen=True)
class SavedQuery:
    """One .rq file: its text, its validated decorators, and what follows from them."""

    name: str
    path: Path
    text: str
    decorators: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return str(self.decorators.get("summary") or self.name.replace("-", " "))

    @property
    def description(self) -> str:
        return str(self.decorators.get("description") or "")

    @property
    def tags(self) -> list[str]:
        return list(self.decorators.get("tags") or [])

    @property
    def per_page(self) -> int | None:
        """Rows per page (grlc's `pagination`), or None: all rows at once."""
        return self.decorators.get("pagination")

    @property
    def chart(self) -> dict | None:
        return self.decorators.get("chart")

    @cached_property
    def parameters(self) -> list[Parameter]:
        return parameters(self.text)

    @cached_property
    def variables(self) -> list[str]:
        """The SELECT projection, read by the engine itself (so it matches what it will answer)."""
        results = pyoxigraph.Store().query(self.text)
        return [v.value for v in results.variables] if isinstance(results, pyoxigraph.QuerySolutions) else []

    @cached_property
    def columns(self) -> list[str]:
        """Output names: a parameter's variable is shown under the parameter's name (`?__country_iri` → country)."""
        renamed = {p.variable: p.name for p in self.parameters}
        return [renamed.get(variable, variable) for variable in self.variables]

    @property
    def defaults(self) -> dict[str, object]:
        """grlc's `defaults`: a list of `- name: value` items (or one mapping)."""
        items = self.decorators.get("defaults") or []
        merged: dict[str, object] = {}
        for item in items if isinstance(items, list) else [items]:
            merged.update(item)
        return merged

    @property
    def enumerated(self) -> dict[str, list[str] | None]:
        """The `enumerate` decorator: a fixed list of values, or None for values read from the graph
        (`SavedStore.allowed` resolves them)."""
        listed: dict[str, list[str] | None] = {}
        for item in self.decorators.get("enumerate") or []:
            if isinstance(item, str):
                listed[item] = None
            else:
                listed.update({name: [str(v) for v in values] for name, values in item.items()})
        return listed

    def text_for(self, base: str) -> str:
        """The query for a dataset minted under `base` (the files use the canonical base)."""
        return self.text if base == CANONICAL_BASE else self.text.replace(CANONICAL_BASE, base)


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one .rq file; its `#+` lines are a YAML document whose keys are checked."""
    text = path.read_text(encoding="utf-8")
    return SavedQuery(name=path.stem, path=path, text=text, decorators=read_decorators(path, text))


def read_saved_queries(folder: Path) -> tuple[list[SavedQuery], list[str]]:
    """The usable saved queries, and the problems of the others (`file:line: message`).

    The one reader of the folder: the CLI, the API and the query page offer the same queries.
    """
    usable: list[SavedQuery] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        try:
            query = parse_saved_query(path)
        except SavedQueryError as error:
            problems.append(str(error))
            continue
        found = check_saved_query(query)
        problems.extend(found)
        if not found:
            usable.append(query)
    return usable, problems


def check_saved_query(query: SavedQuery) -> list[str]:
    """Problems that would make a saved query fail at run time, as `file:line[:column]: message`."""
    try:
        refuse_federation(unescape_codepoints(query.text), pyoxigraph.Store().query)  # never sent anywhere
        results = pyoxigraph.Store().query(query.text)
    except ServiceRefused as refusal:
        return [f"{query.path}:1: {refusal}"]
    except (SyntaxError, QueryUnreadable) as error:
        line, column = error_position(str(error)) or (1, 1)
        return [f"{query.path}:{line}:{column}: the SPARQL does not parse: {error}"]
    if not isinstance(results, pyoxigraph.QuerySolutions):
        return [f"{query.path}:1: a saved query must be a SELECT query (its answer is a table)"]
    return _parameter_problems(query) + _decorator_problems(query)


def _parameter_problems(query: SavedQuery) -> list[str]:
    problems = []
    body = query_body(query.text)
    for variable in sorted(set(UNDERSCORE_VARIABLE.findall(body))):
        if not PARAMETER.fullmatch(variable):
            problems.append(
                f"{line_of(query.path, query.text, variable)}: {variable} starts with _ but is not a parameter name "
                "(write ?_name, ?__name, ?_name_iri, ?_name_xsd_integer or ?_name_en; a name is letters and digits)"
            )
    names = [p.name for p in query.parameters]
    for parameter in query.parameters:
        variable, name = "?" + parameter.variable, parameter.name
        checks = (
            (
                parameter.datatype and parameter.xsd_type not in LEXICAL_FORMS,
                f"{variable} has a type the server cannot check (use xsd_{', xsd_'.join(LEXICAL_FORMS)})",
            ),
            (name in RESERVED_PARAMETERS, f"parameter name {name!r} is reserved for the API ({', '.join(RESERVED_PARAMETERS)})"),
            (
                names.count(name) > 1 or name in query.variables,
                f"parameter name {name!r} is used twice (by two variables, or a parameter and a column)",
            ),
            (
                parameter.variable not in query.variables,
                f"{variable} must be in the SELECT projection: the engine substitutes only projected variables",
            ),
        )
        where = line_of(query.path, query.text, variable)
        problems += [f"{where}: {message}" for failed, message in checks if failed]
    return problems


def _decorator_problems(query: SavedQuery) -> list[str]:
    """Decorators that name parameters or columns the query does not have."""
    names = {p.name for p in query.parameters}
    problems = [
        f"{line_of(query.path, query.text, key + ':')}: decorator {key!r} names {name!r}, which is not a parameter of this query"
        for key, named in (("defaults", query.defaults), ("enumerate", query.enumerated))
        for name in named
        if name not in names
    ]
    chart = query.chart or {}
    for key in (*CHART_COLUMNS.get(chart.get("type", ""), ()), *CHART_OPTIONAL_COLUMNS):
        if key in chart and chart[key] not in query.columns:
            problems.append(
                f"{line_of(query.path, query.text, key + ':')}: chart {key} {chart[key]!r} is not a column of the answer "
                f"(columns: {', '.join(query.columns)})"
            )
    return problems
