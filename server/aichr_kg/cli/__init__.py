"""The `aichr-kg` command: thin argument parsing over the pipeline; outcomes become exit codes (EPILOG)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TypeAlias

from aichr_kg import __version__
from aichr_kg.authoring.skeleton import KINDS
from aichr_kg.changes.render import DIFF_FORMATS
from aichr_kg.cli import commands
from aichr_kg.cli.commands import EXIT_BROKEN, EXIT_BUSY, EXIT_INPUT, EXIT_OK, EXIT_STORE
from aichr_kg.config import Limits, load_settings
from aichr_kg.errors import AichrKgError, BuildBrokenError, BuildBusyError, RemoteStoreError
from aichr_kg.namespaces import local_name
from aichr_kg.pipeline.build import WAIT_S
from aichr_kg.pipeline.infer import ENGINES
from aichr_kg.pipeline.reports import REPORT_FORMATS

EXIT_CODES = {BuildBrokenError: EXIT_BROKEN, BuildBusyError: EXIT_BUSY, RemoteStoreError: EXIT_STORE}
EPILOG = """exit codes: 0 success, 1 violations, a failed query or a publication that does not verify,
2 unreadable input or usage error, 3 the build is damaged (run `aichr-kg build`),
69 a remote store is unreachable or refused the request, 75 another build is running (try again later)"""
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aichr-kg",
        description="ASEAN–Japan human-rights cooperation as linked data.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aichr-kg {__version__}")
    parser.add_argument(
        "--root", type=Path, help="project folder holding ontology/ data/ shapes/ queries/ (default: current folder)"
    )
    parser.add_argument("--base-iri", help="base under which IRIs are minted (default https://w3id.org/aichr-japan/)")
    commands = parser.add_subparsers(dest="command", required=True)

    _add_validate(commands)
    _add_new(commands)
    _add_build(commands)
    _add_query(commands)
    commands.add_parser("queries", help="list the saved queries")
    commands.add_parser("stats", help="counts by class and by property")
    _add_serve(commands)
    _add_publish(commands)
    _add_diff(commands)
    commands.add_parser("release", help="build each git tag vX.Y.Z not yet in releases/ (dumps, checksums, notes)")
    _add_retire(commands)
    _add_w3id(commands)
    return parser


def _add_validate(commands: Subcommands) -> None:
    validate = commands.add_parser("validate", help="validate Turtle against the SHACL shapes (and saved queries)")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="Turtle files or folders, validated with the rest of data/ as context; only their own resources' findings are shown (default: all of data/)",
    )
    validate.add_argument("--alone", action="store_true", help="validate the given files by themselves, without data/ as context")
    validate.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format (default text)")
    validate.add_argument("--ontology", type=Path, help="ontology file or folder (default: the project's ontology/)")
    validate.add_argument("--shapes", type=Path, help="SHACL shapes file or folder (default: the project's shapes/)")
    validate.add_argument(
        "--changed-since",
        metavar="REV",
        help="validate only the resources a change since git revision REV can affect (in full if the ontology or shapes changed)",
    )


def _add_new(commands: Subcommands) -> None:
    new = commands.add_parser("new", help="write a Turtle skeleton of a new resource, from the shapes of its class")
    new.add_argument("kind", choices=sorted(KINDS), help=", ".join(f"{kind}: {local_name(cls)}" for kind, cls in KINDS.items()))
    new.add_argument("--id", default=None, help="the new resource's name in its namespace (default: new-KIND)")
    new.add_argument("-o", "--output", type=Path, help="write to this file, which must not exist (default: standard output)")


def _add_build(commands: Subcommands) -> None:
    build = commands.add_parser("build", help="validate, infer and write build/ (skipped when unchanged and intact)")
    build.add_argument("--engine", choices=ENGINES, default="rules", help="OWL 2 RL engine (default rules)")
    build.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    build.add_argument(
        "--wait",
        type=float,
        default=WAIT_S,
        metavar="SECONDS",
        help=f"wait this long for another build to finish, then exit 75 (default {WAIT_S:g}; 0 = do not wait)",
    )


def _add_query(commands: Subcommands) -> None:
    query = commands.add_parser("query", help="run SPARQL on the built dataset")
    query.add_argument("file", nargs="?", help="a .rq file, or - for standard input")
    query.add_argument("--saved", help="name of a saved query in queries/")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="saved-query parameter")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _add_serve(commands: Subcommands) -> None:
    serve = commands.add_parser("serve", help="serve the SPARQL endpoint and pages with a production WSGI server")
    serve.add_argument(
        "--verify",
        action="store_true",
        help="check every build file's sha256 before serving, exit 3 if one differs (default: sizes only)",
    )
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 5000)")
    serve.add_argument("--threads", type=int, help="WSGI threads of each HTTP worker (default 8)")
    serve.add_argument("--http-workers", type=int, help="HTTP worker processes, each with its own query workers (default 1)")
    serve.add_argument(
        "--reload-interval-s",
        type=float,
        help="look for a new build or publication this often and switch to it (default 2; 0: never)",
    )
    serve.add_argument(
        "--public-url", metavar="URL", help="the origin the server is reached at, e.g. https://kg.example.org (default: as asked)"
    )
    serve.add_argument(
        "--trust-proxy", type=int, metavar="N", help="trust X-Forwarded-* headers set by N proxies in front (default 0: never)"
    )
    serve.add_argument("--result-cache-mb", type=int, help="memory for repeated /sparql answers (default 64; 0: none)")
    serve.add_argument(
        "--endpoint",
        "--store-url",
        dest="store_url",
        metavar="QUERY_URL",
        help="serve from this SPARQL 1.1 query endpoint, what `publish` loaded into it, instead of the embedded store",
    )
    _add_credentials(serve)
    for name, default in vars(Limits()).items():
        serve.add_argument("--" + name.replace("_", "-"), type=type(default), help=f"limit (default {default})")


def _add_publish(commands: Subcommands) -> None:
    publish = commands.add_parser(
        "publish", help="load build/ into a remote store over the Graph Store Protocol (each graph replaced, then recorded)"
    )
    publish.add_argument("--endpoint", dest="store_url", metavar="QUERY_URL", help="the store's SPARQL 1.1 query endpoint")
    publish.add_argument(
        "--graph-store", dest="graph_store_url", metavar="GSP_URL", help="the store's Graph Store Protocol endpoint"
    )
    publish.add_argument("--query-timeout-s", type=float, help="time for each verification query (default 10)")
    _add_credentials(publish)


def _add_diff(commands: Subcommands) -> None:
    diff = commands.add_parser(
        "diff", help="the facts added, removed and changed between two git revisions of ontology/ and data/ (exit 0)"
    )
    diff.add_argument("revision", metavar="REV", help="the older revision (a commit, branch, tag, HEAD~1, …)")
    diff.add_argument("other", nargs="?", metavar="REV2", help="the newer revision (default: the working tree)")
    diff.add_argument("--format", choices=DIFF_FORMATS, default="text", help="report format (default text)")
    diff.add_argument("--engine", choices=ENGINES, default="rules", help="OWL 2 RL engine for the inferred facts")


def _add_retire(commands: Subcommands) -> None:
    retire = commands.add_parser(
        "retire", help="retire an IRI: its description becomes a tombstone in data/retired.ttl (301 to a successor, else 410)"
    )
    retire.add_argument("iri", metavar="IRI", help="the IRI or prefixed name (project:jaif-03) to retire")
    retire.add_argument("--replaced-by", metavar="IRI", help="its successor, which data/ describes and is not retired")
    retire.add_argument("--reason", metavar="TEXT", help="why, in English (required without --replaced-by)")


def _add_w3id(commands: Subcommands) -> None:
    w3id = commands.add_parser(
        "w3id", help="write the w3id.org folder (.htaccess and README.md) that redirects the base IRI's paths to a server"
    )
    w3id.add_argument(
        "--target", required=True, metavar="URL", help="where the server is published, e.g. https://kg.example.org/"
    )
    w3id.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="a checkout of perma-id/w3id.org, or any folder"
    )
    w3id.add_argument(
        "--contact",
        action="append",
        default=[],
        help="a maintainer's contact for the README (GitHub handle or e-mail), added to the ontology's",
    )


def _add_credentials(command: argparse.ArgumentParser) -> None:
    command.add_argument("--user", dest="store_user", help="user name, if the store asks for one (or AICHR_KG_STORE_USER)")
    command.add_argument(
        "--password",
        dest="store_password",
        help="password (prefer AICHR_KG_STORE_PASSWORD: a command line is visible to every user of the machine)",
    )


SETTING_OPTIONS = (
    "root",
    "base_iri",
    "host",
    "port",
    "threads",
    "http_workers",
    "result_cache_mb",
    "reload_interval_s",
    "public_url",
    "trust_proxy",
    "store_url",
    "graph_store_url",
    "store_user",
    "store_password",
    "release_folder",
    *vars(Limits()),
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(**{name: getattr(args, name, None) for name in SETTING_OPTIONS})
        return getattr(commands, args.command)(settings, args)
    except AichrKgError as error:
        print(f"aichr-kg: {error}", file=sys.stderr)
        return EXIT_CODES.get(type(error), EXIT_INPUT)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped early: not an error
        sys.stderr.close()
        return EXIT_OK
