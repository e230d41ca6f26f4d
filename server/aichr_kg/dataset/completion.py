"""What the query page's completion needs from the ontology and the data: one document per dataset.

Completion in the browser must answer within milliseconds of a key press and offline, so it never
asks the endpoint: the server works out once per dataset which terms exist, which properties the
subjects of each class have or may have, and what fits after each property, and the page filters
that locally. Everything is read through the store interface with SPARQL (embedded or remote
alike) and ordered completely, so every front end serving one dataset makes the same document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from string import Template

from aichr_kg.dataset.labels import label_preference
from aichr_kg.dataset.ontology import Ontology
from aichr_kg.namespaces import OWL, RDF, RDF_TYPE, RDFS, RDFS_LABEL, SKOS, XSD, graph_iri, prefixes_for, sparql_term
from aichr_kg.store import SparqlStore
from aichr_kg.store.paging import select_whole

INSTANCES_PER_CLASS = 50  # the most used of each class: the document stays small at any data size
VALUES_PER_PROPERTY = 50
DEFINITION_CHARS = 240  # a suggestion shows one line, not a paragraph
MODEL_NAMESPACES = (str(OWL), str(RDF), str(RDFS))  # a resource typed only by these is a term, not data
DATATYPES = (RDFS + "Literal", RDF + "langString", RDF + "HTML", RDF + "XMLLiteral", RDF + "JSON")

# SPARQL 1.1 query keywords, then its functions and aggregates, in the order of the grammar.
# SERVICE is left out: the endpoint refuses it.
KEYWORDS = (
    *("BASE", "PREFIX", "SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "DISTINCT", "REDUCED", "AS", "FROM", "NAMED"),
    *("WHERE", "GRAPH", "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "VALUES", "UNDEF", "GROUP BY", "HAVING"),
    *("ORDER BY", "ASC", "DESC", "LIMIT", "OFFSET", "EXISTS", "NOT EXISTS", "IN", "NOT IN", "a", "true", "false"),
    *("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR"),
    *("STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR"),
    *("ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS"),
    *("STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW"),
    *("UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT"),
    *("sameTerm", "isIRI", "isURI", "isBLANK", "isLITERAL", "isNUMERIC", "REGEX", "SUBSTR", "REPLACE"),
)

# How many subjects of each asserted class state each property; a class's superclasses get the counts of
# its subjects in Python (a JAIF project is a project), which is much cheaper than joining every inferred
# type. Only the data graph counts: inferred inverses and superproperties would crowd out the ontology's
# own terms. rdf:type is left out, since `a` is how a query says it.
CLASS_PROPERTY_USES = f"""
SELECT ?class ?property (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH $data {{ ?s a ?class ; ?property ?o }}
  FILTER(?property != <{RDF_TYPE}>)
}} GROUP BY ?class ?property"""

# The asserted classes of what each property points to: after its declared ranges, or instead of them.
OBJECT_CLASSES = f"""
SELECT ?property ?class (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  GRAPH $data {{ ?s ?property ?o . ?o a ?class }}
  FILTER(?property != <{RDF_TYPE}>)
}} GROUP BY ?property ?class"""

# How often the data points to each IRI: the "most used" of instances.
OBJECT_USES = f"""
SELECT ?x (COUNT(*) AS ?n) WHERE {{
  GRAPH $data {{ ?s ?p ?x }}
  FILTER(isIRI(?x) && ?p != <{RDF_TYPE}>)
}} GROUP BY ?x"""

# The labelled, typed resources of the data (?p and ?name as the label index has them, so its preference applies).
INSTANCES = f"""
SELECT ?x ?type ?p ?name WHERE {{
  VALUES ?p {{ <{RDFS_LABEL}> <{SKOS}prefLabel> }}
  GRAPH $data {{ ?x a ?type ; ?p ?name }}
  FILTER(isIRI(?x) && isLiteral(?name))
}}"""

# The definitions of the data's resources; the ontology's own terms have theirs in `Ontology`.
DEFINITIONS = f"""
SELECT ?x ?p ?text WHERE {{
  VALUES ?p {{ <{SKOS}definition> <{RDFS}comment> }}
  GRAPH $data {{ ?x ?p ?text }}
  FILTER(isIRI(?x) && isLiteral(?text))
}}"""


@dataclass(frozen=True)
class ReadModels:
    """What the pages have already read from the store, reused rather than read again."""

    ontology: Ontology
    class_counts: dict[str, int]
    property_counts: dict[str, int]


@dataclass(frozen=True)
class Instance:
    """A labelled resource of the data and its asserted classes."""

    iri: str
    label: str
    types: tuple[str, ...]


@dataclass
class Usage:
    """The statistics only completion needs, read from the data graph with five queries."""

    class_properties: dict[str, dict[str, int]] = field(default_factory=dict)  # asserted class → property → subjects
    object_classes: dict[str, dict[str, int]] = field(default_factory=dict)  # property → class → objects
    object_uses: dict[str, int] = field(default_factory=dict)  # IRI → statements pointing to it
    instances: dict[str, Instance] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)  # IRI → first line of its definition


def completion_document(store: SparqlStore, base: str, dataset: str, models: ReadModels) -> dict:
    """The document `GET /sparql/completion.json` serves for the dataset with hash `dataset`."""
    return CompletionDocument(models, read_usage(store, base), prefixes_for(base)).build(dataset)


def read_usage(store: SparqlStore, base: str) -> Usage:
    """The statistics, from the data graph (its IRI written into the text, as `with_graph` explains why),
    each answer read whole and put in order here."""
    data = {"data": f"<{graph_iri(base, 'data')}>"}

    def rows(query: str) -> list[dict]:
        return select_whole(store, Template(query).substitute(data))

    usage = Usage()
    for row in rows(CLASS_PROPERTY_USES):
        usage.class_properties.setdefault(row["class"].value, {})[row["property"].value] = int(row["n"].value)
    for row in rows(OBJECT_CLASSES):
        usage.object_classes.setdefault(row["property"].value, {})[row["class"].value] = int(row["n"].value)
    for row in rows(OBJECT_USES):
        usage.object_uses[row["x"].value] = int(row["n"].value)
    usage.instances = read_instances(rows(INSTANCES))
    for row in sorted(rows(DEFINITIONS), key=_definition_preference):
        usage.definitions.setdefault(row["x"].value, _first_line(row["text"].value))
    return usage


def read_instances(rows: list[dict]) -> dict[str, Instance]:
    """Each labelled resource of the data with its label (English rdfs:label first) and asserted classes."""
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in sorted(rows, key=label_preference):
        labels.setdefault(row["x"].value, row["name"].value)
        types[row["x"].value].add(row["type"].value)
    return {iri: Instance(iri, label, tuple(sorted(types[iri]))) for iri, label in labels.items()}


def _definition_preference(row: dict) -> tuple:
    """skos:definition before rdfs:comment, English (or no language) before others."""
    language = getattr(row["text"], "language", None) or ""
    return (row["x"].value, row["p"].value != SKOS + "definition", language not in ("en", ""), row["text"].value)


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= DEFINITION_CHARS else line[: DEFINITION_CHARS - 1].rstrip() + "…"


def is_datatype(iri: str) -> bool:
    return iri.startswith(str(XSD)) or iri in DATATYPES


class CompletionDocument:
    """The terms of one dataset and what fits where, written with the predeclared prefixes."""

    def __init__(self, models: ReadModels, usage: Usage, prefixes: dict[str, str]) -> None:
        self.models, self.usage, self.prefixes = models, usage, prefixes
        ontology = models.ontology
        self.classes = sorted({t.iri for t in ontology.classes} | set(models.class_counts))
        self.properties = sorted({t.iri for t in ontology.properties} | set(models.property_counts))
        self.instances = chosen_instances(usage.instances, usage.object_uses, {*self.classes, *self.properties})
        self.instance_classes = {i.iri: self.lineage(i.types) for i in self.instances}
        self.class_uses = self.uses_by_class()

    def build(self, dataset: str) -> dict:
        return {
            "dataset": dataset,
            "keywords": list(KEYWORDS),
            "prefixes": self.prefixes,
            "terms": [
                *(self.class_term(iri) for iri in self.classes),
                *(self.property_term(iri) for iri in self.properties),
                *(self.instance_term(instance) for instance in self.instances),
            ],
            "classProperties": {self.name(iri): self.names(self.fitting_properties(iri)) for iri in self.classes},
            "propertyValues": {self.name(iri): self.fitting_values(iri) for iri in self.properties},
        }

    def name(self, iri: str) -> str:
        return sparql_term(iri, self.prefixes)

    def names(self, iris: Iterable[str]) -> list[str]:
        return [self.name(iri) for iri in iris]

    def term(self, iri: str, kind: str, count: int) -> dict:
        """What every term has; label and definition from the ontology (classes, properties) or the data."""
        declared = self.models.ontology.terms.get(iri)
        instance = self.usage.instances.get(iri)
        label = declared.label if declared else instance.label if instance else ""
        definition = _first_line(declared.definition or declared.comment) if declared else self.usage.definitions.get(iri)
        return {
            "id": self.name(iri),
            "iri": iri,
            "kind": kind,
            "label": label or None,
            "definition": definition or None,
            "count": count,
        }

    def class_term(self, iri: str) -> dict:
        return self.term(iri, "class", self.models.class_counts.get(iri, 0))

    def property_term(self, iri: str) -> dict:
        declared = self.models.ontology.terms.get(iri)
        domain, range_ = (declared.domain, declared.range) if declared else ([], [])
        term = self.term(iri, "property", self.models.property_counts.get(iri, 0))
        return {**term, "domain": self.names(domain), "range": self.names(range_)}

    def instance_term(self, instance: Instance) -> dict:
        term = self.term(instance.iri, "instance", self.usage.object_uses.get(instance.iri, 0))
        return {**term, "types": self.names(instance.types)}

    def lineage(self, classes: Iterable[str]) -> set[str]:
        """The classes, every superclass inside the ontology, and the outside classes those extend (schema:Project)."""
        terms = self.models.ontology.terms
        inside = {*classes, *(a for c in classes if c in terms for a in self.models.ontology.ancestors(c))}
        return inside | {parent for c in inside if c in terms for parent in terms[c].parents}

    def uses_by_class(self) -> dict[str, dict[str, int]]:
        """Subjects stating each property, per class: an asserted class's counts go to its superclasses too."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for asserted, uses in self.usage.class_properties.items():
            for class_iri in self.lineage([asserted]):
                for property_iri, subjects in uses.items():
                    totals[class_iri][property_iri] += subjects
        return totals

    def fitting_properties(self, class_iri: str) -> list[str]:
        """Properties whose domain is the class or a superclass, or that its subjects state; most used first."""
        used = self.class_uses.get(class_iri, {})
        lineage = self.lineage([class_iri])
        declared = {p.iri for p in self.models.ontology.properties if lineage.intersection(p.domain)}
        counts = self.models.property_counts
        return sorted(used.keys() | declared, key=lambda p: (-used.get(p, 0), -counts.get(p, 0), p))

    def fitting_values(self, property_iri: str) -> dict:
        """The classes of the property's object (declared ranges, then what it points to) and their instances."""
        declared = self.models.ontology.terms.get(property_iri)
        ranges = [r for r in declared.range if not is_datatype(r)] if declared else []
        observed = self.usage.object_classes.get(property_iri, {})
        classes = list(dict.fromkeys([*ranges, *sorted(observed, key=lambda c: (-observed[c], c))]))
        fitting = [i.iri for i in self.instances if self.instance_classes[i.iri].intersection(classes)]
        uses = self.usage.object_uses
        ranked = sorted(fitting, key=lambda iri: (-uses.get(iri, 0), iri))[:VALUES_PER_PROPERTY]
        return {"classes": self.names(classes), "instances": self.names(ranked)}


def chosen_instances(instances: dict[str, Instance], uses: dict[str, int], terms: set[str]) -> list[Instance]:
    """The labelled resources of the data, most used first, until each asserted class has
    `INSTANCES_PER_CLASS` (a resource of two classes takes a place in both, so no class exceeds it)."""
    candidates = [
        instance
        for instance in instances.values()
        if instance.iri not in terms and any(not t.startswith(MODEL_NAMESPACES) for t in instance.types)
    ]
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for instance in sorted(candidates, key=lambda i: (-uses.get(i.iri, 0), i.iri)):
        if all(taken[class_iri] < INSTANCES_PER_CLASS for class_iri in instance.types):
            chosen.append(instance)
            for class_iri in instance.types:
                taken[class_iri] += 1
    return sorted(chosen, key=lambda i: i.iri)
