"""`aichr-kg diff REV [REV2]`: the facts a change adds, removes and changes, for a reviewer or a CI job summary.

A difference is information, not a failure: the exit code is 0 whatever changed, 2 when a revision
(or a file in it) cannot be read.
"""

from __future__ import annotations

import argparse
import sys

from aichr_kg.changes.compare import compare
from aichr_kg.changes.render import render
from aichr_kg.changes.revisions import at_revision, working_tree
from aichr_kg.changes.wording import describe
from aichr_kg.config import Settings


def run_diff(settings: Settings, args: argparse.Namespace) -> int:
    """Compare `args.revision` with `args.other` (default: the working tree) and print the report."""
    before = at_revision(settings.root, args.revision)
    after = at_revision(settings.root, args.other) if args.other else working_tree(settings.root)
    sys.stdout.write(render(describe(compare(before, after, engine=args.engine)), args.format))
    return 0
