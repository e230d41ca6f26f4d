"""`aichr-kg publish`: load the built dataset into a remote store over the Graph Store Protocol, and record it.

Each named graph of the build is replaced as a whole (PUT), and the publication record last, so a
front end reading the store sees the new hash only once every graph is in. The store is then asked,
through its query endpoint, how many triples each graph holds and which build it records.
"""

from __future__ import annotations

import sys
import time

import pyoxigraph

from aichr_kg.config import ConfigError, Settings
from aichr_kg.errors import RemoteStoreError
from aichr_kg.pipeline.integrity import open_build
from aichr_kg.store import StoreError, select
from aichr_kg.store.connections import Credentials
from aichr_kg.store.graph_store import GraphStore
from aichr_kg.store.publication import published_hash, record_graph, record_triples
from aichr_kg.store.remote import RemoteStore


def run_publish(settings: Settings) -> bool:
    """Publish build/ (checked file by file first) to the configured store; whether the store then holds what was sent."""
    if not settings.store_url or not settings.graph_store_url:
        raise ConfigError(
            "publish needs --endpoint QUERY_URL and --graph-store GSP_URL (or AICHR_KG_STORE_URL and AICHR_KG_GRAPH_STORE_URL)"
        )
    build_dir, manifest = open_build(settings.build_dir, full=True)
    credentials = Credentials.given(settings.store_user, settings.store_password)
    target = GraphStore(settings.graph_store_url, credentials)
    built = pyoxigraph.Store.read_only(str(build_dir / "store"))
    sent: dict[str, int] = {}
    for name, info in manifest["graphs"].items():
        quads = built.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(info["iri"]))
        sent[info["iri"]] = target.replace(info["iri"], (quad.triple for quad in quads))
        print(f"replaced {name} <{info['iri']}>: {sent[info['iri']]} triples", file=sys.stderr)
    published_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    target.replace(record_graph(settings.base_iri), record_triples(manifest, settings.base_iri, published_at))
    print(f"recorded build {manifest['input_hash'][:12]} in <{record_graph(settings.base_iri)}>", file=sys.stderr)
    store = RemoteStore(settings.store_url, timeout_s=settings.limits.query_timeout_s, credentials=credentials)
    try:
        return _verify(store, manifest, sent, settings.base_iri)
    except StoreError as error:
        raise RemoteStoreError(f"the query endpoint {settings.store_url} could not verify the publication: {error}") from None
    finally:
        store.close()


def _verify(store: RemoteStore, manifest: dict, sent: dict[str, int], base: str) -> bool:
    """Compare what the store holds with what was sent: triples per graph, and the recorded hash."""
    held = _triples_per_graph(store, list(sent))
    recorded = published_hash(store, base)
    problems = [
        f"<{graph}> holds {held.get(graph, 0)} triples, {count} were sent"
        for graph, count in sent.items()
        if held.get(graph, 0) != count
    ]
    if recorded != manifest["input_hash"]:
        problems.append(f"the store records build {recorded}, not {manifest['input_hash']}")
    if problems:
        print("aichr-kg: the publication does not verify: " + "; ".join(problems), file=sys.stderr)
        return False
    for name, info in manifest["graphs"].items():
        print(f"{name}\t{info['iri']}\t{held[info['iri']]} triples")
    print(f"verified at {store.endpoint}: build {recorded} is published", file=sys.stderr)
    return True


def _triples_per_graph(store: RemoteStore, graphs: list[str]) -> dict[str, int]:
    named = " ".join(f"FROM NAMED <{graph}>" for graph in graphs)
    rows = select(store, f"SELECT ?g (COUNT(*) AS ?n) {named} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}
