"""Where a remote store puts a request's parameters: first inside the outermost WHERE group, found
past strings, IRIs, comments, projections and templates; trailing where no such group takes them."""

from __future__ import annotations

import pyoxigraph
import pytest

from aichr_kg.store.values_placement import placements

TYPE = (("type", "<urn:x-test:Type>"),)
BLOCK = "VALUES (?type) { (<urn:x-test:Type>) }"
INSIDE = {
    "SELECT with an aggregate": "SELECT (COUNT(*) AS ?n) WHERE {",
    "EXISTS in the projection": "SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE {",
    "CONSTRUCT with a template": "CONSTRUCT { ?s a ?type } WHERE {",
    "DESCRIBE with a pattern": "DESCRIBE ?s WHERE {",
    "ASK without WHERE": "ASK {",
    "braces in a string and a comment before it": 'PREFIX x: <urn:x-test:a> # {\nSELECT ("{" AS ?b) ?s WHERE {',
}
TRAILING = {
    "CONSTRUCT WHERE (a template only)": "CONSTRUCT WHERE { ?s a ?type }",
    "DESCRIBE an IRI": "DESCRIBE <urn:x-test:s>",
}


@pytest.mark.parametrize("case", INSIDE)
def test_the_block_goes_first_inside_the_where_group(case):
    head = INSIDE[case]
    query = f"{head} ?s a ?type }}"
    first = placements(query, TYPE)[0]
    assert first.startswith(f"{head} {BLOCK}\n")
    pyoxigraph.Store().query(first)


@pytest.mark.parametrize("case", TRAILING)
def test_without_a_group_to_take_it_the_block_trails(case):
    assert placements(TRAILING[case], TYPE) == [f"{TRAILING[case]}\n{BLOCK}"]


def test_a_group_holding_only_a_subquery_offers_it_wrapped_beside_the_block_next():
    query = "SELECT ?s WHERE { SELECT ?s ?type WHERE { ?s a ?type } }"
    inside, wrapped, trailing = placements(query, TYPE)
    with pytest.raises(SyntaxError):
        pyoxigraph.Store().query(inside)
    assert wrapped == f"SELECT ?s WHERE {{ {BLOCK}\n{{ SELECT ?s ?type WHERE {{ ?s a ?type }} }}\n}}"
    pyoxigraph.Store().query(wrapped)
    assert trailing == f"{query}\n{BLOCK}"


def test_without_parameters_the_text_is_unchanged():
    assert placements("ASK {}", ()) == ["ASK {}"]
