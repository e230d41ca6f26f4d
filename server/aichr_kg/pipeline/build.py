"""The build: Turtle → validated → inferred → N-Quads, dumps, a pyoxigraph store and a manifest.

Validation and inference work on the canonical IRIs the Turtle is written with (so the shapes'
SPARQL text stays valid); the configured base is applied when the graphs are written out.

Everything is keyed by the content hash of the inputs, and the manifest records a checksum of
every file written, so a project is rebuilt when its inputs changed or its build was damaged, and
not otherwise. Builds hold a lock and switch to a new build folder atomically (see build_folders.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from aichr_kg import __version__
from aichr_kg.config import Settings
from aichr_kg.errors import BuildBrokenError
from aichr_kg.formats import in_memory
from aichr_kg.namespaces import CANONICAL_BASE, graph_iri, prefixes_for
from aichr_kg.pipeline.build_folders import build_lock, new_staging, switch_to, tidy
from aichr_kg.pipeline.infer import infer
from aichr_kg.pipeline.integrity import MANIFEST, find_damage, read_manifest, record_outputs
from aichr_kg.pipeline.links import link_findings, merge_findings
from aichr_kg.pipeline.load import LoadedGraph, content_hash, load_files, rebase_graph, turtle_files
from aichr_kg.pipeline.manifest import GraphEntry, Manifest, OutputFile
from aichr_kg.pipeline.progress import Progress
from aichr_kg.pipeline.published import described_in_loaded, read_described, vanished_findings, write_described
from aichr_kg.pipeline.validate import ValidationOutcome, validate_graph

DATASET = "dataset.nq"
WAIT_S = 300.0  # how long a build waits for another one to finish before giving up


@dataclass(frozen=True)
class BuildResult:
    """What `build` did: skipped (up to date), built, or stopped by validation."""

    manifest: Manifest | None  # None when validation stopped the build
    skipped: bool = False
    validation: ValidationOutcome | None = None
    reason: str = ""  # why it was built: "the inputs changed", "the build was damaged (…)", …


def build_inputs(settings: Settings) -> list[Path]:
    """Every file whose content decides the build's output."""
    return turtle_files([settings.ontology_dir, settings.data_dir, settings.shapes_dir])


def input_identity(settings: Settings, engine: str) -> str:
    """The hash a build is keyed by: inputs, base IRI, reasoning engine and software version."""
    files_hash = content_hash(build_inputs(settings), settings.root)
    return hashlib.sha256(f"{files_hash} {settings.base_iri} {engine} {__version__}".encode()).hexdigest()


def rebuild_reason(settings: Settings, engine: str) -> str | None:
    """Why the build must be made (again), or None when it matches the inputs and every file is intact."""
    try:
        manifest = read_manifest(settings.build_dir)
    except BuildBrokenError as error:
        return f"the build was damaged ({error.problem})"
    if manifest is None:
        return "there was no build"
    if manifest.input_hash != input_identity(settings, engine):
        return "the inputs changed"
    problem = find_damage(settings.build_dir, manifest.outputs, full=True)
    return f"the build was damaged ({problem})" if problem else None


def build(
    settings: Settings,
    *,
    engine: str = "rules",
    force: bool = False,
    quiet: bool = False,
    validate: bool = True,
    wait_s: float = WAIT_S,
) -> BuildResult:
    """Build the dataset unless the manifest says the inputs are unchanged and the outputs intact.

    Holds the build lock throughout (waiting up to `wait_s` for another build, then BuildBusyError).
    `validate=False` exists for benchmarks on synthetic copies of data that was validated already.
    """
    with build_lock(settings.build_dir, wait_s=wait_s, quiet=quiet):
        tidy(settings.build_dir)
        reason = "--force was given" if force else rebuild_reason(settings, engine)
        manifest = read_manifest(settings.build_dir) if reason is None else None  # read only once known good
        if manifest is not None:
            return BuildResult(manifest=manifest, skipped=True)
        return _build_anew(settings, engine, quiet, validate, reason or "the manifest could not be read")


def _build_anew(settings: Settings, engine: str, quiet: bool, validate: bool, reason: str) -> BuildResult:
    identity = input_identity(settings, engine)
    progress = Progress(total=5, quiet=quiet)
    with progress.step("load Turtle"):
        ontology = load_files([settings.ontology_dir])
        data = load_files([settings.data_dir])
        shapes = load_files([settings.shapes_dir]).graph
    described = described_in_loaded([data, ontology], settings.root)
    with progress.step("validate with SHACL" if validate else "validation skipped"):
        outcome = _validated(settings, data, ontology, shapes, described) if validate else None
    if outcome is not None and not outcome.conforms:
        return BuildResult(manifest=None, validation=outcome, reason=reason)
    with progress.step(f"infer OWL 2 RL ({engine})"):
        inferred = infer(data.graph, ontology.graph, CANONICAL_BASE, engine)
    parts = {"data": data.graph, "ontology": ontology.graph, "inferred": inferred}
    graphs = {name: rebase_graph(graph, settings.base_iri) for name, graph in parts.items()}
    staging = new_staging(settings.build_dir)
    try:
        with progress.step("write N-Quads and dumps"):
            write_nquads(graphs, settings.base_iri, staging / DATASET)
            write_described(staging, described)
        with progress.step("load the pyoxigraph store"):
            write_store(staging, settings.base_iri)
        manifest = _manifest(settings, identity, engine, graphs, progress.timings, record_outputs(staging))
        (staging / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2) + "\n")
        switch_to(settings.build_dir, staging, identity[:12])
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once published
    return BuildResult(manifest=manifest, validation=outcome, reason=reason)


def _validated(
    settings: Settings, data: LoadedGraph, ontology: LoadedGraph, shapes: Graph, described: dict[str, str]
) -> ValidationOutcome:
    """SHACL, the links in our namespace, and every IRI the previous build described still described."""
    outcome = merge_findings(validate_graph(data, shapes, ontology.graph), link_findings(data, ontology))
    previous = read_described(settings.build_dir)
    return merge_findings(outcome, vanished_findings(previous or {}, described, "the previous build"))


def write_nquads(graphs: dict[str, Graph], base: str, path: Path) -> None:
    """One N-Quads file, a named graph per part; N-Triples lines get the graph IRI appended."""
    with path.open("w", encoding="utf-8") as out:
        for name, graph in graphs.items():
            suffix = f" <{graph_iri(base, name)}> .\n"
            for line in graph.serialize(format="nt").splitlines():
                if line.strip():
                    out.write(line.rstrip()[:-1].rstrip() + suffix)


def write_store(build_dir: Path, base: str) -> None:
    """Load the N-Quads into an on-disk pyoxigraph store, then write the downloadable dumps from it."""
    store = pyoxigraph.Store(str(build_dir / "store"))
    store.bulk_load(path=str(build_dir / DATASET), format=pyoxigraph.RdfFormat.N_QUADS)
    store.optimize()
    dumps = build_dir / "dumps"
    dumps.mkdir()
    asserted = (
        quad.triple
        for name in ("ontology", "data")
        for quad in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph_iri(base, name)))
    )
    turtle = in_memory(pyoxigraph.serialize(asserted, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes_for(base)))
    (dumps / "aichr-kg.ttl").write_bytes(turtle)
    _gzip_copy(dumps / "aichr-kg.ttl")
    _gzip_copy(build_dir / DATASET, dumps / "aichr-kg.nq.gz")
    del store


def _gzip_copy(source: Path, target: Path | None = None) -> None:
    target = target or source.with_name(source.name + ".gz")
    with source.open("rb") as raw, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(raw, packed)


def _manifest(
    settings: Settings, identity: str, engine: str, graphs: dict[str, Graph], timings: dict, outputs: dict[str, OutputFile]
) -> Manifest:
    inputs = build_inputs(settings)
    return Manifest(
        input_hash=identity,
        inputs={str(p.relative_to(settings.root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs},
        base_iri=settings.base_iri,
        engine=engine,
        version=__version__,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        graphs={name: GraphEntry(graph_iri(settings.base_iri, name), len(g)) for name, g in graphs.items()},
        triples=sum(len(g) for g in graphs.values()),
        timings_s=timings,
        outputs=outputs,
    )
