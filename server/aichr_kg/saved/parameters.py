"""grlc-style parameters of a saved query, and how request values become safe RDF terms.

A parameter is a variable named `?_name` (required) or `?__name` (optional), typed by a suffix:
`_iri`, `_xsd_<type>` or a two-letter language (`_en`). A value is checked against its type and
turned into an N-Triples term that the engine substitutes for the variable: it never enters the
query text. The grammar is pure (strings in, terms or ParameterError out) so it is tested without a
store; the checks that need the graph are in `saved.prepare`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph

from aichr_kg.namespaces import XSD

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
SHOWN_CHOICES = 12  # an error message lists at most this many of the allowed values


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
        form = LEXICAL_FORMS.get(self.xsd_type)
        return form[1] if form else f"an {self.datatype}"

    @property
    def xsd_type(self) -> str:
        """The local name of a typed literal's datatype (`integer`); empty for IRIs and language texts."""
        return (self.datatype or "").removeprefix(XSD)


def parameters(text: str) -> list[Parameter]:
    """The parameters a query declares, in order of first use, ignoring comment lines."""
    found: dict[str, Parameter] = {}
    for match in PARAMETER.finditer(query_body(text)):
        underscores, name, suffix = match.groups()
        variable = match.group(0)[1:]
        if variable not in found:
            found[variable] = Parameter(variable, name, underscores == "_", *_type_of(suffix))
    return list(found.values())


def _type_of(suffix: str | None) -> tuple[str, str | None, str | None]:
    """(kind, datatype, language) from a variable's suffix: `iri`, `xsd_<type>`, a language, or none (a string)."""
    if suffix == "iri":
        return "iri", None, None
    if suffix and suffix.startswith("xsd_"):
        return "literal", XSD + suffix[4:], None
    if suffix:
        return "literal", None, suffix
    return "literal", XSD + "string", None


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
    local = parameter.xsd_type
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


def term_value(parameter: Parameter, term: str) -> str:
    """The value a term of `parameter_term` was made from: the IRI, or the literal's lexical form."""
    return term[1:-1] if parameter.kind == "iri" else json.loads(term[: term.rindex('"') + 1])


def check_choice(parameter: Parameter, term: str, choices: list[str] | None) -> None:
    """Refuse a value outside the parameter's allowed values (None: any value of its type)."""
    if choices is not None and term_value(parameter, term) not in choices:
        shown = ", ".join(choices[:SHOWN_CHOICES]) + (", …" if len(choices) > SHOWN_CHOICES else "")
        raise ParameterError(f"parameter {parameter.name!r} must be one of the values this query knows: {shown}")
