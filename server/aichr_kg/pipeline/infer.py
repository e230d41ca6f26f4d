"""OWL 2 RL entailments about the project's own resources, kept apart from the asserted triples.

Two engines give the same result on our data (a test proves it):
- "owlrl": owlrl's full OWL 2 RL closure, then filtered to what concerns our IRIs. Complete, but
  its cost grows faster than linearly (seconds for thousands of triples, hours for a million).
- "rules": the RL rules our ontology actually uses (subclass, subproperty, inverse, domain, range,
  symmetric, transitive, equivalence), applied to a fixpoint over integer-encoded triples with the
  ontology compiled into a plan per predicate (rules.py). Linear in the data; the default.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from aichr_kg.namespaces import OWL, RDF, RDFS, XSD
from aichr_kg.pipeline.bulk import collector_paused
from aichr_kg.pipeline.rules import TYPE, rule_entailments

ENGINES = ("rules", "owlrl")
NOISE_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
Triple = tuple[Node, Node, Node]
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf}


def infer(data: Graph, ontology: Graph, base: str, engine: str = "rules") -> Graph:
    """The entailments of data + ontology whose subject is minted under `base`, minus what is asserted."""
    with collector_paused():
        return _inferred(data, ontology, base, engine)


def _inferred(data: Graph, ontology: Graph, base: str, engine: str) -> Graph:
    asserted = set(data) | set(ontology)
    if engine == "owlrl":
        entailed: Iterable[Triple] = (t for t in _owlrl_closure(data, ontology) if t not in asserted)
    else:
        entailed = rule_entailments(asserted, ontology)
    inferred = Graph()
    for triple in entailed:
        if _is_about_us(triple, base):
            inferred.add(triple)
    return inferred


def _is_about_us(triple: Triple, base: str) -> bool:
    """Keep entailments about our IRIs; drop axiomatic, reflexive and blank-node noise."""
    subject, predicate, obj = triple
    if not isinstance(subject, URIRef) or not str(subject).startswith(base):
        return False
    if isinstance(obj, BNode) or obj == subject or obj in TRIVIAL_OBJECTS:
        return False
    if predicate == TYPE:
        return not str(obj).startswith(NOISE_NAMESPACES)
    return predicate in SCHEMA_PREDICATES or not str(predicate).startswith(NOISE_NAMESPACES)


def _owlrl_closure(data: Graph, ontology: Graph) -> Graph:
    closure = data + ontology
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    return closure
