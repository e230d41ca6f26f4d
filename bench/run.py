"""`make bench`: build steps at 1x/10x/100x our size, `validate --changed-since` after a one-project change
against a full `validate` at 10x and 100x (bench/changed_since.py), saved-query latency through /sparql vs in-process,
the query page's completion request cold and warm (bench/completion.py), its typed-to-shown time in
Chromium (bench/completion_browser.py), and our /sparql side by side with Oxigraph's own HTTP server
(bench/peer.py), on the real data and on a synthetic graph of about a million triples.

Speed is a goal measured here, not asserted in tests: the machines are shared and noisy.
Results are printed as tables and written to bench/results.json; `--peer-only` re-runs only the
comparison with Oxigraph and replaces only the `peer` section.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph

from aichr_kg.config import load_settings
from aichr_kg.namespaces import CANONICAL_BASE
from aichr_kg.pipeline.build import build
from aichr_kg.pipeline.infer import infer
from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.validate import ValidationOutcome, validate_graph
from aichr_kg.store import QueryRequest
from aichr_kg.store.local import run_on_store
from bench.changed_since import changed_since_against_full, print_changed_since
from bench.completion import completion_latency, print_completion
from bench.completion_browser import completion_typed_to_shown, print_typed_to_shown
from bench.peer import PeerSettings, compare_with_oxigraph
from bench.peer_report import judge, print_peer
from bench.stats import percentile, print_table, timed
from bench.synthetic import make_synthetic_project
from bench.workload import saved_query_texts
from tests.support import RunningServer

ROOT = Path(__file__).resolve().parents[1]

RESULTS = ROOT / "bench" / "results.json"
SAMPLE_COPIES = 3  # the generator's output validated before any scale too large to validate is timed


class NonConformingData(Exception):
    """Data the bench would time does not conform to shapes/: a benchmark of failing data is not a measurement."""


def require_conformance(outcome: ValidationOutcome, what: str) -> None:
    """Stop the bench, naming the first violations, unless `outcome` conforms."""
    violations = [finding for finding in outcome.findings if finding.severity == "violation"]
    if violations:
        first = "; ".join(f"{finding.focus}: {finding.message}" for finding in violations[:3])
        raise NonConformingData(f"{what} does not conform to shapes/: {len(violations)} violation(s), first {first}")


def validate_project(project: Path) -> ValidationOutcome:
    """The project's data/ validated against its shapes/ and ontology/, as the build validates."""
    data, ontology, shapes = (load_files([project / folder]) for folder in ("data", "ontology", "shapes"))
    return validate_graph(data, shapes.graph, ontology.graph)


def require_generator_conforms(workdir: Path) -> None:
    """Scales too large to validate are timed only if the generator's output conforms at a small one."""
    sample = make_synthetic_project(ROOT, workdir / "sample", SAMPLE_COPIES)
    require_conformance(validate_project(sample), f"the synthetic data at {SAMPLE_COPIES}x")


def build_steps(scale: int, workdir: Path, with_owlrl: bool, with_validation: bool) -> dict:
    """Seconds per build step for a synthetic project `scale` times our size."""
    project = make_synthetic_project(ROOT, workdir / f"x{scale}", scale)
    (data, ontology), load_s = timed(lambda: (load_files([project / "data"]), load_files([project / "ontology"])))
    row = {"scale": scale, "data_triples": len(data.graph), "load_s": load_s}
    if with_validation:
        shapes = load_files([project / "shapes"]).graph
        outcome, row["validate_s"] = timed(lambda: validate_graph(data, shapes, ontology.graph))
        require_conformance(outcome, f"the synthetic data at {scale}x")
    rules, row["infer_rules_s"] = timed(lambda: infer(data.graph, ontology.graph, CANONICAL_BASE, "rules"))
    row["inferred_triples"] = len(rules)
    if with_owlrl:
        owl, row["infer_owlrl_s"] = timed(lambda: infer(data.graph, ontology.graph, CANONICAL_BASE, "owlrl"))
        row["engines_agree"] = set(owl) == set(rules)
    return row


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


def in_process_sections(args: argparse.Namespace, workdir: Path) -> dict:
    """The build steps, the serve start-up and the saved queries through /sparql vs in-process, on the real data."""
    results: dict = {
        "build_steps": [
            build_steps(1, workdir, with_owlrl=True, with_validation=True),
            build_steps(10, workdir, with_owlrl=True, with_validation=True),
            build_steps(100, workdir, with_owlrl=False, with_validation=args.validate_100x),
        ]
    }
    print_table("Build steps (seconds) at 1x, 10x, 100x our size", results["build_steps"])
    results["changed_since"] = [changed_since_against_full(workdir, copies) for copies in (10, 100)]
    print_changed_since(results["changed_since"])
    results["serve_startup_s"] = serve_startup(ROOT)
    print(f"\nserve on an unchanged build answers /health after {results['serve_startup_s']:.2f} s", flush=True)
    results["latency_real"] = latency(ROOT, args.repeats)
    print_table("Saved queries on the real data: HTTP /sparql vs pyoxigraph in-process (ms)", results["latency_real"])
    results["completion_real"] = completion_latency(ROOT, args.completion_repeats)
    print_completion("the real data", results["completion_real"])
    results["completion_browser"] = completion_typed_to_shown(ROOT, args.completion_keystrokes)
    print_typed_to_shown(results["completion_browser"])
    return results


def synthetic_build(workdir: Path, copies: int) -> tuple[Path, dict]:
    """data/ grown to `copies` times its items, built by the pipeline without SHACL validation (too slow at
    this size): main() has validated the same generator's output at a smaller scale first."""
    big = make_synthetic_project(ROOT, workdir / "big", copies)
    result, seconds = timed(lambda: build(load_settings(root=big), validate=False, quiet=True))
    manifest = result.manifest
    assert manifest is not None, "a build without validation always ends with a manifest"
    print(f"\nSynthetic dataset: {manifest.triples} triples, built in {seconds:.1f} s ({manifest.timings_s})", flush=True)
    return big, {"copies": copies, "triples": manifest.triples, "build_s": seconds, "timings_s": manifest.timings_s}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=50, help="samples per saved query, in-process vs /sparql")
    parser.add_argument("--completion-keystrokes", type=int, default=200, help="key presses timed in the query editor")
    parser.add_argument(
        "--scale", "--synthetic-copies", type=int, default=800, help="copies of data/'s items for the ~1M-triple graph (0: none)"
    )
    parser.add_argument("--completion-repeats", type=int, default=200, help="warm completion requests and revalidations")
    parser.add_argument("--validate-100x", action="store_true", help="also time SHACL validation at 100x (tens of minutes)")
    parser.add_argument("--peer-only", action="store_true", help="only the comparison with Oxigraph's server")
    parser.add_argument("--peer-repeats", type=int, default=100, help="samples per query and server at 1 client, real data")
    parser.add_argument("--peer-cycles", type=int, default=30, help="passes over the query mix per throughput run, real data")
    parser.add_argument("--peer-rounds", type=int, default=3, help="throughput runs per server and client count, real data")
    parser.add_argument("--peer-synthetic-repeats", type=int, default=5, help="samples per query and server, ~1M triples")
    parser.add_argument(
        "--peer-synthetic-cycles", type=int, default=2, help="passes over the mix per throughput run, ~1M triples"
    )
    return parser.parse_args()


def main() -> int:
    try:
        run(parse_arguments())
    except NonConformingData as error:
        print(f"bench: {error}. A benchmark of failing data is not a measurement; nothing was written.", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> None:
    """Every section `args` asks for, written to bench/results.json once all of them are measured."""
    build(load_settings(root=ROOT), quiet=True)  # skipped when build/ is up to date (`make bench` made it)
    results = json.loads(RESULTS.read_text()) if args.peer_only and RESULTS.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.scale or not args.peer_only:
            require_generator_conforms(workdir)
        if not args.peer_only:
            results.update(in_process_sections(args, workdir))
        real = PeerSettings(repeats=args.peer_repeats, cycles=args.peer_cycles, rounds=args.peer_rounds)
        peer = results.setdefault("peer", {})
        peer["real"] = judge(compare_with_oxigraph(ROOT, workdir, real), tolerance=1.0)
        print_peer("real data", peer["real"])
        if args.scale:
            big, graph = synthetic_build(workdir, args.scale)
            if not args.peer_only:
                results["synthetic"] = graph
                results["latency_synthetic"] = latency(big, max(5, args.repeats // 5))
                print_table("Saved queries on the synthetic ~1M-triple graph (ms)", results["latency_synthetic"])
                results["completion_synthetic"] = completion_latency(big, args.completion_repeats)
                print_completion("the synthetic ~1M-triple graph", results["completion_synthetic"])
            synthetic = PeerSettings(repeats=args.peer_synthetic_repeats, cycles=args.peer_synthetic_cycles, rounds=2)
            peer["synthetic"] = {"graph": graph, **judge(compare_with_oxigraph(big, workdir, synthetic), tolerance=1.1)}
            print_peer(f"synthetic graph ({args.scale} copies of data/'s items)", peer["synthetic"])
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
