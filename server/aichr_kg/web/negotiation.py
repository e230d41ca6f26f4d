"""Which representation a request gets: `format=` first, then the Accept header; one rule for every route."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from aichr_kg.formats import Format, by_format_parameter, negotiate
from aichr_kg.web.errors import HttpError


def choose_format(
    parameter: str | None, accept: str | None, candidates: tuple[Format, ...], *, unknown_parameter_status: int = 406
) -> Format:
    """The chosen format among `candidates` (HTML among them where a page is offered).

    A `format=` naming none of them is `unknown_parameter_status` (406 on the SPARQL Protocol, 400
    where the parameter is documented as an enumeration); an Accept header that fits none is 406.
    Both say what is offered. `accept` is the raw Accept header: its parse and match are cached.
    """
    if parameter is not None:
        chosen = by_format_parameter(parameter, candidates)
        if chosen is None:
            names = ", ".join(f.extension for f in candidates)
            raise HttpError(unknown_parameter_status, f"format must be one of {names} (got {parameter!r})")
        return chosen
    chosen = _negotiated(accept, candidates)
    if chosen is None:
        offered = ", ".join(f.media_type for f in candidates)
        raise HttpError(406, f"None of the requested formats can be produced here; offered: {offered}.")
    return chosen


@lru_cache(maxsize=512)
def _negotiated(accept: str | None, candidates: tuple[Format, ...]) -> Format | None:
    """The match for one Accept header: clients send the same few headers, and parsing one costs ~40 µs."""
    return negotiate(parse_accept_header(accept, MIMEAccept) if accept else None, candidates)
