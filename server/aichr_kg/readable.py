"""Values as people read them: grouped digits, money with its currency code, months and days by name.

One place for the pages, the charts and the change report, so a cost or a date reads the same in each.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from aichr_kg.namespaces import DCT, OWL, RDF, RDFS, SCHEMA, SKOS, XSD

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CALENDAR_VALUE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?")
CENTS = Decimal("0.01")

# Plain words for vocabulary terms the dataset does not label itself.
WELL_KNOWN = {
    RDF + "type": "type",
    RDFS + "label": "label",
    RDFS + "comment": "note",
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    RDFS + "isDefinedBy": "defined by",
    OWL + "inverseOf": "inverse of",
    OWL + "disjointWith": "disjoint with",
    OWL + "sameAs": "same as",
    OWL + "Class": "OWL class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property",
    OWL + "Ontology": "ontology",
    SKOS + "prefLabel": "preferred label",
    SKOS + "altLabel": "also known as",
    SKOS + "definition": "definition",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "inScheme": "in scheme",
    SKOS + "topConceptOf": "top concept of",
    SKOS + "hasTopConcept": "top concepts",
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "concept scheme",
    DCT + "description": "description",
    DCT + "date": "date",
    DCT + "source": "source",
    DCT + "relation": "related to",
    SCHEMA + "jobTitle": "job title",
    SCHEMA + "sameAs": "same as",
    SCHEMA + "containedInPlace": "in place",
    SCHEMA + "eventAttendanceMode": "attendance mode",
}


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
    grouped with at least two decimals (the store normalises "178182.00" to 178182, which would read as
    a different kind of number) and every decimal it has (never rounded, so no difference is hidden)."""
    code = f"{currency} " if currency else ""
    try:
        number = Decimal(amount)
    except InvalidOperation:
        return f"{code}{amount}"
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        number = number.quantize(CENTS)
    return f"{code}{number:,}"
