"""Saved queries: `queries/*.rq` files with grlc-style `#+ key: value` YAML decorators."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import yaml

from aichr_kg.errors import AichrKgError


class SavedQueryError(AichrKgError):
    """A saved query whose decorators do not parse; names the file and line."""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    decorators: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return str(self.decorators.get("summary") or self.name.replace("-", " "))


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one .rq file; its leading `#+` lines are a YAML document."""
    text = path.read_text(encoding="utf-8")
    header = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        decorators = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise SavedQueryError(f"{path}:{line}: the #+ decorators are not valid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(decorators, dict):
        raise SavedQueryError(f"{path}:1: the #+ decorators must be `key: value` lines")
    return SavedQuery(name=path.stem, path=path, text=text, decorators=decorators)


def load_saved_queries(folder: Path) -> list[SavedQuery]:
    """Every saved query in `folder`, by name."""
    return [parse_saved_query(p) for p in sorted(folder.glob("*.rq"))] if folder.is_dir() else []


def check_saved_query(query: SavedQuery) -> list[str]:
    """Problems that would make a saved query fail at run time, as `file:line:column: message`."""
    try:
        pyoxigraph.Store().query(query.text)
    except SyntaxError as error:
        position = re.search(r"at (\d+):(\d+)", str(error))
        line, column = position.groups() if position else ("1", "1")
        return [f"{query.path}:{line}:{column}: the SPARQL does not parse: {error}"]
    return []


class ParameterError(ValueError):
    """A parameter value that does not fit what the query declares; the message says what was expected."""


@dataclass(frozen=True)
class Parameter:
    """A grlc-style parameter: `?_name` (required) or `?__name` (optional), typed by its suffix."""

    variable: str
    name: str
    required: bool
    kind: str  # "iri" or "literal"
    datatype: str | None = None
    language: str | None = None


_PARAMETER = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*)(?:_(iri|xsd_[A-Za-z]+|[a-z]{2}))?\b")
XSD = "http://www.w3.org/2001/XMLSchema#"
_LEXICAL_FORMS = {
    "integer": re.compile(r"[+-]?\d{1,18}"),
    "decimal": re.compile(r"[+-]?\d{1,18}(\.\d{1,18})?"),
    "gYear": re.compile(r"\d{4}"),
    "gYearMonth": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "date": re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
    "boolean": re.compile(r"true|false"),
    "string": re.compile(r"[^\x00]{0,500}"),
}
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]{1,2000}")


def parameters(text: str) -> list[Parameter]:
    """The parameters a query declares, in order of first use, ignoring those in comments."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    found: dict[str, Parameter] = {}
    for match in _PARAMETER.finditer(body):
        underscores, name, suffix = match.groups()
        variable = match.group(0)[1:]
        if variable in found:
            continue
        kind, datatype, language = "literal", XSD + "string", None
        if suffix == "iri":
            kind, datatype = "iri", None
        elif suffix and suffix.startswith("xsd_"):
            datatype = XSD + suffix[4:]
        elif suffix:
            datatype, language = None, suffix
        found[variable] = Parameter(variable, name, underscores == "_", kind, datatype, language)
    return list(found.values())


def parameter_term(parameter: Parameter, value: str) -> str:
    """The N-Triples term for a parameter value, or ParameterError saying what was expected."""
    if parameter.kind == "iri":
        if not _IRI.fullmatch(value):
            raise ParameterError(f"parameter {parameter.name!r} must be an absolute http(s) IRI")
        return f"<{value}>"
    if parameter.language:
        return json_string(value) + "@" + parameter.language
    local = parameter.datatype[len(XSD):] if parameter.datatype.startswith(XSD) else None
    pattern = _LEXICAL_FORMS.get(local)
    if pattern is None:
        raise ParameterError(f"parameter {parameter.name!r} has an unsupported type {parameter.datatype}")
    if not pattern.fullmatch(value):
        raise ParameterError(f"parameter {parameter.name!r} must be an xsd:{local} (got a value that is not)")
    return f"{json_string(value)}^^<{parameter.datatype}>"


def json_string(value: str) -> str:
    """A string literal in N-Triples syntax (JSON's escaping is a valid subset)."""
    return json.dumps(value, ensure_ascii=False)


def bind_cli_parameters(settings, name: str, pairs: list[str]) -> tuple[str, dict[str, str]]:
    """A saved query's text and its parameter bindings from `NAME=VALUE` strings."""
    saved = {q.name: q for q in load_saved_queries(settings.queries_dir)}
    if name not in saved:
        raise SavedQueryError(f"no saved query named {name!r}; `aichr-kg queries` lists them")
    given = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    bindings = {}
    for parameter in parameters(saved[name].text):
        value = given.get(parameter.name, _default(saved[name], parameter))
        if value is None:
            if parameter.required:
                raise SavedQueryError(f"saved query {name!r} needs --param {parameter.name}=VALUE")
            continue
        try:
            bindings[parameter.variable] = parameter_term(parameter, str(value))
        except ParameterError as error:
            raise SavedQueryError(str(error)) from None
    return saved[name].text, bindings


def _default(query: SavedQuery, parameter: Parameter):
    defaults = query.decorators.get("defaults") or []
    for item in defaults if isinstance(defaults, list) else [defaults]:
        if isinstance(item, dict) and parameter.name in item:
            return item[parameter.name]
    return None
