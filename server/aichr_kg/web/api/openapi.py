"""The OpenAPI 3.1 description of /api, generated from the saved queries' decorators.

One GET operation per saved query (and one per chart), its documentation from `summary`,
`description` and `tags`, one query parameter per `?_name` variable, typed from its suffix and
restricted to its enumeration, so a client generated from it sends only what the server accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aichr_kg import __version__
from aichr_kg.formats import API_FORMAT_NAMES
from aichr_kg.saved.catalog import SavedQuery
from aichr_kg.saved.parameters import LEXICAL_FORMS, Parameter

LITERAL_SCHEMAS: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer", "minimum": -(10**18) + 1, "maximum": 10**18 - 1},
    "boolean": {"type": "boolean"},
    "string": {"type": "string", "maxLength": 500, "pattern": "^[^\\u0000]*$"},
}
CELL = {"type": ["string", "integer", "number", "boolean", "null"]}
TEXT = {"schema": {"type": "string"}}
ERROR = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
}
SPARQL_RESULTS = {
    "type": "object",
    "required": ["head", "results"],
    "properties": {
        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
        "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}},
    },
}
EMPTY_NOTE = " Optional; an empty value is the same as leaving it out (as an HTML form's 'any' sends it)."
FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "json (a list of records, the default), csv, srj (SPARQL results JSON) or html; overrides Accept.",
    "schema": {"type": "string", "enum": list(API_FORMAT_NAMES)},
}


def openapi_document(queries: list[SavedQuery], allowed: Callable[[SavedQuery], dict], *, title: str, server: str) -> dict:
    """The whole description; `allowed(query)` gives each query's enumerations, `server` its base URL."""
    paths = {}
    for query in queries:
        parameters = [_parameter(p, query, allowed(query).get(p.name)) for p in query.parameters]
        paths[f"/api/{query.name}"] = {"get": _answer_operation(query, parameters)}
        if query.chart:
            paths[f"/api/{query.name}.svg"] = {"get": _chart_operation(query, parameters)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": __version__,
            "description": "The saved queries of aichr-kg (one .rq file each) as a read-only API: records JSON, CSV, "
            "SPARQL results JSON or HTML, pages linked by `Link` headers, and SVG charts.",
            "license": {"name": "CC BY 4.0 (data)", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server}],
        "tags": [{"name": tag} for tag in sorted({t for q in queries for t in q.tags})],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR, "SparqlResults": SPARQL_RESULTS},
            "responses": {
                "BadRequest": _error(
                    "A parameter is missing, unknown or not of the expected type; the message says what was expected."
                ),
                "NotFound": _error("No such saved query, chart or page."),
                "NotAcceptable": _error("None of the formats in Accept is offered."),
                "Unavailable": _error("The store is busy or the query ran out of time; retry later."),
            },
        },
    }


def _answer_operation(query: SavedQuery, parameters: list[dict]) -> dict:
    record = {"type": "object", "properties": dict.fromkeys(query.columns, CELL), "required": list(query.columns)}
    headers = {"X-Total-Count": {"description": "Rows in the whole answer (all pages).", "schema": {"type": "integer"}}}
    if query.per_page:
        headers["Link"] = {"description": "RFC 8288 links to the first, prev, next and last pages.", "schema": {"type": "string"}}
        parameters = [
            *parameters,
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": f"Page number, from 1; {query.per_page} rows per page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999999999, "default": 1},
            },
        ]
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description,
        "tags": query.tags,
        "parameters": [*parameters, FORMAT],
        "responses": {
            "200": {
                "description": "The answer, one record per row; columns: " + ", ".join(query.columns) + ".",
                "headers": headers,
                "content": {
                    "application/json": {"schema": {"type": "array", "items": record}},
                    "text/csv": TEXT,
                    "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
                    "text/html": TEXT,
                },
            },
            "304": {"description": "Not modified (If-None-Match matched the ETag)."},
            **_errors(),
        },
    }


def _chart_operation(query: SavedQuery, parameters: list[dict]) -> dict:
    chart = query.chart or {}
    return {
        "operationId": query.name.replace("-", "_") + "_chart",
        "summary": f"Chart: {chart.get('title', query.summary)}",
        "description": f"A {chart['type']} chart of /api/{query.name}, as SVG with a text alternative.",
        "tags": query.tags,
        "parameters": parameters,
        "responses": {
            "200": {"description": "The chart.", "content": {"image/svg+xml": TEXT}},
            "304": {"description": "Not modified (If-None-Match matched the ETag)."},
            **_errors(),
        },
    }


def _parameter(parameter: Parameter, query: SavedQuery, choices: list[str] | None) -> dict:
    schema = dict(_schema(parameter))
    if choices is not None:
        schema["enum"] = choices
    default = query.defaults.get(parameter.name)
    if default is not None:
        schema["default"] = default
    required = parameter.required and default is None
    return {
        "name": parameter.name,
        "in": "query",
        "required": required,
        "description": f"{parameter.expected[0].upper()}{parameter.expected[1:]}." + ("" if required else EMPTY_NOTE),
        "schema": schema if required else {"anyOf": [schema, {"type": "string", "maxLength": 0}]},
    }


def _schema(parameter: Parameter) -> dict:
    """The JSON Schema of a value; lexical forms the server checks become patterns."""
    if parameter.kind == "iri":
        return {"type": "string", "format": "iri"}
    if parameter.language:
        return LITERAL_SCHEMAS["string"]
    local = parameter.xsd_type
    if local in LITERAL_SCHEMAS:
        return LITERAL_SCHEMAS[local]
    return {"type": "string", "pattern": f"^{LEXICAL_FORMS[local][0].pattern}$"}


def _errors() -> dict:
    names = {"400": "BadRequest", "404": "NotFound", "406": "NotAcceptable", "503": "Unavailable"}
    return {status: {"$ref": f"#/components/responses/{name}"} for status, name in names.items()}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}, "text/plain": TEXT},
    }
