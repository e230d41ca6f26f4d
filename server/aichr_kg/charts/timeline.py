"""Timelines: a lane per kind of item, one row per item, a marker at its date on a year axis, its
name and date beside the marker, and a link from the row to the item's page.

One row per item keeps every label legible (items of the same month would otherwise overlap).
There is one layout (`layout_timeline`) and one drawing (`draw_timeline`): the home page draws the
dated items of the saved query `timeline.rq` with them, and the API's chart of any saved query with
a `chart: type: timeline` decorator (`timeline_chart`) is the same drawing of its answer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from aichr_kg.charts.svg import GRID, MUTED, Canvas, readable_date, shorten
from aichr_kg.dataset.statistics import Dated, calendar_date

WIDTH, LEFT, RIGHT, ROW = 1000, 48, 988, 18
YEAR_LINE, GRID_TOP = 14, 22  # the baseline of the year numbers, the top of the year lines
HEADING = 20  # from the end of a lane (or of the year numbers) to the baseline of the next lane's heading
TITLE_BAND = 34  # above the chart, when the title is drawn in it
PALETTE = ("#0b5cad", "#b3261e", "#1a7f37", "#7a1fa2")
SHAPES = ("circle", "rect", "diamond", "triangle")  # with the colour, so no lane is told by colour alone
LABEL_GAP = 10  # between a marker and its name
HEADING_CHAR = 7.6  # average advance of a 13px bold character
MAX_LABEL = 72
LABEL_CHAR = 7.0  # a 12px character of the sans-serif fonts browsers fall back to, wider than CHAR_WIDTH

HrefOf = Callable[[str], str]


@dataclass(frozen=True)
class Label:
    """A name placed beside its marker: right of it when it fits, else on the side with more room."""

    text: str
    x: float
    anchor: str  # 'start' (right of the marker) or 'end'


@dataclass(frozen=True)
class Lane:
    """The rows of one kind of item, under a heading that is also the key to its markers."""

    name: str  # the kind ('' when the items have none)
    style: int  # the colour and shape of its markers
    y: float  # the baseline of its heading
    count: int
    planned: int  # how many of its items are planned, drawn hollow


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    item: Dated
    href: str  # '' when the item names no resource
    when: str
    label: Label
    style: int


@dataclass(frozen=True)
class Timeline:
    """Where everything goes: lanes in the order their kinds first appear, rows in the items' order."""

    width: int
    height: int
    first: int
    last: int
    ticks: list[float]  # x of the start of every year, and of the end of the last
    lanes: list[Lane]
    marks: list[Mark]


def year_of(date: str) -> float:
    """A date as a year with a fraction: a day where given, the middle of a month or of a year otherwise."""
    year = int(date[:4])
    if len(date) >= 10:
        return year + (int(date[5:7]) - 1) / 12 + (int(date[8:10]) - 1) / 365
    if len(date) >= 7:
        return year + (int(date[5:7]) - 0.5) / 12
    return year + 0.5


def place_label(text: str, x: float) -> Label:
    """`text` beside a marker at `x`, shortened to the room it has between the plot's left and the edge."""
    room_right, room_left = WIDTH - 6 - x - LABEL_GAP, x - LEFT - LABEL_GAP
    label = shorten(text, min(MAX_LABEL, int(max(room_right, room_left) / LABEL_CHAR)))
    if len(label) * LABEL_CHAR <= room_right or room_right >= room_left:
        return Label(label, x + LABEL_GAP, "start")
    return Label(label, x - LABEL_GAP, "end")


def layout_timeline(items: list[Dated], first: int, last: int, href_of: HrefOf) -> Timeline:
    """A lane per kind and a row per item dated within [first, last]; `href_of(iri)` gives its link."""
    shown = [item for item in items if first <= int(item.date[:4]) <= last]

    def x_of(year: float) -> float:
        return round(LEFT + (year - first) / (last + 1 - first) * (RIGHT - LEFT), 1)

    lanes: list[Lane] = []
    marks: list[Mark] = []
    y = float(GRID_TOP)
    for style, kind in enumerate(dict.fromkeys(item.kind for item in shown)):
        rows = [item for item in shown if item.kind == kind]
        lanes.append(Lane(kind, style, y + HEADING, len(rows), sum(item.planned for item in rows)))
        for index, item in enumerate(rows, 1):
            marks.append(_mark(item, x_of(year_of(item.date)), y + HEADING + index * ROW, style, href_of))
        y += HEADING + (len(rows) + 0.5) * ROW
    ticks = [x_of(year) for year in range(first, last + 2)]
    return Timeline(WIDTH, int(y + 8), first, last, ticks, lanes, marks)


def _mark(item: Dated, x: float, y: float, style: int, href_of: HrefOf) -> Mark:
    when = readable_date(item.date)
    label = place_label(f"{item.name} ({when})", x)
    return Mark(x, y, item, href_of(item.iri) if item.iri else "", when, label, style)


def draw_timeline(timeline: Timeline, title: str, chart_id: str, *, show_title: bool = True) -> str:
    """The SVG of a laid-out timeline, the one drawing of every timeline; `show_title=False` where a
    page's heading already shows the title. Class names are for the embedding page's stylesheet."""
    band = TITLE_BAND if show_title else 0
    canvas = Canvas(
        timeline.width,
        timeline.height + band,
        title,
        describe_timeline(timeline),
        chart_id,
        css_class="timeline",
        show_title=show_title,
    )
    body = canvas.shape("g", transform=f"translate(0 {band})") if band else canvas.root
    _draw_years(canvas, body, timeline)
    for lane in timeline.lanes:
        _draw_heading(canvas, body, lane)
    for mark in timeline.marks:
        _draw_row(canvas, body, mark)
    return canvas.to_string()


def _draw_years(canvas: Canvas, body: ET.Element, timeline: Timeline) -> None:
    for x in timeline.ticks:
        canvas.shape("line", body, "grid", x1=x, y1=float(GRID_TOP), x2=x, y2=float(timeline.height), stroke=GRID)
    years = range(timeline.first, timeline.last + 1)
    for year, start, end in zip(years, timeline.ticks[:-1], timeline.ticks[1:], strict=True):
        canvas.text((start + end) / 2, YEAR_LINE, str(year), anchor="middle", fill=MUTED, parent=body, css_class="year")
    canvas.text(6, YEAR_LINE, "Year", weight="bold", fill=MUTED, parent=body, css_class="axis-label")


def _draw_heading(canvas: Canvas, body: ET.Element, lane: Lane) -> None:
    """`Project (19)` after its marker, then the key to the hollow markers if the lane has any."""
    heading = f"{lane.name[:1].upper() + lane.name[1:] or 'Items'} ({lane.count})"
    _marker(canvas, body, lane.style, 12.0, lane.y - 4, planned=False)
    canvas.text(22, lane.y, heading, size=13, weight="bold", parent=body, css_class="lane")
    if lane.planned:
        x = 22 + len(heading) * HEADING_CHAR + 16
        _marker(canvas, body, lane.style, x, lane.y - 4, planned=True)
        canvas.text(x + 10, lane.y, f"planned ({lane.planned})", fill=MUTED, parent=body, css_class="lane")


def _draw_row(canvas: Canvas, body: ET.Element, mark: Mark) -> None:
    """A link (when the item has a page) over the whole row, so the row is what one points at."""
    tooltip = f"{mark.item.name} ({mark.when}{', planned' if mark.item.planned else ''})"
    row = canvas.group(tooltip, href=mark.href or None, parent=body, css_class="row")
    hit = {"x": float(LEFT), "y": mark.y - ROW / 2, "width": float(RIGHT - LEFT), "height": float(ROW)}
    canvas.shape("rect", row, "row-hit", **hit, fill="transparent")
    _marker(canvas, row, mark.style, mark.x, mark.y, planned=mark.item.planned)
    label = mark.label
    canvas.text(label.x, mark.y + 4, label.text, anchor=label.anchor, parent=row, css_class="mark-label")


def _marker(canvas: Canvas, parent: ET.Element, style: int, x: float, y: float, *, planned: bool) -> None:
    colour, shape = PALETTE[style % len(PALETTE)], SHAPES[style % len(SHAPES)]
    if planned:
        paint = {"fill": "#ffffff", "stroke": colour, "stroke_width": "2", "stroke_dasharray": "3 2"}
    else:
        paint = {"fill": colour, "stroke": "#ffffff", "stroke_width": "1.5"}
    css_class = "mark planned" if planned else "mark"
    if shape == "circle":
        canvas.shape("circle", parent, css_class, cx=x, cy=y, r=6.0, **paint)
    elif shape == "rect":
        canvas.shape("rect", parent, css_class, x=x - 5.5, y=y - 5.5, width=11.0, height=11.0, **paint)
    else:
        points = (
            f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
            if shape == "diamond"
            else f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y + 6:.1f} {x - 7:.1f},{y + 6:.1f}"
        )
        canvas.shape("polygon", parent, css_class, points=points, **paint)


def describe_timeline(timeline: Timeline) -> str:
    """The text alternative: how many items of each kind, then every item as drawn, lane by lane."""
    named = [lane for lane in timeline.lanes if lane.name]
    counts = f" ({', '.join(f'{lane.name}: {lane.count}' for lane in named)})" if named else ""
    listed = "; ".join(f"{mark.when}: {mark.item.name}{_kind_note(mark.item)}" for mark in timeline.marks)
    summary = f"Timeline from {timeline.first} to {timeline.last} of {len(timeline.marks)} items{counts}."
    return f"{summary} {listed}." if listed else summary


def _kind_note(item: Dated) -> str:
    notes = [note for note in (item.kind, "planned" if item.planned else "") if note]
    return f" ({', '.join(notes)})" if notes else ""


def timeline_chart(hint: dict, records: list[dict], chart_id: str, href_of: HrefOf = str) -> str:
    """The SVG of `hint['label']` at `hint['date']` in years `from`–`to`: a lane per `group`, rows in
    the answer's order, linked to the page of the IRI in `link`, hollow where `planned` is true."""
    items = [_record_item(hint, record) for record in records]
    items = [item for item in items if item.date]
    first = hint.get("from", min((int(item.date[:4]) for item in items), default=2000))
    last = hint.get("to", max((int(item.date[:4]) for item in items), default=first))
    return draw_timeline(layout_timeline(items, first, last, href_of), hint.get("title", ""), chart_id)


def _record_item(hint: dict, record: dict) -> Dated:
    def value(key: str) -> object:
        return record.get(hint[key]) if key in hint else None

    date, link, group = (str(value(key) or "") for key in ("date", "link", "group"))
    return Dated(link, group, str(value("label") or ""), calendar_date(date) or "", value("planned") is True)
