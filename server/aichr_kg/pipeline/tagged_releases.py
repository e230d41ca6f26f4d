"""Citable releases: each git tag `vX.Y.Z` built once into `releases/X.Y.Z/`, the same bytes every time.

The tag's ontology/, data/ and shapes/ are read from git's object store (`git archive`), never checked
out. Each release is validated and inferred as a build is, then written without anything that varies
between runs: times come from the tag's commit, output is sorted, blank nodes are canonically named
and gzip carries no time or file name. A release is written to a staging folder and renamed into
place whole, so a broken tag leaves nothing behind, and a written release is never rebuilt.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aichr_kg.changes.revisions import commit_of, git_output
from aichr_kg.config import Settings
from aichr_kg.errors import AichrKgError
from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.release_dumps import dataset_graphs, ontology_version_iri, write_dumps
from aichr_kg.pipeline.release_manifest import (
    MANIFEST_NAME,
    ReleaseManifest,
    is_version,
    read_releases,
    version_key,
)
from aichr_kg.pipeline.release_notes import write_notes
from aichr_kg.pipeline.validate import ValidationOutcome, validate_graph

TAG_PREFIX = "v"
FOLDERS = ("ontology", "data", "shapes")
STAGING_PREFIX = ".staging-"


class ReleaseBuildError(AichrKgError):
    """A tag that cannot be released; `outcome` holds the SHACL findings when its data does not conform."""

    def __init__(self, message: str, outcome: ValidationOutcome | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome


@dataclass(frozen=True)
class Tag:
    """A release tag: `v1.2.0` names version 1.2.0 at `commit`, committed at `issued` (UTC)."""

    name: str
    commit: str
    issued: str

    @property
    def version(self) -> str:
        return self.name.removeprefix(TAG_PREFIX)


def release_tags(root: Path) -> list[Tag]:
    """The repository's tags of the form vX.Y.Z, oldest version first; other tags are not releases."""
    names = git_output(root, "tags", "tag", "--list", f"{TAG_PREFIX}*").decode().split()
    versions = sorted((name for name in names if is_version(name.removeprefix(TAG_PREFIX))), key=_tag_key)
    return [Tag(name, commit_of(root, name), _commit_time(root, name)) for name in versions]


def _tag_key(name: str) -> tuple[int, ...]:
    return version_key(name.removeprefix(TAG_PREFIX))


def _commit_time(root: Path, tag: str) -> str:
    """The committer time of the tag's commit, in UTC: the one clock a release may show."""
    stamp = git_output(root, tag, "show", "--no-patch", "--format=%ct", f"{tag}^{{commit}}").decode().strip()
    return datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_releases(settings: Settings, *, report: Callable[[str], None] = lambda _: None) -> list[ReleaseManifest]:
    """Build every release tag not yet in `settings.releases_dir`, oldest first; returns the new releases.

    Stops at the first tag that cannot be released (ReleaseBuildError): a later release's notes are
    written against the one before it.
    """
    folder = settings.releases_dir
    built = {manifest.version for manifest in read_releases(folder)}
    previous: Tag | None = None
    made = []
    for tag in release_tags(settings.root):
        if tag.version not in built:
            made.append(build_release(settings, tag, previous))
            report(f"released {tag.version} ({tag.name}, commit {tag.commit[:12]}) in {folder / tag.version}")
        previous = tag
    return made


def build_release(settings: Settings, tag: Tag, previous: Tag | None) -> ReleaseManifest:
    """Write `releases/<version>/` for `tag`: dumps, notes against `previous`, and the manifest last."""
    folder = settings.releases_dir
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{tag.version}-", dir=folder))
    try:
        manifest = _write_release(settings, tag, previous, staging)
        staging.chmod(0o755)  # mkdtemp makes it private; a release is for everyone to read
        _move_into_place(staging, folder / tag.version)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once renamed into place
    return manifest


def _move_into_place(staging: Path, target: Path) -> None:
    """One rename: readers see no release or all of it. Another run that got there first made the same bytes."""
    try:
        staging.rename(target)
    except OSError:
        if not (target / MANIFEST_NAME).is_file():
            raise ReleaseBuildError(
                f"{target}: exists but holds no release; remove it and run `aichr-kg release` again"
            ) from None


def _write_release(settings: Settings, tag: Tag, previous: Tag | None, staging: Path) -> ReleaseManifest:
    with tempfile.TemporaryDirectory(prefix="aichr-kg-release-") as scratch:
        project = Path(scratch) / tag.name
        _extract(settings.root, tag, project)
        ontology = load_files([project / "ontology"]).graph
        data = load_files([project / "data"])
        outcome = validate_graph(data, load_files([project / "shapes"]).graph, ontology)
        if not outcome.conforms:
            raise ReleaseBuildError(f"{tag.name}: the data does not conform to the shapes; no release was written", outcome)
        graphs = dataset_graphs(data.graph, ontology, settings.base_iri)
        files = write_dumps(graphs, settings.base_iri, staging)
    files += write_notes(settings, tag.name, tag.version, tag.issued, previous.name if previous else None, staging)
    manifest = ReleaseManifest(
        version=tag.version,
        tag=tag.name,
        commit=tag.commit,
        issued=tag.issued,
        previous=previous.version if previous else None,
        base_iri=settings.base_iri,
        ontology_version_iri=ontology_version_iri(ontology, settings.base_iri),
        triples={name: len(graph) for name, graph in graphs.items()},
        files=tuple(files),
    )
    (staging / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _extract(root: Path, tag: Tag, target: Path) -> None:
    """The tag's ontology/, data/ and shapes/ (as committed, relative to `root`) unpacked into `target`."""
    present = git_output(root, tag.name, "ls-tree", "--name-only", f"{tag.commit}:./").decode().split()
    missing = [folder for folder in FOLDERS if folder not in present]
    if missing:
        raise ReleaseBuildError(f"{tag.name}: the tagged commit has no {', '.join(missing)} folder")
    archive = git_output(root, tag.name, "archive", "--format=tar", f"{tag.commit}:./", *FOLDERS)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
