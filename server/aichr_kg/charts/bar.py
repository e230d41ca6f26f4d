"""Horizontal bar chart: one bar per row, the category as its label and the exact value at its end.

Horizontal, because our categories are long names (donors, themes) that vertical bars would
have to slant or cut.
"""

from __future__ import annotations

from aichr_kg.charts.svg import (
    ACCENT,
    CHAR_WIDTH,
    GRID,
    MUTED,
    Canvas,
    amount,
    format_number,
    shorten,
    tick_label,
    value_axis_title,
    value_ticks,
)

WIDTH, BAR, GAP, TOP, LABEL_LIMIT = 860, 22, 10, 70, 42


def bar_chart(hint: dict, records: list[dict], chart_id: str) -> str:
    """The SVG of `hint['y']` per `hint['x']`, in the answer's order (the query decides the ranking);
    a record without either value has no bar (an unknown value is not a zero). Bars start at zero, so
    the values are not negative (the query page offers no bars for a column with a negative value)."""
    unit = hint.get("unit")
    bars = [(str(r[hint["x"]]), r[hint["y"]]) for r in records if r.get(hint["x"]) is not None and r.get(hint["y"]) is not None]
    label_width = min(LABEL_LIMIT, max([len(label) for label, _ in bars] + [8])) * CHAR_WIDTH + 16
    plot_left, plot_right = label_width + 8, WIDTH - 110
    ticks = value_ticks([value for _, value in bars])
    scale = (plot_right - plot_left) / ticks[-1]
    plot_bottom = TOP + len(bars) * (BAR + GAP)
    canvas = Canvas(WIDTH, int(plot_bottom + 70), hint.get("title", ""), _description(hint, bars), chart_id)
    canvas.text(16, TOP - 12, hint.get("x_label", hint["x"]), weight="bold", fill=MUTED)
    for tick in ticks:
        x = plot_left + tick * scale
        canvas.shape("line", x1=x, y1=float(TOP - 4), x2=x, y2=float(plot_bottom), stroke=GRID)
        canvas.text(x, plot_bottom + 18, tick_label(tick), anchor="middle", size=11, fill=MUTED)
    canvas.text(
        (plot_left + plot_right) / 2, plot_bottom + 46, value_axis_title(hint), anchor="middle", weight="bold", fill=MUTED
    )
    for index, (label, value) in enumerate(bars):
        y = TOP + index * (BAR + GAP)
        group = canvas.group(f"{label}: {amount(value, unit)}")
        canvas.text(plot_left - 8, y + BAR * 0.7, shorten(label, LABEL_LIMIT), anchor="end", parent=group)
        canvas.shape(
            "rect", parent=group, x=plot_left, y=float(y), width=max(float(value) * scale, 1.0), height=float(BAR), fill=ACCENT
        )
        canvas.text(plot_left + float(value) * scale + 6, y + BAR * 0.7, format_number(value, unit), parent=group)
    canvas.shape("line", x1=plot_left, y1=float(TOP - 4), x2=plot_left, y2=float(plot_bottom), stroke=MUTED)
    return canvas.to_string()


def _description(hint: dict, bars: list) -> str:
    values = "; ".join(f"{label}: {amount(value, hint.get('unit'))}" for label, value in bars)
    return f"Bar chart of {hint.get('y_label', hint['y'])} per {hint.get('x_label', hint['x'])}, {len(bars)} bars. {values}."
