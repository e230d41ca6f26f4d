"""The `#+` YAML header of a saved query: grlc's keys plus our `chart`, checked with file and line.

grlc drops a query whose header does not parse; we refuse it instead, and say where: every
problem is reported as `file:line: message`, the line being the one in the .rq file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import yaml  # type: ignore[import-untyped]

from aichr_kg.errors import SavedQueryError

CHART_COLUMNS: dict[str, tuple[str, ...]] = {"bar": ("x", "y"), "timeline": ("date", "label"), "network": ("source", "target")}
CHART_OPTIONAL_COLUMNS = ("group", "link", "planned", "source_name", "target_name")
CHART_TEXT = ("title", "unit", "x_label", "y_label", "source_title", "target_title")
CHART_YEARS = ("from", "to")
Problems = Iterator[tuple[yaml.Node, str]]  # each a YAML node and what is wrong with it


def read_decorators(path: Path, text: str) -> dict:
    """The decorators of a .rq file as a dict; SavedQueryError at the first problem, with its line."""
    header = [(number, line[2:]) for number, line in enumerate(text.splitlines(), 1) if line.startswith("#+")]
    if not header:
        return {}

    def where(mark: yaml.Mark) -> str:
        return f"{path}:{header[min(mark.line, len(header) - 1)][0]}"

    source = "\n".join(line for _, line in header)
    loader = yaml.SafeLoader(source)
    try:
        root = loader.get_single_node()
        values = loader.construct_document(root) if root is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None or mark.index >= len(source):  # hit the end: blame where the construct began
            mark = getattr(error, "context_mark", None) or mark
        line = where(mark) if mark else f"{path}:{header[0][0]}"
        raise SavedQueryError(
            f"{line}: the #+ decorators are not valid YAML: {getattr(error, 'problem', None) or error}"
        ) from None
    finally:
        loader.dispose()
    if not isinstance(values, dict):
        raise SavedQueryError(f"{where(root.start_mark)}: the #+ decorators must be `key: value` lines")
    for key_node, value_node in root.value:
        check = CHECKS.get(key_node.value)
        if check is None:
            known = ", ".join(sorted(CHECKS))
            raise SavedQueryError(f"{where(key_node.start_mark)}: unknown decorator {key_node.value!r} (known: {known})")
        problem = next(check(values[key_node.value], value_node), None)
        if problem:
            node, message = problem
            raise SavedQueryError(f"{where(node.start_mark)}: decorator {key_node.value!r} {message}")
    return values


def _text(value: object, node: yaml.Node) -> Problems:
    if not isinstance(value, str) or not value.strip():
        yield node, "must be a non-empty text"


def _tags(value: object, node: yaml.Node) -> Problems:
    if not isinstance(value, list) or not all(isinstance(tag, str) and tag for tag in value):
        yield node, "must be a list of texts"


def _pagination(value: object, node: yaml.Node) -> Problems:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        yield node, "must be a whole number of rows per page, at least 1"


def _method(value: object, node: yaml.Node) -> Problems:
    if not isinstance(value, str) or value.upper() != "GET":
        yield node, "must be GET: saved queries only read"


def _defaults(value: object, node: yaml.Node) -> Problems:
    """grlc writes `- name: value` items; a plain mapping is accepted too."""
    items = value if isinstance(value, list) else [value]
    nodes = node.value if isinstance(value, list) else [node]
    for item, item_node in zip(items, nodes, strict=True):
        if not isinstance(item, dict) or not all(_is_scalar(v) for v in item.values()):
            yield item_node, "must be a list of `- parameter: value` items"


def _enumerate(value: object, node: yaml.Node) -> Problems:
    """grlc's two forms: `- name` (values read from the graph) or `- name: [value, ...]`."""
    if not isinstance(value, list):
        yield node, "must be a list of parameter names"
        return
    for item, item_node in zip(value, node.value, strict=True):
        fixed = isinstance(item, dict) and all(isinstance(v, list) and all(_is_scalar(x) for x in v) for v in item.values())
        if not (isinstance(item, str) or fixed):
            yield item_node, "items must be a parameter name or `name: [value, ...]`"


def _chart(value: object, node: yaml.Node) -> Problems:
    if not isinstance(value, dict) or value.get("type") not in CHART_COLUMNS:
        yield node, f"must be a mapping whose `type` is one of {', '.join(CHART_COLUMNS)}"
        return
    allowed = {"type", *CHART_COLUMNS[value["type"]], *CHART_OPTIONAL_COLUMNS, *CHART_TEXT, *CHART_YEARS}
    for key_node, value_node in node.value:
        key, item = key_node.value, value.get(key_node.value)
        if key not in allowed:
            yield key_node, f"has no key {key!r} for a {value['type']} chart (allowed: {', '.join(sorted(allowed))})"
        elif key in CHART_YEARS and (isinstance(item, bool) or not isinstance(item, int)):
            yield value_node, f"key {key!r} must be a year"
        elif key not in CHART_YEARS and not isinstance(item, str):
            yield value_node, f"key {key!r} must be a text"
    for key in CHART_COLUMNS[value["type"]]:
        if key not in value:
            yield node, f"needs the key {key!r} for a {value['type']} chart"


def _is_scalar(value: object) -> bool:
    return isinstance(value, (str, int, float, bool))


CHECKS: dict[str, Callable[[object, yaml.Node], Problems]] = {
    "summary": _text,
    "description": _text,
    "tags": _tags,
    "defaults": _defaults,
    "enumerate": _enumerate,
    "pagination": _pagination,
    "method": _method,
    "chart": _chart,
}


def line_of(path: Path, text: str, needle: str) -> str:
    """`file:line` of the first line that contains `needle` (for problems found after parsing)."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return f"{path}:{number}"
    return f"{path}:1"
