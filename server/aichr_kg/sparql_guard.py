"""Look at a SPARQL request's text before it runs: its form, and whether it must be refused.

pyoxigraph executes `SERVICE` by opening HTTP connections, so federated queries are refused here,
before execution. The scan is lexical (comments, strings and IRIs are blanked first), which is
enough because SERVICE, like the update verbs, is a reserved keyword wherever it appears.
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
_KEYWORD = re.compile(r"(?<![\w:?$-])([A-Za-z]+)(?![\w:-])")
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
    keywords = [k.upper() for k in _KEYWORD.findall(_LEXEMES_TO_BLANK.sub(" ", text))]
    first = next((k for k in keywords if k in QUERY_FORMS | UPDATE_VERBS), None)
    return QueryShape(
        form=first if first in QUERY_FORMS else None,
        is_update=first in UPDATE_VERBS,
        uses_service="SERVICE" in keywords,
        has_dataset_clause="FROM" in keywords,
    )
