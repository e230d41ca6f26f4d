"""How many inputs the generated tests (Hypothesis, schemathesis) try."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("AICHR_KG_TESTS") == "thorough"  # `make test-all`: every generated input


def generated_examples(thorough: int) -> int:
    """How many inputs a generated test tries: `thorough` in `make test-all`, a fifth (at least 10) in `make test`."""
    return thorough if THOROUGH else max(10, thorough // 5)
