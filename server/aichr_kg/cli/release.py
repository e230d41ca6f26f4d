"""`aichr-kg release`: build every git tag vX.Y.Z not yet in releases/, and say what was made."""

from __future__ import annotations

import sys

from aichr_kg.config import Settings
from aichr_kg.pipeline.reports import render_report
from aichr_kg.pipeline.tagged_releases import ReleaseBuildError, build_releases


def run_release(settings: Settings) -> int:
    """0 when every release tag is built (now or before); 1 when a tag's data does not conform."""
    try:
        made = build_releases(settings, report=lambda line: print(line, file=sys.stderr))
    except ReleaseBuildError as error:
        if error.outcome is not None:
            sys.stdout.write(render_report(error.outcome, "text"))
        print(f"aichr-kg: {error}", file=sys.stderr)
        return 1
    if not made:
        print(f"{settings.releases_dir}: every release tag (vX.Y.Z) is built; nothing to do.", file=sys.stderr)
    return 0
