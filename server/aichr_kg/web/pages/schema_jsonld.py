"""The schema.org JSON-LD a page embeds for search engines, taken from the ontology's alignments.

The reasoner has already added the schema.org super-properties and super-classes of our terms
(aj:fundedBy ⊑ schema:funder, aj:Project ⊑ schema:Project) to the inferred graph, so the
schema.org view of a resource is just its statements in that namespace, plus name and description.
"""

from __future__ import annotations

import pyoxigraph

from aichr_kg.dataset.describe import Description
from aichr_kg.namespaces import DCT, OWL, RDF_TYPE, SCHEMA, SKOS
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
