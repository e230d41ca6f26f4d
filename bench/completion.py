"""The query page's completion request (`GET /sparql/completion.json`) over real HTTP, as a browser sends it.

Cold: the first request to a freshly started `aichr-kg serve`, sent as soon as it answers /health,
measured over several starts. The server makes the document (the ontology, the counts and the
completion statistics) in the background as the release opens, so this request waits for what is
left of that work, or for none of it. Warm: the same request once the document is kept, and a
revalidation with its ETag (a 304). Target: warm p99 <= 20 ms on the server. Runs inside
`make bench` (bench/run.py), or alone on any built project: `python -m bench.completion --root <project>`.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bench.http_client import Endpoint, KeepAliveClient
from bench.stats import percentile, print_table, timed
from tests.support import RunningServer

ROOT = Path(__file__).resolve().parents[1]

PATH = "/sparql/completion.json"
TARGET_MS = 20.0
BROWSER = {"Accept": "application/json", "Accept-Encoding": "gzip"}  # what the page's fetch sends


def completion_latency(root: Path, repeats: int, starts: int = 3) -> dict:
    """Cold first requests over `starts` server starts, then `repeats` warm requests and revalidations (ms)."""
    cold: list[float] = []
    row: dict = {}
    for start in range(starts):
        server = RunningServer(root=root)  # production defaults, as `serve` runs
        try:
            endpoint = Endpoint("ours", server.port, PATH)
            client = KeepAliveClient(endpoint)
            cold.append(exchange_ms(client, endpoint.get_request(BROWSER), 200))
            if start == starts - 1:
                row = warm_latency(server, client, endpoint, repeats)
        finally:
            server.stop()
    return {"cold_first_median_ms": statistics.median(cold), "cold_first_max_ms": max(cold), "starts": starts, **row}


def warm_latency(server: RunningServer, client: KeepAliveClient, endpoint: Endpoint, repeats: int) -> dict:
    """Percentiles of the kept document and of its revalidation, with the document's size."""
    full = server.get(PATH, headers={"Accept-Encoding": "identity"})
    etag = server.get(PATH, headers=BROWSER).headers["ETag"]  # the gzipped variant's own validator
    fetch = endpoint.get_request(BROWSER)
    revalidate = endpoint.get_request({**BROWSER, "If-None-Match": etag})
    warm = [exchange_ms(client, fetch, 200) for _ in range(repeats)]
    cached = [exchange_ms(client, revalidate, 304) for _ in range(repeats)]
    return {
        "warm_p50_ms": statistics.median(warm),
        "warm_p99_ms": percentile(warm, 0.99),
        "revalidate_p50_ms": statistics.median(cached),
        "revalidate_p99_ms": percentile(cached, 0.99),
        "samples": repeats,
        "bytes": len(full.content),
        "gzip_bytes": len(client.exchange(fetch)[1]),
        "terms": len(full.json()["terms"]),
        "meets_target": percentile(warm, 0.99) <= TARGET_MS,
    }


def exchange_ms(client: KeepAliveClient, request: bytes, expected: int) -> float:
    (status, body), seconds = timed(lambda: client.exchange(request))
    if status != expected:
        raise RuntimeError(f"{PATH} answered {status}, not {expected}: {body[:300]!r}")
    return 1000 * seconds


def print_completion(what: str, row: dict) -> None:
    print_table(f"GET {PATH} on {what} (ms; target warm p99 <= {TARGET_MS:g})", [row])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="a built project (default: this checkout)")
    parser.add_argument("--repeats", type=int, default=200, help="warm requests and revalidations")
    parser.add_argument("--starts", type=int, default=3, help="server starts, one cold request each")
    args = parser.parse_args()
    row = completion_latency(args.root, args.repeats, args.starts)
    print_completion(str(args.root), row)
    print(json.dumps(row, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
