"""Timeline: one row per item, a marker at its date on a year axis, its name and date beside it.

One row per item keeps every label legible (items of the same month would otherwise overlap);
the marker's shape and colour say the item's group (meeting or project), as the legend shows.
"""

from __future__ import annotations

from aichr_kg.charts.svg import CHAR_WIDTH, GRID, MUTED, Canvas, shorten

WIDTH, ROW, TOP, LEFT, RIGHT = 900, 20, 84, 30, 870
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PALETTE = ("#b35900", "#0b5cad", "#1a7f37", "#7a1fa2")
SHAPES = ("circle", "rect", "diamond", "triangle")


def timeline_chart(hint: dict, records: list[dict], chart_id: str) -> str:
    """The SVG of `hint['label']` at `hint['date']`, rows in the answer's order, years `from`–`to`."""
    items = [
        (str(r[hint["date"]]), str(r[hint["label"]]), str(r.get(hint.get("group", ""), "") or ""))
        for r in records
        if r.get(hint["date"])
    ]
    first = hint.get("from", min((int(d[:4]) for d, _, _ in items), default=2000))
    last = hint.get("to", max((int(d[:4]) for d, _, _ in items), default=first))
    items = [item for item in items if first <= int(item[0][:4]) <= last]
    groups = list(dict.fromkeys(group for _, _, group in items))
    bottom = TOP + len(items) * ROW
    canvas = Canvas(WIDTH, bottom + 56, hint.get("title", ""), _description(items, groups, first, last), chart_id)

    def x_of(year: float) -> float:
        return LEFT + (year - first) / (last + 1 - first) * (RIGHT - LEFT)

    for year in range(first, last + 2):
        canvas.shape("line", x1=x_of(year), y1=float(TOP - 6), x2=x_of(year), y2=float(bottom), stroke=GRID)
        if year <= last:
            canvas.text(x_of(year + 0.5), bottom + 18, str(year), anchor="middle", size=11, fill=MUTED)
    canvas.text((LEFT + RIGHT) / 2, bottom + 44, "Year", anchor="middle", weight="bold", fill=MUTED)
    _legend(canvas, groups)
    for index, (date, label, group) in enumerate(items):
        y = TOP + index * ROW + ROW / 2
        x = x_of(_fraction_of_year(date))
        element = canvas.group(f"{label} ({readable_date(date)})")
        _marker(canvas, element, groups.index(group) if group in groups else 0, x, y)
        right_side = WIDTH - x > x
        room = int(((WIDTH - x) if right_side else x) / CHAR_WIDTH) - 4
        text = shorten(f"{label} ({readable_date(date)})", room)
        canvas.text(x + 10 if right_side else x - 10, y + 4, text, anchor="start" if right_side else "end", parent=element)
    return canvas.to_string()


def _legend(canvas: Canvas, groups: list[str]) -> None:
    x = LEFT
    for index, group in enumerate(groups):
        _marker(canvas, canvas.root, index, x + 6, 50)
        canvas.text(x + 16, 54, group, fill=MUTED)
        x += 40 + len(group) * CHAR_WIDTH


def _marker(canvas: Canvas, parent, index: int, x: float, y: float) -> None:
    colour, shape = PALETTE[index % len(PALETTE)], SHAPES[index % len(SHAPES)]
    if shape == "circle":
        canvas.shape("circle", parent=parent, cx=x, cy=y, r=6.0, fill=colour)
    elif shape == "rect":
        canvas.shape("rect", parent=parent, x=x - 5.5, y=y - 5.5, width=11.0, height=11.0, fill=colour)
    else:
        points = (
            f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
            if shape == "diamond"
            else f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y + 6:.1f} {x - 7:.1f},{y + 6:.1f}"
        )
        canvas.shape("polygon", parent=parent, points=points, fill=colour)


def _fraction_of_year(date: str) -> float:
    """A date as a year with a fraction: a day where given, the middle of a month or of a year otherwise."""
    year = int(date[:4])
    if len(date) >= 10:
        return year + (int(date[5:7]) - 1) / 12 + (int(date[8:10]) - 1) / 365
    if len(date) >= 7:
        return year + (int(date[5:7]) - 0.5) / 12
    return year + 0.5


def readable_date(date: str) -> str:
    """`2015-05-08` → 8 May 2015, `2016-07` → Jul 2016, `2018` → 2018."""
    if len(date) >= 10:
        return f"{int(date[8:10])} {MONTHS[int(date[5:7]) - 1]} {date[:4]}"
    if len(date) >= 7:
        return f"{MONTHS[int(date[5:7]) - 1]} {date[:4]}"
    return date[:4]


def _description(items: list, groups: list[str], first: int, last: int) -> str:
    counts = ", ".join(f"{group}: {sum(1 for *_, g in items if g == group)}" for group in groups)
    listed = "; ".join(f"{readable_date(date)}: {label}" + (f" ({group})" if group else "") for date, label, group in items)
    return f"Timeline from {first} to {last} of {len(items)} items ({counts}). {listed}."
