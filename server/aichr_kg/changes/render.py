"""The report as text (a terminal), Markdown (a pull-request comment, a CI job summary) or JSON (programs).

JSON, version 1 (a new member may be added; none is renamed or removed without a new version):
    {"version": 1,
     "from": {"revision": "HEAD", "commit": "<40 hex>"}, "to": {"revision": null, "commit": null},  (null: the working tree)
     "asserted": SECTION, "inferred": SECTION}
    SECTION  = {"changed": n, "added": n, "removed": n, "resources": [RESOURCE, …]}
    RESOURCE = {"iri": "…" or null (a blank node), "name": "project/jaif-07", "label": "…" or null,
                "status": "added" | "removed" | "changed", "facts": [FACT, …]}
    FACT     = {"change": "added" | "removed" | "changed", "property": {"iri": "…", "label": "…"},
                "from": VALUE or null (added), "to": VALUE or null (removed)}
    VALUE    = {"text": "USD 103,942.30", and one of: "iri"; "literal", "datatype", "language";
                "money": {"amount": "103942.30", "currency": "USD"} (with "iri" when the sum has one); "blank_node": true}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from aichr_kg.changes.revisions import Snapshot
from aichr_kg.changes.wording import Report, ShownFact, ShownResource, ShownValue

DIFF_FORMATS = ("text", "markdown", "json")
JSON_VERSION = 1
SECTIONS = (("asserted", "Asserted facts"), ("inferred", "Inferred facts"))
TEXT_MARKS = {"changed": "~", "added": "+", "removed": "-"}
STATUS_WORDS = {"added": "new", "removed": "removed"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # what could start markup inside a line


def render(report: Report, format_name: str) -> str:
    return {"text": render_text, "markdown": render_markdown, "json": render_json}[format_name](report)


def counts(resources: list[ShownResource]) -> dict[str, int]:
    """How many facts changed, were added and were removed."""
    found = {"changed": 0, "added": 0, "removed": 0}
    for resource in resources:
        for fact in resource.facts:
            found[fact.change] += 1
    return found


def _summary(resources: list[ShownResource]) -> str:
    if not resources:
        return "no change"
    return ", ".join(f"{number} {change}" for change, number in counts(resources).items())


def _fact_words(fact: ShownFact, show: Callable[[ShownValue], str]) -> str:
    """'USD 103,942.30 → USD 103,942.00' for a change, the one value for an addition or a removal."""
    values = [show(value) for value in (fact.before, fact.after) if value is not None]
    return " → ".join(values)


def render_text(report: Report) -> str:
    lines = [f"Changes from {report.before.name} to {report.after.name}"]
    for key, title in SECTIONS:
        resources: list[ShownResource] = getattr(report, key)
        lines += ["", f"{title}: {_summary(resources)}"]
        for resource in resources:
            label = f" · {resource.label}" if resource.label else ""
            status = f" ({STATUS_WORDS[resource.status]})" if resource.status in STATUS_WORDS else ""
            lines.append(f"  {resource.name}{label}{status}")
            for fact in resource.facts:
                lines.append(f"    {TEXT_MARKS[fact.change]} {fact.property}: {_fact_words(fact, _plain)}")
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    lines = [f"### Changes to the graph from {_markdown_side(report.before)} to {_markdown_side(report.after)}"]
    for key, title in SECTIONS:
        resources: list[ShownResource] = getattr(report, key)
        lines += ["", f"**{title}**: {_summary(resources)}"] + ([""] if resources else [])
        for resource in resources:
            label = f" · {_escaped(resource.label)}" if resource.label else ""
            status = f" *{STATUS_WORDS[resource.status]}*" if resource.status in STATUS_WORDS else ""
            lines.append(f"- `{resource.name}`{label}{status}" if resource.iri else f"- {_escaped(resource.name)}{status}")
            for fact in resource.facts:
                lines.append(f"  - {fact.change} **{_escaped(fact.property)}**: {_fact_words(fact, _markdown)}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    document = {
        "version": JSON_VERSION,
        "from": _side(report.before),
        "to": _side(report.after),
        **{key: _json_section(getattr(report, key)) for key, _ in SECTIONS},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _plain(value: ShownValue) -> str:
    return value.text


def _markdown(value: ShownValue) -> str:
    return _escaped(value.text)


def _markdown_side(snapshot: Snapshot) -> str:
    """A revision as code (`HEAD~1 (3c03a0e)`), so no character of its name is read as markup."""
    return f"`{snapshot.name}`" if snapshot.revision and "`" not in snapshot.name else _escaped(snapshot.name)


def _escaped(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, link, table cell or HTML made of it)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _side(snapshot: Snapshot) -> dict:
    return {"revision": snapshot.revision, "commit": snapshot.commit}


def _json_section(resources: list[ShownResource]) -> dict:
    return {**counts(resources), "resources": [_json_resource(resource) for resource in resources]}


def _json_resource(resource: ShownResource) -> dict:
    return {
        "iri": resource.iri,
        "name": resource.name,
        "label": resource.label,
        "status": resource.status,
        "facts": [
            {
                "change": fact.change,
                "property": {"iri": fact.property_iri, "label": fact.property},
                "from": _json_value(fact.before),
                "to": _json_value(fact.after),
            }
            for fact in resource.facts
        ],
    }


def _json_value(value: ShownValue | None) -> dict | None:
    return None if value is None else {"text": value.text, **value.detail}
