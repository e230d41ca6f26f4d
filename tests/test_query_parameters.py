"""Request values becoming RDF terms: what passes the first pattern but is still not a valid term is a
ParameterError saying what was expected, never an engine error (a 500 through /api)."""

from __future__ import annotations

import pytest

from aichr_kg.namespaces import XSD
from aichr_kg.saved.parameters import Parameter, ParameterError, check_values, page_number, parameter_term
from aichr_kg.store import QueryFailed, QueryRequest, QueryResult

COUNTRY = Parameter("_country_iri", "country", required=True, kind="iri")


@pytest.mark.parametrize("value", ["http://[x]/", "http://a:b:c/", "http://a%zz", "http://x[", "https://a/%"])
def test_iri_that_pyoxigraph_refuses_is_a_parameter_error(value):
    with pytest.raises(ParameterError, match="parameter 'country' must be the IRI of a resource of this graph, a valid IRI"):
        parameter_term(COUNTRY, value)


def test_valid_iri_becomes_an_iri_term():
    assert parameter_term(COUNTRY, "https://w3id.org/aichr-japan/id/country/th") == "<https://w3id.org/aichr-japan/id/country/th>"


class RefusingStore:
    """A store whose engine refuses every query, as it refuses a term it cannot parse."""

    def execute(self, request: QueryRequest) -> QueryResult:
        raise QueryFailed("Invalid IRI code point", syntax=True)

    def close(self) -> None:
        pass


def test_check_values_turns_a_refused_value_into_a_parameter_error():
    with pytest.raises(ParameterError, match="parameter 'country' must be the IRI of a resource of this graph"):
        check_values(RefusingStore(), [COUNTRY], {COUNTRY.variable: "<http://a/>"}, {})


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
