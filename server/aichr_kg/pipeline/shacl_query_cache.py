"""Parse each SHACL-SPARQL query once per validation, not once per focus node.

pySHACL hands every SHACL-SPARQL constraint (sh:sparql, SPARQL-based constraint components,
SPARQL targets) to rdflib as text, once per focus node; rdflib parses that text with pyparsing
and translates it to algebra every time, which is most of the time a validation takes. The same
text with the same prefixes and base always gives the same algebra, and rdflib's prepared
queries are made to be evaluated again with other bindings, so a query prepared once answers
exactly what the text would.

`parsed_query_cache()` switches that on for one validation and restores pySHACL afterwards.
The upstream change would be the same few lines inside pySHACL's
`graph_abstraction.RdfLibDataGraph.query`: prepare a string query through a bounded
`functools.lru_cache` keyed by (text, namespaces, base) when the graph's store has no query
engine of its own, then evaluate the prepared query (see `_prepared_query_method`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeAlias

from pyshacl.graph_abstraction import RdfLibDataGraph
from rdflib import Graph
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.plugins.stores.memory import Memory, SimpleMemory
from rdflib.query import Processor, Result
from rdflib.store import Store

DEFAULT_MAX_QUERIES = 512  # a shapes graph holds tens of distinct texts; this bounds a pathological one

# Stores whose query() only raises NotImplementedError, so that rdflib's own engine answers.
ENGINE_LESS_QUERY_METHODS = frozenset({Store.query, Memory.query, SimpleMemory.query})

NamespaceItems = tuple[tuple[str, str], ...]
QueryCache: TypeAlias = "functools._lru_cache_wrapper[Query]"  # the type exists for type checkers only


class _Installation:
    """Who has the cache switched on: nested or concurrent validations share one patch and one cache."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0
        self.original: Callable[..., Result] = RdfLibDataGraph.query
        self.cache: QueryCache | None = None

    def enter(self, max_queries: int) -> QueryCache:
        with self.lock:
            if self.cache is None:
                self.original = RdfLibDataGraph.query
                self.cache = functools.lru_cache(maxsize=max_queries)(_prepare)
                setattr(RdfLibDataGraph, "query", _prepared_query_method(self.original, self.cache))  # noqa: B010
            self.users += 1
            return self.cache

    def leave(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0:
                setattr(RdfLibDataGraph, "query", self.original)  # noqa: B010
                self.cache = None


_INSTALLATION = _Installation()


@contextmanager
def parsed_query_cache(max_queries: int = DEFAULT_MAX_QUERIES) -> Iterator[QueryCache]:
    """While inside, pySHACL reuses each parsed SHACL-SPARQL query; yields the cache (its cache_info() counts)."""
    cache = _INSTALLATION.enter(max_queries)
    try:
        yield cache
    finally:
        _INSTALLATION.leave()


def _prepare(text: str, namespaces: NamespaceItems, base: str | None) -> Query:
    """What rdflib's SPARQL processor does with a query string: parse, then translate with these prefixes."""
    return prepareQuery(text, initNs=dict(namespaces), base=base)


def _prepared_query_method(original: Callable[..., Result], prepare: QueryCache) -> Callable[..., Result]:
    """`RdfLibDataGraph.query`, with a string query replaced by its cached prepared form.

    Only rdflib's own engine is given the prepared query; a store that answers queries itself
    (a SPARQL endpoint, oxrdflib) receives the text unchanged, as before.
    """

    @functools.wraps(original)
    def query(
        self: RdfLibDataGraph,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Any] | None = None,
        use_store_provided: bool = True,
        **kwargs: object,
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql" and _rdflib_answers(self.impl, use_store_provided):
            initNs = initNs or dict(self.impl.namespaces())  # what rdflib's Graph.query falls back to
            base = kwargs.get("base")  # rdflib's processor reads `base` from the same **kwargs
            query_object = prepare(query_object, _namespace_items(initNs), base if isinstance(base, str) else None)
        return original(self, query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)

    return query


def _rdflib_answers(graph: Graph, use_store_provided: bool) -> bool:
    """Whether rdflib's Graph.query ends in rdflib's own engine, not in a store's."""
    return not use_store_provided or type(graph.store).query in ENGINE_LESS_QUERY_METHODS


def _namespace_items(namespaces: Mapping[str, Any]) -> NamespaceItems:
    """The prefixes as a hashable key: the same mapping always gives the same tuple."""
    return tuple(sorted((str(prefix), str(namespace)) for prefix, namespace in namespaces.items()))
