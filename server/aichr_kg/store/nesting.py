"""Bound how deep a query nests before any parser sees it: pyoxigraph's parser is recursive, and a
query nested deep enough overflows the stack of the thread parsing it, which kills the process.

One pass over the text, with the lexemes the parser skips (strings, IRIs, comments) read as it reads
them. The measure is an upper bound on the parser's recursion, counted in steps:
- every opening bracket (`(`, `{`, `[`, `<<`) is a step, kept until its closing bracket;
- a closed group, or a FILTER or BIND in a group, leaves one step behind in that group, because
  siblings (a run of OPTIONAL, MINUS, UNION or BIND blocks) are folded into a tree as deep as the
  run is long (the items of a list, VALUES rows or a function's arguments, are not);
- every operator (unary `!` `-` `+`, binary ones, path modifiers `^` `*` `+` `?` `/` `|`) is a step,
  kept until the bracket around it closes: `!!!x` and `1+1+1` both make trees as deep as the chain.
The deepest point of a query is its cost; past `MAX_NESTING` the query is refused with a 400 naming
the line and column. The limit and the crash thresholds it sits under are in docs/operations.md.

A `<` inside an expression's parentheses after an operand may be less-than rather than an IRI
(`?a<'x'&&?b>'y'`); there its text is counted as operators and brackets either way, and one that
holds `#` or `'` (which would open a comment or string only under one reading) is refused as
ambiguous, so the two readings never lex the rest of the text differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NESTING = 64

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
    |(?P<open><(?=<)|[({\[])
    |(?P<close>>>|[)}\]])
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<operand>[?$]\w+|\w[\w.]*|:(?:[\w.:%\-]|\\.)*)
    |(?P<operator>&&|\|\||!=|<=|>=|[!^+\-*/|=<>?])
    |(?P<other>\\.|.)""",
    re.VERBOSE | re.DOTALL,
)
_CLOSES = {")": "(", "}": "{", "]": "[", ">>": "<"}
_OPERAND_END = {"operand", "string", "iri", "close"}


class NestingTooDeep(Exception):
    """The query nests deeper than the parser may be asked to read; the answer is 400."""


@dataclass(frozen=True)
class Nesting:
    """The deepest point of a text: its cost in steps, and where (1-based line and column)."""

    depth: int
    line: int
    column: int


def refuse_deep_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Raise NestingTooDeep where `text` (codepoint escapes already applied) nests past `limit`."""
    deepest = deepest_point(text, stop_past=limit)
    if deepest.depth > limit:
        raise NestingTooDeep(
            f"the query nests too deep at line {deepest.line}, column {deepest.column}: brackets, operators and"
            f" chained blocks reach depth {limit + 1} there, and the limit is {limit} (it keeps the parser's"
            " recursion far from a stack overflow); write the query flatter"
        )


def deepest_point(text: str, *, stop_past: int | None = None) -> Nesting:
    """The deepest point of `text`, scanning no further than the first point past `stop_past`."""
    scan = _Scan()
    previous = ""
    for token in _TOKEN.finditer(text):
        kind = token.lastgroup or "other"
        if kind in {"space", "comment"}:
            continue
        if kind == "iri" and previous in _OPERAND_END and scan.in_expression():
            scan.maybe_less_than(text, token)
        else:
            scan.step(kind, token.group(), previous, token.start())
        previous = kind
        if stop_past is not None and scan.deepest[0] > stop_past:
            break
    return _located(text, *scan.deepest)


class _Scan:
    """The brackets open at a point of the text, the depth there, and the deepest point so far."""

    def __init__(self) -> None:
        self.openers: list[tuple[str, int, bool, bool]] = []  # (bracket, depth before, expression?, leaves a step?)
        self.depth = 0
        self.deepest = (0, 0)  # (depth, offset)

    def in_expression(self) -> bool:
        return bool(self.openers) and self.openers[-1][2]

    def step(self, kind: str, lexeme: str, previous: str, offset: int) -> None:
        if kind == "open":
            self.open(lexeme, self._opens_expression(lexeme, previous), offset)
        elif kind == "close":
            self.close(lexeme, floor=0)
        elif kind == "operator":
            self.deepen(offset)

    def open(self, bracket: str, in_expression: bool, offset: int) -> None:
        in_group = bool(self.openers) and self.openers[-1][0] == "{"
        leaves_step = bracket == "{" or (bracket == "(" and in_expression and in_group)
        self.openers.append((bracket, self.depth, in_expression, leaves_step))
        self.deepen(offset)

    def close(self, bracket: str, *, floor: int) -> None:
        """Close the innermost bracket if `bracket` matches it and it was opened past `floor`; else ignore."""
        if len(self.openers) > floor and self.openers[-1][0] == _CLOSES[bracket]:
            _, before, _, leaves_step = self.openers.pop()
            self.depth = before + leaves_step

    def deepen(self, offset: int) -> None:
        self.depth += 1
        if self.depth > self.deepest[0]:
            self.deepest = (self.depth, offset)

    def _opens_expression(self, bracket: str, previous: str) -> bool:
        """Whether `(` holds an expression (operators possible) rather than a list of terms.

        In a group, a `(` after a name or IRI is a call (`FILTER regex(…)`, `BIND(…)`); one after
        punctuation is a collection or a VALUES row, whose `<` always opens an IRI. Outside any group
        (SELECT, ORDER BY, HAVING) and inside an expression it is an expression.
        """
        if bracket != "(":
            return False
        if not self.openers:
            return True
        enclosing, _, in_expression, _ = self.openers[-1]
        if enclosing == "(":
            return in_expression
        return previous in {"operand", "iri"}

    def maybe_less_than(self, text: str, token: re.Match) -> None:
        """Count a `<…>` that may be less-than under both readings: its `<` and operators as steps, its
        brackets opened (they stay open for a less-than), closing only brackets it opened itself
        (an IRI closes nothing outside it)."""
        lexeme = token.group()
        if "#" in lexeme or "'" in lexeme:
            position = _located(text, 0, token.start())
            raise NestingTooDeep(
                f"the query is ambiguous at line {position.line}, column {position.column}: {lexeme[:40]} may be"
                " a less-than comparison or an IRI; put a space after a less-than sign"
            )
        floor = len(self.openers)
        self.deepen(token.start())
        for index, character in enumerate(lexeme[1:], start=token.start() + 1):
            if character in "([":
                self.open(character, True, index)
            elif character in ")]":
                self.close(character, floor=floor)
            elif character in "!+-*/|=?&>":
                self.deepen(index)


def _located(text: str, depth: int, offset: int) -> Nesting:
    line = text.count("\n", 0, offset) + 1
    return Nesting(depth=depth, line=line, column=offset - (text.rfind("\n", 0, offset) + 1) + 1)
