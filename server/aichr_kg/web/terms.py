"""How an RDF term is shown on a page: IRIs of ours become local links, literals keep their type."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class TermView:
    """A term ready for a template: `text` to show, `href` to link (None for literals)."""

    kind: str
    value: str
    text: str
    href: str | None = None
    datatype: str | None = None
    language: str | None = None


def local_path(iri: str, base: str) -> str | None:
    """The path on this server of an IRI minted under `base`, so links work wherever we are served."""
    return "/" + iri[len(base):] if iri.startswith(base) else None


def term_view(term, base: str) -> TermView:
    if isinstance(term, pyoxigraph.NamedNode):
        return TermView("iri", term.value, term.value, href=local_path(term.value, base) or term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return TermView("bnode", term.value, f"_:{term.value}")
    datatype = term.datatype.value if term.datatype else None
    return TermView("literal", term.value, format_literal(term.value, datatype), datatype=datatype, language=term.language)


def format_literal(value: str, datatype: str | None) -> str:
    """Readable text for typed literals: grouped decimals, month names; others unchanged."""
    if datatype in (XSD + "decimal", XSD + "integer"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return f"{number:,}"
    if datatype == XSD + "gYearMonth" and len(value) == 7:
        months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        year, month = value.split("-")
        if month.isdigit() and 1 <= int(month) <= 12:
            return f"{months[int(month) - 1]} {year}"
    return value
