"""A description turned into what a resource page shows: named, formatted, grouped and ordered.

The page leads with the facts its layout lists, then the other statements, the incoming links
grouped by property, the provenance (slides and the OCR text), and last the inferred alignments
to schema.org, PROV, ORG and Dublin Core, which matter to machines more than to readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from aichr_kg.dataset.describe import Description, Statement
from aichr_kg.namespaces import AJ, DCT, OWL, RDF, RDF_TYPE, RDFS, SKOS, rebase_iri
from aichr_kg.readable import format_literal, format_money
from aichr_kg.store import Term
from aichr_kg.web.pages.layouts import Layout, layout_for
from aichr_kg.web.pages.naming import Namer, compact
from aichr_kg.web.pages.terms import link_to, local_path

TEXTS = (DCT + "description", SKOS + "definition", RDFS + "comment")
NAMES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")
PROVENANCE = (AJ + "source", AJ + "verbatim", DCT + "source")


@dataclass(frozen=True)
class ValueView:
    """One value as shown: text, a link when it is a resource, and marks."""

    text: str
    href: str | None = None
    external: bool = False
    inferred: bool = False
    note: str = ""
    parts: tuple[ValueView, ...] = ()  # the members of an owl:unionOf, shown as "A or B"
    via: ValueView | None = None  # for an outcome linking here: the meeting it came from


@dataclass(frozen=True)
class FactRow:
    predicate: str
    label: str
    compact: str  # the prefixed name (schema:funder), for the alignments table
    href: str | None
    definition: str
    values: tuple[ValueView, ...]


@dataclass(frozen=True)
class IncomingGroup:
    predicate: str
    heading: str
    count: int
    links: tuple[ValueView, ...]


@dataclass
class ResourcePage:
    """Everything the resource template needs, already named and formatted."""

    iri: str
    label: str
    layout: Layout
    kinds: list[ValueView] = field(default_factory=list)
    inferred_kinds: list[ValueView] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    facts: list[FactRow] = field(default_factory=list)
    others: list[FactRow] = field(default_factory=list)
    incoming: list[IncomingGroup] = field(default_factory=list)
    sources: list[ValueView] = field(default_factory=list)
    verbatim: list[str] = field(default_factory=list)
    alignments: list[FactRow] = field(default_factory=list)


class _Builder:
    """Builds one ResourcePage; holds the description, the namer and the base while it does."""

    def __init__(self, description: Description, namer: Namer, base: str) -> None:
        self.description = description
        self.namer = namer
        self.base = base
        self.ours = rebase_iri(AJ, base)
        self.moved = {iri: rebase_iri(iri, base) for iri in (*TEXTS, *NAMES, *PROVENANCE)}

    def build(self) -> ResourcePage:
        own = self.description.own
        layout = layout_for(self.description.types(), self.base)
        page = ResourcePage(self.description.iri, self.description.label(), layout)
        page.kinds = [self.resource(t) for t in self.description.types(inferred=False)]
        page.inferred_kinds = [self.resource(t) for t in self.description.types(inferred=True) if self.is_ours(t)]
        page.other_names = sorted({o.value for o in self.objects(SKOS + "prefLabel", SKOS + "altLabel")} - {page.label})
        page.texts = [(self.namer.name(self.moved[p]), o.value) for p in TEXTS for o in self.objects(p)]
        shown = [s for s in own if self.for_people(s)]
        alignments = [s for s in own if self.is_alignment(s)]
        page.facts = self.rows([s for s in shown if s.predicate.value in layout.facts], layout.facts)
        page.others = self.rows([s for s in shown if s.predicate.value not in layout.facts])
        page.alignments = self.rows(alignments, mark_inferred=False)
        page.incoming = self.incoming_groups()
        page.sources = self.sources()
        page.verbatim = sorted(o.value for o in self.objects(AJ + "verbatim"))
        return page

    def objects(self, *predicates: str) -> list:
        return [o for p in predicates for o in self.description.values(self.moved.get(p, rebase_iri(p, self.base)))]

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.ours)

    def is_alignment(self, statement: Statement) -> bool:
        """An inferred statement in another vocabulary: a super-property or super-class outside aj:."""
        if not statement.inferred:
            return False
        if statement.predicate.value == RDF_TYPE:
            return not self.is_ours(statement.object.value)
        return not self.is_ours(statement.predicate.value)

    def for_people(self, statement: Statement) -> bool:
        """Statements for the main table: not names, texts, types or provenance (shown elsewhere),
        not inferred alignments, and not inferred inverses of links already listed as incoming."""
        predicate = statement.predicate.value
        if predicate == RDF_TYPE or predicate in {self.moved[p] for p in (*TEXTS, *NAMES, *PROVENANCE)}:
            return False
        if statement.inferred:
            term = self.namer.ontology.terms.get(predicate)
            return self.is_ours(predicate) and not (term and term.inverse in self.description.incoming_counts)
        return True

    def rows(self, statements: list[Statement], order: tuple[str, ...] = (), mark_inferred: bool = True) -> list[FactRow]:
        """One row per property, in `order` or else by name, values sorted by their text."""
        by_predicate: dict[str, list[Statement]] = {}
        for statement in statements:
            by_predicate.setdefault(statement.predicate.value, []).append(statement)
        ranked = sorted(by_predicate, key=lambda p: (order.index(p) if p in order else len(order), self.namer.name(p).casefold()))
        return [
            FactRow(
                predicate,
                self.namer.name(predicate),
                compact(predicate, self.base),
                local_path(predicate, self.base),
                self.namer.definition(predicate),
                tuple(
                    sorted(
                        (self.value(s.object, s.inferred and mark_inferred, predicate) for s in by_predicate[predicate]),
                        key=lambda v: v.text.casefold(),
                    )
                ),
            )
            for predicate in ranked
        ]

    def value(self, term: Term, inferred: bool = False, predicate: str = "") -> ValueView:
        if isinstance(term, pyoxigraph.NamedNode):
            return self.resource(term.value, inferred)
        if isinstance(term, pyoxigraph.BlankNode):
            return ValueView("", parts=tuple(self.resource(m) for m in self.union_members(term)), inferred=inferred)
        text = format_literal(term.value, term.datatype.value if term.datatype else None)
        currency = self.objects(AJ + "currency") if predicate == rebase_iri(AJ + "amount", self.base) else []
        if currency:
            text = format_money(term.value, currency[0].value)
        language = term.language if term.language not in (None, "en") else ""
        return ValueView(text, inferred=inferred, note=language)

    def resource(self, iri: str, inferred: bool = False) -> ValueView:
        linked = self.description.linked.get(iri)
        text = self.namer.name(iri)
        if linked is not None and linked.amount is not None:
            text = format_money(linked.amount.value, linked.currency)
        href = local_path(iri, self.base)
        if href is None and not iri.startswith(("http://", "https://")):
            return ValueView(text, inferred=inferred)  # urn:, mailto:, javascript: ... are shown, never linked
        return ValueView(text, href or iri, external=href is None, inferred=inferred)

    def union_members(self, node: pyoxigraph.BlankNode) -> list[str]:
        """The classes of an owl:unionOf list hanging off the resource."""
        triples = {(s.subject, s.predicate.value): s.object for s in self.description.statements}
        members, cell = [], triples.get((node, OWL + "unionOf"))
        while isinstance(cell, pyoxigraph.BlankNode):
            first = triples.get((cell, RDF + "first"))
            if isinstance(first, pyoxigraph.NamedNode):
                members.append(first.value)
            cell = triples.get((cell, RDF + "rest"))
        return members

    def incoming_groups(self) -> list[IncomingGroup]:
        """Incoming links by property, minus those the page already shows as its own asserted
        inverse statements (a meeting's aj:outcome and each outcome's aj:outcomeOf)."""
        links: dict[str, list[ValueView]] = {}
        subjects: dict[str, set[str]] = {}
        for link in self.description.incoming:
            via = self.resource(link.meeting) if link.meeting and link.meeting != self.description.iri else None
            external = local_path(link.subject.value, self.base) is None
            links.setdefault(link.predicate.value, []).append(
                ValueView(link.name, link_to(link.subject.value, self.base) or None, external, via=via)
            )
            subjects.setdefault(link.predicate.value, set()).add(link.subject.value)
        groups = [
            IncomingGroup(p, self.namer.incoming_heading(p), count, tuple(links.get(p, ())))
            for p, count in self.description.incoming_counts.items()
            if not self.shown_as_inverse(p, subjects.get(p, set()), count)
        ]
        return sorted(groups, key=lambda g: (g.predicate == self.moved[AJ + "source"], g.heading.casefold()))

    def shown_as_inverse(self, predicate: str, subjects: set[str], count: int) -> bool:
        term = self.namer.ontology.terms.get(predicate)
        if term is None or not term.inverse or len(subjects) < count:
            return False
        asserted = {s.object.value for s in self.description.own if s.predicate.value == term.inverse and not s.inferred}
        return subjects <= asserted

    def sources(self) -> list[ValueView]:
        """The slides stating this resource, by number, then other sources (ISO, Wikidata)."""
        slides = []
        for slide in self.objects(AJ + "source"):
            linked = self.description.linked.get(slide.value)
            number = linked.slide_number if linked and linked.slide_number is not None else 0
            view = self.resource(slide.value)
            slides.append((number, ValueView(f"Slide {number}: {view.text}" if number else view.text, view.href, view.external)))
        others = [self.resource(o.value) for o in self.objects(DCT + "source") if isinstance(o, pyoxigraph.NamedNode)]
        inferred_slides = {s.href for _, s in slides}
        return [v for _, v in sorted(slides, key=lambda pair: pair[0])] + [o for o in others if o.href not in inferred_slides]


def resource_page(description: Description, namer: Namer, base: str) -> ResourcePage:
    """The page model of a described resource."""
    return _Builder(description, namer, base).build()
