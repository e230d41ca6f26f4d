"""Which facts come first on a page, per kind of resource, and which columns its list page shows.

A layout is chosen by the resource's types (asserted or inferred), first match wins, so the order
below goes from specific to general. IRIs are canonical; `layout_for` rebases them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from aichr_kg.namespaces import AJ, DCT, OWL, RDFS, SCHEMA, SKOS, rebase_iri


@dataclass(frozen=True)
class Layout:
    """`facts` lead the page in this order; `columns` follow the name on the list page, each a group
    of properties of which a row shows the first it has (a date, else a month, else a year)."""

    name: str
    classes: tuple[str, ...]
    facts: tuple[str, ...]
    columns: tuple[tuple[str, ...], ...]

    def rebased(self, base: str) -> Layout:
        columns = tuple(_moved(group, base) for group in self.columns)
        return Layout(self.name, _moved(self.classes, base), _moved(self.facts, base), columns)


LAYOUTS = (
    Layout(
        "project",
        (AJ + "Project",),
        (
            AJ + "status",
            AJ + "month",
            AJ + "leadCountry",
            AJ + "mainDonor",
            AJ + "fundedBy",
            AJ + "implementedBy",
            AJ + "actualCost",
            AJ + "venue",
            SCHEMA + "eventAttendanceMode",
            AJ + "theme",
            AJ + "ordinal",
            AJ + "jaifTableRow",
            AJ + "bhrTableRow",
        ),
        ((AJ + "month",), (AJ + "leadCountry",), (AJ + "fundedBy",), (AJ + "actualCost",), (AJ + "status",)),
    ),
    Layout(
        "meeting",
        (AJ + "Event",),
        (
            AJ + "date",
            AJ + "month",
            DCT + "date",
            AJ + "ordinal",
            AJ + "venue",
            AJ + "organizer",
            AJ + "participant",
            AJ + "theme",
            AJ + "outcome",
            AJ + "adopted",
            DCT + "relation",
        ),
        ((AJ + "date", AJ + "month", DCT + "date"), (AJ + "venue",)),
    ),
    Layout(
        "country",
        (AJ + "Country",),
        (SKOS + "altLabel", AJ + "iso3166Alpha2", OWL + "sameAs", SCHEMA + "sameAs"),
        ((AJ + "iso3166Alpha2",), (SKOS + "altLabel",)),
    ),
    Layout(
        "organisation",
        (AJ + "Organization", AJ + "Person"),
        (
            SKOS + "altLabel",
            SCHEMA + "jobTitle",
            AJ + "subOrganizationOf",
            AJ + "hasSubOrganization",
            AJ + "representsCountry",
            AJ + "country",
        ),
        ((SKOS + "altLabel",), (AJ + "subOrganizationOf",), (AJ + "country",)),
    ),
    Layout(
        "theme",
        (SKOS + "Concept", SKOS + "ConceptScheme"),
        (
            SKOS + "altLabel",
            SKOS + "inScheme",
            SKOS + "topConceptOf",
            SKOS + "broader",
            SKOS + "narrower",
            SKOS + "hasTopConcept",
            AJ + "reason",
        ),
        ((SKOS + "broader",), (SKOS + "inScheme",)),
    ),
    Layout(
        "publication",
        (AJ + "Publication", AJ + "Initiative"),
        (
            SKOS + "altLabel",
            AJ + "year",
            DCT + "date",
            AJ + "publisher",
            AJ + "actor",
            AJ + "initiativeOutput",
            AJ + "adoptedAt",
            AJ + "theme",
            AJ + "rowNumber",
        ),
        ((AJ + "year", DCT + "date"), (AJ + "publisher", AJ + "actor")),
    ),
    Layout(
        "outcome",
        (AJ + "Outcome",),
        (AJ + "outcomeOf", AJ + "month", AJ + "statedCount", AJ + "identifiesPriorityArea", AJ + "criterion", AJ + "concerns"),
        ((AJ + "outcomeOf",),),
    ),
    Layout(
        "slide",
        (AJ + "Slide", AJ + "SourceDocument"),
        (AJ + "slideNumber", AJ + "slideOf", DCT + "date", AJ + "presenter", AJ + "presentedAt", AJ + "slide"),
        ((AJ + "slideNumber",),),
    ),
    Layout("place", (AJ + "Place",), (AJ + "country", SCHEMA + "containedInPlace"), ((AJ + "country",),)),
    Layout("money", (AJ + "MonetaryAmount",), (AJ + "amount", AJ + "currency"), ((AJ + "amount",),)),
    Layout(
        "ontology-term",
        (OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", OWL + "Ontology"),
        (RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range", OWL + "inverseOf", OWL + "disjointWith"),
        (),
    ),
)
GENERIC = Layout("resource", (), (), ())


def _moved(iris: tuple[str, ...], base: str) -> tuple[str, ...]:
    return tuple(rebase_iri(iri, base) for iri in iris)


@lru_cache(maxsize=8)
def layouts_for(base: str) -> tuple[Layout, ...]:
    return tuple(layout.rebased(base) for layout in LAYOUTS)


def layout_for(types: list[str], base: str) -> Layout:
    """The first layout naming one of `types`; the generic one otherwise."""
    for layout in layouts_for(base):
        if any(t in layout.classes for t in types):
            return layout
    return GENERIC
