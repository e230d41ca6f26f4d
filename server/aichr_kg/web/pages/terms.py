"""How an RDF term is shown on a page: IRIs of ours become local links, literals keep their type."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph

from aichr_kg.readable import format_literal
from aichr_kg.store import Term

WEB_SCHEMES = ("http", "https")


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
    """Where a link to an IRI goes: its page on this server when minted under `base`, else the IRI
    when it is a web address; '' (no link) for any other scheme, so an answer's `javascript:` or
    `data:` IRI is shown as text and never followed (the page's policy would block it too)."""
    local = local_path(iri, base)
    if local is not None:
        return local
    return iri if urlsplit(iri).scheme.lower() in WEB_SCHEMES else ""


def term_view(term: Term, base: str) -> TermView:
    if isinstance(term, pyoxigraph.NamedNode):
        return TermView("iri", term.value, term.value, href=link_to(term.value, base) or None)
    if isinstance(term, pyoxigraph.BlankNode):
        return TermView("bnode", term.value, f"_:{term.value}")
    datatype = term.datatype.value if term.datatype else None
    return TermView("literal", term.value, format_literal(term.value, datatype), datatype=datatype, language=term.language)
