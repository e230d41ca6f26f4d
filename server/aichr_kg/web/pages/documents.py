"""The documents about a resource: where they live (/doc/...), which representation a request asks
for (an extension wins over Accept), the alternates each advertises, the RDF a description
serialises to, and the helpful 404 when there is nothing to describe.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph
from flask import Response, render_template, request

from aichr_kg.dataset.describe import Description
from aichr_kg.formats import DOCUMENT_FORMATS, HTML, Format
from aichr_kg.namespaces import DCT, FOAF, LICENSE, RDF_TYPE, RDFS_LABEL, prefixes_for
from aichr_kg.store import as_triple
from aichr_kg.web.context import get_settings
from aichr_kg.web.errors import error_response
from aichr_kg.web.negotiation import choose_format
from aichr_kg.web.serving.dataset_cache import get_label_index, get_namer

DOCUMENT_CHOICES = (*DOCUMENT_FORMATS, HTML)  # HTML last: `*/*` gets Turtle, browsers the page
EXTENSIONS = {f.extension: f for f in DOCUMENT_CHOICES}
KIND_PREFIXES = {"org": "organisation"}  # as data/*.ttl spells it: org: is the W3C Organization Ontology
_TITLES = {"turtle": "Turtle", "jsonld": "JSON-LD", "ntriples": "N-Triples", "rdfxml": "RDF/XML"}


def iri_of_document(path: str) -> str:
    """The IRI a /doc/ path is about: ontology terms keep their 'ontology/', resources gain 'id/'."""
    base = get_settings().base_iri
    return base + path if path.startswith("ontology/") else base + "id/" + path


def document_path_of(iri: str) -> str | None:
    """The inverse of iri_of_document: the /doc/ path of an IRI under the base, if it has one."""
    base = get_settings().base_iri
    for prefix, replacement in (("id/", "/doc/"), ("ontology/", "/doc/ontology/")):
        if iri.startswith(base + prefix) and len(iri) > len(base + prefix):
            return replacement + quote(iri[len(base + prefix) :])
    return None


def split_extension(path: str) -> tuple[str, str | None]:
    """('project/jaif-01', 'ttl') for 'project/jaif-01.ttl'; no extension → (path, None)."""
    stem, dot, extension = path.rpartition(".")
    if dot and extension in EXTENSIONS and stem:
        return stem, extension
    return path, None


def wanted_format(extension: str | None) -> Format:
    """The representation: from the extension if given, else negotiated (HTML for browsers; else 406)."""
    if extension is not None:
        return EXTENSIONS[extension]
    return choose_format(None, request.headers.get("Accept"), DOCUMENT_CHOICES)


def wants_html() -> bool:
    """Whether an error should be a page: browsers rank HTML first, curl and libraries do not."""
    return request.accept_mimetypes.best_match(["text/plain", "application/json", "text/html"]) == "text/html"


def alternates(document_path: str) -> list[tuple[str, str, str]]:
    """(href, media type, title) of every representation of a document, HTML first."""
    found = [(f"{document_path}.{HTML.extension}", HTML.media_type, "HTML")]
    found += [(f"{document_path}.{f.extension}", f.media_type, _TITLES[f.name]) for f in DOCUMENT_FORMATS]
    return found


def link_header(document_path: str) -> str:
    return ", ".join(f'<{href}>; rel="alternate"; type="{media_type}"' for href, media_type, _ in alternates(document_path))


def document_triples(description: Description, document_url: str) -> list[pyoxigraph.Triple]:
    """The description as RDF: own triples (asserted and inferred), this page of incoming links,
    the labels and types of every linked resource, and what the document itself is."""
    subject = pyoxigraph.NamedNode(description.iri)
    triples = [as_triple(s.subject, s.predicate, s.object) for s in description.statements]
    triples += [pyoxigraph.Triple(link.subject, link.predicate, subject) for link in description.incoming]
    for iri, linked in description.linked.items():
        node = pyoxigraph.NamedNode(iri)
        if linked.label is not None:
            triples.append(pyoxigraph.Triple(node, pyoxigraph.NamedNode(RDFS_LABEL), linked.label))
        triples += [
            pyoxigraph.Triple(node, pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(t)) for t in sorted(linked.types)
        ]
    triples += [
        pyoxigraph.Triple(link.subject, pyoxigraph.NamedNode(RDFS_LABEL), link.label)
        for link in description.incoming
        if link.label
    ]
    document = pyoxigraph.NamedNode(document_url)
    triples += [
        pyoxigraph.Triple(document, pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(FOAF + "Document")),
        pyoxigraph.Triple(document, pyoxigraph.NamedNode(FOAF + "primaryTopic"), subject),
        pyoxigraph.Triple(document, pyoxigraph.NamedNode(DCT + "license"), pyoxigraph.NamedNode(LICENSE)),
    ]
    return list(dict.fromkeys(triples))


def document_prefixes(base: str, triples: list[pyoxigraph.Triple]) -> dict[str, str]:
    """Our prefixes, with one per kind of resource (project:, meeting:) in place of id:, whose
    local names would need escaped slashes (id:project\\/jaif-01 in Turtle)."""
    prefixes = {name: iri for name, iri in prefixes_for(base).items() if name != "id"}
    kinds = {
        term.value[len(base + "id/") :].split("/", 1)[0]
        for triple in triples
        for term in (triple.subject, triple.object)
        if isinstance(term, pyoxigraph.NamedNode)
        and term.value.startswith(base + "id/")
        and "/" in term.value[len(base + "id/") :]
    }
    for kind in sorted(kinds):
        prefixes[KIND_PREFIXES.get(kind, kind)] = f"{base}id/{kind}/"
    return prefixes


def not_found(hint: str) -> Response | tuple[str, int]:
    """A 404 that helps: for people, a page with search suggestions from the words of the path."""
    if not wants_html():
        return error_response(404, "404 Not Found: nothing is described at this address. Search the labels at /search?q=...")
    words = " ".join(hint.replace("-", " ").replace("_", " ").replace("/", " ").split())[:100]
    return render_template("not_found.html", words=words, hits=suggestions(words), namer=get_namer()), 404


def suggestions(words: str, limit: int = 8) -> list:
    """Hits for all the words, then for each word alone (longest first): 'jaif 99' still finds JAIF."""
    index = get_label_index()
    found: dict[str, object] = {}
    for query in [words, *sorted(set(words.split()), key=len, reverse=True)]:
        for hit in index.search(query, limit=limit) if len(query) > 1 else []:
            found.setdefault(hit.entry.iri, hit)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]
