"""A synthetic project N times our size: every resource of data/ copied N times under new IRIs.

The copies keep the real graph's shape (same classes, links, literals), so query plans and
reasoning work the way they would on a larger real dataset.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.pipeline.load import load_files

RESOURCE = re.compile("<(" + re.escape(CANONICAL_BASE + "id/") + r"[^>]*)>")


def data_as_ntriples(root: Path) -> str:
    return load_files([root / "data"]).graph.serialize(format="nt")


def make_synthetic_project(root: Path, target: Path, copies: int) -> Path:
    """A project folder at `target` with the real ontology/shapes and `copies` renamed copies of data/."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(root / folder, target / folder)
    lines = data_as_ntriples(root)
    (target / "data").mkdir()
    with (target / "data" / "synthetic.ttl").open("w", encoding="utf-8") as out:
        for copy in range(copies):
            out.write(RESOURCE.sub(lambda m, copy=copy: f"<{m.group(1)}-c{copy}>", lines) if copy else lines)
    return target
