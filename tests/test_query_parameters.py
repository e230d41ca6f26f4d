"""The pure parameter grammar: variables declaring parameters, and request values becoming RDF terms.

What passes the first pattern but is still not a valid term is a ParameterError saying what was
expected, never an engine error (a 500 through /api). None of it needs a store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from aichr_kg.namespaces import XSD
from aichr_kg.saved import parameters as grammar
from aichr_kg.saved.parameters import (
    Parameter,
    ParameterError,
    bind_parameters,
    check_choice,
    page_number,
    parameter_term,
    parameters,
    term_value,
)

COUNTRY = Parameter("_country_iri", "country", required=True, kind="iri")


@pytest.mark.parametrize("value", ["http://[x]/", "http://a:b:c/", "http://a%zz", "http://x[", "https://a/%"])
def test_iri_that_pyoxigraph_refuses_is_a_parameter_error(value):
    with pytest.raises(ParameterError, match="parameter 'country' must be the IRI of a resource of this graph, a valid IRI"):
        parameter_term(COUNTRY, value)


def test_valid_iri_becomes_an_iri_term():
    assert parameter_term(COUNTRY, "https://w3id.org/aichr-japan/id/country/th") == "<https://w3id.org/aichr-japan/id/country/th>"


@pytest.mark.parametrize(
    "datatype, value",
    [
        ("integer", "٢٠٢٣"),  # Arabic-Indic digits: \d matches them, XSD does not
        ("integer", "²"),
        ("decimal", "1.٥"),
        ("gYear", "２０２３"),  # full-width digits
        ("gYearMonth", "2024-٠٩"),
        ("date", "2024-05-٢٢"),
    ],
)
def test_literals_take_ascii_digits_only(datatype, value):
    parameter = Parameter(f"_x_xsd_{datatype}", "x", required=True, kind="literal", datatype=XSD + datatype)
    with pytest.raises(ParameterError, match=f"must be .* \\(xsd:{datatype}\\)"):
        parameter_term(parameter, value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", 1),
        ("42", 42),
        ("999999999", 999_999_999),
        ("0", None),
        ("-1", None),
        ("", None),
        ("1.5", None),
        ("1000000000", None),
        ("²", None),
        ("٢", None),
        ("２", None),
        (" 1", None),
        ("1\n", None),
    ],
)
def test_page_number_is_ascii_digits_from_one(text, expected):
    assert page_number(text) == expected


def test_the_grammar_imports_no_store():
    tree = ast.parse(Path(grammar.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and name.startswith("aichr_kg.store")}, imported


def test_variables_declare_typed_parameters_in_order_of_first_use():
    text = """# ?_ignored in a comment is no parameter
SELECT ?_country_iri ?__year_xsd_gYear ?__title_en ?_name ?other WHERE { ?_country_iri ?p ?_name }"""
    assert parameters(text) == [
        Parameter("_country_iri", "country", required=True, kind="iri"),
        Parameter("__year_xsd_gYear", "year", required=False, kind="literal", datatype=XSD + "gYear"),
        Parameter("__title_en", "title", required=False, kind="literal", language="en"),
        Parameter("_name", "name", required=True, kind="literal", datatype=XSD + "string"),
    ]


YEAR = Parameter("__year_xsd_gYear", "year", required=False, kind="literal", datatype=XSD + "gYear")
TITLE = Parameter("__title_en", "title", required=False, kind="literal", language="en")


def test_bind_gives_terms_uses_defaults_and_skips_empty_optional_values():
    bindings = bind_parameters([COUNTRY, YEAR, TITLE], {"country": "http://a/b", "title": ""}, {"year": 2023})
    assert bindings == {"_country_iri": "<http://a/b>", "__year_xsd_gYear": f'"2023"^^<{XSD}gYear>'}
    assert bind_parameters([TITLE], {"title": 'say "hi"'}, {}) == {"__title_en": '"say \\"hi\\""@en'}


@pytest.mark.parametrize(
    "given, message",
    [
        ({}, "parameter 'country' is required: give the IRI of a resource of this graph"),
        ({"country": "http://a/", "colour": "red"}, "unknown parameter 'colour'; this query accepts: country, year"),
        ({"country": "http://a/", "year": "23"}, r"parameter 'year' must be a four-digit year such as 2023 \(xsd:gYear\)"),
    ],
)
def test_bind_refuses_missing_unknown_and_ill_typed_values(given, message):
    with pytest.raises(ParameterError, match=message):
        bind_parameters([COUNTRY, YEAR], given, {})


@pytest.mark.parametrize("parameter, value", [(COUNTRY, "http://a/b"), (YEAR, "2023"), (TITLE, 'a "quoted" text é')])
def test_term_value_inverts_parameter_term(parameter, value):
    assert term_value(parameter, parameter_term(parameter, value)) == value


def test_check_choice_accepts_allowed_values_and_lists_at_most_twelve():
    check_choice(YEAR, parameter_term(YEAR, "2023"), ["2022", "2023"])
    check_choice(YEAR, parameter_term(YEAR, "1999"), None)
    years = [str(year) for year in range(2000, 2020)]
    with pytest.raises(ParameterError, match=r"values this query knows: 2000, .*, 2011, …$"):
        check_choice(YEAR, parameter_term(YEAR, "1999"), years)
