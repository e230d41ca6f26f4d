"""Look at a SPARQL request's text before it runs: its form, and whether it must be refused.

Two questions, answered with different rigour:
- `inspect_query` guesses the form (which serialisations apply) and whether the text is an update,
  lexically (comments, strings and IRIs blanked first). A wrong guess costs a clear error message,
  never safety: the engine's result decides the form, and the store cannot run updates.
- `refuse_federation` decides whether the engine would execute SERVICE, which opens HTTP
  connections. It does not re-implement the grammar: it asks the engine's own parser. SERVICE
  cannot be a keyword without the seven letters, so a text without them is safe; otherwise every
  occurrence is changed by one letter (which keeps an IRI, string, comment or name valid but breaks
  the keyword) and that copy is parsed: if the copy does not parse, some occurrence was the keyword,
  or the query has a syntax error, and either way it is refused. Codepoint escapes are applied first,
  as the SPARQL 1.1 grammar (§19.2) says, and the engine is given the unescaped text, so it cannot
  read an escape differently from the check.
- `refuse_engine_extensions` (run first by `refuse_federation`, so every caller gets it) refuses
  IRIs with scheme `bif:` or `sql:`, through which Virtuoso calls its SQL built-ins and procedures
  from plain SPARQL (`bif:http_get` fetches a URL). See its docstring for why a text search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=256)
def inspect_query(text: str) -> QueryShape:
    """Classify a query string without parsing it (the engine reports syntax errors itself).

    Cached: clients repeat their queries (a page reloaded, a dashboard polling), and a scan costs ~20 µs.
    """
    blanked = _LEXEMES_TO_BLANK.sub(" ", text)
    keywords = [k.upper() for k in _KEYWORD.findall(blanked)]
    first = next((k for k in keywords if k in QUERY_FORMS | UPDATE_VERBS), None)
    return QueryShape(
        form=first if first in QUERY_FORMS else None,
        is_update=first in UPDATE_VERBS,
        uses_service="SERVICE" in (w.upper() for w in _BARE_WORD.findall(blanked)),
        has_dataset_clause="FROM" in keywords,
    )


def blank_lexemes(text: str) -> str:
    """`text` with strings, IRIs and comments replaced by spaces of the same length: what is left is
    keywords, names and punctuation, at the positions they have in `text`."""
    return _LEXEMES_TO_BLANK.sub(lambda found: " " * len(found.group()), text)


class ServiceRefused(Exception):
    """The engine would execute SERVICE, which this endpoint never does."""


class ExtensionRefused(ServiceRefused):
    """The query names an engine's SQL built-in or procedure (`bif:`, `sql:`): refused wherever SERVICE is."""


class QueryUnreadable(Exception):
    """The query text cannot be read as SPARQL characters (a bad codepoint escape); the answer is 400."""


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPE_LEFT = re.compile(r"\\[uU]")
_FEDERATION = re.compile("service", re.IGNORECASE | re.ASCII)  # the engine matches keywords ASCII-case-blind
# Every IRI that is an unfinished scheme (`<b>`, `<SQ>`): a prefix declared as one, completed by a
# local name (`PREFIX b: <b>` then `b:if:http_get`), spells the scheme only in the expanded IRI.
_EXTENSION_SCHEME = re.compile(r"bif:|sql:", re.IGNORECASE)
# A prefix (or base) IRI that a local name could complete into the scheme: `PREFIX b: <b>` + `b:if:…`.
# Comments may stand between the tokens. A relative IRI elsewhere (`<s>`, resolved against the base)
# completes nothing and stays allowed.
_GAP = r"(?:\s|#[^\n]*(?:\n|$))*"
_UNFINISHED_SCHEME = re.compile(rf"(?:PREFIX{_GAP}[^\s:<]*:|BASE){_GAP}<(?:b|bi|bif|s|sq|sql)>", re.IGNORECASE)
EXTENSION_REFUSED = (
    "IRIs with scheme bif: or sql: are refused: they call an engine's SQL functions and procedures"
    " (Virtuoso's bif:http_get sends requests to other servers)."
)
SERVICE_REFUSED = "SERVICE (federated query) is refused: this endpoint never sends requests to other servers."


def unescape_codepoints(text: str) -> str:
    """`text` with \\uXXXX and \\UXXXXXXXX replaced by their characters, before any other reading.

    An escape that spells another escape (`\\u005Cu0041`) would be read twice by an engine that also
    unescapes, so a text that still holds one afterwards is refused as unreadable.
    """
    if "\\" not in text:
        return text
    unescaped = _CODEPOINT.sub(_character, text)
    if _ESCAPE_LEFT.search(unescaped):
        raise QueryUnreadable("a \\u escape must be followed by 4 hex digits (\\U by 8) and must not spell another escape")
    return unescaped


def _character(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise QueryUnreadable(f"{match.group()} is not a character (surrogate or beyond U+10FFFF)")
    return chr(code)


def refuse_engine_extensions(text: str) -> None:
    """Raise ExtensionRefused if `text` (already unescaped) could name an IRI with scheme bif: or sql:.

    A text search, not a parse, on purpose: it cannot miss a spelling the engine accepts (a full IRI
    `<bif:…>`, Virtuoso's predeclared `bif:` prefix, a declared `PREFIX x: <bif:>`, any letter case),
    where an IRI scan would depend on which forms the engine predeclares and how it expands them.
    The only way to build the scheme without writing it is to complete a prefix IRI with a local
    name, so a PREFIX (or BASE) whose IRI is an unfinished scheme is refused too. The price is a false alarm when
    the letters appear in a string, comment or longer name (`"sql: tips"`, `ex:dbsql:`): a clear
    403 the client can avoid by rewording, where a miss would let a query run SQL or call out.
    """
    if _EXTENSION_SCHEME.search(text) or _UNFINISHED_SCHEME.search(text):
        raise ExtensionRefused(EXTENSION_REFUSED)


def refuse_federation(text: str, parse: Callable[[str], object]) -> None:
    """Raise ServiceRefused if the engine would read SERVICE in `text` (already unescaped) as the keyword.

    `parse` is the engine's parser on a store with nothing to send anywhere; it raises SyntaxError.
    A copy that does not parse is refused: as SERVICE where the lexical scan sees the keyword, else
    with the parser's SyntaxError (positions are those of the query, as the copy has its length).
    Engine extensions (`refuse_engine_extensions`) are refused first, by every caller.
    """
    refuse_engine_extensions(text)
    if not _FEDERATION.search(text):
        return
    try:
        parse(_FEDERATION.sub(lambda found: found.group()[:-1] + "Q", text))
    except SyntaxError:
        if inspect_query(text).uses_service:
            raise ServiceRefused(SERVICE_REFUSED) from None
        raise
