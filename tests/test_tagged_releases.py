"""`aichr-kg release`: each tag vX.Y.Z built once into releases/X.Y.Z/, the same bytes every time."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aichr_kg.cli import main
from tagged_repo import NEW_AMOUNT, OLD_AMOUNT, edit, tagged_repository
from tests.support import git, run_cli_process


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    repo = tagged_repository(tmp_path_factory.mktemp("tagged"))
    assert main(["--root", str(repo), "release"]) == 0
    return repo


def every_byte(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_each_release_holds_its_own_fact(released):
    assert sorted(path.name for path in (released / "releases").iterdir()) == ["1.0.0", "1.1.0"]
    for version, present, absent in (("1.0.0", OLD_AMOUNT, NEW_AMOUNT), ("1.1.0", NEW_AMOUNT, OLD_AMOUNT)):
        folder = released / "releases" / version
        for name in ("aichr-kg.ttl.gz", "aichr-kg.nq.gz"):
            text = gzip.decompress((folder / name).read_bytes()).decode()
            assert present.strip('"') in text and absent.strip('"') not in text, (version, name)
        assert (folder / "aichr-kg.ttl").read_bytes() == gzip.decompress((folder / "aichr-kg.ttl.gz").read_bytes())


def test_the_manifest_records_the_tag_its_commit_time_and_every_files_checksum(released):
    manifest = json.loads((released / "releases" / "1.1.0" / "release.json").read_text())
    assert manifest["tag"] == "v1.1.0" and manifest["previous"] == "1.0.0"
    assert manifest["commit"] == git(released, "rev-parse", "v1.1.0^{commit}")
    committed = int(git(released, "show", "--no-patch", "--format=%ct", "v1.1.0^{commit}"))
    assert manifest["issued"] == datetime.fromtimestamp(committed, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert manifest["ontology_version_iri"] == "https://w3id.org/aichr-japan/ontology/1.2.0"
    names = [item["name"] for item in manifest["files"]]
    assert names == ["aichr-kg.ttl", "aichr-kg.ttl.gz", "aichr-kg.nq.gz", "notes.md", "notes.ttl"]
    for item in manifest["files"]:
        content = (released / "releases" / "1.1.0" / item["name"]).read_bytes()
        assert (item["byte_size"], item["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())


def test_the_notes_say_what_changed_since_the_release_before(released):
    notes = (released / "releases" / "1.1.0" / "notes.md").read_text()
    assert notes.startswith("# ServedBuild 1.1.0 (")
    assert "from `v1.0.0 (" in notes and "to `v1.1.0 (" in notes
    assert "changed **actual cost**: USD 169,934.75 → USD 169,934.00" in notes
    assert "The first release" in (released / "releases" / "1.0.0" / "notes.md").read_text()
    rdf = (released / "releases" / "1.1.0" / "notes.ttl").read_text()
    assert "adms:versionNotes" in rdf and "dcat:previousVersion release:1.0.0" in rdf


def test_gzip_carries_no_time_and_no_name(released):
    header = (released / "releases" / "1.0.0" / "aichr-kg.nq.gz").read_bytes()[:10]
    assert header[3] & 0x08 == 0, "no FNAME flag"
    assert header[4:8] == b"\0\0\0\0", "MTIME is 0"


def test_a_rebuild_from_scratch_is_byte_identical(released, tmp_path):
    """In another process (its own hash seed, blank-node labels and clock), from a fresh clone."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(released), str(clone))
    done = run_cli_process("release", cwd=clone)
    assert done.returncode == 0, done.stderr
    assert "released 1.0.0" in done.stderr and "released 1.1.0" in done.stderr
    assert every_byte(clone / "releases") == every_byte(released / "releases")


def test_a_built_release_is_not_rebuilt(released, capsys):
    before = {path: path.stat().st_mtime_ns for path in (released / "releases").rglob("*")}
    assert main(["--root", str(released), "release"]) == 0
    assert "every release tag (vX.Y.Z) is built; nothing to do" in capsys.readouterr().err
    assert {path: path.stat().st_mtime_ns for path in (released / "releases").rglob("*")} == before


def test_a_tag_whose_data_does_not_conform_is_refused_and_leaves_nothing(released, tmp_path, capsys):
    repo = tmp_path / "broken"
    git(tmp_path, "clone", "--quiet", str(released), str(repo))
    shutil.copytree(released / "releases", repo / "releases")
    edit(repo / "data" / "jaif-projects.ttl", NEW_AMOUNT + "^^xsd:decimal", '"a lot"')
    git(repo, "commit", "--quiet", "--all", "--message", "a cost that is no number")
    git(repo, "tag", "v2.0.0")
    assert main(["--root", str(repo), "release"]) == 1
    captured = capsys.readouterr()
    assert "aichr-kg: v2.0.0: the data does not conform to the shapes; no release was written" in captured.err
    assert "violation" in captured.out
    assert sorted(path.name for path in (repo / "releases").iterdir()) == ["1.0.0", "1.1.0"]


def test_outside_a_git_repository_release_says_so(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "release"]) == 2
    assert "not a git repository" in capsys.readouterr().err


def test_validate_checks_the_catalog_of_the_releases_against_dcat_ap(released, tmp_path, capsys):
    assert main(["--root", str(released), "validate"]) == 0
    copy = shutil.copytree(released, tmp_path / "copy", ignore=shutil.ignore_patterns(".git", "build", ".build"))
    manifest = copy / "releases" / "1.0.0" / "release.json"
    text = manifest.read_text()
    checksum = json.loads(text)["files"][0]["sha256"]
    manifest.write_text(text.replace(checksum, "not a checksum"))
    capsys.readouterr()
    assert main(["--root", str(copy), "validate"]) == 1
    err = capsys.readouterr().err
    assert "the catalog (/catalog) does not conform to DCAT-AP 3.0.0:" in err and "not a checksum" in err


def test_a_folder_in_the_way_of_a_release_is_reported_and_left_alone(released, tmp_path, capsys):
    repo = tmp_path / "blocked"
    git(tmp_path, "clone", "--quiet", str(released), str(repo))
    (repo / "releases" / "1.0.0").mkdir(parents=True)
    (repo / "releases" / "1.0.0" / "mine.txt").write_text("not a release")
    assert main(["--root", str(repo), "release"]) == 1
    assert "releases/1.0.0: exists but holds no release; remove it" in capsys.readouterr().err
    assert [path.name for path in (repo / "releases").iterdir()] == ["1.0.0"]
    assert [path.name for path in (repo / "releases" / "1.0.0").iterdir()] == ["mine.txt"]
