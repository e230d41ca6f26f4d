"""No dangling links, and a published IRI is forever: `validate`, `validate FILE` and `--changed-since`
in a git repository made from a copy of the project, with the rename a maintainer would try.

Renaming project:jaif-03 to project:jaif-03x in data/jaif-projects.ttl alone leaves two outcomes of
data/meetings.ttl (lines 51 and 117) linking to an IRI nothing describes; renaming every reference
too leaves no dangling link, but the IRI that was published is gone, which --changed-since refuses.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from aichr_kg.cli import main

ID = "https://w3id.org/aichr-japan/id/"
OLD, NEW = ID + "project/jaif-03", ID + "project/jaif-03x"
USER = ID + "outcome/interface-1-2"
PROJECTS, MEETINGS = Path("data/jaif-projects.ttl"), Path("data/meetings.ttl")


def run(capsys: pytest.CaptureFixture, root: Path, *args: str) -> tuple[int, str, str]:
    """`aichr-kg --root ROOT ARGS` in this process: exit code, stdout, stderr."""
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edit(root: Path, path: Path, old: str, new: str) -> None:
    text = (root / path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    (root / path).write_text(text.replace(old, new), encoding="utf-8")


def rename_subject(root: Path) -> None:
    """The rename as the issue tried it: only the subject's own line."""
    edit(root, PROJECTS, "\nproject:jaif-03\n", "\nproject:jaif-03x\n")


def rename_everywhere(root: Path) -> None:
    """The rename done properly: the subject and every reference."""
    rename_subject(root)
    edit(root, MEETINGS, "project:jaif-03 ", "project:jaif-03x ")


def dangling(results: list[dict]) -> list[tuple[str, int, str, str]]:
    return [(Path(r["file"]).name, r["line"], r["focus"], r["value"]) for r in results if r["value"] == OLD]


def test_the_committed_project_has_no_dangling_link(clean: Path, capsys):
    code, out, _ = run(capsys, clean, "validate", "--changed-since", "HEAD")
    assert code == 0, out
    assert run(capsys, clean, "validate")[0] == 0


def test_a_renamed_subject_leaves_its_links_dangling_in_every_format(clean: Path, capsys):
    rename_subject(clean)
    code, out, _ = run(capsys, clean, "validate", "--format", "json")
    assert code == 1
    assert dangling(json.loads(out)["results"]) == [
        ("meetings.ttl", 51, USER, OLD),
        ("meetings.ttl", 117, ID + "outcome/interface-2-4", OLD),
    ]
    code, out, _ = run(capsys, clean, "validate")
    assert code == 1
    assert "meetings.ttl:51: violation: project:jaif-03 is linked to, but nothing describes it" in out
    assert f"focus: {USER}" in out
    code, out, _ = run(capsys, clean, "validate", "--format", "github")
    assert code == 1
    assert any(
        line.startswith("::error file=") and "meetings.ttl,line=51,title=Dangling link::" in line and USER in line
        for line in out.splitlines()
    )
    code, out, _ = run(capsys, clean, "validate", "--format", "junit")
    assert code == 1
    failures = [case.find("failure") for case in ElementTree.fromstring(out.split("?>", 1)[1]).iter("testcase")]
    assert any(f is not None and "meetings.ttl:51" in (f.text or "") and "jaif-03" in f.get("message", "") for f in failures)
    code, out, _ = run(capsys, clean, "validate", "--format", "turtle")
    assert code == 1 and f"<{OLD}>" in out and "DanglingLink" in out


def test_validate_file_reports_the_dangling_links_its_resources_hold(clean: Path, capsys):
    rename_subject(clean)
    code, out, _ = run(capsys, clean, "validate", "--format", "json", str(clean / MEETINGS))
    assert code == 1
    assert ("meetings.ttl", 51, USER, OLD) in dangling(json.loads(out)["results"])
    code, out, err = run(capsys, clean, "validate", str(clean / PROJECTS))
    assert code == 0, out
    assert "2 finding(s) about resources of other files not shown" in err


def test_changed_since_reports_the_dangling_links_and_the_vanished_iri(clean: Path, capsys):
    rename_subject(clean)
    code, out, _ = run(capsys, clean, "validate", "--changed-since", "HEAD", "--format", "json")
    assert code == 1
    results = json.loads(out)["results"]
    assert ("meetings.ttl", 51, USER, OLD) in dangling(results)
    assert [r["file"] for r in results if r["focus"] == OLD] == ["data/jaif-projects.ttl"]


def test_a_proper_rename_is_refused_as_a_vanished_iri_naming_its_file(clean: Path, capsys):
    rename_everywhere(clean)
    assert run(capsys, clean, "validate")[0] == 0, "no link dangles"
    code, out, _ = run(capsys, clean, "validate", "--changed-since", "HEAD")
    assert code == 1
    assert out.startswith(f"data/jaif-projects.ttl: violation: {OLD} was described in data/jaif-projects.ttl at HEAD")
    assert "aichr-kg retire" in out
    code, out, _ = run(capsys, clean, "validate", "--changed-since", "HEAD", "--format", "github")
    assert code == 1 and "::error file=data/jaif-projects.ttl,title=Vanished IRI::" in out and OLD in out


def test_a_mistyped_ontology_term_dangles_too(clean: Path, capsys):
    edit(clean, PROJECTS, "aj:theme theme:trafficking-in-persons", "aj:themes theme:trafficking-in-persons")
    code, out, _ = run(capsys, clean, "validate", "--format", "json")
    assert code == 1
    values = {(r["value"], Path(r["file"]).name) for r in json.loads(out)["results"]}
    assert ("https://w3id.org/aichr-japan/ontology/themes", "jaif-projects.ttl") in values


def test_retiring_with_a_successor_keeps_the_old_iri_described(clean: Path, capsys):
    """The rename done by retirement: the old IRI's tombstone names the successor, and links are moved to it."""
    block = (clean / PROJECTS).read_text(encoding="utf-8").split("\nproject:jaif-03\n", 1)[1].split("\n\n", 1)[0]
    with (clean / PROJECTS).open("a", encoding="utf-8") as out:
        out.write("\nproject:jaif-03x\n" + block + "\n")
    code, out, err = run(capsys, clean, "retire", "project:jaif-03", "--replaced-by", "project:jaif-03x")
    assert code == 0, err
    assert "dct:isReplacedBy project:jaif-03x" in out and "owl:deprecated true" in out
    assert out in (clean / "data/retired.ttl").read_text(encoding="utf-8")
    assert "\nproject:jaif-03\n" not in (clean / PROJECTS).read_text(encoding="utf-8")
    code, out, _ = run(capsys, clean, "validate")
    assert code == 1
    assert "meetings.ttl:51: violation: project:jaif-03 is retired: link to its successor project:jaif-03x instead" in out
    edit(clean, MEETINGS, "project:jaif-03 ", "project:jaif-03x ")
    assert run(capsys, clean, "validate")[0] == 0
    code, out, _ = run(capsys, clean, "validate", "--changed-since", "HEAD")
    assert code == 0, out


def test_retiring_without_a_successor_needs_a_reason(clean: Path, capsys):
    code, _, err = run(capsys, clean, "retire", "initiative:goj-10")
    assert code == 2 and "--reason" in err
    code, out, err = run(
        capsys, clean, "retire", "initiative:goj-10", "--reason", "Not an initiative of the Government of Japan."
    )
    assert code == 0, err
    assert 'skos:changeNote "Not an initiative of the Government of Japan."@en' in out
    assert run(capsys, clean, "validate")[0] == 0
    assert run(capsys, clean, "validate", "--changed-since", "HEAD")[0] == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["https://example.org/thing"], "is not an IRI of ours"),
        (["aj:Project"], "is an ontology term"),
        (["project:jaif-99", "--reason", "x"], "nothing in data/ describes it"),
        (["nosuch:thing"], "neither an IRI nor a prefixed name"),
        (["project:jaif-03", "--replaced-by", "project:jaif-99"], "--replaced-by " + ID + "project/jaif-99: nothing"),
        (["project:jaif-03", "--replaced-by", "https://example.org/x"], "nothing in data/ describes it"),
        (["project:jaif-03", "--replaced-by", "project:jaif-03"], "cannot replace itself"),
    ],
)
def test_retire_refuses_what_cannot_be_retired(clean: Path, capsys, arguments: list[str], message: str):
    before = {path: path.read_bytes() for path in (clean / "data").glob("*.ttl")}
    code, out, err = run(capsys, clean, "retire", *arguments)
    assert code == 2 and message in err and out == ""
    assert "Traceback" not in err
    assert {path: path.read_bytes() for path in (clean / "data").glob("*.ttl")} == before


def test_retire_refuses_a_retired_iri_and_a_retired_successor(clean: Path, capsys):
    assert run(capsys, clean, "retire", "initiative:goj-10", "--reason", "Duplicate.")[0] == 0
    code, _, err = run(capsys, clean, "retire", "initiative:goj-10", "--reason", "Again.")
    assert code == 2 and "is retired already" in err
    code, _, err = run(capsys, clean, "retire", "initiative:goj-09", "--replaced-by", "initiative:goj-10")
    assert code == 2 and "it is retired itself" in err


def test_retire_writes_retired_ttl_with_the_data_prefixes_when_there_is_none(clean: Path, capsys):
    (clean / "data/retired.ttl").unlink()
    code, _, err = run(capsys, clean, "retire", "initiative:goj-10", "--reason", "Duplicate.")
    assert code == 0, err
    written = (clean / "data/retired.ttl").read_text(encoding="utf-8")
    assert "@prefix initiative:   <https://w3id.org/aichr-japan/id/initiative/> ." in written
    assert run(capsys, clean, "validate")[0] == 0
