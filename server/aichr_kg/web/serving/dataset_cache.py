"""Values computed once per build (label index, ontology model, VoID counts), on first use.

Each is kept in the build being served (`ServedBuild.values`), so it never outlives the data it was
computed from and goes when the build is closed after a reload. Each key has its own lock: a slow
first computation holds up only the requests that need that same value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from aichr_kg.dataset.labels import LabelIndex, load_label_index
from aichr_kg.dataset.ontology import Ontology, read_ontology
from aichr_kg.dataset.retired import read_retired
from aichr_kg.dataset.shapes import Shape, read_shapes
from aichr_kg.dataset.statistics import class_counts, property_counts
from aichr_kg.web.context import get_served_build, get_settings, get_store
from aichr_kg.web.pages.naming import Namer

T = TypeVar("T")


def dataset_cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per build; later calls on the same build get the same object."""
    return get_served_build().kept(name, compute)


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


def get_retired() -> dict[str, str | None]:
    """Retired IRIs and their successors, for the 301 or 410 their /id/ answers."""
    return dataset_cached("retired", lambda: read_retired(get_store(), get_settings().base_iri))
