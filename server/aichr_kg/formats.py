"""Every serialisation the server speaks, in one table: name, media type, extension, pyoxigraph format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyoxigraph import QueryResultsFormat, RdfFormat

if TYPE_CHECKING:  # the pipeline imports this table without the web's libraries
    from werkzeug.datastructures import MIMEAccept


@dataclass(frozen=True)
class Format:
    """One serialisation; `kind` is 'results' (SELECT/ASK) or 'rdf' (CONSTRUCT/DESCRIBE, documents)."""

    name: str
    media_type: str
    extension: str
    kind: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """Every format here is text in UTF-8, and says so."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def rdf_format(self) -> RdfFormat:
        """pyoxigraph's name for this format, of kind 'rdf'."""
        return _OXIGRAPH_RDF[self.name]

    @property
    def results_format(self) -> QueryResultsFormat:
        """pyoxigraph's name for this format, of kind 'results'."""
        return _OXIGRAPH_RESULTS[self.name]


FORMATS = (
    Format("json", "application/sparql-results+json", "srj", "results", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", "results", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv", "results"),
    Format("tsv", "text/tab-separated-values", "tsv", "results"),
    Format("turtle", "text/turtle", "ttl", "rdf", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "nt", "rdf", ("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", "rdf", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "rdf", "rdf", ("application/xml", "text/xml")),
    Format("trig", "application/trig", "trig", "rdf"),
    Format("nquads", "application/n-quads", "nq", "rdf"),
)

_OXIGRAPH_RESULTS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
_OXIGRAPH_RDF = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
}

# A page for people: a representation like the others, offered last so that `*/*` never gets it.
HTML = Format("html", "text/html", "html", "page")

BY_NAME = {f.name: f for f in FORMATS}
RESULTS_FORMATS = tuple(f for f in FORMATS if f.kind == "results")
RDF_FORMATS = tuple(f for f in FORMATS if f.kind == "rdf")
DOCUMENT_FORMATS = tuple(BY_NAME[n] for n in ("turtle", "jsonld", "ntriples", "rdfxml"))


def by_format_parameter(value: str, candidates: tuple[Format, ...]) -> Format | None:
    """A `format=` parameter: a short name (json, ttl, turtle) or a media type, among `candidates`."""
    value = value.strip().lower()
    for fmt in candidates:
        if value in (fmt.name, fmt.extension, fmt.media_type):
            return fmt
    return None


def negotiate(accept: MIMEAccept | None, candidates: tuple[Format, ...]) -> Format | None:
    """The best of `candidates` for a werkzeug Accept header (q-values honoured), None if none fits.

    Media types are offered in the order of `candidates`, then their aliases: with HTML last, `*/*`
    (curl, SPARQL libraries) gets the first candidate while a browser, which names text/html with
    the highest quality, gets the page.
    """
    if not accept:
        return candidates[0]
    primary = [f.media_type for f in candidates]
    offers = primary + [alias for f in candidates for alias in f.aliases if alias not in primary]
    best = accept.best_match(offers)
    if best is None:
        return None
    return (
        next(f for f in candidates if best == f.media_type)
        if best in primary
        else next(f for f in candidates if best in f.aliases)
    )


# The saved-query API (/api/<name>): plain JSON records first, so `*/*` and `application/json` get
# a list of objects; SPARQL results JSON stays available by its own media type or `format=srj`.
RECORDS = Format("records", "application/json", "json", "records")
API_FORMATS = (RECORDS, BY_NAME["csv"], BY_NAME["json"])
# What `format=` may say on the API, exactly (its OpenAPI enumeration): each format's extension, and html.
API_FORMAT_NAMES = (*(f.extension for f in API_FORMATS), HTML.extension)


def in_memory(serialised: bytes | None) -> bytes:
    """What a pyoxigraph serialiser returns when given no output file: always bytes (typed `bytes | None`)."""
    if serialised is None:
        raise TypeError("the serialiser wrote to a file instead of returning bytes")
    return serialised
