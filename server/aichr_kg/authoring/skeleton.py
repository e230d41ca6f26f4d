"""A Turtle skeleton of a new resource, written from its class's contract (see contract.py).

Every required property gets a placeholder the shapes refuse until it is replaced: a plain
literal "FILL: …" (not of the datatype, without the language the shapes ask for, outside the
allowed values or the pattern) or an IRI `prefix:FILL` that is no instance of the class expected.
A value that is a node of its own (a project's cost) is written out as that node, below its owner.
Names and prefixes are the ones data/ uses: the new IRI goes where the class's instances are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Literal, Node

from aichr_kg.authoring.contract import Contract, PropertyNeed, class_contract, owning_shapes, shape_contract
from aichr_kg.namespaces import AJ, PREFIXES, RDF, RDFS, SH, local_name

# What `aichr-kg new KIND` writes: the class of most of the data's resources of that kind.
KINDS = {"project": AJ.JAIFProject, "meeting": AJ.InterfaceMeeting, "organisation": AJ.Organization}
EXAMPLES = 3  # existing instances named as examples of a class
NODE_KINDS: dict[Node, str] = {
    SH.IRI: "an IRI",
    SH.Literal: "a literal (text)",
    SH.BlankNode: "a blank node",
    SH.BlankNodeOrIRI: "an IRI or a blank node",
}
LOCAL_NAME = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
RULE_VALUE = re.compile(r"\{\?\w+\}")  # a SHACL-SPARQL message's {?value}: the offending value, unknown here


@dataclass
class Names:
    """Turtle names as data/ writes them, and the prefixes the names written so far need."""

    data: Graph
    ontology: Graph
    used: dict[str, str] = field(default_factory=dict)

    def name(self, node: Node) -> str:
        """`prefix:local` when a prefix fits (remembered for the @prefix lines), else `<iri>`; a literal as Turtle."""
        if not isinstance(node, URIRef):
            return node.n3() if isinstance(node, Literal) else str(node)
        for prefix, namespace in self._prefixes():
            if str(node).startswith(namespace) and is_local_name(str(node)[len(namespace) :]):
                self.used[prefix] = namespace
                return f"{prefix}:{str(node)[len(namespace) :]}"
        return f"<{node}>"

    def _prefixes(self) -> list[tuple[str, str]]:
        """The project's own prefixes first (rdflib binds its defaults, such as dcterms:, to a parsed graph too)."""
        own = set(PREFIXES.values())
        data = [(str(p), str(n)) for p, n in self.data.namespaces() if p and str(n) not in own]
        return [*PREFIXES.items(), *data]

    def instances(self, cls: URIRef) -> list[URIRef]:
        """The data's resources of `cls` or one of its subclasses, sorted."""
        classes = set(self.ontology.transitive_subjects(RDFS.subClassOf, cls))
        found = {s for c in classes for s in self.data.subjects(RDF.type, c) if isinstance(s, URIRef)}
        return sorted(found, key=str)

    def minted(self, cls: URIRef, local: str) -> URIRef:
        """An IRI for a new resource of `cls`, in the namespace its existing instances share."""
        instances = self.instances(cls)
        namespace = str(instances[0]).rsplit("/", 1)[0] + "/" if instances else f"{PREFIXES['id']}{local_name(cls).lower()}/"
        return URIRef(namespace + local)


@dataclass(frozen=True)
class Skeleton:
    """The Turtle text, and the IRIs of the resources it describes: the new one first, then the nodes it owns."""

    text: str
    subjects: tuple[URIRef, ...]


def is_local_name(text: str) -> bool:
    """Whether `text` can end a prefixed name as written here (letters, digits, '-', '_', '.'; no final '.')."""
    return LOCAL_NAME.fullmatch(text) is not None


def write_skeleton(shapes: Graph, names: Names, cls: URIRef, local: str) -> Skeleton:
    """The skeleton of a new `cls` named `local` in its class's namespace, and of the nodes it owns."""
    contract = class_contract(shapes, names.ontology, cls)
    block, subjects = _node_block(shapes, names, contract, names.minted(cls, local), local)
    header = _header(names, contract)
    prefixes = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(names.used.items())]
    return Skeleton("\n".join(header) + "\n\n" + "\n".join(prefixes) + "\n\n" + block + "\n", tuple(subjects))


def _header(names: Names, contract: Contract) -> list[str]:
    shape_names = ", ".join(local_name(str(shape)) for shape in contract.shapes)
    lines = [
        f"# A new {names.name(contract.target)}, as shapes/ describe it ({shape_names}).",
        '# Replace every "FILL: …" and every FILL name (a comment above each says what it takes);',
        "# `aichr-kg validate FILE` checks it with the rest of data/ and names what is still missing.",
    ]
    rules = [RULE_VALUE.sub("…", rule) for rule in contract.rules]
    return lines + (["# The shapes also check:"] + [f"#   - {rule}" for rule in rules] if rules else [])


def _node_block(shapes: Graph, names: Names, contract: Contract, subject: URIRef, local: str) -> tuple[str, list[URIRef]]:
    """One subject's description: its class, required and fixed values, owned nodes; optional ones as comments.
    With the subjects it describes: this one, then those of its owned nodes."""
    statements, owned, optional, subjects = [f"    a {names.name(contract.target)}"], [], [], [subject]
    for need in sorted(contract.properties.values(), key=lambda n: _order(names, n)):
        node_shapes = [] if need.forbidden else owning_shapes(shapes, names.ontology, need)
        if node_shapes:
            child_class = min(need.classes, key=str) if need.classes else contract.target
            child = names.minted(child_class, local)
            delete = "" if need.required else " (delete both if there is none)"
            statements.append(_statement(names, need, names.name(child), f"; its own node, below{delete}"))
            child_block, child_subjects = _node_block(
                shapes, names, shape_contract(shapes, child_class, node_shapes), child, local
            )
            owned.append(child_block)
            subjects += child_subjects
        elif need.required or need.fixed is not None:
            statements.append(_statement(names, need, _placeholder(names, need)))
        elif not need.forbidden:
            optional.append(f"#   {names.name(need.path)}: {_hint(names, need).removeprefix('optional; ')}")
    block = names.name(subject) + "\n" + " ;\n".join(statements) + " ."
    notes = ["\n".join(["# Optional, as the shapes allow them:", *optional])] if optional else []
    return "\n\n".join([*notes, block, *owned]), subjects


def _statement(names: Names, need: PropertyNeed, value: str, note: str = "") -> str:
    """A predicate and its value, below a comment that says what the value must be."""
    return f"    # {_hint(names, need)}{note}\n    {names.name(need.path)} {value}"


def _order(names: Names, need: PropertyNeed) -> tuple[bool, bool, str]:
    """The data's order: the label first, the slides cited last, the rest by name."""
    return need.path != RDFS.label, local_name(str(need.path)) == "source", names.name(need.path)


def _hint(names: Names, need: PropertyNeed) -> str:
    """What a value of the property must be, in a few words."""
    words = ["required" if need.required else "expected" if need.fixed is not None else "optional"]
    if need.fixed is not None:
        words.append("this value")
    if need.languages:
        words.append("text in " + " or ".join(f'@{tag}, written "…"@{tag}' for tag in need.languages))
    if need.datatypes and not need.languages:
        words.append(" or ".join(_literal(names.name(d)) for d in sorted(need.datatypes, key=str)))
    for cls in sorted(need.classes, key=str):
        examples = [names.name(i) for i in names.instances(cls)[:EXAMPLES]]
        words.append(_a(names.name(cls)) + (f" such as {', '.join(examples)}" if examples else ""))
    if need.allowed:
        words.append("one of " + ", ".join(names.name(value) for value in need.allowed))
    words += [f"matching {pattern}" for pattern in need.patterns]
    if len(words) == 1:
        words += [NODE_KINDS.get(kind, local_name(str(kind))) for kind in need.node_kinds] or ["any value"]
    if need.alternatives:
        words.append("or instead " + ", ".join(names.name(a) for a in need.alternatives))
    return "; ".join(words)


def _literal(datatype: str) -> str:
    """How a literal of the datatype is written: a plain string needs no datatype in Turtle."""
    return 'a plain string, written "…"' if datatype == "xsd:string" else f'{_a(datatype)}, written "…"^^{datatype}'


def _a(name: str) -> str:
    """The name with its article: "an aj:Agent", "a aj:Slide" reads "a slide", so the article follows the local name
    ("a" when there is none, as for a bare namespace `ex:`)."""
    return ("an " if local_name(name.split(":", 1)[-1])[:1].lower() in {"a", "e", "i", "o", "u"} else "a ") + name


def _placeholder(names: Names, need: PropertyNeed) -> str:
    """A value the shapes refuse until it is replaced (or the fixed value itself).

    A literal placeholder is a plain string: "FILL: date"^^xsd:date would be refused as well, but
    rdflib warns with a traceback about every ill-typed literal it parses.
    """
    if need.fixed is not None:
        return names.name(need.fixed)
    if need.classes and not need.allowed:
        return names.name(names.minted(min(need.classes, key=str), "FILL"))
    return f'"FILL: {local_name(str(need.path))}"'
