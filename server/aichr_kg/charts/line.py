"""Line chart: a value over time, one point per row at its date, joined in date order.

Dates are placed by when they are (a month missing from the answer leaves a longer segment, not an
evenly spaced step), so the chart shows gaps as the data has them. A point's value and date are
written where they do not overlap another's; every point names both on hover.
"""

from __future__ import annotations

from collections.abc import Callable

from aichr_kg.charts.svg import (
    ACCENT,
    CHAR_WIDTH,
    GRID,
    MUTED,
    Canvas,
    Spacing,
    amount,
    format_number,
    readable_date,
    tick_label,
    value_axis_title,
    value_ticks,
)
from aichr_kg.charts.timeline import year_of
from aichr_kg.dataset.statistics import calendar_date

WIDTH, HEIGHT, TOP, LEFT, RIGHT, PLOT_HEIGHT = 860, 420, 60, 96, 830, 280
DATE_GAP = 70.0  # between the centres of two dates written under the axis (`Sep 2024` is about 55 wide)


def line_chart(hint: dict, records: list[dict], chart_id: str) -> str:
    """The SVG of `hint['y']` over the dates in `hint['x']` (YYYY, YYYY-MM or YYYY-MM-DD), in date order;
    a record without a date of the calendar or without a value has no point. The value axis starts at
    zero, so the values are not negative (the query page offers no line for a column with one)."""
    points = sorted(
        (date, r[hint["y"]])
        for r in records
        if r.get(hint["y"]) is not None and (date := calendar_date(str(r.get(hint["x"], ""))))
    )
    canvas = Canvas(WIDTH, HEIGHT, hint.get("title", ""), _description(hint, points), chart_id)
    ticks = value_ticks([value for _, value in points])
    bottom = TOP + PLOT_HEIGHT

    def y_of(value: float) -> float:
        return bottom - float(value) / ticks[-1] * PLOT_HEIGHT

    x_of = _date_scale([date for date, _ in points])
    for tick in ticks:
        canvas.shape("line", x1=float(LEFT), y1=y_of(tick), x2=float(RIGHT), y2=y_of(tick), stroke=GRID)
        canvas.text(LEFT - 8, y_of(tick) + 4, tick_label(tick), anchor="end", size=11, fill=MUTED)
    canvas.text(18, TOP + PLOT_HEIGHT / 2, value_axis_title(hint), anchor="middle", weight="bold", fill=MUTED, rotate=True)
    canvas.text((LEFT + RIGHT) / 2, HEIGHT - 16, hint.get("x_label", hint["x"]), anchor="middle", weight="bold", fill=MUTED)
    coordinates = [(x_of(date), y_of(value)) for date, value in points]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        canvas.shape("polyline", points=path, fill="none", stroke=ACCENT, stroke_width=2.0)
    dates, values = Spacing(DATE_GAP), Spacing(6.0)
    for (date, value), (x, y) in zip(points, coordinates, strict=True):
        group = canvas.group(f"{readable_date(date)}: {amount(value, hint.get('unit'))}")
        canvas.shape("circle", parent=group, cx=x, cy=y, r=4.0, fill=ACCENT)
        written = format_number(value, hint.get("unit"))
        if values.claim(x, len(written) * CHAR_WIDTH):
            canvas.text(x, y - 9, written, anchor="middle", size=11, parent=group)
        if dates.claim(x):
            canvas.text(x, bottom + 18, readable_date(date), anchor="middle", size=11, fill=MUTED, parent=group)
    canvas.shape("line", x1=float(LEFT), y1=float(bottom), x2=float(RIGHT), y2=float(bottom), stroke=MUTED)
    return canvas.to_string()


def _date_scale(dates: list[str]) -> Callable[[str], float]:
    """x of a date between the plot's edges, the first date at the left edge and the last at the right."""
    first, last = (year_of(dates[0]), year_of(dates[-1])) if dates else (0.0, 0.0)
    span = last - first or 1.0
    margin = 12.0 if last > first else (RIGHT - LEFT) / 2

    def x_of(date: str) -> float:
        return LEFT + margin + (year_of(date) - first) / span * (RIGHT - LEFT - 2 * margin)

    return x_of


def _description(hint: dict, points: list) -> str:
    values = "; ".join(f"{readable_date(date)}: {amount(value, hint.get('unit'))}" for date, value in points)
    return (
        f"Line chart of {hint.get('y_label', hint['y'])} over {hint.get('x_label', hint['x'])}, {len(points)} points. {values}."
    )
