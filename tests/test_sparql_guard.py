"""The federation check on its own: escapes applied as the grammar says, the engine as the judge."""

from __future__ import annotations

import pyoxigraph
import pytest

from aichr_kg.store.guard import QueryUnreadable, ServiceRefused, refuse_federation, unescape_codepoints


def _engine_parse(text: str) -> None:
    pyoxigraph.Store().query(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no escapes", "no escapes"),
        ("\\u0053ERVICE", "SERVICE"),
        ("<http://x/\\u0041#>", "<http://x/A#>"),
        ("\\U0001F600", "\U0001f600"),
        ("\\u00e9t\\u00E9", "été"),
    ],
)
def test_codepoint_escapes_are_applied_first(text, expected):
    assert unescape_codepoints(text) == expected


@pytest.mark.parametrize("text", ["\\u005Cu0041", "\\u12", "\\uZZZZ", "\\uD83D\\uDE00", "\\U00110000"])
def test_escapes_that_cannot_be_read_once_are_refused(text):
    with pytest.raises(QueryUnreadable):
        unescape_codepoints(text)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { sErViCe <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICESILENT<http://h/>{ ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://h/> AS ?x) FILTER(1<2)SERVICE?x#>\n{ ?s ?p ?o } }",
    ],
)
def test_service_read_as_the_keyword_by_the_engine_is_refused(query):
    with pytest.raises((ServiceRefused, SyntaxError)):
        refuse_federation(query, _engine_parse)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        'SELECT * WHERE { BIND("SERVICE" AS ?x) }',
        "SELECT * WHERE { BIND(<urn:service> AS ?x) }",
        "SELECT ?service WHERE { BIND(1 AS ?service) } # SERVICE",
        "PREFIX service: <urn:s#> SELECT * WHERE { ?s service:SERVICE ?o }",
    ],
)
def test_service_that_is_not_the_keyword_passes(query):
    refuse_federation(query, _engine_parse)


def test_a_query_without_the_letters_is_never_parsed_twice():
    def must_not_parse(text):
        raise AssertionError("parsed")

    refuse_federation("SELECT * WHERE { ?s ?p ?o }", must_not_parse)
