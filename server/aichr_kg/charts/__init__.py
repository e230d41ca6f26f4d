"""Charts of saved-query answers, drawn as SVG on the server in pure Python (no browser, no JS).

A saved query's `#+ chart:` decorator names the kind of chart and the columns it draws; the
records are the query's answer in its own order, so the query decides ranking and grouping.
"""

from __future__ import annotations

from aichr_kg.charts.bar import bar_chart
from aichr_kg.charts.line import line_chart
from aichr_kg.charts.network import network_chart
from aichr_kg.charts.timeline import HrefOf, timeline_chart

CHARTS = {"bar": bar_chart, "line": line_chart, "network": network_chart}


def render_chart(hint: dict, records: list[dict], chart_id: str, href_of: HrefOf = str) -> str:
    """The SVG document (text) for a validated chart hint; `chart_id` makes its element ids unique on a page.
    A timeline's rows link to `href_of(iri)` (by default the IRI itself; the web app's pages give theirs)."""
    if hint["type"] == "timeline":
        return timeline_chart(hint, records, chart_id, href_of)
    return CHARTS[hint["type"]](hint, records, chart_id)
