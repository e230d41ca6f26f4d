"""Fixtures shared by the suite: the project root, a built dataset, the backend it is served from
(the embedded store, or an engine it was published to), the app and a running server over that
backend, a real browser, and checked screenshots.

A module marked `every_backend` runs each test that uses the backend (through `app`, `client`,
`site` or `server`) once per backend, one marked `every_engine` once per engine; the others run
on the embedded store. A test marked `embedded_only(reason=…)` is skipped on the engines with its reason.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from engines import ENGINES, Engine, EngineUnavailable, publish_to
from tests.support import (
    ARTIFACTS,
    CHROMIUM,
    ROOT,
    SERVER_LIMITS,
    SERVER_TIMEOUT_S,
    THOROUGH,
    RunningServer,
    committed_copy,
    copy_project,
    git,
    run_cli,
)

# The README's screenshots are tracked files: a test run rewrites them only when asked to.
UPDATE_SCREENSHOTS = os.environ.get("AICHR_KG_UPDATE_SCREENSHOTS") == "1"
SCREENSHOTS = ROOT / "docs" / "screenshots" if UPDATE_SCREENSHOTS else ARTIFACTS / "screenshots"


MIN_COLOURS = 200  # a rendered page has hundreds (text antialiasing, badges, charts); a blank one has one
MIN_HEADING_COLOURS = 8  # black text on a background, antialiased


# The engines the shared suites run on: Oxigraph server always, and Virtuoso in `make test-all` (CI),
# where its third run of every protocol, page and API test belongs; its own modules run in both.
SHARED_ENGINES = tuple(name for name in ENGINES if THOROUGH or name != "virtuoso")
BACKENDS = ("embedded", *SHARED_ENGINES)


@dataclass(frozen=True)
class Backend:
    """Where the app's data comes from: the build's embedded store, or an engine the build was published to."""

    name: str
    engine: Engine | None = None

    @property
    def serve_args(self) -> tuple[str, ...]:
        return ("--endpoint", self.engine.query_url) if self.engine else ()

    @property
    def settings(self) -> dict[str, str]:
        """The settings that point an app at the engine (none for the embedded store)."""
        if self.engine is None:
            return {}
        user, password = self.engine.credentials or ("", "")
        return {"store_url": self.engine.query_url, "store_user": user, "store_password": password}

    @property
    def env(self) -> dict[str, str] | None:
        """The environment of a server process: the engine's credentials, as an operator would give them."""
        if self.engine is None or self.engine.credentials is None:
            return None
        user, password = self.engine.credentials
        return {**os.environ, "AICHR_KG_STORE_USER": user, "AICHR_KG_STORE_PASSWORD": password}


def pytest_generate_tests(metafunc):
    """Every backend for modules marked every_backend, every engine for those marked every_engine, the
    embedded store for the rest (each backend one cached fixture for the whole session)."""
    if "backend" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker
        names = BACKENDS if marked("every_backend") else SHARED_ENGINES if marked("every_engine") else ("embedded",)
        metafunc.parametrize("backend", names, indirect=True, scope="session")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip an embedded_only test on the engines before its fixtures start anything."""
    marker = item.get_closest_marker("embedded_only")
    callspec = getattr(item, "callspec", None)
    if marker and callspec and callspec.params.get("backend", "embedded") != "embedded":
        pytest.skip(f"embedded store only: {marker.kwargs['reason']}")


@pytest.fixture(scope="session")
def backend(request, built, tmp_path_factory) -> Backend:
    """The embedded store, or an engine started on 127.0.0.1 (once per session) with the build published to it."""
    name = getattr(request, "param", "embedded")
    if name == "embedded":
        yield Backend(name)
        return
    engine = ENGINES[name](tmp_path_factory.mktemp(name), timeout_s=SERVER_TIMEOUT_S)
    try:
        engine.start()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    try:
        published = publish_to(engine, built.parent)
        assert published.returncode == 0, published.stdout + published.stderr
        yield Backend(name, engine)
    finally:
        engine.stop()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A build of the project's inputs, made by the CLI in a temporary copy (never the checkout's build/)."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = run_cli("--root", str(project), "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "build"


@pytest.fixture(scope="session")
def cli(built):
    """`run_cli` in the built project: `query`, `stats` and `queries` answer from its build."""
    return functools.partial(run_cli, cwd=built.parent)


@pytest.fixture(scope="session")
def app(built, backend):
    """The application over the built project, flaskr-style: with the store opened in this process, or
    with the backend's engine (its connections in this process)."""
    from aichr_kg.config import load_settings
    from aichr_kg.store.local import LocalStore
    from aichr_kg.web import close_stores, create_app

    settings = load_settings(environ={}, root=built.parent, **backend.settings)
    application = create_app(settings, store=None if backend.engine else LocalStore(built / "store"))
    yield application
    close_stores(application)


@pytest.fixture()
def client(app):
    return app.test_client()


class InProcessSite:
    """The app answering through Flask's test client, with the `get` of a RunningServer: no socket, no process."""

    url = "http://localhost"

    def __init__(self, app):
        self.client = app.test_client()

    def get(self, path: str, *, headers=None, params=None, allow_redirects: bool = True, timeout=None) -> Answer:
        return Answer(self.client.get(path, headers=headers, query_string=params, follow_redirects=allow_redirects))


class Answer:
    """A test-client response read like a `requests` one (status_code, headers, text, content, json(), url)."""

    def __init__(self, response):
        self.response, self.status_code, self.headers = response, response.status_code, response.headers
        self.content, self.text = response.data, response.get_data(as_text=True)
        self.url = response.request.url

    def json(self):
        return json.loads(self.text)


@pytest.fixture()
def site(app) -> InProcessSite:
    return InProcessSite(app)


@pytest.fixture(scope="session")
def server(built, backend) -> RunningServer:
    """One server per backend for the session, with a short query budget so runaway-query tests stay quick."""
    running = RunningServer(*SERVER_LIMITS, *backend.serve_args, root=built.parent, env=backend.env)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; skipped, with the reason shown, where it is missing."""
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install chromium): browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture()
def screenshot():
    """`screenshot(page, name, region="h1")`: save the viewport as <name>.png in SCREENSHOTS and check
    that it is the viewport's size, in many colours, with something drawn in `region` (a selector)."""
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is not installed (pip install -e '.[test]')")

    def take(page, name: str, region: str = "h1") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        with image_module.open(path) as saved:
            image = saved.convert("RGB")
        viewport = page.viewport_size
        assert image.size == (viewport["width"], viewport["height"]), f"{path.name} is {image.size}, not the viewport"
        assert len(image.getcolors(image.width * image.height)) >= MIN_COLOURS, f"{path.name} is (nearly) blank"
        box = page.locator(region).first.bounding_box()
        assert box is not None, f"{region} is not on {path.name}"
        left, top = max(0, int(box["x"])), max(0, int(box["y"]))
        right, bottom = min(image.width, int(box["x"] + box["width"])), min(image.height, int(box["y"] + box["height"]))
        assert right > left and bottom > top, f"{region} is outside the viewport of {path.name}"
        area = image.crop((left, top, right, bottom))
        assert len(area.getcolors(area.width * area.height)) >= MIN_HEADING_COLOURS, f"{region} is uniform on {path.name}"
        return path

    return take


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the project's inputs as the first commit of a new repository, one per module."""
    return committed_copy(tmp_path_factory.mktemp("repo"))


@pytest.fixture()
def clean(repo: Path) -> Iterator[Path]:
    """The repository with its working tree as committed, before and after each test."""
    git(repo, "checkout", "--quiet", "--", ".")
    yield repo
    git(repo, "checkout", "--quiet", "--", ".")
