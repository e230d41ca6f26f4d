"""Two-column network: sources (donors) on the left, targets (projects) on the right, a line per link.

An optional `edge` column labels each line (the predicate of a triple, when the network is an RDF
graph's subjects and values). A bipartite layout needs no physics and no randomness, so the same answer always draws the same
picture; targets are ordered by the mean position of their sources, which keeps lines short.
"""

from __future__ import annotations

from aichr_kg.charts.svg import ACCENT, MUTED, Canvas, Spacing, shorten

WIDTH, ROW, TOP, SOURCE_X, TARGET_X, LABEL_LIMIT = 960, 24, 76, 300, 560, 58
SOURCE_COLOUR, TARGET_COLOUR, EDGE_COLOUR = "#b35900", ACCENT, "#8895a2"


def network_chart(hint: dict, records: list[dict], chart_id: str) -> str:
    """The SVG of the links `hint['source']` → `hint['target']` (identities, e.g. IRIs), one per row,
    nodes shown by the `source_name` and `target_name` columns (two things may share a name), each
    line labelled by the `edge` column when the hint names one."""
    source_key, target_key = hint["source"], hint["target"]
    links, names = _links(hint, records)
    sources = list(dict.fromkeys(source for source, _ in links))
    targets = _ordered_targets(links, sources)
    rows = max(len(sources), len(targets), 1)
    canvas = Canvas(WIDTH, TOP + rows * ROW + 30, hint.get("title", ""), _description(links, sources, targets, names), chart_id)
    source_y = {node: _spread(i, len(sources), rows) for i, node in enumerate(sources)}
    target_y = {node: _spread(i, len(targets), rows) for i, node in enumerate(targets)}
    canvas.text(
        SOURCE_X, TOP - 24, f"{hint.get('source_title', source_key)} ({len(sources)})", anchor="end", weight="bold", fill=MUTED
    )
    canvas.text(TARGET_X, TOP - 24, f"{hint.get('target_title', target_key)} ({len(targets)})", weight="bold", fill=MUTED)
    _draw_links(canvas, links, names, source_y, target_y, _edge_labels(hint, records))
    _draw_sources(canvas, links, names, source_y)
    _draw_targets(canvas, names, target_y)
    return canvas.to_string()


def _links(hint: dict, records: list[dict]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The distinct (source, target) links of the rows that have both, and each node's shown name."""
    source_key, target_key = hint["source"], hint["target"]
    complete = [r for r in records if r.get(source_key) is not None and r.get(target_key) is not None]
    names = {
        str(r[key]): str(r.get(hint.get(name_key, key)) or r[key])
        for r in complete
        for key, name_key in ((source_key, "source_name"), (target_key, "target_name"))
    }
    links = list(dict.fromkeys((str(r[source_key]), str(r[target_key])) for r in complete))
    return links, names


def _edge_labels(hint: dict, records: list[dict]) -> dict[tuple[str, str], str]:
    """Each link's label: the distinct `edge` values of its rows, joined (none without an `edge` column)."""
    if "edge" not in hint:
        return {}
    labels: dict[tuple[str, str], dict[str, None]] = {}  # a dict keeps the first-seen order of the values
    for r in records:
        source, target, edge = (r.get(hint[key]) for key in ("source", "target", "edge"))
        if source is not None and target is not None and edge is not None:
            labels.setdefault((str(source), str(target)), {})[str(edge)] = None
    return {link: ", ".join(found) for link, found in labels.items()}


def _draw_links(
    canvas: Canvas,
    links: list[tuple[str, str]],
    names: dict[str, str],
    source_y: dict[str, float],
    target_y: dict[str, float],
    edge_labels: dict[tuple[str, str], str],
) -> None:
    written = Spacing(11.0)  # a line's label is left out where it would overlap another's (its hover title keeps it)
    for source, target in links:
        label = edge_labels.get((source, target))
        edge = canvas.group(f"{names[source]} → {label + ' → ' if label else ''}{names[target]}")
        canvas.shape(
            "line",
            parent=edge,
            x1=float(SOURCE_X),
            y1=source_y[source],
            x2=float(TARGET_X),
            y2=target_y[target],
            stroke=EDGE_COLOUR,
            stroke_width=1.2,
            stroke_opacity=0.8,
        )
        middle_y = (source_y[source] + target_y[target]) / 2
        if label and written.claim(middle_y):
            canvas.text(
                (SOURCE_X + TARGET_X) / 2, middle_y - 3, shorten(label, 36), anchor="middle", size=10, fill=MUTED, parent=edge
            )


def _draw_sources(canvas: Canvas, links: list[tuple[str, str]], names: dict[str, str], source_y: dict[str, float]) -> None:
    """Each source a dot sized by its number of links, labelled on its left."""
    for node in source_y:
        degree = sum(1 for source, _ in links if source == node)
        group = canvas.group(f"{names[node]}: {degree} link{'s' if degree != 1 else ''}")
        canvas.shape("circle", parent=group, cx=float(SOURCE_X), cy=source_y[node], r=4.0 + degree**0.5 * 2, fill=SOURCE_COLOUR)
        canvas.text(SOURCE_X - 16, source_y[node] + 4, f"{shorten(names[node], 40)} ({degree})", anchor="end", parent=group)


def _draw_targets(canvas: Canvas, names: dict[str, str], target_y: dict[str, float]) -> None:
    for node in target_y:
        group = canvas.group(names[node])
        canvas.shape("circle", parent=group, cx=float(TARGET_X), cy=target_y[node], r=5.0, fill=TARGET_COLOUR)
        canvas.text(TARGET_X + 12, target_y[node] + 4, shorten(names[node], LABEL_LIMIT), parent=group)


def _ordered_targets(links: list[tuple[str, str]], sources: list[str]) -> list[str]:
    """Targets by the mean row of their sources (the barycentre heuristic), then by name."""
    rows: dict[str, list[int]] = {}
    for source, target in links:
        rows.setdefault(target, []).append(sources.index(source))
    return sorted(rows, key=lambda target: (sum(rows[target]) / len(rows[target]), target))


def _spread(index: int, count: int, rows: int) -> float:
    """Centre a column of `count` nodes in a height of `rows` rows."""
    step = rows * ROW / max(count, 1)
    return TOP + step * index + step / 2


def _description(links: list[tuple[str, str]], sources: list[str], targets: list[str], names: dict[str, str]) -> str:
    by_source = "; ".join(
        f"{names[source]} ({sum(1 for s, _ in links if s == source)}): " + ", ".join(names[t] for s, t in links if s == source)
        for source in sources
    )
    return f"Network of {len(sources)} sources and {len(targets)} targets with {len(links)} links. {by_source}."
