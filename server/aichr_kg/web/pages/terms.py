"""How an RDF term is shown on a page: IRIs of ours become local links, literals keep their type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph

from aichr_kg.charts.svg import MONTHS
from aichr_kg.namespaces import XSD
from aichr_kg.store import Term

CALENDAR_VALUE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?")


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
    return "/" + iri[len(base) :] if iri.startswith(base) else None


def link_to(iri: str, base: str) -> str:
    """Where a link to an IRI goes: its page on this server when minted under `base`, else the IRI."""
    return local_path(iri, base) or iri


def term_view(term: Term, base: str) -> TermView:
    if isinstance(term, pyoxigraph.NamedNode):
        return TermView("iri", term.value, term.value, href=link_to(term.value, base))
    if isinstance(term, pyoxigraph.BlankNode):
        return TermView("bnode", term.value, f"_:{term.value}")
    datatype = term.datatype.value if term.datatype else None
    return TermView("literal", term.value, format_literal(term.value, datatype), datatype=datatype, language=term.language)


def format_literal(value: str, datatype: str | None) -> str:
    """Readable text for typed literals: grouped decimals, month names, days as '8 May 2015'; others unchanged."""
    if datatype in (XSD + "decimal", XSD + "integer"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return f"{number:,}"
    calendar = CALENDAR_VALUE.fullmatch(value) if datatype in (XSD + "gYearMonth", XSD + "date") else None
    if calendar and 1 <= int(calendar["month"]) <= 12:
        month = MONTHS[int(calendar["month"]) - 1]
        if datatype == XSD + "date" and calendar["day"]:
            return f"{int(calendar['day'])} {month} {calendar['year']}"
        if datatype == XSD + "gYearMonth" and not calendar["day"]:
            return f"{month} {calendar['year']}"
    return value


def format_money(amount: str, currency: str | None) -> str:
    """'USD 169,934.75': the currency code (none is made up where the data has none), then the amount
    grouped with two decimals (the store normalises "178182.00" to 178182, which would read as a
    different kind of number)."""
    code = f"{currency} " if currency else ""
    try:
        return f"{code}{Decimal(amount).quantize(Decimal('0.01')):,}"
    except InvalidOperation:
        return f"{code}{amount}"
