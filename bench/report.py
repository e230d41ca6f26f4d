"""Write docs/benchmarks.md from bench/results.json, so the page holds the figures of one run and nothing else.

`make bench` runs this after `bench/run.py`; run it alone (`python -m bench.report`) after `make bench-peer`.
Each section says how it was measured and, where the project has a target, whether this run met it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
PAGE = ROOT / "docs" / "benchmarks.md"

HEADER = """# Benchmarks

Written by `bench/report.py` from `bench/results.json`, the results of the last `make bench` (or
`make bench-peer` for the comparison with Oxigraph) on the project's 2-core machine. Speed is a goal
measured here, never asserted in tests. `python -m bench.run --help` gives the sample counts and passes.
"""


def cell(value: object) -> str:
    """A number as a table shows it: three significant decimals for small values, none for large."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return "–" if value is None else str(value)


def table(rows: Iterable[dict], columns: dict[str, str]) -> str:
    """A Markdown table of `rows`, one column per key of `columns` (key → heading)."""
    lines = ["| " + " | ".join(columns.values()) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(key)) for key in columns) + " |" for row in rows]
    return "\n".join(lines)


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def build_steps(rows: list[dict]) -> str:
    columns = {
        "scale": "scale",
        "data_triples": "data triples",
        "load_s": "load Turtle (s)",
        "validate_s": "SHACL validation (s)",
        "infer_rules_s": "inference, rules (s)",
        "infer_owlrl_s": "inference, owlrl (s)",
        "engines_agree": "engines agree",
    }
    intro = (
        "Synthetic copies of `data/` (`bench/synthetic.py`: projects, costs, outcomes, initiatives and "
        "publications under new IRIs, linked to the same countries, organisations, themes, meetings and "
        "slides; they conform to `shapes/`). A dash: not run at that scale."
    )
    return f"## Build steps\n\n{intro}\n\n{table(rows, columns)}"


def changed_since(rows: list[dict]) -> str:
    columns = {
        "copies": "scale",
        "focus_nodes": "focus nodes",
        "changed_since_s": "`--changed-since HEAD` (s)",
        "full_s": "full `validate` (s)",
    }
    intro = "One project relabelled in a project grown one file per copy; both commands give the same findings."
    return f"## Validating a change\n\n{intro}\n\n{table(rows, columns)}"


def latency(title: str, rows: list[dict]) -> str:
    columns = {
        "query": "saved query",
        "direct_p50_ms": "in-process p50 (ms)",
        "http_p50_ms": "HTTP p50 (ms)",
        "http_p99_ms": "HTTP p99 (ms)",
        "ratio_p50": "ratio p50",
    }
    return f"## Saved queries, HTTP `/sparql` against pyoxigraph in-process: {title}\n\n{table(rows, columns)}"


def synthetic(graph: dict) -> str:
    rows = [{"step": step, "seconds": seconds} for step, seconds in graph["timings_s"].items()]
    return (
        f"## Build of the synthetic graph ({graph['triples']:,} triples)\n\n"
        f"Whole build: {graph['build_s']:.1f} s.\n\n{table(rows, {'step': 'step', 'seconds': 'seconds'})}"
    )


def completion(title: str, figures: dict) -> str:
    rows = [{"measure": key.replace("_", " "), "value": value} for key, value in figures.items()]
    return f"## The completion request, {title}\n\n{table(rows, {'measure': 'measure', 'value': 'value'})}"


def completion_browser(figures: dict) -> str:
    met = figures["p99_ms"] <= figures["target_ms"]
    return (
        "## Completion in Chromium, key press to list shown\n\n"
        f"{figures['keystrokes']} key presses: p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
        f"max {figures['max_ms']:.1f} ms; target p99 ≤ {figures['target_ms']} ms: {verdict(met)}."
    )


def peer(title: str, result: dict) -> str:
    targets = result["targets"]
    latency_rows = table(
        result["latency"],
        {"query": "query", "ours_p50_ms": "ours p50 (ms)", "theirs_p50_ms": "Oxigraph p50 (ms)", "ratio_p50": "ratio"},
    )
    throughput_rows = table(
        result["throughput"],
        {"clients": "clients", "ours_qps": "ours (q/s)", "theirs_qps": "Oxigraph (q/s)", "ratio_qps": "ratio"},
    )
    met_throughput = all(targets["throughput_met"].values())
    return (
        f"## `/sparql` against `oxigraph serve-read-only` ({result['oxigraph']}), {title}, {result['triples']:,} triples\n\n"
        "The same queries and bytes to both servers, interleaved, a distinct comment per request so that no "
        "cache answers (cold answers).\n\n"
        f"p50 ratio, geometric mean: {result['p50_ratio_geomean']:.2f} (target ≤ {targets['p50_ratio_max']:.2f}: "
        f"{verdict(targets['p50_met'])}). Throughput ratio ≥ {targets['throughput_ratio_min']:.2f} at every "
        f"client count: {verdict(met_throughput)}.\n\n{latency_rows}\n\n{throughput_rows}"
    )


SECTIONS: dict[str, Callable[[object], str]] = {
    "build_steps": build_steps,
    "changed_since": changed_since,
    "synthetic": synthetic,
    "latency_real": lambda rows: latency("real data", rows),
    "latency_synthetic": lambda rows: latency("synthetic ~1M triples", rows),
    "completion_real": lambda figures: completion("real data", figures),
    "completion_synthetic": lambda figures: completion("synthetic ~1M triples", figures),
    "completion_browser": completion_browser,
    "peer": lambda results: "\n\n".join(peer(name, result) for name, result in results.items()),
}


def render(results: dict) -> str:
    """The page: the header, then one section per part of the run that `results` holds, in a fixed order."""
    parts = [HEADER.strip()] + [render_part(results[key]) for key, render_part in SECTIONS.items() if key in results]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("-o", "--output", type=Path, default=PAGE)
    args = parser.parse_args(argv)
    args.output.write_text(render(json.loads(args.results.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
