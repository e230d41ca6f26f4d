"""One frozen settings object, from command-line arguments and the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aichr_kg.errors import AichrKgError
from aichr_kg.namespaces import CANONICAL_BASE


class ConfigError(AichrKgError):
    """A setting that cannot be used, named with the value that was given."""


ENV_PREFIX = "AICHR_KG_"


@dataclass(frozen=True)
class Limits:
    """What one SPARQL request may cost; documented in docs/operations.md."""

    query_timeout_s: float = 10.0  # a query running longer is killed with its worker
    max_body_bytes: int = 1_000_000  # larger request bodies get 413
    max_query_chars: int = 20_000  # longer query strings get 413
    max_result_rows: int = 10_000  # rows (or triples) beyond this are cut, and the cut is signalled
    max_result_bytes: int = 20_000_000  # results are cut (and the cut signalled) past about this size
    query_workers: int = 2  # worker processes for /sparql; also the cap on its concurrent executions
    page_workers: int = 1  # separate workers for pages and the API, so /sparql load cannot starve them
    worker_memory_mb: int = 2048  # a worker needing more is stopped (and replaced) instead of the machine swapping
    queue_wait_s: float = 2.0  # how long a request waits for a free worker before 503

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) <= 0:
                raise ConfigError(f"limit {item.name} must be greater than 0 (got {getattr(self, item.name)})")


@dataclass(frozen=True)
class Settings:
    """Where the project lives, which base IRI it mints under, and how it serves."""

    root: Path = field(default_factory=Path.cwd)
    base_iri: str = CANONICAL_BASE
    host: str = "127.0.0.1"
    port: int = 5000
    threads: int = 8  # WSGI threads of each HTTP worker
    http_workers: int = 1  # HTTP worker processes, each with its own query and page workers
    result_cache_mb: int = 64  # answers to /sparql kept in memory by ETag, per release (0: none)
    reload_interval_s: float = 2.0  # how often a running server looks for a new release (0: never)
    public_url: str = ""  # the origin clients reach the server at behind w3id and a proxy ("": each request's own)
    trust_proxy: int = 0  # proxies in front whose X-Forwarded-* headers are believed (0: none, the headers are ignored)
    store_url: str = ""  # a remote SPARQL 1.1 query endpoint to serve from instead of the embedded store (serve --endpoint)
    graph_store_url: str = ""  # that store's SPARQL 1.1 Graph Store Protocol endpoint, which `publish` writes to
    store_user: str = ""  # credentials for both, if the store asks for them
    store_password: str = field(default="", repr=False)
    release_folder: Path = Path("releases")  # where `release` writes and `serve` finds the releases (relative: to root)
    limits: Limits = field(default_factory=Limits)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def releases_dir(self) -> Path:
        return self.root / self.release_folder

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def store_dir(self) -> Path:
        return self.build_dir / "store"


Setting = str | int | float | Path


def _coerce(name: str, text: str, like: Setting) -> Setting:
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(like, Path):
        return Path(text)
    try:
        return type(like)(text)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}={text!r} is not a valid {type(like).__name__}") from None


SettingsLike = TypeVar("SettingsLike", Settings, Limits)


def _from_env(obj: SettingsLike, environ: Mapping[str, str]) -> SettingsLike:
    """A copy of a settings dataclass with fields overridden by AICHR_KG_<NAME>."""
    changes: dict[str, Any] = {}  # each field has its own type; dataclasses.replace checks none of them
    for item in fields(obj):
        value = getattr(obj, item.name)
        if isinstance(value, Limits):
            changes[item.name] = _from_env(value, environ)
            continue
        text = environ.get(ENV_PREFIX + item.name.upper())
        if text is not None:
            changes[item.name] = _coerce(item.name, text, value)
    return replace(obj, **changes)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Setting | None) -> Settings:
    """Settings from defaults, then the environment, then explicit overrides (None = not given)."""
    settings = _from_env(Settings(), os.environ if environ is None else environ)
    limit_names = {item.name for item in fields(Limits)}
    limit_changes: dict[str, Any] = {k: v for k, v in overrides.items() if k in limit_names and v is not None}
    other: dict[str, Any] = {k: v for k, v in overrides.items() if k not in limit_names and v is not None}
    if limit_changes:
        other["limits"] = replace(settings.limits, **limit_changes)
    settings = replace(settings, **other)
    if not settings.base_iri.endswith(("/", "#")):
        settings = replace(settings, base_iri=settings.base_iri + "/")
    _check_store_urls(settings)
    if settings.trust_proxy < 0:
        raise ConfigError(f"trust_proxy counts the proxies in front: 0 or more (got {settings.trust_proxy})")
    return replace(settings, root=settings.root.resolve(), public_url=_public_origin(settings.public_url))


def _check_store_urls(settings: Settings) -> None:
    """A store's URLs are http(s) and carry no credentials, which logs and error messages would show."""
    for url in (settings.store_url, settings.graph_store_url):
        if not url:
            continue
        parts = urlsplit(url)
        if "@" in parts.netloc:
            raise ConfigError(
                "give a store's credentials with --user/--password or AICHR_KG_STORE_USER/AICHR_KG_STORE_PASSWORD, not in its URL"
            )
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{url!r} is not an http:// or https:// URL")


def _public_origin(url: str) -> str:
    """The public URL as an origin without a trailing slash: the pages link by absolute path, so no path prefix."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise ConfigError(f"public URL {url!r} is not an http:// or https:// origin (like https://kg.example.org)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(f"public URL {url!r}: give the origin alone (scheme, host, port); the server answers at its root")
    return f"{parts.scheme}://{parts.netloc}"
