"""The operator's files do what docs/operations.md says: the unit's command line, its log, the scrape job, the release path."""

from __future__ import annotations

import configparser
import re
import shlex

import pytest
import yaml

from aichr_kg.cli import _parser
from tagged_repo import tagged_repository
from tests.support import ROOT, git, run_cli

DEPLOY = ROOT / "docs" / "deploy"
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read(DEPLOY / "aichr-kg.service")
    return parser


def shell_block(after_heading: str) -> list[str]:
    """The commands of the first ```sh block under a heading of docs/operations.md."""
    section = OPERATIONS.split(after_heading, 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_the_units_command_line_is_the_documented_one_and_parses():
    service = unit()["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[0] == "/srv/aichr-kg/.venv/bin/aichr-kg"
    args = _parser().parse_args(command[1:])
    assert args.command == "serve" and (args.host, args.port) == ("127.0.0.1", 5000)
    assert service["ExecStart"] in OPERATIONS
    assert service["Restart"] == "on-failure" and service["RestartPreventExitStatus"].split() == ["2", "3"]


def test_logrotate_rotates_the_units_log():
    log = unit()["Service"]["StandardOutput"].removeprefix("append:")
    rotation = (DEPLOY / "aichr-kg.logrotate").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(log)} \{{", rotation, re.MULTILINE) and "copytruncate" in rotation


def test_the_scrape_job_reads_metrics_that_the_server_exposes(client):
    job = yaml.safe_load((DEPLOY / "prometheus.yml").read_text(encoding="utf-8"))["scrape_configs"][0]
    assert job["metrics_path"] == "/metrics"
    exposed = client.get(job["metrics_path"]).get_data(as_text=True)
    for name in set(re.findall(r"`(aichr_[a-z_]+)`", OPERATIONS)):
        assert re.search(rf"^(# TYPE )?{name}\b", exposed, re.MULTILINE), name


@pytest.mark.slow
def test_the_fresh_clone_commands_make_the_releases_and_the_build(tmp_path):
    """The aichr-kg commands of "From a fresh clone", run in a clone of a repository with release tags."""
    origin = tagged_repository(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(origin), str(clone))
    commands = [shlex.split(line) for line in shell_block("### From a fresh clone") if line.startswith(".venv/bin/aichr-kg")]
    assert [command[1] for command in commands] == ["release", "build", "serve"]
    for command in commands[:-1]:  # serve runs until stopped: the served tests cover it
        done = run_cli(*command[1:], cwd=clone)
        assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in (clone / "releases").iterdir()) == ["1.0.0", "1.1.0"]
    assert (clone / "build" / "dumps" / "aichr-kg.ttl").is_file()
