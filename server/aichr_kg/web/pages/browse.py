"""Ways into the data for people and crawlers: the home page, a list page per class, label search
and the sitemap. All of them read cached per-dataset values or run one query.
"""

from __future__ import annotations

from functools import partial
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, render_template, request
from markupsafe import Markup

from aichr_kg.charts.timeline import draw_timeline, layout_timeline
from aichr_kg.dataset.statistics import dated_items
from aichr_kg.web.context import get_manifest, get_settings, get_store, public_root
from aichr_kg.web.operations import DUMPS
from aichr_kg.web.pages.catalog import current_publication, current_releases
from aichr_kg.web.pages.class_list import class_list, columns_for
from aichr_kg.web.pages.documents import document_path_of
from aichr_kg.web.pages.schema_jsonld import dataset_schema_org
from aichr_kg.web.pages.terms import link_to
from aichr_kg.web.rdf_response import cacheable, etag_for, not_modified
from aichr_kg.web.serving.dataset_cache import (
    dataset_cached,
    get_class_counts,
    get_label_index,
    get_namer,
    get_ontology,
    get_retired,
)

bp = Blueprint("browse", __name__)

MAX_QUERY_CHARS = 200
TIMELINE_YEARS = (2014, 2025)
TIMELINE_TITLE = "Timeline of meetings and projects, {}–{}".format(*TIMELINE_YEARS)
# The shelves of the home page, in reading order; the full table of classes follows them.
HOME_CLASSES = (
    "Project",
    "Meeting",
    "Organization",
    "Country",
    "Publication",
    "Initiative",
    "Outcome",
    "Theme",
    "Place",
    "Slide",
)


@bp.get("/")
def home() -> Response:
    releases = current_releases()
    etag = etag_for(get_manifest().input_hash, "home", public_root(), *(r.version for r in releases))
    cached = not_modified(etag)
    if cached:
        return cached
    ontology, counts, settings = get_ontology(), get_class_counts(), get_settings()
    base = settings.base_iri
    items = dataset_cached("dated", lambda: dated_items(get_store(), base, settings.queries_dir))
    shelves = [(name, ontology.iri + name) for name in HOME_CLASSES if counts.get(ontology.iri + name)]
    timeline = layout_timeline(items, *TIMELINE_YEARS, partial(link_to, base=base))
    # The section's heading shows the title; ElementTree has escaped every text the SVG holds.
    timeline_svg = Markup(draw_timeline(timeline, TIMELINE_TITLE, "timeline", show_title=False))
    page = render_template(
        "home.html",
        shelves=shelves,
        classes=[(ontology.local_name(c.iri), c) for c in ontology.classes if counts.get(c.iri)],
        counts=counts,
        namer=get_namer(),
        timeline=timeline,
        timeline_svg=timeline_svg,
        manifest=get_manifest(),
        dataset_jsonld=dataset_schema_org(current_publication(), releases, DUMPS),
    )
    return cacheable(Response(page, content_type="text/html; charset=utf-8"), etag)


@bp.get("/list/<name>")
def class_page(name: str) -> Response:
    ontology = get_ontology()
    class_iri = ontology.iri + name
    term = ontology.terms.get(class_iri)
    if term is None or not term.is_class:
        abort(404, description="no class of the ontology has this name; see /ontology for the classes")
    sort = request.args.get("sort", "name")
    descending = request.args.get("order") == "desc"
    etag = etag_for(get_manifest().input_hash, "list", name, sort, str(descending))
    cached = not_modified(etag)
    if cached:
        return cached
    namer, base = get_namer(), get_settings().base_iri
    columns = columns_for(class_iri, ontology, namer, base)
    listing = class_list(get_store(), class_iri, columns, namer, base, sort, descending)
    page = render_template("list.html", listing=listing, term=term, name=name, namer=namer)
    return cacheable(Response(page, content_type="text/html; charset=utf-8"), etag)


@bp.get("/search")
def search() -> Response | str:
    """Label search over the in-memory index: case- and accent-insensitive, prefixes first."""
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        error = f"The search text is longer than {MAX_QUERY_CHARS} characters; shorten it."
        page = render_template("search.html", query="", hits=[], namer=get_namer(), error=error)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    hits = get_label_index().search(query)
    return render_template("search.html", query=query, hits=hits, namer=get_namer(), error=None)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page worth crawling: home, ontology, VoID, class lists and one document per resource (not retired)."""
    root = public_root().rstrip("/")
    counts = get_class_counts()
    paths = ["/", "/ontology", "/.well-known/void"]
    paths += [f"/list/{get_ontology().local_name(c.iri)}" for c in get_ontology().classes if counts.get(c.iri)]
    retired = get_retired()  # their documents are tombstones, not pages to index
    paths += sorted(filter(None, (document_path_of(iri) for iri in get_label_index().entries if iri not in retired)))
    urls = "".join(f"  <url><loc>{escape(root + path)}</loc></url>\n" for path in paths)
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )
    return Response(body, content_type="application/xml; charset=utf-8")
