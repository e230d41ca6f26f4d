"""Checksums of a build's files, recorded in its manifest and checked before the build is trusted.

A build is skipped or served only while every file it wrote is still there as written: a file cut
short by a full disk, deleted by hand or damaged on disk is named here, then rebuilt (`build`) or
refused (`serve`), instead of surfacing later as failing queries or a truncated download.
Opening the store read-only, as the server's workers and `query` do, changes no file in it, so
every file of the store folder (its LOG and LOCK included) is content and is recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from aichr_kg.errors import BuildBrokenError, BuildMissingError
from aichr_kg.pipeline.manifest import Manifest, ManifestUnreadable, OutputFile

MANIFEST = "manifest.json"
CHUNK_BYTES = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def record_outputs(build_dir: Path) -> dict[str, OutputFile]:
    """Size and sha256 of every file under `build_dir` but the manifest, by path relative to it."""
    files = sorted(path for path in build_dir.rglob("*") if path.is_file() and path.name != MANIFEST)
    return {path.relative_to(build_dir).as_posix(): OutputFile(path.stat().st_size, file_sha256(path)) for path in files}


def read_manifest(build_dir: Path, *, shown_as: Path | None = None) -> Manifest | None:
    """The build's manifest, or None when there is no build; BuildBrokenError when it cannot be used.

    `shown_as` is the folder named in the error (the `build` link rather than the release it points to).
    """
    path = build_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BuildBrokenError(str(shown_as or build_dir), f"{MANIFEST} cannot be read ({error})") from None
    except ManifestUnreadable as error:
        raise BuildBrokenError(str(shown_as or build_dir), f"{MANIFEST} cannot be used: {error}") from None


def find_damage(build_dir: Path, outputs: Mapping[str, OutputFile], *, full: bool) -> str | None:
    """The first recorded file that is missing or differs ("store/CURRENT is missing"), or None.

    Without `full` only presence and sizes are compared (a few stat calls); with it, every hash.
    """
    for name, recorded in outputs.items():
        path = build_dir / name
        if not path.is_file():
            return f"{name} is missing"
        size = path.stat().st_size
        if size != recorded.size:
            return f"{name} is {size} bytes, not the {recorded.size} the build wrote"
        if full and file_sha256(path) != recorded.sha256:
            return f"{name} differs from what the build wrote (sha256 mismatch)"
    return None


def open_build(link: Path, *, full: bool = False) -> tuple[Path, Manifest]:
    """The release `link` points to, and its manifest, once its files are checked.

    The link is resolved first, so a build switching it meanwhile cannot mix two releases.
    Raises BuildMissingError when there is no build, BuildBrokenError naming the damaged file.
    """
    release = link.resolve()
    manifest = read_manifest(release, shown_as=link)
    if manifest is None:
        raise BuildMissingError(f"no build in {link}: run `aichr-kg build` first")
    problem = find_damage(release, manifest.outputs, full=full)
    if problem:
        raise BuildBrokenError(str(link), problem)
    return release, manifest
