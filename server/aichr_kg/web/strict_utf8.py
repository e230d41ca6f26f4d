"""Request text that is not UTF-8 is refused with a 400, never acted on in a guessed form.

Werkzeug is lenient: a percent-escape that is not UTF-8 (`?query=%FF`) stays in `request.args`
and `request.form` as the text `%FF`, and a body read as text gets U+FFFD. A handler would run
a query other than the one sent. The hook checks the raw bytes of the query string and of a
form body before any handler runs, so every parameter a handler reads is exactly what was sent;
`decode_utf8` does the same for a body that is the text itself (a SPARQL query).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote_to_bytes

from flask import Flask, Response, request

from aichr_kg.web.errors import error_response

FORM_TYPE = "application/x-www-form-urlencoded"


class NotUtf8(ValueError):
    """Text whose bytes are not UTF-8; the message names the text and the first bad byte."""


def init_app(app: Flask) -> None:
    app.before_request(_refuse_parameters_not_utf8)


def _refuse_parameters_not_utf8() -> Response | None:
    try:
        _check_fields(request.query_string)
        if request.mimetype == FORM_TYPE:
            _check_fields(request.get_data())
    except NotUtf8 as error:
        return error_response(400, f"400 Bad Request: {error}")
    return None


def _check_fields(encoded: bytes) -> None:
    """Raise NotUtf8 unless every name and value of `a=1&b=2` is UTF-8 once percent-decoded.

    The separators are ASCII, which never occurs inside a UTF-8 sequence, so the fields are all UTF-8
    exactly when the whole decoded text is: that is checked at once, and field by field only to say
    which one is not.
    """
    if encoded.isascii() and b"%" not in encoded:
        return
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    # Latin-1 maps each byte to one character and back, so the parser keeps the bytes as sent.
    for name, value in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        name = decode_utf8(name.encode("latin-1"), "a parameter name")
        decode_utf8(value.encode("latin-1"), "the query" if name == "query" else f"the parameter {name!r}")


def decode_utf8(data: bytes, what: str) -> str:
    """`data` as text, or NotUtf8 saying that `what` ("the query") is not UTF-8 and where."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8(
            f"{what} is not valid UTF-8 ({error.reason}: 0x{data[error.start]:02X} at byte {error.start + 1}); "
            "send text as UTF-8, percent-encoded in a URL or a form"
        ) from None
