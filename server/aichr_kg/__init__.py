"""aichr-kg: linked open data on ASEAN–Japan cooperation on human rights.

The Python API (`aichr_kg.validate`, `aichr_kg.build`, `aichr_kg.diff`) is loaded on first use, so that the processes
which only answer queries do not import the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "1.0.0"
__all__ = ["Validation", "__version__", "build", "diff", "validate"]
API = frozenset({"Validation", "build", "diff", "validate"})

if TYPE_CHECKING:
    from aichr_kg.api import Validation, build, diff, validate


def __getattr__(name: str) -> Any:  # noqa: ANN401  (PEP 562: the attribute is whatever the API module holds)
    if name in API:
        from aichr_kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'aichr_kg' has no attribute {name!r}")
