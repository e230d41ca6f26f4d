"""The comparison with Oxigraph read against its targets, and printed as tables."""

from __future__ import annotations

from bench.stats import print_table


def judge(result: dict, tolerance: float) -> dict:
    """`result` with its targets: ours/theirs p50 at most `tolerance`, throughput at least 1/`tolerance`."""
    throughput_min = 1 / tolerance
    result["targets"] = {
        "p50_ratio_max": tolerance,
        "throughput_ratio_min": throughput_min,
        "p50_met": result["p50_ratio_geomean"] <= tolerance,
        "throughput_met": {str(row["clients"]): row["ratio_qps"] >= throughput_min for row in result["throughput"]},
    }
    return result


def print_peer(title: str, result: dict) -> None:
    """The per-query latency table, the throughput table, the client's overhead and the verdict."""
    print(f"\n# Ours vs Oxigraph {result['oxigraph']} on the {title} ({result['triples']} triples)", flush=True)
    for row in result["disagreements"]:
        print(f"DISAGREE, left out of the timings: {row['query']}: ours {row['ours_rows']}, Oxigraph {row['theirs_rows']}")
    latency = [
        {key: row[key] for key in ("query", "ours_p50_ms", "theirs_p50_ms", "ratio_p50", "ours_p99_ms", "theirs_p99_ms")}
        for row in result["latency"]
    ]
    print_table(f"Latency at 1 client, {result['settings']['repeats']} samples per query and server (ms)", latency)
    throughput = [
        {
            key: row[key]
            for key in ("clients", "requests_per_run", "ours_qps", "theirs_qps", "ratio_qps", "ours_failed", "theirs_failed")
        }
        | {"client_cpu_share": max(row["ours_client_cpu_share"], row["theirs_client_cpu_share"])}
        | {
            "ours_cpu_ms_per_q": row["ours_server_cpu_ms_per_request"],
            "theirs_cpu_ms_per_q": row["theirs_server_cpu_ms_per_request"],
        }
        for row in result["throughput"]
    ]
    print_table(
        f"Throughput over the mix (queries/s), {result['settings']['rounds']} runs per server and client count", throughput
    )
    overhead = result["client_overhead"]
    print(
        f"\nclient: {overhead['client_cpu_ms_per_request']:.3f} ms CPU per request at 1 client "
        f"(wall {overhead['wall_ms_per_request']:.2f} ms); servers' CPU per request: ours "
        f"{overhead['ours_server_cpu_ms_per_request']:.2f} ms, Oxigraph {overhead['theirs_server_cpu_ms_per_request']:.2f} ms"
    )
    targets = result["targets"]
    verdict = "met" if targets["p50_met"] else "NOT met"
    print(
        f"p50 ratio ours/Oxigraph, geometric mean: {result['p50_ratio_geomean']:.2f} (target <= {targets['p50_ratio_max']:.2f}: {verdict})"
    )
    for row in result["throughput"]:
        met = targets["throughput_met"][str(row["clients"])]
        print(
            f"throughput ratio at {row['clients']} clients: {row['ratio_qps']:.2f} "
            f"(target >= {targets['throughput_ratio_min']:.2f}: {'met' if met else 'NOT met'})"
        )
