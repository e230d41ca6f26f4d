"""/release/: the citable releases, each at its version IRI, with files that never change once released.

`<base>release/X.Y.Z` (the version IRI) answers 303 to its page `/release/X.Y.Z/`, which is HTML
for people and the release's DCAT description for machines; `/release/X.Y.Z/<file>` are its dumps
and notes, served as released (cacheable for a year: a release is never rewritten). `/release/`
lists the releases, newest first, and as RDF is the catalog. `/ontology/X.Y.Z` is each published
version of the ontology.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, send_from_directory
from werkzeug.wrappers import Response as BaseResponse

from aichr_kg.changes.ontology_versions import ontology_at_version
from aichr_kg.dataset.dcat import release_triples
from aichr_kg.formats import HTML, Format
from aichr_kg.namespaces import CANONICAL_BASE, OWL
from aichr_kg.pipeline.release_manifest import NOTES_MARKDOWN, ReleaseManifest, is_version, notes_triples
from aichr_kg.web.context import get_settings
from aichr_kg.web.pages.catalog import (
    catalog_with_notes,
    current_publication,
    current_releases,
    html_response,
    negotiated,
    rdf_response,
)
from aichr_kg.web.serving.dataset_cache import get_ontology

bp = Blueprint("releases", __name__)

ONE_YEAR_S = 365 * 24 * 3600


@bp.get("/release/")
def release_list() -> Response:
    releases = current_releases()

    def represent(fmt: Format) -> Response:
        publication = current_publication()
        if fmt is HTML:
            return html_response(render_template("releases.html", publication=publication, releases=list(reversed(releases))))
        return rdf_response(catalog_with_notes(publication, releases), fmt)

    return negotiated("releases", releases, represent)


@bp.get("/release/<version>")
def version_iri(version: str) -> BaseResponse:
    """A release's version IRI names the release; its page is the folder-like URL below it."""
    _find(version)
    return redirect(f"/release/{version}/", 303)


@bp.get("/release/<version>/")
def release_page(version: str) -> Response:
    releases = current_releases()
    release = _find(version, releases)

    def represent(fmt: Format) -> Response:
        publication = current_publication()
        if fmt is HTML:
            index = releases.index(release)
            page = render_template(
                "release.html",
                publication=publication,
                release=release,
                previous=releases[index - 1] if index > 0 else None,
                next=releases[index + 1] if index + 1 < len(releases) else None,
                notes=(get_settings().releases_dir / version / NOTES_MARKDOWN).read_text(encoding="utf-8"),
            )
            return html_response(page)
        triples = release_triples(publication, release) + notes_triples(get_settings().releases_dir, version)
        return rdf_response(list(dict.fromkeys(triples)), fmt)

    return negotiated(f"release {version}", releases, represent)


@bp.get("/release/<version>/<name>")
def release_file(version: str, name: str) -> Response:
    """A file of a release, as released: its bytes are those the manifest's checksum is of."""
    release = _find(version)
    item = release.file(name)
    if item is None:
        abort(404, description=f"release {version} has no file {name!r}; it has {', '.join(f.name for f in release.files)}")
    mimetype = "application/gzip" if item.compressed else item.media_type
    response = send_from_directory(get_settings().releases_dir / version, name, mimetype=mimetype, max_age=ONE_YEAR_S)
    response.cache_control.immutable = True
    return response


@bp.get("/ontology/<int:major>.<int:minor>.<int:patch>")
def ontology_version(major: int, minor: int, patch: int) -> BaseResponse:
    """A version IRI of the ontology: the current one names the ontology served (303 to /ontology), an
    earlier one is that version's file as git holds it, so every published version keeps resolving."""
    version = f"{major}.{minor}.{patch}"
    settings = get_settings()
    if settings.base_iri + "ontology/" + version in get_ontology().header_values(OWL + "versionIRI"):
        return redirect("/ontology", 303)
    content = ontology_at_version(settings.root, CANONICAL_BASE + "ontology/" + version)
    if content is None:
        abort(404, description=f"no version {version} of the ontology was ever committed; the current one is at /ontology")
    response = Response(content, content_type="text/turtle; charset=utf-8")
    response.cache_control.max_age = ONE_YEAR_S
    return response


def _find(version: str, releases: list[ReleaseManifest] | None = None) -> ReleaseManifest:
    """The release of this version, or a 404 that says which releases there are."""
    known = current_releases() if releases is None else releases
    found = next((release for release in known if release.version == version), None) if is_version(version) else None
    if found is None:
        versions = ", ".join(release.version for release in known) or "none yet"
        abort(404, description=f"no release {version!r}; the releases are: {versions} (see /release/)")
    return found
