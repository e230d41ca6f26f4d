"""grlc-style parameters of a saved query, and how request values become safe RDF terms.

A parameter is a variable named `?_name` (required) or `?__name` (optional), typed by a suffix:
`_iri`, `_xsd_<type>` or a two-letter language (`_en`). A value is checked against its type and
turned into an N-Triples term that the engine substitutes for the variable: it never enters the
query text. IRI values must also be IRIs of the graph, and enumerated ones one of the enumeration.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph

from aichr_kg.namespaces import XSD
from aichr_kg.store import QueryFailed, QueryRequest, SparqlStore

PARAMETER = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*)(?:_(iri|xsd_[A-Za-z]+|[a-z]{2}))?(?![A-Za-z0-9_])")
UNDERSCORE_VARIABLE = re.compile(r"[?$]_[A-Za-z0-9_]*")
# [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic ٢), which XSD does not accept.
LEXICAL_FORMS = {
    "integer": (re.compile(r"[+-]?[0-9]{1,18}"), "a whole number such as 2023"),
    "decimal": (re.compile(r"[+-]?[0-9]{1,18}(\.[0-9]{1,18})?"), "a decimal number such as 1234.50"),
    "gYear": (re.compile(r"[0-9]{4}"), "a four-digit year such as 2023"),
    "gYearMonth": (re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])"), "a year and month such as 2024-09"),
    "date": (re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"), "a date such as 2024-05-22"),
    "boolean": (re.compile(r"true|false"), "true or false"),
    "string": (re.compile(r"[^\x00]{0,500}"), "a text of at most 500 characters"),
}
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII: str.isdigit also accepts "²", which int() refuses
IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]{1,2000}")
EXISTS = "ASK { { ?value ?property ?object } UNION { ?subject ?property ?value } }"


class ParameterError(ValueError):
    """A parameter value that does not fit what the query declares; the message says what was expected."""


@dataclass(frozen=True)
class Parameter:
    """One declared parameter; `variable` is its name in the query, `name` its name in URLs."""

    variable: str
    name: str
    required: bool
    kind: str  # "iri" or "literal"
    datatype: str | None = None
    language: str | None = None

    @property
    def expected(self) -> str:
        """What a value must look like, in words, for error messages and documentation."""
        if self.kind == "iri":
            return "the IRI of a resource of this graph"
        if self.language:
            return f"a text (in language {self.language!r})"
        return LEXICAL_FORMS.get(self.datatype.removeprefix(XSD), (None, f"an {self.datatype}"))[1]


def parameters(text: str) -> list[Parameter]:
    """The parameters a query declares, in order of first use, ignoring comment lines."""
    found: dict[str, Parameter] = {}
    for match in PARAMETER.finditer(query_body(text)):
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


def query_body(text: str) -> str:
    """The query without its comment lines (where `?_name` in prose must not count)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def parameter_term(parameter: Parameter, value: str) -> str:
    """The N-Triples term for a parameter value, or ParameterError saying what was expected."""
    if parameter.kind == "iri":
        if not IRI.fullmatch(value):
            raise ParameterError(f"parameter {parameter.name!r} must be {parameter.expected}, an absolute http(s) IRI")
        try:
            pyoxigraph.NamedNode(value)
        except ValueError as error:
            raise ParameterError(f"parameter {parameter.name!r} must be {parameter.expected}, a valid IRI: {error}") from None
        return f"<{value}>"
    if parameter.language:
        return json_string(value) + "@" + parameter.language
    local = parameter.datatype.removeprefix(XSD)
    if local not in LEXICAL_FORMS:
        raise ParameterError(f"parameter {parameter.name!r} has a type this server cannot check: {parameter.datatype}")
    if not LEXICAL_FORMS[local][0].fullmatch(value):
        raise ParameterError(f"parameter {parameter.name!r} must be {parameter.expected} (xsd:{local})")
    return f"{json_string(value)}^^<{parameter.datatype}>"


def page_number(text: str) -> int | None:
    """The page a `page=` value asks for (1 upwards, at most nine digits), or None when it is not one."""
    return int(text) if PAGE_NUMBER.fullmatch(text) and int(text) >= 1 else None


def json_string(value: str) -> str:
    """A string literal in N-Triples syntax (JSON's escaping is a valid subset)."""
    return json.dumps(value, ensure_ascii=False)


def bind_parameters(declared: list[Parameter], given: Mapping[str, str], defaults: Mapping[str, object]) -> dict[str, str]:
    """Bindings {variable: N-Triples term} from named values; refuses unknown, missing and ill-typed ones."""
    names = {p.name for p in declared}
    unknown = sorted(set(given) - names)
    if unknown:
        accepted = ", ".join(sorted(names)) or "none"
        raise ParameterError(f"unknown parameter {unknown[0]!r}; this query accepts: {accepted}")
    bindings = {}
    for parameter in declared:
        value = given.get(parameter.name, defaults.get(parameter.name))
        if value is None or value == "":
            if parameter.required:
                raise ParameterError(f"parameter {parameter.name!r} is required: give {parameter.expected}")
            continue
        bindings[parameter.variable] = parameter_term(parameter, str(value))
    return bindings


def check_values(
    store: SparqlStore, declared: list[Parameter], bindings: Mapping[str, str], allowed: Mapping[str, list[str]]
) -> None:
    """Refuse IRIs the graph does not hold and values outside an enumeration (ParameterError)."""
    for parameter in declared:
        term = bindings.get(parameter.variable)
        if term is None:
            continue
        value = term[1:-1] if parameter.kind == "iri" else json.loads(term[: term.rindex('"') + 1])
        if parameter.kind == "iri" and not _in_graph(store, parameter, term):
            raise ParameterError(f"parameter {parameter.name!r} must be {parameter.expected}; <{value}> is not in it")
        choices = allowed.get(parameter.name)
        if choices is not None and value not in choices:
            shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
            raise ParameterError(f"parameter {parameter.name!r} must be one of the values this query knows: {shown}")


def _in_graph(store: SparqlStore, parameter: Parameter, term: str) -> bool:
    """Whether the graph holds the IRI; a value the engine refuses is the client's error, not ours."""
    try:
        return ask(store, EXISTS, {"value": term})
    except QueryFailed as error:
        raise ParameterError(
            f"parameter {parameter.name!r} must be {parameter.expected}; the store refused {term}: {error}"
        ) from None


def ask(store: SparqlStore, text: str, bindings: Mapping[str, str]) -> bool:
    """The answer of an ASK query, with bindings substituted by the engine."""
    result = store.execute(QueryRequest(text=text, substitutions=tuple(bindings.items())))
    return bool(pyoxigraph.parse_query_results(result.body, format=pyoxigraph.QueryResultsFormat.JSON))
