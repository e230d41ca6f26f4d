"""The Java runtime the OWL tests need (HermiT through owlready2, OWLAPI's profile check), and the mark
that skips them, saying why, where none is installed (.ci/run installs one)."""

from __future__ import annotations

import shutil

import pytest

JAVA = shutil.which("java")
JAVAC = shutil.which("javac")  # the JDK's compiler, for checkers compiled once per session
JAVA_MEMORY_MB = 1000  # owlready2 asks for 2000 by default; the graph has a few thousand triples


def requires_java(tool: str) -> pytest.MarkDecorator:
    """Skip a test module where there is no `java` on PATH, naming the tool that needs it."""
    return pytest.mark.skipif(
        JAVA is None, reason=f"no Java runtime (java) on PATH: {tool} needs one (Debian: default-jre-headless)"
    )


def requires_jdk(tool: str) -> pytest.MarkDecorator:
    """Skip a test module where there is no `java` and `javac` on PATH, naming the tool that needs them."""
    return pytest.mark.skipif(
        JAVA is None or JAVAC is None, reason=f"no JDK (java and javac) on PATH: {tool} needs one (Debian: default-jdk-headless)"
    )
