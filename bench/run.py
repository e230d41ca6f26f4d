"""`make bench`: build steps at 1x/10x/100x our size, and saved-query latency through /sparql vs in-process.

Speed is a goal measured here, not asserted in tests: the machines are shared and noisy.
Results are printed as tables and written to bench/results.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_synthetic_project  # noqa: E402

from aichr_kg.config import load_settings  # noqa: E402
from aichr_kg.namespaces import CANONICAL_BASE  # noqa: E402
from aichr_kg.pipeline.build import build  # noqa: E402
from aichr_kg.pipeline.infer import infer  # noqa: E402
from aichr_kg.pipeline.load import load_files  # noqa: E402
from aichr_kg.pipeline.validate import validate_graph  # noqa: E402
from aichr_kg.saved.catalog import read_saved_queries  # noqa: E402
from aichr_kg.saved.parameters import ParameterError, bind_parameters  # noqa: E402
from aichr_kg.store import QueryRequest  # noqa: E402
from aichr_kg.store.local import run_on_store  # noqa: E402
from conftest import RunningServer  # noqa: E402


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def build_steps(scale: int, workdir: Path, with_owlrl: bool, with_validation: bool) -> dict:
    """Seconds per build step for a synthetic project `scale` times our size."""
    project = make_synthetic_project(ROOT, workdir / f"x{scale}", scale)
    (data, ontology), load_s = timed(lambda: (load_files([project / "data"]), load_files([project / "ontology"])))
    row = {"scale": scale, "data_triples": len(data.graph), "load_s": load_s}
    if with_validation:
        shapes = load_files([project / "shapes"]).graph
        _, row["validate_s"] = timed(lambda: validate_graph(data, shapes, ontology.graph))
    rules, row["infer_rules_s"] = timed(lambda: infer(data.graph, ontology.graph, CANONICAL_BASE, "rules"))
    row["inferred_triples"] = len(rules)
    if with_owlrl:
        owl, row["infer_owlrl_s"] = timed(lambda: infer(data.graph, ontology.graph, CANONICAL_BASE, "owlrl"))
        row["engines_agree"] = set(owl) == set(rules)
    return row


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def saved_query_texts(root: Path) -> dict[str, str]:
    """Each saved query with its default parameters as a trailing VALUES block (the protocol has no bindings)."""
    texts = {}
    for saved in read_saved_queries(root / "queries")[0]:
        try:
            bindings = bind_parameters(saved.parameters, {}, saved.defaults)
        except ParameterError:
            continue  # needs a parameter that has no default
        values = "".join(f"\nVALUES ?{name} {{ {term} }}" for name, term in bindings.items())
        texts[saved.name] = saved.text_for(CANONICAL_BASE) + values
    return texts


def latency(root: Path, repeats: int) -> list[dict]:
    """Per saved query: p50/p99 through HTTP /sparql and directly on pyoxigraph, and their ratio."""
    queries = saved_query_texts(root)
    store = pyoxigraph.Store.read_only(str(root / "build" / "store"))
    server = RunningServer("--query-timeout-s", "60", "--max-result-rows", "1000000", root=root)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)  # keep-alive, a thin client
    rows = []
    try:
        for name, text in queries.items():
            request = QueryRequest(text=text, max_rows=1_000_000)
            direct = [timed(lambda request=request: run_on_store(store, request))[1] for _ in range(repeats)]
            through_http = []
            for index in range(repeats):
                # a distinct comment defeats HTTP caching without changing the work
                body = urlencode({"query": f"{text}\n# run {index}"})
                _, seconds = timed(lambda body=body: _post(connection, body))
                through_http.append(seconds)
            rows.append(
                {
                    "query": name,
                    "direct_p50_ms": 1000 * statistics.median(direct),
                    "direct_p99_ms": 1000 * percentile(direct, 0.99),
                    "http_p50_ms": 1000 * statistics.median(through_http),
                    "http_p99_ms": 1000 * percentile(through_http, 0.99),
                }
            )
            rows[-1]["ratio_p50"] = rows[-1]["http_p50_ms"] / rows[-1]["direct_p50_ms"]
    finally:
        server.stop()
    return rows


def serve_startup(root: Path) -> float:
    """Seconds from starting `aichr-kg serve` on an unchanged build to its first healthy answer."""
    server, seconds = timed(lambda: RunningServer(root=root))
    server.stop()
    return seconds


def _post(connection: http.client.HTTPConnection, body: str) -> bytes:
    connection.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    payload = response.read()
    assert response.status == 200, payload[:300]
    return payload


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n## {title}", flush=True)
    if not rows:
        print("(nothing measured)")
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    print(" | ".join(columns))
    for row in rows:
        print(
            " | ".join(f"{row.get(c):.2f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns), flush=True
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--synthetic-copies", type=int, default=400, help="copies of data/ for the ~1M-triple graph")
    parser.add_argument("--validate-100x", action="store_true", help="also time SHACL validation at 100x (tens of minutes)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results["build_steps"] = [
            build_steps(1, workdir, with_owlrl=True, with_validation=True),
            build_steps(10, workdir, with_owlrl=True, with_validation=True),
            build_steps(100, workdir, with_owlrl=False, with_validation=args.validate_100x),
        ]
        print_table("Build steps (seconds) at 1x, 10x, 100x our size", results["build_steps"])
        results["serve_startup_s"] = serve_startup(ROOT)
        print(f"\nserve on an unchanged build answers /health after {results['serve_startup_s']:.2f} s", flush=True)
        results["latency_real"] = latency(ROOT, args.repeats)
        print_table("Saved queries on the real data: HTTP /sparql vs pyoxigraph in-process (ms)", results["latency_real"])
        big = make_synthetic_project(ROOT, workdir / "big", args.synthetic_copies)
        _, seconds = timed(lambda: build(load_settings(root=big), validate=False, quiet=True))
        manifest = json.loads((big / "build" / "manifest.json").read_text())
        results["synthetic"] = {"triples": manifest["triples"], "build_s": seconds, "timings_s": manifest["timings_s"]}
        print(f"\nSynthetic dataset: {manifest['triples']} triples, built in {seconds:.1f} s ({manifest['timings_s']})")
        results["latency_synthetic"] = latency(big, max(5, args.repeats // 5))
        print_table("Saved queries on the synthetic ~1M-triple graph (ms)", results["latency_synthetic"])
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
