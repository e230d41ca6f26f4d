"""The committed editor bundle is built from the committed sources: its first line names their sha256.

`make editor` rebuilds it (npm and esbuild); this test needs neither, so it runs everywhere. The
recipe is server/editor/build.mjs's: each source file's path, a NUL, its bytes, a NUL, in path order.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITOR = ROOT / "server" / "editor"
BUNDLE = ROOT / "server" / "aichr_kg" / "web" / "static" / "query-editor.js"
BANNER = re.compile(r"^/\* query-editor sources-sha256:([0-9a-f]{64}) ")


def source_paths(editor: Path) -> list[str]:
    """What the bundle is made from, relative to `editor`, in path order."""
    sources = [f"src/{path.name}" for path in (editor / "src").glob("*.js")]
    return sorted(["build.mjs", "package-lock.json", "package.json", *sources])


def source_hash(editor: Path) -> str:
    digest = hashlib.sha256()
    for path in source_paths(editor):
        digest.update(path.encode() + b"\0" + (editor / path).read_bytes() + b"\0")
    return digest.hexdigest()


def bundled_hash() -> str:
    first_line = BUNDLE.read_text(encoding="utf-8").split("\n", 1)[0]
    found = BANNER.match(first_line)
    assert found, f"{BUNDLE.name} has no sources-sha256 banner: rebuild it with `make editor`"
    return found.group(1)


def test_the_bundle_is_built_from_the_current_sources():
    assert bundled_hash() == source_hash(EDITOR), "server/editor changed since the bundle was built: `make editor`"


def test_a_changed_source_would_be_noticed(tmp_path):
    copy = tmp_path / "editor"
    (copy / "src").mkdir(parents=True)
    for path in source_paths(EDITOR):
        (copy / path).write_bytes((EDITOR / path).read_bytes())
    assert source_hash(copy) == bundled_hash()
    (copy / "src" / "main.js").write_text((EDITOR / "src" / "main.js").read_text() + "\n// one more line\n")
    assert source_hash(copy) != bundled_hash()
