"""What each `aichr-kg` subcommand does, given settings and parsed arguments; returns an exit code."""

from __future__ import annotations

import argparse
import sys

from aichr_kg.cli.diff import run_diff
from aichr_kg.cli.publish import run_publish
from aichr_kg.cli.query import run_query_command
from aichr_kg.cli.stats import print_counts
from aichr_kg.config import Settings
from aichr_kg.errors import TurtleSyntaxError
from aichr_kg.pipeline.build import BuildResult, input_identity
from aichr_kg.pipeline.build import build as run_build
from aichr_kg.pipeline.integrity import read_manifest
from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.reports import render_load_error, render_report
from aichr_kg.pipeline.validate import validate_graph
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.web.serve import serve as run_server

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2
EXIT_BROKEN = 3  # the build's manifest or files are damaged; `aichr-kg build` remakes it
EXIT_STORE = 69  # a remote store is unreachable or refused the request (69 is EX_UNAVAILABLE)
EXIT_BUSY = 75  # another build holds the lock (75 is EX_TEMPFAIL: try again later)


def validate(settings: Settings, args: argparse.Namespace) -> int:
    """SHACL-validate the given Turtle (or data/) with the ontology; also check the saved queries parse.

    An unreadable file is reported in the requested format too (a CI annotation on its line), exit 2.
    """
    try:
        data = load_files(args.paths or [settings.data_dir])
        ontology = load_files([args.ontology or settings.ontology_dir])
        shapes = load_files([args.shapes or settings.shapes_dir])
    except TurtleSyntaxError as error:
        sys.stdout.write(render_load_error(error, args.format))
        raise
    outcome = validate_graph(data, shapes.graph, ontology.graph)
    sys.stdout.write(render_report(outcome, args.format))
    query_errors = [] if args.paths else read_saved_queries(settings.queries_dir)[1]
    for message in query_errors:
        print(message, file=sys.stderr)
    return EXIT_OK if outcome.conforms and not query_errors else EXIT_VIOLATIONS


def build(settings: Settings, args: argparse.Namespace) -> int:
    result = run_build(settings, engine=args.engine, force=args.force, wait_s=args.wait)
    if result.skipped:
        print(f"build/ is up to date (inputs {result.manifest['input_hash'][:12]}); nothing to do.", file=sys.stderr)
        return EXIT_OK
    return _report_built(settings, result)


def _report_built(settings: Settings, result: BuildResult) -> int:
    """A build's outcome on stderr (and its violations on stdout): what was built, and why."""
    if result.validation is not None and not result.validation.conforms:
        sys.stdout.write(render_report(result.validation, "text"))
        print("build stopped: the data does not conform to the shapes; build/ was left as it was.", file=sys.stderr)
        return EXIT_VIOLATIONS
    counts = ", ".join(f"{name} {info['triples']}" for name, info in result.manifest["graphs"].items())
    inputs = result.manifest["input_hash"][:12]
    print(f"built {settings.build_dir} ({counts} triples; inputs {inputs}) because {result.reason}", file=sys.stderr)
    return EXIT_OK


def query(settings: Settings, args: argparse.Namespace) -> int:
    return run_query_command(settings, args)


def queries(settings: Settings, args: argparse.Namespace) -> int:
    """Each usable saved query's name and summary, then its parameters (? if optional); problems on stderr."""
    usable, problems = read_saved_queries(settings.queries_dir)
    for saved in usable:
        print(f"{saved.name:40} {saved.summary}")
        for parameter in saved.parameters:
            optional = "" if parameter.required and parameter.name not in saved.defaults else "?"
            print(f"{'':40}   --param {parameter.name}{optional}=  {parameter.expected}")
    for message in problems:
        print(message, file=sys.stderr)
    return EXIT_VIOLATIONS if problems else EXIT_OK


def stats(settings: Settings, args: argparse.Namespace) -> int:
    return print_counts(settings)


def publish(settings: Settings, args: argparse.Namespace) -> int:
    """Load build/ into a remote store (each graph replaced, the publication recorded last); 1 if it does not verify."""
    return EXIT_OK if run_publish(settings) else EXIT_VIOLATIONS


def diff(settings: Settings, args: argparse.Namespace) -> int:
    """The facts added, removed and changed between two revisions; 0 whatever changed, 2 if one cannot be read."""
    return run_diff(settings, args)


def serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the build, building first when there is none or the inputs changed (with the last build's engine).

    From a remote store (--endpoint) nothing is built: the store serves what was published to it.
    A damaged build is refused rather than rebuilt behind the operator's back: BuildBrokenError, exit 3.
    """
    if settings.store_url:
        run_server(settings, verify=args.verify)
        return EXIT_OK
    manifest = read_manifest(settings.build_dir)
    engine = (manifest or {}).get("engine", "rules")
    if manifest is None or manifest["input_hash"] != input_identity(settings, engine):
        result = run_build(settings, engine=engine)
        if not result.skipped and _report_built(settings, result) != EXIT_OK:
            return EXIT_VIOLATIONS
    run_server(settings, verify=args.verify)
    return EXIT_OK
