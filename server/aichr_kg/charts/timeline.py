"""Timelines: one row per item, a marker at its date on a year axis, its name beside the marker.

One row per item keeps every label legible (items of the same month would otherwise overlap). Two
views share this layout, so positions, dates and shortened names agree: the API chart, drawn here
from a saved query's answer with a legend of marker shapes, and the home page's timeline, laid out
here and drawn by a template as rows that link to their pages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from aichr_kg.charts.svg import CHAR_WIDTH, GRID, MUTED, Canvas, readable_date, shorten
from aichr_kg.dataset.statistics import Dated

WIDTH, ROW, TOP, LEFT, RIGHT = 900, 20, 84, 30, 870
PALETTE = ("#b35900", "#0b5cad", "#1a7f37", "#7a1fa2")
SHAPES = ("circle", "rect", "diamond", "triangle")
LABEL_GAP = 10  # between a marker and its name

HOME_WIDTH, HOME_LEFT, HOME_RIGHT, HOME_TOP, HOME_ROW = 1000, 92, 988, 34, 18
GROUP_GAP = 26  # between the meetings and the projects, room for the group's heading
MAX_LABEL = 58


@dataclass(frozen=True)
class Label:
    """A name placed beside its marker: right of it when it fits, else on the side with more room."""

    text: str
    x: float
    anchor: str  # 'start' (right of the marker) or 'end'


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    item: Dated
    href: str
    when: str
    label: Label


@dataclass(frozen=True)
class Timeline:
    """The home page's timeline: a row per item, meetings then projects, each group under a heading."""

    width: int
    height: int
    top: int
    left: int
    right: int
    years: list[tuple[float, int]]
    groups: list[tuple[float, str]]  # (y, heading)
    marks: list[Mark]
    first: int
    last: int


def year_of(date: str) -> float:
    """A date as a year with a fraction: a day where given, the middle of a month or of a year otherwise."""
    year = int(date[:4])
    if len(date) >= 10:
        return year + (int(date[5:7]) - 1) / 12 + (int(date[8:10]) - 1) / 365
    if len(date) >= 7:
        return year + (int(date[5:7]) - 0.5) / 12
    return year + 0.5


def place_label(text: str, x: float, left: float, right: float, limit: int = MAX_LABEL) -> Label:
    """`text` beside a marker at `x` between `left` and `right`, shortened to the room it has."""
    room_right, room_left = right - x - LABEL_GAP, x - left - LABEL_GAP
    label = shorten(text, min(limit, int(max(room_right, room_left) / CHAR_WIDTH)))
    if len(label) * CHAR_WIDTH <= room_right or room_right >= room_left:
        return Label(label, x + LABEL_GAP, "start")
    return Label(label, x - LABEL_GAP, "end")


def layout_timeline(items: list[Dated], first: int, last: int, href_of: Callable[[str], str]) -> Timeline:
    """The home page's rows for every item dated within [first, last]; `href_of(iri)` gives its link."""
    span = last + 1 - first

    def x_of(year: float) -> float:
        return round(HOME_LEFT + (year - first) / span * (HOME_RIGHT - HOME_LEFT), 1)

    marks: list[Mark] = []
    groups: list[tuple[float, str]] = []
    y = HOME_TOP + GROUP_GAP
    for kind, heading in (("meeting", "Meetings"), ("project", "Projects")):
        rows = [i for i in items if i.kind == kind and first <= int(i.date[:4]) <= last]
        if rows:
            groups.append((y - HOME_ROW + 4, heading))
        for item in rows:
            x = x_of(year_of(item.date))
            label = place_label(item.name, x, HOME_LEFT, HOME_RIGHT + LABEL_GAP)
            marks.append(Mark(x, y, item, href_of(item.iri), readable_date(item.date), label))
            y += HOME_ROW
        y += GROUP_GAP if rows else 0
    years = [(x_of(year), year) for year in range(first, last + 1)]
    height = int(y - GROUP_GAP + 8)
    return Timeline(HOME_WIDTH, height, HOME_TOP, HOME_LEFT, HOME_RIGHT, years, groups, marks, first, last)


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
        y, x = TOP + index * ROW + ROW / 2, x_of(year_of(date))
        element = canvas.group(f"{label} ({readable_date(date)})")
        _marker(canvas, element, groups.index(group) if group in groups else 0, x, y)
        placed = place_label(f"{label} ({readable_date(date)})", x, LEFT / 2, WIDTH - LEFT / 2, limit=WIDTH)
        canvas.text(placed.x, y + 4, placed.text, anchor=placed.anchor, parent=element)
    return canvas.to_string()


def _legend(canvas: Canvas, groups: list[str]) -> None:
    x: float = LEFT
    for index, group in enumerate(groups):
        _marker(canvas, canvas.root, index, x + 6, 50)
        canvas.text(x + 16, 54, group, fill=MUTED)
        x += 40 + len(group) * CHAR_WIDTH


def _marker(canvas: Canvas, parent: ET.Element, index: int, x: float, y: float) -> None:
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


def _description(items: list, groups: list[str], first: int, last: int) -> str:
    counts = ", ".join(f"{group}: {sum(1 for *_, g in items if g == group)}" for group in groups)
    listed = "; ".join(f"{readable_date(date)}: {label}" + (f" ({group})" if group else "") for date, label, group in items)
    return f"Timeline from {first} to {last} of {len(items)} items ({counts}). {listed}."
