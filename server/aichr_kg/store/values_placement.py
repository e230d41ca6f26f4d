"""Where a remote store puts a request's parameters: one VALUES block, first inside the query's
outermost WHERE group, so that it constrains the pattern as pyoxigraph's substitutions do.

A trailing VALUES block (after the WHERE clause) is joined after GROUP BY, so a parameter that is
not a grouping key multiplies an aggregate instead of filtering it, and Virtuoso refuses it after
ASK, CONSTRUCT and DESCRIBE and joins it wrongly after a SELECT with BIND. Inside the group it is
joined with the pattern itself, which is what binding a variable before evaluation means.

The group is found on the text with strings, IRIs and comments blanked (`guard.blank_lexemes`): the
first `{` outside every parenthesis and brace (a projection's `(EXISTS {…} AS ?x)` is inside
parentheses), the second for a CONSTRUCT with a template. The composed text is then parsed by the
caller, as every forwarded text is; where that placement does not parse, a group holding only a
subquery gets the block beside the subquery wrapped in a group (Virtuoso joins a trailing block
after one wrongly), and otherwise the trailing block is sent; so is it for a query without such a
group (DESCRIBE <iri>; CONSTRUCT WHERE, whose group may hold only triples).
"""

from __future__ import annotations

import re

from aichr_kg.store.guard import blank_lexemes, inspect_query

_AFTER_CONSTRUCT = re.compile(r"(?i)\bCONSTRUCT\s+(\w+)?")
_SUBQUERY = re.compile(r"(?i)\s*SELECT\b")


def placements(text: str, substitutions: tuple[tuple[str, str], ...]) -> list[str]:
    """`text` (unescaped) with the parameters as `VALUES (?a ?b) { (<x> "y") }`: first inside the
    WHERE group, then, where that group holds only a subquery (which takes no VALUES beside it),
    beside the subquery wrapped in a group of its own, then trailing, for the caller to send the
    first that parses (a BIND of a parameter parses only in the last)."""
    if not substitutions:
        return [text]
    variables = " ".join(f"?{variable}" for variable, _ in substitutions)
    terms = " ".join(term for _, term in substitutions)
    block = f"VALUES ({variables}) {{ ({terms}) }}"
    trailing = f"{text}\n{block}"
    opening = where_group_opening(text)
    if opening is None:
        return [trailing]
    inside = f"{text[: opening + 1]} {block}\n{text[opening + 1 :]}"
    blanked = blank_lexemes(text)
    closing = closing_of(blanked, opening)
    if closing is None or not _SUBQUERY.match(blanked, opening + 1):
        return [inside, trailing]
    wrapped = f"{text[: opening + 1]} {block}\n{{{text[opening + 1 : closing]}}}\n{text[closing:]}"
    return [inside, wrapped, trailing]


def closing_of(blanked: str, opening: int) -> int | None:
    """The position of the `}` or `)` that closes the `{` or `(` at `opening` in blanked text."""
    steps = {"{": {"{": 1, "}": -1}, "(": {"(": 1, ")": -1}}[blanked[opening]]
    depth = 0
    for position in range(opening, len(blanked)):
        depth += steps.get(blanked[position], 0)
        if depth == 0:
            return position
    return None


def where_group_opening(text: str) -> int | None:
    """The position of the `{` that opens the outermost WHERE group, or None where there is none to use."""
    blanked = blank_lexemes(text)
    form = inspect_query(text).form
    skip = 0
    if form == "CONSTRUCT":
        construct = _AFTER_CONSTRUCT.search(blanked)
        if construct is None or (construct.group(1) or "").upper() == "WHERE":
            return None
        skip = 1  # the template comes first
    openings = _outermost_openings(blanked)
    return openings[skip] if len(openings) > skip else None


def _outermost_openings(blanked: str) -> list[int]:
    """Positions of every `{` at depth 0 of both parentheses and braces."""
    found, parens, braces = [], 0, 0
    for position, character in enumerate(blanked):
        if character == "(":
            parens += 1
        elif character == ")":
            parens = max(parens - 1, 0)
        elif character == "{":
            if parens == 0 and braces == 0:
                found.append(position)
            braces += 1
        elif character == "}":
            braces = max(braces - 1, 0)
    return found
