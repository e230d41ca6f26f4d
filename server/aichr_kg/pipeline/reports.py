"""Validation reports in the formats CI systems read: text, Turtle, JSON, JUnit XML, GitHub annotations."""

from __future__ import annotations

import json
from dataclasses import asdict
from xml.etree import ElementTree

from aichr_kg.errors import TurtleSyntaxError
from aichr_kg.pipeline.links import DANGLING, RETIRED
from aichr_kg.pipeline.published import VANISHED
from aichr_kg.pipeline.validate import Finding, ValidationOutcome

REPORT_FORMATS = ("text", "turtle", "json", "junit", "github")
CHECK_TITLES = {str(DANGLING): "Dangling link", str(RETIRED): "Link to a retired IRI", VANISHED: "Vanished IRI"}


def render_report(outcome: ValidationOutcome, report_format: str) -> str:
    """The outcome as text in one of REPORT_FORMATS."""
    return {
        "text": _text,
        "turtle": lambda o: o.results_graph.serialize(format="turtle"),
        "json": _json,
        "junit": _junit,
        "github": _github,
    }[report_format](outcome)


def _where(finding: Finding) -> str:
    if finding.file is None:
        return "(no file)"
    return f"{finding.file}:{finding.line}" if finding.line is not None else finding.file


def _text(outcome: ValidationOutcome) -> str:
    lines = [
        f"{_where(f)}: {f.severity}: {f.message}\n    focus: {f.focus}"
        + (f"\n    path: {f.path}" if f.path else "")
        + (f"\n    value: {f.value}" if f.value else "")
        for f in outcome.findings
    ]
    violations = sum(f.severity == "violation" for f in outcome.findings)
    verdict = "Conforms" if outcome.conforms else "Does not conform"
    lines.append(f"{verdict}: {violations} violation(s), {len(outcome.findings) - violations} other finding(s).")
    return "\n".join(lines) + "\n"


def _json(outcome: ValidationOutcome) -> str:
    return json.dumps({"conforms": outcome.conforms, "results": [asdict(f) for f in outcome.findings]}, indent=2) + "\n"


def _junit(outcome: ValidationOutcome) -> str:
    failures = [f for f in outcome.findings if f.severity == "violation"]
    suite = ElementTree.Element(
        "testsuite", name="aichr-kg SHACL validation", tests=str(max(1, len(outcome.findings))), failures=str(len(failures))
    )
    if not outcome.findings:
        ElementTree.SubElement(suite, "testcase", name="data conforms to shapes", classname="shacl")
    for finding in outcome.findings:
        case = ElementTree.SubElement(
            suite, "testcase", name=f"{finding.focus} {finding.path or ''}".strip(), classname=finding.shape
        )
        tag = "failure" if finding.severity == "violation" else "system-out"
        ElementTree.SubElement(case, tag, message=finding.message).text = f"{_where(finding)} value={finding.value}"
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _github(outcome: ValidationOutcome) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its file and line."""
    level = {"violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in outcome.findings:
        text = f"{f.message} (focus {f.focus}{', path ' + f.path if f.path else ''})"
        lines.append(_github_command(level[f.severity], text, CHECK_TITLES.get(f.shape, f"SHACL {f.severity}"), f.file, f.line))
    lines.append(_text(outcome).splitlines()[-1])
    return "\n".join(lines) + "\n"


def _github_command(level: str, message: str, title: str, file: str | None, line: int | None, column: int | None = None) -> str:
    """One workflow command, escaped as GitHub documents (% CR LF in data; also : , in properties)."""
    location = [("file", file), ("line", line), ("col", column)] if file else []
    properties = [(name, value) for name, value in location if value is not None] + [("title", title)]
    rendered = ",".join(f"{name}={_escape(str(value), properties=True)}" for name, value in properties)
    return f"::{level} {rendered}::{_escape(message)}"


def _escape(text: str, properties: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if properties else text


def render_load_error(error: TurtleSyntaxError, report_format: str) -> str:
    """An unreadable file in the report formats, so CI shows it where SHACL findings appear."""
    if report_format == "github":
        return _github_command("error", error.reason, "Turtle syntax error", error.path, error.line, error.column) + "\n"
    if report_format == "json":
        where = {"file": error.path, "line": error.line, "column": error.column}
        return json.dumps({"conforms": False, "load_error": {**where, "message": error.reason}}, indent=2) + "\n"
    return ""
