"""The w3id.org registration of the base IRI: a folder holding an Apache `.htaccess` and a README.

w3id.org only redirects; content negotiation stays in one place, the server. So no rule looks at the
Accept header (no loose pattern to match `text/turtlesss`, no Vary to forget): each rule sends a
path to the same path under the target, keeping the query string, and the client asks the target
again with its own Accept. The status follows the W3C "Cool URIs for the Semantic Web" note: 303
See Other for IRIs that name things rather than documents (resources, ontology terms and versions,
shapes, named graphs, releases), 302 Found for documents whose identifier stays the w3id one, and
307 for /sparql, so a POSTed query stays a POST. The rules are written for the per-directory context
w3id.org runs them in: patterns without a leading slash, no RewriteBase (targets are absolute), and
`DirectorySlash Off` with `AllowNoSlash`, so that the folder's root without its slash answers the 302
itself instead of mod_dir's 301 to the slashed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from aichr_kg.errors import UsageError
from aichr_kg.namespaces import DCT, FOAF, OWL, RDF, RDFS, SCHEMA

W3ID_ORIGIN = "https://w3id.org"
REGISTRY = "https://github.com/perma-id/w3id.org"


@dataclass(frozen=True)
class Redirect:
    """One rewrite rule: the path below the folder it matches, its status, and what it covers."""

    pattern: str
    status: int
    covers: str
    example: str


REDIRECTS = (
    Redirect(r"^$", 302, "the root: the dataset's home page", ""),
    Redirect(r"^(id/.+)$", 303, "resources; the server answers 303 to their description", "id/project/jaif-01"),
    Redirect(r"^(ontology/.*)$", 303, "the ontology (ontology/), its version IRIs and its terms", "ontology/Project"),
    Redirect(r"^(ontology(\.[a-z]+)?)$", 302, "the ontology's document, negotiated or by extension", "ontology"),
    Redirect(r"^(shapes/.*)$", 303, "the SHACL shapes, documented with the ontology", "shapes/"),
    Redirect(r"^(graph/[^/]+)$", 303, "the named graphs, described in VoID", "graph/data"),
    Redirect(r"^(\.well-known/void)$", 302, "the VoID description of the dataset", ".well-known/void"),
    Redirect(r"^(download/[^/]+)$", 302, "the dumps", "download/aichr-kg.ttl"),
    Redirect(r"^(catalog(\.[a-z]+)?)$", 302, "the catalog of releases", "catalog"),
    Redirect(r"^(release/.+)$", 303, "the releases", "release/…"),
    Redirect(r"^(sparql)$", 307, "the SPARQL endpoint (307: a POSTed query stays a POST)", "sparql"),
)


@dataclass(frozen=True)
class Namespace:
    """Who answers for the namespace, as the ontology's header says (nothing is made up)."""

    title: str
    description: str
    maintainers: tuple[str, ...]
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class W3idKit:
    """The folder to add to a checkout of perma-id/w3id.org, and its two files."""

    folder: str
    htaccess: str
    readme: str

    def write(self, output: Path) -> Path:
        """Write the two files under `output/<folder>/` (replacing earlier ones); the folder written."""
        folder = output / self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / ".htaccess").write_text(self.htaccess, encoding="utf-8")
            (folder / "README.md").write_text(self.readme, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{folder}: cannot be written ({error.strerror})") from None
        return folder


def namespace_of(ontology: Graph, extra_contacts: tuple[str, ...] = ()) -> Namespace:
    """The namespace as the ontology's header describes it: title, description, creators and publishers, contacts."""
    header = next(iter(ontology.subjects(RDF.type, OWL.Ontology)), None)
    if header is None:
        raise UsageError("the ontology has no owl:Ontology header to say what the namespace is and who maintains it")
    people = [*ontology.objects(header, DCT.creator), *ontology.objects(header, DCT.publisher)]
    mailboxes = [m for node in (header, *people) for p in (FOAF.mbox, SCHEMA.email) for m in ontology.objects(node, p)]
    return Namespace(
        title=_text(ontology, ontology.value(header, DCT.title) or ontology.value(header, RDFS.label) or header),
        description=_text(ontology, ontology.value(header, DCT.description) or Literal("")),
        maintainers=tuple(dict.fromkeys(_text(ontology, node) for node in people)),
        contacts=tuple(dict.fromkeys([*extra_contacts, *(str(m).removeprefix("mailto:") for m in mailboxes)])),
    )


def _text(graph: Graph, node: Node) -> str:
    """A literal's text; an IRI's name (rdfs:label, foaf:name or schema:name) followed by the IRI."""
    if not isinstance(node, URIRef):
        return " ".join(str(node).split())
    name = graph.value(node, RDFS.label) or graph.value(node, FOAF.name) or graph.value(node, SCHEMA.name)
    return f"{name} <{node}>" if name else f"<{node}>"


def w3id_kit(base_iri: str, target: str, namespace: Namespace) -> W3idKit:
    """The redirects of every IRI path the server answers under `base_iri` to the same path under `target`."""
    folder = w3id_folder(base_iri)
    target = checked_target(target)
    return W3idKit(folder, htaccess(folder, target), readme(folder, target, namespace))


def w3id_folder(base_iri: str) -> str:
    """The folder of w3id.org that holds the base IRI's rules: its path, without the slashes around it."""
    parts = urlsplit(base_iri)
    folder = parts.path.strip("/")
    if f"{parts.scheme}://{parts.netloc}" != W3ID_ORIGIN or not folder or not base_iri.endswith("/"):
        raise UsageError(f"the base IRI {base_iri!r} is not a folder of {W3ID_ORIGIN}/ (like {W3ID_ORIGIN}/aichr-japan/)")
    return folder


def checked_target(target: str) -> str:
    """The target as an http(s) URL ending in '/', to which the paths below the folder are appended."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--target {target!r} is not an http:// or https:// URL")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise UsageError(f"--target {target!r}: give the server's address alone, without credentials, query or fragment")
    return target if target.endswith("/") else target + "/"


def htaccess(folder: str, target: str) -> str:
    lines = [
        f"# w3id.org/{folder}: every IRI under {W3ID_ORIGIN}/{folder}/ redirects to the same path at {target}",
        "# Generated by `aichr-kg w3id`. The server negotiates the format: no rule reads the Accept header.",
        "# 303 for IRIs of things, 302 for documents, 307 for the SPARQL endpoint (see README.md).",
        "Options -MultiViews",
        "DirectorySlash Off",
        "RewriteEngine on",
        "RewriteOptions AllowNoSlash",
        "",
        "# the root without its slash: the same 302 as with it, not mod_dir's 301 first",
        f"RewriteCond %{{REQUEST_URI}} =/{folder}",
        f"RewriteRule ^ {target} [R=302,L]",
    ]
    for rule in REDIRECTS:
        lines += ["", f"# {rule.covers}", f"RewriteRule {rule.pattern} {target}$1 [R={rule.status},L]"]
    return "\n".join(lines) + "\n"


def readme(folder: str, target: str, namespace: Namespace) -> str:
    base = f"{W3ID_ORIGIN}/{folder}/"
    rows = [f"| `{base}{rule.example}` | {rule.status} | {rule.covers} |" for rule in REDIRECTS]
    maintainers = [f"- {name}" for name in namespace.maintainers] or ["- (the ontology names no creator or publisher)"]
    contacts = [f"- {contact}" for contact in namespace.contacts] or [
        "- (none recorded: give one with `aichr-kg w3id --contact` before opening the pull request)"
    ]
    return "\n".join(
        [
            f"# {namespace.title}",
            "",
            f"Permanent identifiers under `{base}`: the IRIs of the {namespace.title} and of the data described with it.",
            "",
            namespace.description,
            "",
            f"Every IRI redirects to the same path at <{target}>, which answers in the format the",
            "client's Accept header asks for (HTML, Turtle, JSON-LD, N-Triples, RDF/XML).",
            "",
            "| IRI | Status | What it names |",
            "| --- | --- | --- |",
            *rows,
            "",
            "## Maintainers",
            "",
            *maintainers,
            "",
            "## Contact",
            "",
            *contacts,
            "",
            "## Changing the redirects",
            "",
            "These two files are generated by `aichr-kg w3id --target URL -o DIR` in the project's repository;",
            f"regenerate them and send the folder `{folder}/` as a pull request to <{REGISTRY}>.",
            "",
        ]
    )
