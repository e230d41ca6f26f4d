"""The nesting bound: exact at the limit, blind to brackets the parser skips, linear, and far below
what crashes the pinned pyoxigraph's parser on the smallest stack any of our processes parses on."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aichr_kg.store.nesting import MAX_NESTING, NestingTooDeep, deepest_point, refuse_deep_nesting
from deep_nests import SHAPES, nest, nest_of_depth

# The smallest stack a query is parsed on: granian's blocking threads (Rust's default thread stack,
# 2 MiB), where the remote store checks a query. Query workers parse on their main thread (8 MiB).
SMALLEST_PARSING_STACK = 2 * 1024 * 1024
# Every shape nested to the limit must parse on a third of that stack: the parser's stack use grows
# linearly with depth, so this is three times the limit on the whole stack, and it keeps the probe
# fast (planning a query nested three times deeper takes minutes).
SAFETY_MARGIN = 3


def test_a_query_exactly_at_the_limit_passes_and_one_step_deeper_is_refused_with_its_place() -> None:
    outer = "ASK {\n  FILTER("  # `{` and `(`: two steps
    at_limit = outer + "(" * (MAX_NESTING - 2) + "1" + ")" * (MAX_NESTING - 2) + ")\n}"
    assert deepest_point(at_limit).depth == MAX_NESTING
    refuse_deep_nesting(at_limit)
    past = outer + "(" * (MAX_NESTING - 1) + "1" + ")" * (MAX_NESTING - 1) + ")\n}"
    with pytest.raises(NestingTooDeep, match=rf"line 2, column {9 + MAX_NESTING - 1}.*limit is {MAX_NESTING}"):
        refuse_deep_nesting(past)


def test_chains_of_operators_and_blocks_count_like_brackets() -> None:
    assert deepest_point("SELECT * WHERE { FILTER(" + "!" * 100 + "true) }").depth > MAX_NESTING
    assert deepest_point("SELECT * WHERE { FILTER(" + "1+" * 100 + "1) }").depth > MAX_NESTING
    assert deepest_point("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 100 + "}").depth > MAX_NESTING
    assert deepest_point("SELECT * WHERE { ?s " + "^<urn:p>/" * 100 + "<urn:p> ?o }").depth > MAX_NESTING
    assert deepest_point("SELECT * WHERE { " + "BIND(1 AS ?v) " * 100 + "}").depth > MAX_NESTING


def test_lists_do_not_count_as_chains() -> None:
    """VALUES rows, a function's arguments and a projection's expressions are lists, not nested trees."""
    rows = " ".join(f"({n} <urn:{n}>)" for n in range(500))
    refuse_deep_nesting(f"SELECT * WHERE {{ VALUES (?n ?iri) {{ {rows} }} }}")
    refuse_deep_nesting("SELECT (CONCAT(" + ", ".join(f"STR(?v{n})" for n in range(200)) + ") AS ?all) WHERE {}")


@pytest.mark.parametrize(
    "hidden",
    [
        'FILTER(regex(?o, "{}"))',
        "FILTER(regex(?o, '{}'))",
        'FILTER(regex(?o, """{}\n"""))',
        "FILTER(regex(?o, '''{}\n'''))",
        "# {}\n",
        "?s <http://example.org/{}> ?o .",
        "FILTER(?o = <http://example.org/{}>)",
    ],
)
def test_brackets_and_operators_inside_strings_iris_and_comments_do_not_count(hidden: str) -> None:
    deep = "(" * 200 + "[" * 200 + "!" * 200
    assert deepest_point("SELECT * WHERE { " + hidden.format(deep) + " }").depth < 10


def test_a_comment_ends_where_the_parser_ends_it_and_an_escaped_hash_is_no_comment() -> None:
    assert deepest_point("SELECT * WHERE { # x\r" + "(" * 100).depth >= 100
    assert deepest_point("SELECT * WHERE { ?s ex:a\\#b " + "(" * 100).depth >= 100


def test_a_less_than_that_could_be_an_iri_is_counted_either_way_or_refused_when_the_readings_differ() -> None:
    assert deepest_point("SELECT * WHERE { FILTER(?a<" + "(" * 100 + "1>2) }").depth > MAX_NESTING
    refuse_deep_nesting("SELECT * WHERE { FILTER(?a < 'x' && ?b > 'y') } ")
    refuse_deep_nesting("SELECT * WHERE { VALUES (?a ?b) { (<http://x/#1> <http://x/#2>) } }")
    with pytest.raises(NestingTooDeep, match="ambiguous at line 1, column 27"):
        refuse_deep_nesting("SELECT * WHERE { FILTER(?a<'x'&&?b>'y') }")


@pytest.mark.parametrize(
    "adversary",
    [
        lambda n: "(" * n,
        lambda n: '"' + "(" * (n - 1),
        lambda n: "'''" + "x" * (n - 3),
        lambda n: "<" + "a" * (n - 1),
        lambda n: "<a" * (n // 2),
        lambda n: "#" * n,
        lambda n: "ex:" + "a-" * (n // 2 - 2),
        lambda n: "a." * (n // 2),
        lambda n: "a:" * (n // 2),
        lambda n: '"""a' * (n // 4),
        lambda n: "ASK { FILTER(?a" + "<b" * (n // 2 - 9) + ") }",
    ],
)
def test_the_check_is_linear_on_twenty_thousand_characters(adversary: Callable[[int], str]) -> None:
    """Twice the text takes about twice as long (quadratic would be four times), and well under a second."""
    half, whole = _seconds(adversary(10_000)), _seconds(adversary(20_000))
    assert whole < 1.0 and whole < 3.5 * max(half, 0.02)


def _seconds(text: str) -> float:
    """The best of three timings of the check: the machine's load only ever adds time."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        deepest_point(text)
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_every_real_query_is_far_below_the_limit() -> None:
    for query in Path(__file__).parent.parent.glob("queries/*.rq"):
        assert deepest_point(query.read_text()).depth <= MAX_NESTING // 2, query.name


PROBE = textwrap.dedent(
    """
    import sys, threading, pyoxigraph

    def parse_all():
        for line in sys.stdin.read().split("\\0"):
            print(line[:40], flush=True)
            try:
                pyoxigraph.Store().query(line)
            except SyntaxError:
                pass

    threading.stack_size(int(sys.argv[1]))
    thread = threading.Thread(target=parse_all)
    thread.start()
    thread.join()
    """
)


@pytest.mark.slow
def test_the_parser_survives_every_shape_at_a_margin_over_the_limit_on_the_smallest_stack() -> None:
    """Fails when a pyoxigraph upgrade brings its crash threshold within the margin of the limit."""
    nests = [nest_of_depth(shape, MAX_NESTING) for shape in SHAPES]
    stack = SMALLEST_PARSING_STACK // SAFETY_MARGIN // 4096 * 4096
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(stack)],
        input="\0".join(nests),
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = probe.stdout.strip().splitlines()[-1:] or ["(none)"]
    assert probe.returncode == 0, f"the parser crashed ({probe.returncode}) on the nest starting {last[0]!r}"


@pytest.mark.slow
def test_the_probe_does_find_a_crash_past_the_threshold() -> None:
    """The probe above can fail: a nest well past the measured threshold does crash it."""
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(SMALLEST_PARSING_STACK)],
        input=nest("function calls", 2_000),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode < 0
