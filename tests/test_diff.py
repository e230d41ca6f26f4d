"""`aichr-kg diff` as a process, on a git repository made from a copy of the project: what a change does
to the graph (a corrected cost, a new project, a removed donor, a reworded label) in text, Markdown
and JSON; nothing for a change of formatting only; inferred facts apart; unreadable revisions refused."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph

from aichr_kg.namespaces import AJ, PREFIXES, RDF, RDFS
from tests.support import ROOT, committed_copy, copy_project, git, run_cli

NEW_PROJECT = """
project:jaif-11
    a aj:JAIFProject ;
    rdfs:label "AICHR Workshop on the Rights of Older Persons"@en ;
    aj:month "2025-05"^^xsd:gYearMonth ;
    aj:leadCountry country:th ;
    aj:implementedBy organisation:aichr ;
    aj:fundedBy organisation:jaif ;
    aj:actualCost cost:jaif-11 ;
    aj:source slide:04 .

cost:jaif-11
    a aj:MonetaryAmount ;
    rdfs:label "Actual cost of JAIF project 11: USD 120,000.00"@en ;
    aj:amount "120000.00"^^xsd:decimal ;
    aj:currency "USD" ;
    aj:source slide:04 .
"""
OLD_TITLE = "AICHR Workshop on Effective Communication Strategies to Combat Trafficking in Persons"
NEW_TITLE = "AICHR Workshop on Communication Strategies against Trafficking in Persons"
JAIF_07 = "2018 AICHR Regional Dialogue (Accessibility through Universal Design)"
BHR_02 = "AICHR Seminar on Promoting CSR and Human Rights in ASEAN"
OLDER_PERSONS = "AICHR Workshop on the Rights of Older Persons"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    """A repository whose second commit corrects a cost, adds a project, removes a donor, rewords a title and moves a meeting."""
    repo = committed_copy(tmp_path_factory.mktemp("changed"))
    projects = repo / "data" / "jaif-projects.ttl"
    edit(projects, 'aj:amount "103942.30"^^xsd:decimal', 'aj:amount "103942.00"^^xsd:decimal')
    edit(projects, f'rdfs:label "{OLD_TITLE}"@en', f'rdfs:label "{NEW_TITLE}"@en')
    projects.write_text(projects.read_text(encoding="utf-8") + NEW_PROJECT, encoding="utf-8")
    edit(
        repo / "data" / "bhr-projects.ttl",
        "organisation:eu , country:se , organisation:undp",
        "organisation:eu , organisation:undp",
    )
    edit(repo / "data" / "meetings.ttl", 'aj:date "2024-05-22"^^xsd:date', 'aj:date "2024-05-23"^^xsd:date')
    git(repo, "commit", "--quiet", "--all", "--message", "a small change")
    return repo


def diff(repo: Path, *arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = run_cli("diff", *arguments, cwd=repo, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    return result


def sections(text: str) -> dict[str, str]:
    """The text report's asserted and inferred parts."""
    asserted, inferred = text.split("\nInferred facts: ")
    return {"asserted": asserted, "inferred": "Inferred facts: " + inferred}


def test_text_shows_each_change_with_labels_money_and_months(changed):
    head = git(changed, "rev-parse", "--short=7", "HEAD")
    report = sections(diff(changed, "HEAD~1", "HEAD").stdout)
    asserted = report["asserted"]
    assert asserted.startswith(f"Changes from HEAD~1 ({git(changed, 'rev-parse', '--short=7', 'HEAD~1')}) to HEAD ({head})\n\n")
    assert "\nAsserted facts: 3 changed, 11 added, 1 removed\n" in asserted
    assert f"  project/jaif-07 · {JAIF_07}\n    ~ actual cost: USD 103,942.30 → USD 103,942.00\n" in asserted
    assert f"  project/bhr-02 · {BHR_02}\n    - main donor: Sweden\n" in asserted
    assert "  meeting/interface-3 · 3rd AICHR-Japan Interface Meeting\n    ~ date: 22 May 2024 → 23 May 2024\n" in asserted
    assert f'  project/jaif-02 · {NEW_TITLE}\n    ~ label: "{OLD_TITLE}" → "{NEW_TITLE}"\n' in asserted
    assert (
        f"  project/jaif-11 · {OLDER_PERSONS} (new)\n"
        "    + actual cost: USD 120,000.00\n"
        "    + funded by: Japan-ASEAN Integration Fund\n"
        "    + implemented by: ASEAN Intergovernmental Commission on Human Rights\n"
        f'    + label: "{OLDER_PERSONS}"\n'
        "    + lead country: Thailand\n"
        "    + month: May 2025\n"
        "    + source (aj:source): 10 projects were implemented with JAIF Support\n"
        "    + type: JAIF-supported project\n"
    ) in asserted
    assert "cost/jaif-07" not in asserted, "a linked sum's amount is its referrer's value, not reported again"


def test_inferred_facts_are_shown_apart(changed):
    report = sections(diff(changed, "HEAD~1", "HEAD").stdout)
    inferred = report["inferred"]
    assert inferred.startswith("Inferred facts: 2 changed, 14 added, 3 removed\n")
    assert f"  country/se · Sweden\n    - funds: {BHR_02}\n" in inferred
    assert f"  project/bhr-02 · {BHR_02}\n    - funded by: Sweden\n    - schema:funder: Sweden\n" in inferred
    assert (
        "  cost/jaif-07 · Actual cost of JAIF project 7: USD 103,942.30\n    ~ schema:value: 103,942.30 → 103,942.00\n"
        in inferred
    )
    assert f"  country/th · Thailand\n    + leads project: {OLDER_PERSONS}\n" in inferred
    assert "funds:" not in report["asserted"] and "schema:funder" not in report["asserted"]


@pytest.mark.slow
def test_owlrls_full_closure_infers_the_same_changes(changed):
    """owlrl's full OWL 2 RL closure (--engine owlrl) finds the same inferred changes as the default rules engine."""
    assert diff(changed, "HEAD~1", "HEAD", "--engine", "owlrl").stdout == diff(changed, "HEAD~1", "HEAD").stdout


def test_markdown_shows_each_change(changed):
    markdown = diff(changed, "HEAD~1", "HEAD", "--format", "markdown").stdout
    lines = markdown.splitlines()
    short = {rev: git(changed, "rev-parse", "--short=7", rev) for rev in ("HEAD~1", "HEAD")}
    assert lines[0] == f"### Changes to the graph from `HEAD~1 ({short['HEAD~1']})` to `HEAD ({short['HEAD']})`"
    assert "**Asserted facts**: 3 changed, 11 added, 1 removed" in lines
    assert "**Inferred facts**: 2 changed, 14 added, 3 removed" in lines
    assert f"- `project/jaif-07` · {JAIF_07}\n  - changed **actual cost**: USD 103,942.30 → USD 103,942.00\n" in markdown
    assert f"- `project/bhr-02` · {BHR_02}\n  - removed **main donor**: Sweden\n" in markdown
    assert f'- `project/jaif-02` · {NEW_TITLE}\n  - changed **label**: "{OLD_TITLE}" → "{NEW_TITLE}"\n' in markdown
    assert f"- `project/jaif-11` · {OLDER_PERSONS} *new*\n  - added **actual cost**: USD 120,000.00\n" in markdown
    assert "  - added **month**: May 2025" in lines


def json_fact(change: str, property_name: str, label: str, before: dict | None, after: dict | None) -> dict:
    """A fact as the JSON report writes it, of a property of the project's ontology."""
    prop = {"iri": f"https://w3id.org/aichr-japan/ontology/{property_name}", "label": label}
    return {"change": change, "property": prop, "from": before, "to": after}


def jaif_07_cost(text: str, amount: str) -> dict:
    """The JSON value of project jaif-07's actual cost: a named sum of US dollars."""
    return {"text": text, "money": {"amount": amount, "currency": "USD"}, "iri": "https://w3id.org/aichr-japan/id/cost/jaif-07"}


def test_json_shows_each_change(changed):
    document = json.loads(diff(changed, "HEAD~1", "HEAD", "--format", "json").stdout)
    assert document["version"] == 1
    assert document["from"] == {"revision": "HEAD~1", "commit": git(changed, "rev-parse", "HEAD~1")}
    assert document["to"] == {"revision": "HEAD", "commit": git(changed, "rev-parse", "HEAD")}
    asserted = {resource["name"]: resource for resource in document["asserted"]["resources"]}
    assert {k: document["asserted"][k] for k in ("changed", "added", "removed")} == {"changed": 3, "added": 11, "removed": 1}
    old_cost, new_cost = jaif_07_cost("USD 103,942.30", "103942.30"), jaif_07_cost("USD 103,942.00", "103942.00")
    assert asserted["project/jaif-07"]["facts"] == [json_fact("changed", "actualCost", "actual cost", old_cost, new_cost)]
    sweden = {"text": "Sweden", "iri": "https://w3id.org/aichr-japan/id/country/se"}
    assert asserted["project/bhr-02"]["facts"] == [json_fact("removed", "mainDonor", "main donor", sweden, None)]
    label = asserted["project/jaif-02"]["facts"][0]
    assert (label["change"], label["from"]["text"], label["to"]["literal"], label["to"]["language"]) == (
        "changed",
        f'"{OLD_TITLE}"',
        NEW_TITLE,
        "en",
    )
    added = asserted["project/jaif-11"]
    assert (added["status"], added["label"]) == ("added", OLDER_PERSONS)
    month = next(fact for fact in added["facts"] if fact["property"]["label"] == "month")
    assert month["to"] == {
        "text": "May 2025",
        "literal": "2025-05",
        "datatype": "http://www.w3.org/2001/XMLSchema#gYearMonth",
        "language": None,
    }
    assert "cost/jaif-07" in {resource["name"] for resource in document["inferred"]["resources"]}


def tied_facts() -> str:
    """Turtle whose facts tie on text: a resource citing projects of one label (bhr-03 and bhr-04 share
    theirs, the twins too), and unnamed blank nodes that read the same, each citing one twin."""
    resources = PREFIXES["id"]
    twins = [f"<{resources}twin/{number}>" for number in range(4)]
    lines = [f'{twin} <{RDFS.label}> "Twin"@en .' for twin in twins]
    cited = ", ".join([f"<{resources}project/bhr-03>", f"<{resources}project/bhr-04>", *twins])
    lines.append(f"<{resources}review/twins> <{RDFS.seeAlso}> {cited} .")
    lines += [f"[] <{RDFS.seeAlso}> {twin} ." for twin in twins]
    return "\n".join(lines) + "\n"


def test_tied_facts_and_resources_come_out_in_one_order_whatever_the_hash_seed(tmp_path):
    repo = committed_copy(tmp_path / "project")
    (repo / "data" / "ties.ttl").write_text(tied_facts(), encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "facts that read alike")
    for format_name in ("text", "markdown", "json"):
        outputs = {
            diff(repo, "HEAD~1", "HEAD", "--format", format_name, env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")
        }
        assert len(outputs) == 1, f"{format_name}: the order depends on the hash seed"
    document = json.loads(outputs.pop())
    resources = document["asserted"]["resources"]
    review = next(resource for resource in resources if resource["name"] == "review/twins")
    cited = [fact["to"]["iri"].rsplit("/", 2)[-2:] for fact in review["facts"]]
    assert cited == [["project", "bhr-03"], ["project", "bhr-04"]] + [["twin", str(n)] for n in range(4)]
    blank = [resource for resource in resources if resource["iri"] is None]
    assert [resource["name"] for resource in blank] == ["[rdfs:seeAlso: Twin]"] * 4
    assert [resource["facts"][0]["to"]["iri"][-1] for resource in blank] == list("0123")


def test_the_workflow_writes_a_pull_requests_diff_to_the_job_summary(changed, tmp_path):
    """The CI step as GitHub runs it (bash, its environment), on a clone, with `.venv/bin/aichr-kg` this Python."""
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    step = next(step for step in steps if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert step["if"] == "github.event_name == 'pull_request' && !cancelled()"
    assert step["continue-on-error"] is True, "the diff is information: its failure does not stop `make test`"
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(changed), str(clone))
    launcher = clone / ".venv" / "bin" / "aichr-kg"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m aichr_kg "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    summary = tmp_path / "summary.md"
    summary.write_text("(what an earlier step wrote)\n", encoding="utf-8")
    base, head = git(clone, "rev-parse", "HEAD~1"), git(clone, "rev-parse", "HEAD")
    environment = {**os.environ, "BASE_SHA": base, "HEAD_SHA": head, "GITHUB_STEP_SUMMARY": str(summary)}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=clone, env=environment, check=True, timeout=600)
    written = summary.read_text(encoding="utf-8")
    assert written.startswith(f"(what an earlier step wrote)\n### Changes to the graph from `{base[:7]}` to `{head[:7]}`\n")
    assert "  - changed **actual cost**: USD 103,942.30 → USD 103,942.00\n" in written


def readme_example() -> str:
    """The diff docs/contributing.md shows, unindented."""
    page = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    block = page.split("`.venv/bin/aichr-kg diff HEAD`", 1)[1].split("```text\n", 1)[1].split("   ```\n", 1)[0]
    return "".join(line.removeprefix("   ") for line in block.splitlines(keepends=True))


def test_the_readmes_example_is_what_diff_prints(tmp_path):
    repo = committed_copy(tmp_path / "project")
    projects = repo / "data" / "jaif-projects.ttl"
    edit(projects, 'aj:amount "103942.30"^^xsd:decimal', 'aj:amount "103942.00"^^xsd:decimal')
    edit(projects, "project 7: USD 103,942.30", "project 7: USD 103,942.00")
    edit(
        repo / "data" / "bhr-projects.ttl",
        "organisation:eu , country:se , organisation:undp",
        "organisation:eu , organisation:undp",
    )
    printed = diff(repo, "HEAD").stdout
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    example = readme_example()
    assert example.startswith("Changes from HEAD (") and "\nAsserted facts: 2 changed, 0 added, 1 removed\n" in example
    assert printed == re.sub(r"^Changes from HEAD \([0-9a-f]{7}\)", f"Changes from HEAD ({head})", example)


def reserialise(repo: Path) -> None:
    """Every Turtle file of ontology/ and data/ written again: alternately as shuffled N-Triples (blank
    nodes relabelled, full IRIs) and as Turtle with other prefixes; what it says stays the same."""
    shuffle = random.Random(14)
    files = sorted((repo / "ontology").glob("*.ttl")) + sorted((repo / "data").glob("*.ttl"))
    for index, path in enumerate(files):
        graph = Graph().parse(path, format="turtle")
        if index % 2 == 0:
            lines = graph.serialize(format="nt").splitlines()
            shuffle.shuffle(lines)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            renamed = Graph(bind_namespaces="none")
            for number, (_, namespace) in enumerate(graph.namespaces()):
                renamed.bind(f"p{number}", namespace)
            renamed += graph
            path.write_text(renamed.serialize(format="turtle"), encoding="utf-8")


def test_a_change_of_formatting_only_gives_an_empty_diff_and_a_changed_blank_node_a_change(tmp_path):
    repo = committed_copy(tmp_path / "project")
    edit(repo / "data" / "jaif-projects.ttl", '"103942.30"^^xsd:decimal', '"103942.3"^^xsd:decimal')  # the same decimal
    reserialise(repo)
    ontology = (repo / "ontology" / "aichr.ttl").read_text(encoding="utf-8")
    assert "_:" in ontology and "owl:unionOf" not in ontology, "the blank nodes are relabelled, the prefixes gone"
    assert git(repo, "diff", "--shortstat"), "every file was rewritten"
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    expected = f"Changes from HEAD ({head}) to the working tree\n\nAsserted facts: no change\n\nInferred facts: no change\n"
    assert diff(repo, "HEAD").stdout == expected
    assert diff(repo, "HEAD", "--format", "markdown").stdout == (
        f"### Changes to the graph from `HEAD ({head})` to the working tree\n\n"
        "**Asserted facts**: no change\n\n**Inferred facts**: no change\n"
    )
    empty = {"changed": 0, "added": 0, "removed": 0, "resources": []}
    document = json.loads(diff(repo, "HEAD", "--format", "json").stdout)
    assert (document["asserted"], document["inferred"]) == (empty, empty)

    ontology_file = repo / "ontology" / "aichr.ttl"
    graph = Graph().parse(ontology_file, format="turtle")
    place_first = next(graph.subjects(RDF.first, AJ.Place))
    graph.set((place_first, RDF.first, AJ.Event))
    ontology_file.write_text(graph.serialize(format="nt"), encoding="utf-8")
    report = sections(diff(repo, "HEAD").stdout)
    assert report["asserted"].endswith(
        "\nAsserted facts: 1 changed, 0 added, 0 removed\n"
        "  aj:country · country\n"
        "    ~ domain: [owl:unionOf: (place, organization); type: OWL class] → [owl:unionOf: (event, organization); type: OWL class]\n"
    )


def refused(repo: Path, *arguments: str) -> str:
    """The one line `diff` writes to stderr when it exits 2: no report, no traceback."""
    result = run_cli("diff", *arguments, cwd=repo)
    assert (result.returncode, result.stdout) == (2, ""), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_revision_that_cannot_be_read_is_refused_with_exit_2(changed, tmp_path):
    assert refused(changed, "no-such-branch") == (
        f"aichr-kg: cannot read revision 'no-such-branch': no such commit in the git repository at {changed}\n"
    )
    assert (
        refused(changed, "HEAD", "HEAD~9")
        == f"aichr-kg: cannot read revision 'HEAD~9': no such commit in the git repository at {changed}\n"
    )
    assert (
        refused(changed, "--", "--output=x")
        == "aichr-kg: cannot read revision '--output=x': a revision does not start with '-'\n"
    )
    outside = copy_project(tmp_path / "not-a-repository")
    assert refused(outside, "HEAD").startswith("aichr-kg: cannot read revision 'HEAD': not a git repository")


def test_a_revision_whose_turtle_does_not_parse_is_named_with_its_file_and_line(tmp_path):
    repo = committed_copy(tmp_path / "project")
    (repo / "data" / "broken.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "a broken file")
    message = refused(repo, "HEAD~1", "HEAD")
    assert message.startswith("aichr-kg: HEAD:data/broken.ttl:2:") and "Turtle syntax error" in message, message
    assert refused(repo, "HEAD~1").startswith(f"aichr-kg: {repo / 'data' / 'broken.ttl'}:2:"), "the working tree, by path"
