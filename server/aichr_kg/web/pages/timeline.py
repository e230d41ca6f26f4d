"""The home page timeline, laid out in Python and drawn as SVG by a template (no JavaScript).

One row per meeting or project, in date order, meetings first: a dot at its date on a shared year
axis and its name beside the dot (on whichever side has room), so no name ever overlaps another.
Every row links to its page; the template repeats the items as a table for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from aichr_kg.dataset.statistics import Dated
from aichr_kg.namespaces import XSD
from aichr_kg.web.pages.terms import format_literal

WIDTH = 1000
LEFT, RIGHT = 92, 988
TOP = 34  # room for the year labels
ROW = 18
GROUP_GAP = 26  # between the meetings and the projects, room for the group's heading
CHAR_WIDTH = 6.4  # of the 12px label font, to decide which side of the dot a name fits
MAX_LABEL = 58


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    item: Dated
    href: str
    when: str
    label: str
    label_x: float
    anchor: str  # 'start' (name right of the dot) or 'end'


@dataclass(frozen=True)
class Timeline:
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


def when_text(item: Dated) -> str:
    """'8 May 2015', 'Dec 2015' or '2018', as precisely as the item is dated."""
    if item.day:
        return format_literal(f"{item.year:04d}-{item.month:02d}-{item.day:02d}", XSD + "date")
    if item.month:
        return format_literal(f"{item.year:04d}-{item.month:02d}", XSD + "gYearMonth")
    return str(item.year)


def layout_timeline(items: list[Dated], first: int, last: int, href_of) -> Timeline:
    """Rows for every item dated within [first, last]; `href_of(iri)` gives its link."""
    span = last + 1 - first

    def x_of(item: Dated) -> float:
        fraction = ((item.month or 6.5) - 1 + ((item.day or 15) - 1) / 31) / 12
        return round(LEFT + (item.year + fraction - first) / span * (RIGHT - LEFT), 1)

    marks, groups = [], []
    y = TOP + GROUP_GAP
    for kind, heading in (("meeting", "Meetings"), ("project", "Projects")):
        rows = [i for i in items if i.kind == kind and first <= i.year <= last]
        if not rows:
            continue
        groups.append((y - ROW + 4, heading))
        for item in rows:
            marks.append(_mark(item, x_of(item), y, href_of(item.iri)))
            y += ROW
        y += GROUP_GAP
    years = [(round(LEFT + (year - first) / span * (RIGHT - LEFT), 1), year) for year in range(first, last + 1)]
    return Timeline(WIDTH, int(y - GROUP_GAP + 8), TOP, LEFT, RIGHT, years, groups, marks, first, last)


def _mark(item: Dated, x: float, y: float, href: str) -> Mark:
    """A row's dot and name: right of the dot when it fits, else left of it, shortened if needed."""
    room_right, room_left = RIGHT + 10 - x - 10, x - LEFT - 10
    fits = int(max(room_right, room_left) / CHAR_WIDTH)
    label = _shorten(item.name, min(MAX_LABEL, fits))
    if len(label) * CHAR_WIDTH <= room_right or room_right >= room_left:
        return Mark(x, y, item, href, when_text(item), label, x + 10, "start")
    return Mark(x, y, item, href, when_text(item), label, x - 10, "end")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"
