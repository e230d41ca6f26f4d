"""A release's dumps, written so that the same graphs always give the same bytes.

The files are those `/download/` serves (Turtle, gzipped Turtle, gzipped N-Quads with a named graph
per part); here blank nodes are canonically named (pyoxigraph's canonicalisation of the whole
dataset, so a node shared by two graphs keeps one name), statements are sorted, and gzip records
neither a time nor a file name.
"""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef

from aichr_kg.formats import in_memory
from aichr_kg.namespaces import AJ, CANONICAL_BASE, OWL, RDF, graph_iri, prefixes_for, rebase_iri
from aichr_kg.pipeline.build import write_nquads
from aichr_kg.pipeline.infer import infer
from aichr_kg.pipeline.load import rebase_graph
from aichr_kg.pipeline.release_manifest import ReleaseFile

TURTLE, TURTLE_GZ, NQUADS_GZ = "aichr-kg.ttl", "aichr-kg.ttl.gz", "aichr-kg.nq.gz"
ASSERTED = ("ontology", "data")  # what the Turtle dump holds; the N-Quads add the inferred graph


def dataset_graphs(data: Graph, ontology: Graph, base: str) -> dict[str, Graph]:
    """The named graphs of the dataset, as a build makes them: data, ontology, and their OWL 2 RL entailments."""
    inferred = infer(data, ontology, CANONICAL_BASE, "rules")
    parts = {"data": data, "ontology": ontology, "inferred": inferred}
    return {name: rebase_graph(graph, base) for name, graph in parts.items()}


def ontology_version_iri(ontology: Graph, base: str) -> str | None:
    """The owl:versionIRI of the project's ontology (rebased), if it states one."""
    subject = URIRef(str(AJ))
    if (subject, RDF.type, OWL.Ontology) not in ontology:
        return None
    version = ontology.value(subject, OWL.versionIRI)
    return rebase_iri(str(version), base) if version is not None else None


def write_dumps(graphs: dict[str, Graph], base: str, folder: Path) -> list[ReleaseFile]:
    """Write the three dumps into `folder`; returns what the manifest records of each."""
    quads = _canonical_quads(graphs, base)
    nquads = "".join(sorted(f"{quad} .\n" for quad in quads)).encode()
    asserted_graphs = {pyoxigraph.NamedNode(graph_iri(base, name)) for name in ASSERTED}
    triples = sorted({quad.triple for quad in quads if quad.graph_name in asserted_graphs}, key=str)
    turtle = in_memory(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes_for(base)))
    return [
        _write(folder / TURTLE, turtle, "text/turtle"),
        _write(folder / TURTLE_GZ, _gzipped(turtle), "text/turtle", compressed=True),
        _write(folder / NQUADS_GZ, _gzipped(nquads), "application/n-quads", compressed=True),
    ]


def _canonical_quads(graphs: dict[str, Graph], base: str) -> list[pyoxigraph.Quad]:
    """Every statement in its named graph, blank nodes renamed canonically across the dataset."""
    with tempfile.TemporaryDirectory(prefix="aichr-kg-quads-") as scratch:
        path = Path(scratch) / "dataset.nq"
        write_nquads(graphs, base, path)
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_QUADS))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)  # stable for one pyoxigraph version
    return list(dataset)


def _gzipped(content: bytes) -> bytes:
    """gzip with no time and no file name in its header: equal input, equal bytes."""
    return gzip.compress(content, compresslevel=9, mtime=0)


def _write(path: Path, content: bytes, media_type: str, *, compressed: bool = False) -> ReleaseFile:
    path.write_bytes(content)
    return ReleaseFile(path.name, media_type, len(content), hashlib.sha256(content).hexdigest(), compressed)


def describe_file(path: Path, media_type: str) -> ReleaseFile:
    """The manifest's record of a file written by other means (the notes)."""
    content = path.read_bytes()
    return ReleaseFile(path.name, media_type, len(content), hashlib.sha256(content).hexdigest())
