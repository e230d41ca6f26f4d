"""The benchmark's comparison with Oxigraph's server runs end to end, and leaves out answers that differ.

Nothing here is timed: `make bench` measures; these tests prove the harness starts both servers,
sends them the same queries, checks their answers agree and counts what it measured.
"""

from __future__ import annotations

import pytest

from bench.peer import PeerSettings, compare_with_oxigraph

pytestmark = pytest.mark.slow  # two servers, a store load and forked load clients

TINY = PeerSettings(repeats=2, cycles=1, rounds=1, clients=(1, 3), only=("first-three", "theme-projects"))


def test_both_servers_answer_the_same_queries_and_every_figure_is_measured(built, tmp_path):
    result = compare_with_oxigraph(built.parent, tmp_path, TINY)

    assert result["disagreements"] == []
    assert [row["query"] for row in result["latency"]] == ["theme-projects", "first-three"]
    assert all(row["ours_p50_ms"] > 0 and row["theirs_p50_ms"] > 0 for row in result["latency"])
    assert result["client_overhead"]["requests_per_server"] == 2 * 2
    assert [(row["clients"], row["requests_per_run"]) for row in result["throughput"]] == [(1, 2), (3, 6)]
    for row in result["throughput"]:
        assert row["ours_failed"] == row["theirs_failed"] == 0
        assert row["ours_qps"] > 0 and row["theirs_qps"] > 0


def test_a_query_whose_answers_differ_is_reported_and_not_timed(built, tmp_path):
    """Oxigraph given the N-Quads without the inferred graph finds fewer projects (aj:Project is inferred)."""
    asserted = tmp_path / "asserted.nq"
    lines = (built / "dataset.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    asserted.write_text("".join(line for line in lines if "/graph/inferred>" not in line), encoding="utf-8")

    result = compare_with_oxigraph(built.parent, tmp_path, TINY, nquads=asserted)

    [disagreement] = result["disagreements"]
    assert disagreement["query"] == "theme-projects"
    assert disagreement["ours_rows"] > disagreement["theirs_rows"]
    assert [row["query"] for row in result["latency"]] == ["first-three"]
