"""HermiT, the OWL 2 DL reasoner Protégé ships, run through owlready2 on the project's Turtle.

owlready2 reads RDF/XML, OWL/XML and N-Triples, not Turtle, so rdflib merges the files into one
N-Triples file in a folder the caller gives. The reasoner runs in a child Python process in a session
of its own (this file run as a script): owlready2 starts Java with no time limit, so the child and its
JVM are killed together when REASONER_TIMEOUT_S runs out, and owlready2's world and messages stay out
of the test process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from java_runtime import JAVA_MEMORY_MB

REASONER_TIMEOUT_S = 300  # HermiT takes seconds here; the limit only stops a run that hangs


class ReasonerFailed(Exception):
    """HermiT refused the input (an unsupported datatype, a parse error) or did not finish in time."""


@dataclass(frozen=True)
class Verdict:
    """What HermiT concluded: whether the axioms and facts are consistent, and which classes can have no member."""

    consistent: bool
    unsatisfiable: tuple[str, ...]


def reason(turtle_files: list[Path], folder: Path, extra_turtle: str = "", *, timeout_s: float = REASONER_TIMEOUT_S) -> Verdict:
    """HermiT's verdict on the union of `turtle_files` (plus `extra_turtle`), converted in `folder`."""
    graph = Graph()
    for path in turtle_files:
        graph.parse(path, format="turtle")
    graph.parse(data=extra_turtle, format="turtle")
    ntriples = folder / "reasoner-input.nt"
    graph.serialize(ntriples, format="nt", encoding="utf-8")
    return _run_child(ntriples, timeout_s)


def _run_child(ntriples: Path, timeout_s: float) -> Verdict:
    """The child's answer; its temporary files (owlready2 writes one for HermiT) go beside the input."""
    child = subprocess.Popen(
        [sys.executable, __file__, str(ntriples)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(ntriples.parent)},
    )
    try:
        stdout, stderr = child.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise ReasonerFailed(f"HermiT did not finish within {timeout_s:g} s") from None
    lines = stdout.strip().splitlines()
    if child.returncode != 0 or not lines:
        raise ReasonerFailed(f"the reasoner process exited with {child.returncode}: {stderr[-2000:]}")
    answer = json.loads(lines[-1])
    if "refused" in answer:
        raise ReasonerFailed(answer["refused"])
    return Verdict(answer["consistent"], tuple(answer["unsatisfiable"]))


def _classify(ntriples: str) -> dict:
    """Run HermiT on one N-Triples file (in the child process), as a JSON-ready answer."""
    import owlready2  # only the child loads owlready2 and its world

    owlready2.JAVA_MEMORY = JAVA_MEMORY_MB
    world = owlready2.World()
    world.get_ontology(Path(ntriples).as_uri()).load(format="ntriples")
    try:
        owlready2.sync_reasoner(world, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return {"consistent": False, "unsatisfiable": []}
    except owlready2.OwlReadyJavaError as error:
        return {"refused": _without_stack_trace(str(error))}
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    return {"consistent": True, "unsatisfiable": unsatisfiable}  # owl:Nothing is empty by definition


def _without_stack_trace(java_output: str) -> str:
    """Java's message without its stack trace: the exception and the sentences that explain it."""
    kept = [line.strip() for line in java_output.splitlines() if line.strip() and not line.lstrip().startswith("at ")]
    return " ".join(kept)


if __name__ == "__main__":
    print(json.dumps(_classify(sys.argv[1])))
