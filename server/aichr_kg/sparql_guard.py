"""Look at a SPARQL request's text before it runs: its form, and whether it must be refused.

pyoxigraph executes `SERVICE` by opening HTTP connections, so federated queries are refused here,
before execution. The scan is lexical (comments, strings and IRIs are blanked first): SERVICE, like
the update verbs, is a reserved keyword, so any bare occurrence is refused (a false alarm refuses
a query; it never lets one through). The form found here only picks the response format: the
engine's result decides, and a mismatch is reported as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEXEMES_TO_BLANK = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
)
# A bare word: not part of a variable or a prefixed name. Used for SERVICE, where a false alarm is
# harmless and a miss is not (`?o.SERVICE <x> {}` is valid SPARQL).
_BARE_WORD = re.compile(r"(?<![\w:?$-])([A-Za-z]+)(?![\w:-])")
# A keyword also is not part of a dotted prefix name (`PREFIX construct.a: <…>`, `a.from:`).
_KEYWORD = re.compile(r"(?<![\w:?$-])(?<![\w-]\.)([A-Za-z]+)(?![\w:-]|\.[\w-])")
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_VERBS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class QueryShape:
    """What the lexical scan found: the query form (None if unknown) and refused features."""

    form: str | None
    is_update: bool
    uses_service: bool
    has_dataset_clause: bool  # FROM / FROM NAMED: the query picks its own graphs

    @property
    def kind(self) -> str:
        """'results' for SELECT/ASK, 'rdf' for CONSTRUCT/DESCRIBE: which serialisations apply."""
        return "rdf" if self.form in {"CONSTRUCT", "DESCRIBE"} else "results"


def inspect_query(text: str) -> QueryShape:
    """Classify a query string without parsing it (the engine reports syntax errors itself)."""
    blanked = _LEXEMES_TO_BLANK.sub(" ", text)
    keywords = [k.upper() for k in _KEYWORD.findall(blanked)]
    first = next((k for k in keywords if k in QUERY_FORMS | UPDATE_VERBS), None)
    return QueryShape(
        form=first if first in QUERY_FORMS else None,
        is_update=first in UPDATE_VERBS,
        uses_service="SERVICE" in (w.upper() for w in _BARE_WORD.findall(blanked)),
        has_dataset_clause="FROM" in keywords,
    )
