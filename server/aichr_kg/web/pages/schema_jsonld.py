"""The schema.org JSON-LD a page embeds for search engines, taken from the ontology's alignments;
and on the home page, the dataset itself as Google's Dataset Search reads it.

The reasoner has already added the schema.org super-properties and super-classes of our terms
(aj:fundedBy ⊑ schema:funder, aj:Project ⊑ schema:Project) to the inferred graph, so the
schema.org view of a resource is just its statements in that namespace, plus name and description.
"""

from __future__ import annotations

import pyoxigraph

from aichr_kg.dataset.dcat import Publication
from aichr_kg.dataset.describe import Description
from aichr_kg.namespaces import DCT, OWL, RDF_TYPE, SCHEMA, SKOS
from aichr_kg.pipeline.release_manifest import ReleaseManifest
from aichr_kg.store import Term
from aichr_kg.web.pages.naming import Namer

# Our statements that mean a schema.org property without being declared its sub-property.
ALSO = {DCT + "description": "description", SKOS + "definition": "description", OWL + "sameAs": "sameAs"}


def schema_org(description: Description, namer: Namer, page_url: str) -> dict:
    """A JSON-LD node in schema.org terms for the resource described."""
    node: dict = {
        "@context": {"@vocab": str(SCHEMA)},
        "@id": description.iri,
        "@type": [t[len(SCHEMA) :] for t in description.types() if t.startswith(SCHEMA)] or "Thing",
        "name": description.label(),
        "url": page_url,
    }
    for statement in description.own:
        predicate = statement.predicate.value
        key = predicate[len(SCHEMA) :] if predicate.startswith(SCHEMA) else ALSO.get(predicate)
        if key is None or predicate == RDF_TYPE or key in ("name", "url"):
            continue
        value = _value(statement.object, namer)
        if value is not None:
            node.setdefault(key, []).append(value)
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in node.items()}


def _value(term: Term, namer: Namer) -> dict[str, str] | str | None:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"@id": term.value, "name": namer.name(term.value)}
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return None


def dataset_schema_org(publication: Publication, releases: list[ReleaseManifest], dumps: dict[str, str]) -> dict:
    """The dataset as a schema.org Dataset: the latest build's dumps, and each release as a version with its files."""
    node: dict = {
        "@context": {"@vocab": str(SCHEMA)},
        "@type": "Dataset",
        "@id": publication.series,
        "name": publication.title,
        "description": publication.description,
        "url": publication.root + "/",
        "license": publication.licence,
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": publication.publisher},
        "keywords": [theme.label for theme in publication.themes],
        "includedInDataCatalog": {"@type": "DataCatalog", "@id": publication.catalog, "url": publication.root + "/catalog"},
        "distribution": [
            {"@type": "DataDownload", "contentUrl": f"{publication.root}/download/{name}", "encodingFormat": media_type}
            for name, media_type in dumps.items()
        ],
    }
    if releases:
        node["version"] = releases[-1].version
        node["hasPart"] = [_release(publication, release) for release in reversed(releases)]
    return node


def _release(publication: Publication, release: ReleaseManifest) -> dict:
    return {
        "@type": "Dataset",
        "@id": release.version_iri(),
        "name": f"{publication.title}, release {release.version}",
        "description": publication.description,
        "license": publication.licence,
        "version": release.version,
        "datePublished": release.issued,
        "url": f"{publication.root}/release/{release.version}/",
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": f"{publication.root}/release/{release.version}/{item.name}",
                "encodingFormat": "application/gzip" if item.compressed else item.media_type,
                "contentSize": str(item.byte_size),
                "sha256": item.sha256,
            }
            for item in release.files
            if item.name.startswith("aichr-kg.")
        ],
    }
