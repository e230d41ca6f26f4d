"""Publishing a build to a remote store over the Graph Store Protocol, recording it, and checking what it holds.

Each named graph of the build is replaced as a whole (PUT), and the publication record last, so a
front end reading the store sees the new hash only once every graph is in. The store is then asked,
through its query endpoint, how many triples each graph holds and which build it records.
`aichr-kg publish` prints what `publish_build` returns; a program can call it the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph

from aichr_kg.config import ConfigError, Settings
from aichr_kg.errors import RemoteStoreError
from aichr_kg.pipeline.integrity import open_build
from aichr_kg.store import StoreError, select
from aichr_kg.store.connections import Credentials
from aichr_kg.store.graph_store import GraphStore
from aichr_kg.store.publication import published_hash, record_graph, record_triples
from aichr_kg.store.remote import RemoteStore


@dataclass(frozen=True)
class PublishedGraph:
    """One named graph as sent and as the store then holds it."""

    name: str
    iri: str
    sent: int
    held: int


@dataclass(frozen=True)
class PublicationCheck:
    """What the store holds after a publication, and what does not match what was sent."""

    endpoint: str
    input_hash: str
    recorded_hash: str | None
    graphs: tuple[PublishedGraph, ...]

    @property
    def problems(self) -> list[str]:
        wrong = [f"<{g.iri}> holds {g.held} triples, {g.sent} were sent" for g in self.graphs if g.held != g.sent]
        if self.recorded_hash != self.input_hash:
            wrong.append(f"the store records build {self.recorded_hash}, not {self.input_hash}")
        return wrong

    @property
    def verified(self) -> bool:
        return not self.problems


def publish_build(settings: Settings, progress: Callable[[str], None] = lambda _line: None) -> PublicationCheck:
    """Publish build/ (checked file by file first) to the configured store, then read back what it holds.

    RemoteStoreError when the store cannot be reached or refuses; ConfigError when no store is named.
    """
    if not settings.store_url or not settings.graph_store_url:
        raise ConfigError(
            "publish needs --endpoint QUERY_URL and --graph-store GSP_URL (or AICHR_KG_STORE_URL and AICHR_KG_GRAPH_STORE_URL)"
        )
    build_dir, manifest = open_build(settings.build_dir, full=True)
    credentials = Credentials.given(settings.store_user, settings.store_password)
    target = GraphStore(settings.graph_store_url, credentials)
    built = pyoxigraph.Store.read_only(str(build_dir / "store"))
    sent: dict[str, tuple[str, int]] = {}
    for name, info in manifest.graphs.items():
        quads = built.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(info.iri))
        sent[info.iri] = (name, target.replace(info.iri, (quad.triple for quad in quads)))
        progress(f"replaced {name} <{info.iri}>: {sent[info.iri][1]} triples")
    published_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    target.replace(record_graph(settings.base_iri), record_triples(manifest, settings.base_iri, published_at))
    progress(f"recorded build {manifest.input_hash[:12]} in <{record_graph(settings.base_iri)}>")
    store = RemoteStore(settings.store_url, timeout_s=settings.limits.query_timeout_s, credentials=credentials)
    try:
        held = _triples_per_graph(store, list(sent))
        graphs = tuple(PublishedGraph(name, iri, count, held.get(iri, 0)) for iri, (name, count) in sent.items())
        return PublicationCheck(store.endpoint, manifest.input_hash, published_hash(store, settings.base_iri), graphs)
    except StoreError as error:
        raise RemoteStoreError(f"the query endpoint {settings.store_url} could not verify the publication: {error}") from None
    finally:
        store.close()


def _triples_per_graph(store: RemoteStore, graphs: list[str]) -> dict[str, int]:
    named = " ".join(f"FROM NAMED <{graph}>" for graph in graphs)
    rows = select(store, f"SELECT ?g (COUNT(*) AS ?n) {named} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}
