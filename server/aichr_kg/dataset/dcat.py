"""The releases described in DCAT 3, as DCAT-AP 3.0.0 asks, for data portals that harvest catalogs.

The catalog holds one dataset series, the releases; each release is a dataset (its version IRI,
`<base>release/X.Y.Z`) with its version, date, notes, previous version and distributions (each dump
with its size, media type and SHA-256), and the SPARQL endpoint is a data service. Who publishes
and under which licence come from the ontology's header, and the themes from the data's own theme
scheme: nothing here is said that the project does not say already.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from aichr_kg.namespaces import DCAT, DCT, FOAF, IANA_MEDIA_TYPES, RDF_TYPE, RDFS, SKOS, SPDX, VCARD, XSD
from aichr_kg.pipeline.release_manifest import ReleaseFile, ReleaseManifest, release_iri

Object = pyoxigraph.NamedNode | pyoxigraph.Literal
TITLE = "AICHR–Japan cooperation knowledge graph"
DESCRIPTION = (
    "Linked open data on ASEAN–Japan cooperation on human rights: AICHR–Japan interface meetings, JAIF-supported "
    "and business-and-human-rights projects with their donors, lead countries and costs, the Government of Japan's "
    "initiatives and publications, each fact traced to a slide of the 13 May 2025 presentation."
)
UNNAMED_PUBLISHER = "the contributors named in the project's repository"  # when the ontology names no creator
THEME_SCHEME = "id/scheme/themes"  # the data's scheme of themes, whose top concepts are the catalog's themes
GZIP = "application/gzip"
RESOURCE = RDFS + "Resource"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
DATA_SERVICE_TITLE = "SPARQL 1.1 endpoint of the knowledge graph"


@dataclass(frozen=True)
class Theme:
    iri: str
    label: str


@dataclass(frozen=True)
class Publication:
    """What every description shares: where it is served (`root`, no final slash), the base, and the header facts."""

    root: str
    base: str
    title: str
    description: str
    publisher: str
    licence: str
    theme_scheme: Theme | None
    themes: tuple[Theme, ...]

    @property
    def catalog(self) -> str:
        return self.base + "catalog"

    @property
    def series(self) -> str:
        """The dataset across its versions: the series of releases, which `hasVersion` each."""
        return self.base + "release/"

    @property
    def publisher_iri(self) -> str:
        return self.catalog + "#publisher"

    @property
    def contact_iri(self) -> str:
        return self.catalog + "#contact"

    @property
    def service(self) -> str:
        return self.root + "/sparql"


class Statements:
    """Triples gathered in order, subjects and predicates given as IRI strings."""

    def __init__(self) -> None:
        self.triples: list[pyoxigraph.Triple] = []

    def add(self, subject: str, predicate: str, value: Object) -> None:
        self.triples.append(pyoxigraph.Triple(pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(predicate), value))

    def link(self, subject: str, predicate: str, iri: str) -> None:
        self.add(subject, predicate, pyoxigraph.NamedNode(iri))

    def link_to(self, subject: str, predicate: str, iri: str, kind: str) -> None:
        """A link, and the kind of thing linked to (DCAT-AP checks every value's class without inference)."""
        self.link(subject, predicate, iri)
        self.link(iri, RDF_TYPE, kind)

    def text(self, subject: str, predicate: str, text: str) -> None:
        self.add(subject, predicate, pyoxigraph.Literal(text, language="en"))

    def typed(self, subject: str, predicate: str, value: str, datatype: str) -> None:
        self.add(subject, predicate, pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)))


def catalog_triples(publication: Publication, releases: list[ReleaseManifest]) -> list[pyoxigraph.Triple]:
    """The whole catalog: the catalog, its series, each release with its distributions, and the data service."""
    out = Statements()
    catalog = publication.catalog
    out.link(catalog, RDF_TYPE, DCAT + "Catalog")
    out.text(catalog, DCT + "title", publication.title + " — catalog of releases")
    out.text(catalog, DCT + "description", publication.description)
    out.link_to(catalog, FOAF + "homepage", publication.root + "/", FOAF + "Document")
    out.link(catalog, DCT + "publisher", publication.publisher_iri)
    out.link(catalog, DCT + "license", publication.licence)
    out.link(catalog, DCAT + "dataset", publication.series)
    out.link(catalog, DCAT + "service", publication.service)
    if publication.theme_scheme is not None:
        out.link(catalog, DCAT + "themeTaxonomy", publication.theme_scheme.iri)
    for release in releases:
        out.link(catalog, DCAT + "dataset", release.version_iri())
    _series(out, publication, releases)
    for release in releases:
        _release(out, publication, release)
    _data_service(out, publication, releases)
    _shared_resources(out, publication)
    return out.triples


def release_triples(publication: Publication, release: ReleaseManifest) -> list[pyoxigraph.Triple]:
    """One release as its own page tells it: the release, its distributions and what they refer to."""
    out = Statements()
    _release(out, publication, release)
    _shared_resources(out, publication)
    return out.triples


def _series(out: Statements, publication: Publication, releases: list[ReleaseManifest]) -> None:
    series = publication.series
    out.link(series, RDF_TYPE, DCAT + "DatasetSeries")
    out.link(series, RDF_TYPE, DCAT + "Dataset")  # what a series is in DCAT 3, stated: no inference is assumed
    out.text(series, DCT + "title", publication.title)
    out.text(series, DCT + "description", publication.description)
    out.link(series, DCT + "publisher", publication.publisher_iri)
    out.link(series, DCAT + "contactPoint", publication.contact_iri)
    for release in releases:
        out.link(series, DCAT + "hasVersion", release.version_iri())
    if releases:
        out.link(series, DCAT + "first", releases[0].version_iri())
        out.link(series, DCAT + "last", releases[-1].version_iri())
        out.link(series, DCAT + "hasCurrentVersion", releases[-1].version_iri())


def _release(out: Statements, publication: Publication, release: ReleaseManifest) -> None:
    """A release: a dataset in the series, a version of it, with the notes of what changed and its files."""
    dataset = release.version_iri()
    out.link(dataset, RDF_TYPE, DCAT + "Dataset")
    out.text(dataset, DCT + "title", f"{publication.title}, release {release.version}")
    out.text(dataset, DCT + "description", publication.description)
    out.add(dataset, DCAT + "version", pyoxigraph.Literal(release.version))
    out.typed(dataset, DCT + "issued", release.issued, XSD + "dateTime")
    out.link(dataset, DCT + "isVersionOf", publication.series)
    out.link(dataset, DCAT + "inSeries", publication.series)
    out.link(dataset, DCT + "publisher", publication.publisher_iri)
    out.link(dataset, DCAT + "contactPoint", publication.contact_iri)
    out.link_to(dataset, DCAT + "landingPage", f"{publication.root}/release/{release.version}/", FOAF + "Document")
    for theme in publication.themes:
        out.link(dataset, DCAT + "theme", theme.iri)
    if release.previous is not None:
        out.link(dataset, DCAT + "previousVersion", release_iri(release.base_iri, release.previous))
    if release.ontology_version_iri:
        out.link_to(dataset, DCT + "conformsTo", release.ontology_version_iri, DCT + "Standard")
    for item in release.files:
        if item.name.startswith("aichr-kg."):
            out.link(dataset, DCAT + "distribution", _distribution_iri(release, item))
            _distribution(out, publication, release, item)


def _distribution_iri(release: ReleaseManifest, item: ReleaseFile) -> str:
    return f"{release.version_iri()}#{item.name}"


def _distribution(out: Statements, publication: Publication, release: ReleaseManifest, item: ReleaseFile) -> None:
    """A dump: where it is, what it is (media type, and gzip when compressed), how big, and its SHA-256."""
    distribution, checksum = _distribution_iri(release, item), _distribution_iri(release, item) + "-sha256"
    download = f"{publication.root}/release/{release.version}/{item.name}"
    out.link(distribution, RDF_TYPE, DCAT + "Distribution")
    out.text(distribution, DCT + "title", f"{item.name} of release {release.version}")
    out.link_to(distribution, DCAT + "accessURL", download, RESOURCE)
    out.link_to(distribution, DCAT + "downloadURL", download, RESOURCE)
    out.link(distribution, DCAT + "mediaType", IANA_MEDIA_TYPES + item.media_type)
    if item.compressed:
        out.link(distribution, DCAT + "compressFormat", IANA_MEDIA_TYPES + GZIP)
    out.typed(distribution, DCAT + "byteSize", str(item.byte_size), XSD + "nonNegativeInteger")
    out.typed(distribution, DCT + "issued", release.issued, XSD + "dateTime")
    out.link(distribution, DCT + "license", publication.licence)
    out.link(distribution, SPDX + "checksum", checksum)
    out.link(checksum, RDF_TYPE, SPDX + "Checksum")
    out.link_to(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256", SPDX + "ChecksumAlgorithm")
    out.typed(checksum, SPDX + "checksumValue", item.sha256, XSD + "hexBinary")
    out.link(IANA_MEDIA_TYPES + item.media_type, RDF_TYPE, DCT + "MediaType")
    if item.compressed:
        out.link(IANA_MEDIA_TYPES + GZIP, RDF_TYPE, DCT + "MediaType")


def _data_service(out: Statements, publication: Publication, releases: list[ReleaseManifest]) -> None:
    """The SPARQL endpoint, which serves the latest build; its Service Description is at the same URL."""
    service = publication.service
    out.link(service, RDF_TYPE, DCAT + "DataService")
    out.text(service, DCT + "title", DATA_SERVICE_TITLE)
    out.link_to(service, DCAT + "endpointURL", service, RESOURCE)
    out.link_to(service, DCAT + "endpointDescription", service, RESOURCE)
    out.link_to(service, DCT + "conformsTo", SPARQL_PROTOCOL, DCT + "Standard")
    out.link(service, DCT + "license", publication.licence)
    out.link(service, DCT + "publisher", publication.publisher_iri)
    out.link(service, DCAT + "servesDataset", publication.series)


def _shared_resources(out: Statements, publication: Publication) -> None:
    """What the descriptions refer to: the publisher and contact (the ontology's creator), the licence, the themes."""
    out.link(publication.publisher_iri, RDF_TYPE, FOAF + "Agent")
    out.text(publication.publisher_iri, FOAF + "name", publication.publisher)
    out.link(publication.contact_iri, RDF_TYPE, VCARD + "Kind")
    out.text(publication.contact_iri, VCARD + "fn", publication.publisher)
    out.link(publication.contact_iri, VCARD + "hasURL", publication.root + "/")
    out.link(publication.licence, RDF_TYPE, DCT + "LicenseDocument")
    scheme = publication.theme_scheme
    if scheme is not None:
        out.link(scheme.iri, RDF_TYPE, SKOS + "ConceptScheme")
        out.text(scheme.iri, DCT + "title", scheme.label)
    for theme in publication.themes:
        out.link(theme.iri, RDF_TYPE, SKOS + "Concept")
        out.text(theme.iri, SKOS + "prefLabel", theme.label)
        if scheme is not None:
            out.link(theme.iri, SKOS + "inScheme", scheme.iri)
