"""What each `aichr-kg` subcommand does, given settings and parsed arguments; returns an exit code."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from aichr_kg import api
from aichr_kg.authoring.retire import Retirement
from aichr_kg.authoring.retire import retire as run_retire
from aichr_kg.authoring.skeleton import KINDS, Names, is_local_name, write_skeleton
from aichr_kg.changes.render import render as render_changes
from aichr_kg.cli.query import run_query_command
from aichr_kg.cli.release import run_release
from aichr_kg.cli.stats import print_counts
from aichr_kg.config import Settings
from aichr_kg.deploy.w3id import namespace_of, w3id_kit
from aichr_kg.errors import TurtleSyntaxError, UsageError
from aichr_kg.pipeline.build import BuildResult, input_identity
from aichr_kg.pipeline.build import build as run_build
from aichr_kg.pipeline.integrity import read_manifest
from aichr_kg.pipeline.load import load_files
from aichr_kg.pipeline.reports import render_load_error, render_report
from aichr_kg.saved.catalog import read_saved_queries
from aichr_kg.store.publishing import publish_build
from aichr_kg.web.serve import serve as run_server

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2
EXIT_BROKEN = 3  # the build's manifest or files are damaged; `aichr-kg build` remakes it
EXIT_STORE = 69  # a remote store is unreachable or refused the request (69 is EX_UNAVAILABLE)
EXIT_BUSY = 75  # another build holds the lock (75 is EX_TEMPFAIL: try again later)


def validate(settings: Settings, args: argparse.Namespace) -> int:
    """SHACL-validate data/ with the ontology, its links, the saved queries and the catalog (`api.validate`).

    An unreadable file is reported in the requested format too (a CI annotation on its line), exit 2.
    """
    try:
        validation = api.validate_project(
            settings,
            files=args.paths,
            alone=args.alone,
            changed_since=args.changed_since,
            ontology=args.ontology,
            shapes=args.shapes,
        )
    except TurtleSyntaxError as error:
        sys.stdout.write(render_load_error(error, args.format))
        raise
    sys.stdout.write(render_report(validation.outcome, args.format))
    for line in (*validation.notes, *validation.problems):
        print(line, file=sys.stderr)
    return EXIT_OK if validation.conforms else EXIT_VIOLATIONS


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
    if result.skipped and result.manifest is not None:
        print(f"build/ is up to date (inputs {result.manifest.input_hash[:12]}); nothing to do.", file=sys.stderr)
        return EXIT_OK
    return _report_built(settings, result)


def _report_built(settings: Settings, result: BuildResult) -> int:
    """A build's outcome on stderr (and its violations on stdout): what was built, and why."""
    if result.manifest is None:  # validation stopped it
        if result.validation is not None:
            sys.stdout.write(render_report(result.validation, "text"))
        print(
            "build stopped: the data does not conform (shapes, links or vanished IRIs); build/ was left as it was.",
            file=sys.stderr,
        )
        return EXIT_VIOLATIONS
    counts = ", ".join(f"{name} {info.triples}" for name, info in result.manifest.graphs.items())
    inputs = result.manifest.input_hash[:12]
    print(f"built {settings.build_dir} ({counts} triples; inputs {inputs}) because {result.reason}", file=sys.stderr)
    return EXIT_OK


def query(settings: Settings, args: argparse.Namespace) -> int:
    return run_query_command(settings, file=args.file, saved=args.saved, params=args.param, output_format=args.format)


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
    check = publish_build(settings, progress=lambda line: print(line, file=sys.stderr))
    if not check.verified:
        print("aichr-kg: the publication does not verify: " + "; ".join(check.problems), file=sys.stderr)
        return EXIT_VIOLATIONS
    for graph in check.graphs:
        print(f"{graph.name}\t{graph.iri}\t{graph.held} triples")
    print(f"verified at {check.endpoint}: build {check.recorded_hash} is published", file=sys.stderr)
    return EXIT_OK


def diff(settings: Settings, args: argparse.Namespace) -> int:
    """The facts added, removed and changed between two revisions; 0 whatever changed, 2 if one cannot be read."""
    report = api.diff(args.revision, args.other, root=settings.root, engine=args.engine)
    sys.stdout.write(render_changes(report, args.format))
    return EXIT_OK


def release(settings: Settings, args: argparse.Namespace) -> int:
    """Build each git tag vX.Y.Z not yet in releases/: dumps, checksums and notes, the same bytes every time."""
    return run_release(settings)


def retire(settings: Settings, args: argparse.Namespace) -> int:
    """Turn an IRI's description into a tombstone; say what changed and what `validate` will ask next."""
    today = datetime.now(UTC).date()
    retirement = Retirement(iri=args.iri, successor=args.replaced_by, reason=args.reason, day=today)
    done = run_retire(settings.data_dir, settings.ontology_dir, retirement)
    sys.stdout.write(done.tombstone)
    cut = ", ".join(str(path) for path in done.edited)
    print(f"retired {done.iri}: tombstone appended to {done.retired_file}; description cut from {cut}", file=sys.stderr)
    print("run `aichr-kg validate`: it names each remaining link to it, with the successor to use", file=sys.stderr)
    return EXIT_OK


def serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the build, building first when there is none or the inputs changed (with the last build's engine).

    From a remote store (--endpoint) nothing is built: the store serves what was published to it.
    A damaged build is refused rather than rebuilt behind the operator's back: BuildBrokenError, exit 3.
    """
    if settings.store_url:
        run_server(settings, verify=args.verify)
        return EXIT_OK
    manifest = read_manifest(settings.build_dir)
    engine = manifest.engine if manifest else "rules"
    if manifest is None or manifest.input_hash != input_identity(settings, engine):
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
