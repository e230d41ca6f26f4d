"""`aichr-kg release`: build every git tag vX.Y.Z not yet in releases/, and say what was made; and the
catalog of the releases, which `validate` checks against DCAT-AP 3.0.0."""

from __future__ import annotations

import sys

from rdflib import Graph

from aichr_kg.config import Settings
from aichr_kg.dataset.catalog_check import check_catalog
from aichr_kg.pipeline.reports import render_report
from aichr_kg.pipeline.tagged_releases import ReleaseBuildError, build_releases


def run_release(settings: Settings) -> int:
    """0 when every release tag is built (now or before); 1 when a tag's data does not conform."""
    try:
        made = build_releases(settings, report=lambda line: print(line, file=sys.stderr))
    except ReleaseBuildError as error:
        if error.outcome is not None:
            sys.stdout.write(render_report(error.outcome, "text"))
        print(f"aichr-kg: {error}", file=sys.stderr)
        return 1
    if not made:
        print(f"{settings.releases_dir}: every release tag (vX.Y.Z) is built; nothing to do.", file=sys.stderr)
    return 0


def catalog_problems(settings: Settings, ontology: Graph, data: Graph) -> list[str]:
    """What `validate` says of the catalog /catalog serves: nothing when it conforms to DCAT-AP 3.0.0, else each finding."""
    outcome = check_catalog(settings.releases_dir, ontology, data, settings.base_iri)
    if outcome.conforms:
        return []
    return ["the catalog (/catalog) does not conform to DCAT-AP 3.0.0:", render_report(outcome, "text").rstrip()]
