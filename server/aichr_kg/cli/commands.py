"""What each `aichr-kg` subcommand does, given settings and parsed arguments; returns an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from aichr_kg.authoring.skeleton import KINDS, Names, is_local_name, write_skeleton
from aichr_kg.cli.changed_since import focus_since
from aichr_kg.cli.diff import run_diff
from aichr_kg.cli.publish import run_publish
from aichr_kg.cli.query import run_query_command
from aichr_kg.cli.stats import print_counts
from aichr_kg.config import Settings
from aichr_kg.deploy.w3id import namespace_of, w3id_kit
from aichr_kg.errors import TurtleSyntaxError, UsageError
from aichr_kg.pipeline.build import BuildResult, input_identity
from aichr_kg.pipeline.build import build as run_build
from aichr_kg.pipeline.integrity import read_manifest
from aichr_kg.pipeline.load import LoadedGraph, load_files, load_in_context
from aichr_kg.pipeline.reports import render_load_error, render_report
from aichr_kg.pipeline.validate import validate_graph
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.web.serve import serve as run_server

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2
EXIT_BROKEN = 3  # the build's manifest or files are damaged; `aichr-kg build` remakes it
EXIT_STORE = 69  # a remote store is unreachable or refused the request (69 is EX_UNAVAILABLE)
EXIT_BUSY = 75  # another build holds the lock (75 is EX_TEMPFAIL: try again later)


def validate(settings: Settings, args: argparse.Namespace) -> int:
    """SHACL-validate data/ with the ontology (and check the saved queries parse), or the given Turtle files.

    Given files are validated with the rest of data/ as context, and only the findings about their own
    resources are reported; with --alone they are validated by themselves (self-contained examples).
    An unreadable file is reported in the requested format too (a CI annotation on its line), exit 2.
    With --changed-since, only the focus nodes a change since that revision can affect are validated.
    """
    _refuse_changed_since_with_others(args)
    try:
        data, scope = _data_to_validate(settings, args.paths, alone=args.alone)
        ontology = load_files([args.ontology or settings.ontology_dir])
        shapes = load_files([args.shapes or settings.shapes_dir])
    except TurtleSyntaxError as error:
        sys.stdout.write(render_load_error(error, args.format))
        raise
    focus = None
    if args.changed_since is not None:
        focus = focus_since(settings.root, args.changed_since, data.graph, shapes.graph, ontology.graph)
    outcome = validate_graph(data, shapes.graph, ontology.graph, scope=scope, focus=focus)
    sys.stdout.write(render_report(outcome, args.format))
    if outcome.left_out:
        print(
            f"{outcome.left_out} finding(s) about resources of other files not shown (validate without FILE to see all).",
            file=sys.stderr,
        )
    query_errors = [] if args.paths else read_saved_queries(settings.queries_dir)[1]
    for message in query_errors:
        print(message, file=sys.stderr)
    return EXIT_OK if outcome.conforms and not query_errors else EXIT_VIOLATIONS


def _refuse_changed_since_with_others(args: argparse.Namespace) -> None:
    """--changed-since compares the project's own folders at a revision: files or other folders would not match."""
    if args.changed_since is not None and (args.paths or args.alone or args.ontology or args.shapes):
        raise UsageError("--changed-since validates the project's data/: give no FILE, --alone, --ontology or --shapes")


def _data_to_validate(settings: Settings, paths: list[Path], alone: bool) -> tuple[LoadedGraph, frozenset[Node] | None]:
    """What `validate` loads, and the resources whose findings it reports (None: all of them)."""
    if not paths or alone:
        return load_files(paths or [settings.data_dir]), None
    return load_in_context(paths, settings.data_dir)


def new(settings: Settings, args: argparse.Namespace) -> int:
    """A skeleton of a new project, meeting or organisation, from the shapes, named as data/ names things."""
    local = args.id or f"new-{args.kind}"
    if not is_local_name(local):
        raise UsageError(f"--id {local!r}: use letters, digits, '-', '_' and '.' (it ends the new resource's IRI)")
    data = load_files([settings.data_dir])
    names = Names(data=data.graph, ontology=load_files([settings.ontology_dir]).graph)
    skeleton = write_skeleton(load_files([settings.shapes_dir]).graph, names, KINDS[args.kind], local)
    _refuse_described(local, skeleton.subjects, data.subject_files)
    text = skeleton.text
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with args.output.open("x", encoding="utf-8") as output:
            output.write(text)
    except FileExistsError:
        raise UsageError(f"{args.output}: exists already; name a new file, or remove it first") from None
    except OSError as error:
        raise UsageError(f"{args.output}: cannot be written ({error.strerror})") from None
    print(f"wrote {args.output}: fill in every FILL, then run `aichr-kg validate {args.output}`", file=sys.stderr)
    return EXIT_OK


def _refuse_described(local: str, subjects: tuple[URIRef, ...], subject_files: dict[Node, Path]) -> None:
    """A new resource must not be one data/ describes already: the skeleton's facts would merge into it."""
    taken = [f"{iri} is described already in {subject_files[iri]}" for iri in subjects if iri in subject_files]
    if taken:
        raise UsageError(f"--id {local!r}: " + "; ".join(taken) + "; choose another --id")


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


def w3id(settings: Settings, args: argparse.Namespace) -> int:
    """The w3id.org folder redirecting the base IRI's paths to --target, its README from the ontology's header."""
    namespace = namespace_of(load_files([settings.ontology_dir]).graph, tuple(args.contact))
    folder = w3id_kit(settings.base_iri, args.target, namespace).write(args.output)
    print(f"wrote {folder}/.htaccess and {folder}/README.md; docs/operations.md says how to register them", file=sys.stderr)
    if not namespace.contacts:
        print("the ontology names no contact (foaf:mbox, schema:email): give one with --contact", file=sys.stderr)
    return EXIT_OK
