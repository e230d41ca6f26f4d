"""Which expressions the text sent to a remote engine casts to xsd:boolean: exactly those whose outermost
operator or function is boolean, never a number, a string or what a literal or comment spells."""

from __future__ import annotations

import pyoxigraph
import pytest

from aichr_kg.store.virtuoso_text import XSD_BOOLEAN, for_virtuoso

CAST = [
    "?a > 1",
    "?a != ?b",
    "?a <= 2 && BOUND(?b)",
    "!BOUND(?b)",
    "(?a = 1)",
    "?a IN (1, 2)",
    "?a NOT IN (1)",
    "EXISTS { ?s ?p ?o }",
    "NOT EXISTS { ?s ?p ?o FILTER(?o > 1) }",
    "true",
    "regex(?l, 'x')",
    "STRSTARTS(STR(?s), 'http')",
    "sameTerm(?a, ?b)",
    "IF(?a > 1, true, ?b = 2)",
    "COALESCE(?a > 1, BOUND(?b))",
    "if (bound(?a), (?a > 1), false)",
]
LEFT = [
    "1",
    "?a",
    "?a + 1",
    "COUNT(?a > 1)",
    "xsd:integer(?a > 1)",
    "IF(?a > 1, 2, 3)",
    "IF(?a > 1, true, 0)",
    "COALESCE(?a > 1, 1)",
    "COALESCE(?a)",
    "STRLEN('a < b')",
    "<http://example.org/a=b>",
    "CONCAT('true', '!')",
    "aj:IN(1)",
]


@pytest.mark.parametrize("expression", CAST)
def test_a_boolean_expression_is_cast(expression):
    sent = for_virtuoso(f"SELECT ({expression} AS ?v) WHERE {{ BIND({expression} AS ?w) }}")
    assert sent.count(XSD_BOOLEAN) == 2
    assert isinstance(pyoxigraph.Store().query(f"PREFIX aj: <urn:x:>\n{sent}"), pyoxigraph.QuerySolutions)


@pytest.mark.parametrize("expression", LEFT)
def test_any_other_expression_is_sent_as_it_is(expression):
    text = f"SELECT ({expression} AS ?v) WHERE {{ BIND({expression} AS ?w) }} # (?a > 1 AS ?x)"
    assert for_virtuoso(text) == text


def test_a_nested_boolean_is_cast_where_it_is_bound():
    sent = for_virtuoso("SELECT ?b WHERE { { SELECT (?a < 2 AS ?b) WHERE { ?s ?p ?a } } FILTER(?b) }")
    assert sent.count(XSD_BOOLEAN) == 1 and "FILTER(?b)" in sent
