"""The query text sent to a remote engine, written so that Virtuoso 7.2 answers it as the embedded store does.

Each rewrite means the same on every engine (it is applied to all of them, see remote.py), and each
works on the text with strings, IRIs and comments blanked (`guard.blank_lexemes`), so nothing
inside a literal is ever touched.
- GROUP_CONCAT without SEPARATOR fails on Virtuoso (SR183): SPARQL's default, one space, is written out.
- A boolean expression (comparison, `&&`, `||`, `!`, IN, EXISTS, BOUND, REGEX, `true`, …)
  projected or bound with `AS` comes back from Virtuoso as xsd:integer 0/1, which no reader can
  tell from a real integer. Such an expression is sent cast, `xsd:boolean(…)`, which every engine
  answers unchanged and Virtuoso types xsd:boolean (written 1/0; virtuoso.py reads those as
  true/false). Which expressions are boolean is read from their outermost operator, or from every
  value an IF or COALESCE may give; others (a boolean variable, a literal `"true"^^xsd:boolean`,
  MIN/MAX/SAMPLE of booleans) are sent as they are (docs/operations.md).
"""

from __future__ import annotations

import re

from aichr_kg.namespaces import XSD
from aichr_kg.store.guard import blank_lexemes
from aichr_kg.store.values_placement import closing_of

XSD_BOOLEAN = f"<{XSD}boolean>"
_GROUP_CONCAT = re.compile(r"(?i)(?<![\w:?$-])GROUP_CONCAT\s*\(")
_SEPARATOR = re.compile(r"(?i);\s*SEPARATOR\b")
_AS_VARIABLE = re.compile(r"(?i)(?<![\w:?$-])AS\s+[?$]\w+\s*\)")
_BOOLEAN_OPERATOR = re.compile(r"\|\||&&|[<>=]|(?<![\w:?$-])(?i:IN)\s*\(")
_PARENTHESISED = re.compile(r"\(\s*\)")
_CHOICE = re.compile(r"(?i)(IF|COALESCE)\s*\(\s*\)")  # boolean when every value it may give is
_BOOLEAN_WHOLE = re.compile(
    r"(?i)!.*|true|false|(?:NOT\s+)?EXISTS\s*\{\s*\}"
    r"|(?:BOUND|isIRI|isURI|isBLANK|isLITERAL|isNUMERIC|REGEX|CONTAINS|STRSTARTS|STRENDS|LANGMATCHES|sameTerm)\s*\(\s*\)",
    re.DOTALL,
)


def for_virtuoso(text: str) -> str:
    """`text` with every rewrite of this module applied."""
    return explicit_separators(typed_booleans(text))


def explicit_separators(text: str) -> str:
    """`text` with `; SEPARATOR=" "` (SPARQL's default) in each GROUP_CONCAT that has none."""
    blanked = blank_lexemes(text)
    closings = []
    for call in _GROUP_CONCAT.finditer(blanked):
        closing = closing_of(blanked, call.end() - 1)
        if closing is not None and not _SEPARATOR.search(blanked, call.end(), closing):
            closings.append(closing)
    for closing in reversed(closings):
        text = f'{text[:closing]}; SEPARATOR=" "{text[closing:]}'
    return text


def typed_booleans(text: str) -> str:
    """`text` with each boolean expression bound by `(… AS ?v)` cast to xsd:boolean."""
    blanked = blank_lexemes(text)
    insertions: list[tuple[int, str]] = []
    for found in _AS_VARIABLE.finditer(blanked):
        opening = _opening_of(blanked, found.end() - 1)
        if opening is not None and is_boolean(blanked[opening + 1 : found.start()]):
            insertions += [(opening + 1, f"{XSD_BOOLEAN}("), (found.start(), ") ")]
    for position, inserted in sorted(insertions, reverse=True):
        text = text[:position] + inserted + text[position:]
    return text


def is_boolean(blanked: str) -> bool:
    """Whether an expression (blanked text) is boolean by its outermost operator or function."""
    expression = blanked.strip()
    top = _top_level(expression)
    if _PARENTHESISED.fullmatch(top):
        return is_boolean(expression[1:-1])
    if _BOOLEAN_OPERATOR.search(top) or _BOOLEAN_WHOLE.fullmatch(top):
        return True
    choice = _CHOICE.fullmatch(top)
    if choice is None:
        return False
    arguments = _arguments(expression[top.index("(", choice.end(1)) + 1 : -1])
    chosen = arguments[1:] if choice.group(1).upper() == "IF" else arguments
    return len(arguments) > 1 and all(map(is_boolean, chosen))


def _arguments(blanked: str) -> list[str]:
    """The arguments of a call (the blanked text between its parentheses), split at its own commas."""
    cuts = [position for position, character in enumerate(_top_level(blanked)) if character == ","]
    return [blanked[start + 1 : end] for start, end in zip([-1, *cuts], [*cuts, len(blanked)], strict=True)]


def _top_level(blanked: str) -> str:
    """`blanked` with what stands inside brackets, braces and parentheses blanked (the brackets kept)."""
    depth, kept = 0, []
    for character in blanked:
        if character in ")]}":
            depth -= 1
        kept.append(character if depth == 0 else " ")
        if character in "([{":
            depth += 1
    return "".join(kept)


def _opening_of(blanked: str, closing: int) -> int | None:
    """The position of the `(` that the `)` at `closing` closes."""
    depth = 0
    for position in range(closing, -1, -1):
        depth += {")": 1, "(": -1}.get(blanked[position], 0)
        if depth == 0:
            return position
    return None
