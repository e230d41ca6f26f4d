"""Values computed once per dataset (label index, ontology model, VoID counts), keyed by its hash.

The dataset of a running app never changes, but keying by the build's input hash keeps a cached
value from ever outliving the data it was computed from (tests, a future hot reload).
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

from flask import current_app

from aichr_kg.label_index import LabelIndex, load_label_index
from aichr_kg.ontology_model import Ontology, read_ontology
from aichr_kg.shape_summary import Shape, read_shapes
from aichr_kg.statistics import class_counts, property_counts
from aichr_kg.web import get_manifest, get_settings, get_store
from aichr_kg.web.naming import Namer

T = TypeVar("T")
_LOCK = threading.RLock()  # re-entrant: the namer is computed from other cached values


def dataset_cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per app and dataset hash; later calls get the same object."""
    cache = current_app.extensions.setdefault("aichr_dataset_cache", {})
    key = (name, get_manifest()["input_hash"])
    with _LOCK:
        if key not in cache:
            cache[key] = compute()
        return cache[key]


def get_ontology() -> Ontology:
    """The ontology model of the served dataset."""
    return dataset_cached("ontology", lambda: read_ontology(get_store(), get_settings().base_iri))


def get_label_index() -> LabelIndex:
    """Every name in the served dataset, for search and for telling known IRIs from unknown ones."""
    return dataset_cached("labels", lambda: load_label_index(get_store(), get_settings().base_iri))


def get_shapes() -> list[Shape]:
    """The SHACL shapes the dataset was validated with, in words."""
    settings = get_settings()
    return dataset_cached("shapes", lambda: read_shapes(settings.shapes_dir, settings.base_iri))


def get_namer() -> Namer:
    return dataset_cached("namer", lambda: Namer(get_settings().base_iri, get_ontology(), get_label_index()))


def get_class_counts() -> dict[str, int]:
    """Instances per class (inferred types counted), for the home page, the ontology and VoID."""
    return dataset_cached("class_counts", lambda: class_counts(get_store()))


def get_property_counts() -> dict[str, int]:
    """Triples per property, for the ontology page and VoID."""
    return dataset_cached("property_counts", lambda: property_counts(get_store()))
