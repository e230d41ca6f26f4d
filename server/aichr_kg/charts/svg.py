"""A small SVG writer: an accessible document (role=img, <title>, <desc>) and readable number text.

Built on ElementTree so every label is escaped and the output is well-formed XML; every value is
a <text> element, so a test (or a screen reader, or a search engine) can read it. Colours and sizes
are presentation attributes, so a chart looks the same as an image or on its own; CSS classes and
links are there for a page that embeds the SVG inline, whose stylesheet can add hover and focus.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

from aichr_kg.readable import MONTHS

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, MUTED, GRID, ACCENT = "#1b1f24", "#4a5560", "#d5dbe1", "#0b5cad"
CHAR_WIDTH = 6.6  # average advance of a 12px sans-serif character, for layout without font metrics


class Canvas:
    """An SVG document of a fixed size whose first children are its title and text alternative."""

    def __init__(
        self,
        width: int,
        height: int,
        title: str,
        description: str,
        chart_id: str,
        *,
        css_class: str | None = None,
        show_title: bool = True,
    ) -> None:
        """`show_title=False` leaves the title out of the drawing (a page's own heading shows it) but
        keeps it as the <title> a screen reader announces."""
        self.root = ET.Element(
            "svg",
            {
                **({"class": css_class} if css_class else {}),
                "xmlns": SVG_NS,
                "width": str(width),
                "height": str(height),
                "viewBox": f"0 0 {width} {height}",
                "role": "img",
                "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
                "font-family": FONT,
            },
        )
        ET.SubElement(self.root, "title", id=f"{chart_id}-title").text = title
        ET.SubElement(self.root, "desc", id=f"{chart_id}-desc").text = description
        ET.SubElement(self.root, "rect", width="100%", height="100%", fill="#ffffff")
        if show_title:
            self.text(width / 2, 24, title, size=16, anchor="middle", weight="bold")

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: int = 12,
        anchor: str = "start",
        weight: str | None = None,
        fill: str = INK,
        rotate: bool = False,
        parent: ET.Element | None = None,
        css_class: str | None = None,
    ) -> ET.Element:
        attributes = {"x": _n(x), "y": _n(y), "font-size": str(size), "text-anchor": anchor, "fill": fill}
        if weight:
            attributes["font-weight"] = weight
        if rotate:
            attributes["transform"] = f"rotate(-90 {_n(x)} {_n(y)})"
        element = ET.SubElement(self.root if parent is None else parent, "text", _classed(css_class, attributes))
        element.text = content
        return element

    def shape(
        self, tag: str, parent: ET.Element | None = None, css_class: str | None = None, **attributes: float | str
    ) -> ET.Element:
        """Any shape; numeric attributes are written compactly, `_` in names becomes `-`."""
        values = {k.replace("_", "-"): _n(v) if isinstance(v, float) else str(v) for k, v in attributes.items()}
        return ET.SubElement(self.root if parent is None else parent, tag, _classed(css_class, values))

    def group(
        self,
        tooltip: str | None = None,
        *,
        href: str | None = None,
        parent: ET.Element | None = None,
        css_class: str | None = None,
    ) -> ET.Element:
        """A <g>, or a link (<a href>) when `href` is given, whose <title> names it on hover (the full
        text of a shortened label)."""
        attributes = {"href": href} if href else {}
        element = ET.SubElement(self.root if parent is None else parent, "a" if href else "g", _classed(css_class, attributes))
        if tooltip:
            ET.SubElement(element, "title").text = tooltip
        return element

    def to_string(self) -> str:
        return ET.tostring(self.root, encoding="unicode")


class Spacing:
    """Where labels along one axis already are, so a label that would overlap one is left out (the
    hover title of its group still names it): many close points stay legible, not a smudge."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self.taken: list[float] = []

    def claim(self, position: float, size: float = 0.0) -> bool:
        """Whether a label of `size` (beyond the gap) centred at `position` is clear of those placed; if so it is placed."""
        if any(abs(position - taken) < self.gap + size for taken in self.taken):
            return False
        self.taken.append(position)
        return True


def _classed(css_class: str | None, attributes: dict[str, str]) -> dict[str, str]:
    """`attributes` with `class` first, where a stylesheet's reader looks for it."""
    return {"class": css_class, **attributes} if css_class else attributes


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis; a trailing `(…)` is kept, as it
    usually tells apart things of the same name (two dialogues of the same title, a year apart)."""
    if len(text) <= limit:
        return text
    head, suffix = (text[: text.rindex(" (")], text[text.rindex(" (") :]) if text.endswith(")") and " (" in text else (text, "")
    room = max(limit - len(suffix) - 1, 8)
    return head[:room].rsplit(" ", 1)[0].rstrip(",:;") + "…" + suffix


def readable_date(date: str) -> str:
    """`2015-05-08` → 8 May 2015, `2016-07` → Jul 2016, `2018` → 2018."""
    if len(date) >= 10:
        return f"{int(date[8:10])} {MONTHS[int(date[5:7]) - 1]} {date[:4]}"
    if len(date) >= 7:
        return f"{MONTHS[int(date[5:7]) - 1]} {date[:4]}"
    return date[:4]


def format_number(value: int | Decimal | float, unit: str | None = None) -> str:
    """Grouped digits; amounts in a currency (a three-letter code such as USD) with two decimals."""
    if unit and len(unit) == 3 and unit.isupper():
        return f"{Decimal(value).quantize(Decimal('0.01')):,}"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return f"{value:,}"


def amount(value: int | Decimal | float, unit: str | None = None) -> str:
    """A value as a chart's label and text alternative say it: `975,679.55 USD`, `11`."""
    return f"{format_number(value, unit)}{' ' + unit if unit else ''}"


def tick_label(tick: float) -> str:
    """A value axis' tick: `2`, not `2.0`; `2.5` as it is."""
    return format_number(int(tick) if float(tick).is_integer() else tick)


def value_axis_title(hint: dict) -> str:
    """The title of a chart's value axis: its label (or column) and its unit, `Actual cost (USD)`."""
    unit = hint.get("unit")
    return " ".join(part for part in (hint.get("y_label", hint["y"]), f"({unit})" if unit else "") if part)


def value_ticks(values: list) -> list[float]:
    """The ticks of a value axis from 0 to the largest of `values`; whole steps when all are counts."""
    return nice_ticks(float(max([*values, 0])), whole=all(isinstance(v, int) for v in values))


def nice_ticks(maximum: float, *, whole: bool, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum`: steps of 1, 2, 2.5 or 5 times a power of ten
    (no 2.5, and at least 1, when the values are counts)."""
    if maximum <= 0:
        return [0.0, 1.0]
    rough = maximum / count
    power = 10 ** math.floor(math.log10(rough))
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in multiples if m * power >= rough)
    step = max(step, 1.0) if whole else step
    return [i * step for i in range(math.ceil(maximum / step) + 1)]
