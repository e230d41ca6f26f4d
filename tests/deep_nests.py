"""Deep nests of every bracketed or chained construct SPARQL has, and the crash corpus: the texts that
overflow pyoxigraph's parser, shared by the nesting bound's tests and the server's."""

from __future__ import annotations

from aichr_kg.store.nesting import deepest_point

MAX_QUERY_CHARS = 19_000  # under the server's 20,000-character cap, so the nest itself is what is refused

# Each bracketed or chained construct as (before, one level opening, innermost, one level closing, after).
SHAPES = {
    "parentheses": ("SELECT * WHERE { FILTER(", "(", "1", ")", ") }"),
    "groups": ("SELECT * WHERE ", "{ ", "?s ?p ?o", " }", ""),
    "negations": ("SELECT * WHERE { FILTER(", "!", "true", "", ") }"),
    "signs": ("SELECT * WHERE { FILTER(", "-(+(", "1", "))", ") }"),
    "additions": ("SELECT * WHERE { FILTER(", "1+", "1", "", ") }"),
    "conjunctions": ("SELECT * WHERE { FILTER(", "true&&", "true", "", ") }"),
    "function calls": ("SELECT * WHERE { FILTER(", "str(", "1", ")", ") }"),
    "EXISTS": ("SELECT * WHERE { FILTER(", "EXISTS { FILTER(", "true", ") }", ") }"),
    "NOT EXISTS": ("SELECT * WHERE { ", "FILTER NOT EXISTS { ", "?s ?p ?o", " }", " }"),
    "subqueries": ("SELECT * WHERE { ", "{ SELECT * WHERE ", "{ ?s ?p ?o }", " }", " }"),
    "OPTIONAL nests": ("SELECT * WHERE { ", "OPTIONAL { ", "?s ?p ?o", " }", " }"),
    "OPTIONAL chains": ("SELECT * WHERE { ?s ?p ?o ", "OPTIONAL { ?s ?p ?o } ", "", "", "}"),
    "MINUS chains": ("SELECT * WHERE { ?s ?p ?o ", "MINUS { ?s ?p ?o } ", "", "", "}"),
    "UNION chains": ("SELECT * WHERE { ", "{ ?s ?p ?o } UNION ", "{ ?s ?p ?o }", "", " }"),
    "group chains": ("SELECT * WHERE { ", "{ ?s ?p ?o } ", "", "", "}"),
    "BIND chains": ("SELECT * WHERE { ", "BIND(1 AS ?v) ", "", "", "}"),
    "FILTER chains": ("SELECT * WHERE { ", "FILTER(true) ", "", "", "}"),
    "path groups": ("SELECT * WHERE { ?s ", "(", "<urn:p>", ")", " ?o }"),
    "inverse paths": ("SELECT * WHERE { ?s ", "^(", "<urn:p>", ")", " ?o }"),
    "path alternatives": ("SELECT * WHERE { ?s ", "(!<urn:p>|", "<urn:p>", ")", " ?o }"),
    "path sequences": ("SELECT * WHERE { ?s ", "<urn:p>/", "<urn:p>", "", " ?o }"),
    "blank nodes": ("SELECT * WHERE { ?s <urn:p> ", "[ <urn:p> ", "1", " ]", " }"),
    "collections": ("SELECT * WHERE { ?s <urn:p> ", "( ", "1", " )", " }"),
    "quoted triples": ("SELECT * WHERE { ", "<< ", "<urn:a> <urn:b> <urn:c>", " >> <urn:b> <urn:c>", " . }"),
}


def nest(shape: str, levels: int) -> str:
    """`shape` repeated `levels` deep."""
    before, opening, innermost, closing, after = SHAPES[shape]
    return before + opening * levels + innermost + closing * levels + after


def nest_of_depth(shape: str, depth: int) -> str:
    """The shallowest nest of `shape` whose measured depth reaches `depth` (depth grows linearly with levels)."""
    one, two = deepest_point(nest(shape, 1)).depth, deepest_point(nest(shape, 2)).depth
    levels = max(1, -(-(depth - one) // (two - one)) + 1)
    while deepest_point(nest(shape, levels)).depth < depth:
        levels += 1
    return nest(shape, levels)


def deepest_nest(shape: str) -> str:
    """`shape` nested as deep as fits under the length cap: far past any parser's crash threshold."""
    before, opening, innermost, closing, after = SHAPES[shape]
    levels = (MAX_QUERY_CHARS - len(before + innermost + after)) // len(opening + closing)
    return nest(shape, levels)


def crash_corpus() -> dict[str, str]:
    """The nests measured to kill the parser of the pinned pyoxigraph, with and without the word
    `service` in a comment (which sends a remote store's check through a second parse)."""
    nests = {
        "5,000 parentheses": "SELECT * WHERE { FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }",
        "4,000 groups": "SELECT * WHERE " + "{ " * 4_000 + "?s ?p ?o" + " }" * 4_000,
        "15,000 negations": "ASK { FILTER(" + "!" * 15_000 + "true) }",
    }
    return {**nests, **{f"{name}, service in a comment": "# service\n" + text for name, text in nests.items()}}
