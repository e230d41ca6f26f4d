"""Fixtures shared by the suite: the project root, a built dataset, a running server, a real browser,
and checked screenshots."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
# The README's screenshots are tracked files: a test run rewrites them only when asked to.
UPDATE_SCREENSHOTS = os.environ.get("AICHR_KG_UPDATE_SCREENSHOTS") == "1"
SCREENSHOTS = ROOT / "docs" / "screenshots" if UPDATE_SCREENSHOTS else ARTIFACTS / "screenshots"
MIN_COLOURS = 200  # a rendered page has hundreds (text antialiasing, badges, charts); a blank one has one
MIN_HEADING_COLOURS = 8  # black text on a background, antialiased


def run_cli(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run `aichr-kg` as a separate process, as a user or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "aichr_kg", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def copy_project(target: Path) -> Path:
    """The project's inputs (not its build) copied into `target`, for tests that build or damage a build."""
    for folder in ("ontology", "data", "shapes", "queries"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder)
    return target


class CountingStore:
    """A store that counts the requests it executes, to prove what a response cost."""

    def __init__(self, inner):
        self.inner = inner
        self.requests: list = []

    def execute(self, request):
        self.requests.append(request)
        return self.inner.execute(request)

    def status(self) -> dict:
        return self.inner.status()

    def close(self) -> None:
        self.inner.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settled_health(url: str, timeout_s: float = 30) -> dict:
    """/health once every worker pool is at full strength again (replacements start in the background)."""
    deadline = time.monotonic() + timeout_s
    while True:
        body = requests.get(url + "/health", timeout=10).json()
        if body["status"] == "ok" or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


class RunningServer:
    """`aichr-kg serve` in a subprocess on 127.0.0.1 and a free port."""

    def __init__(self, *extra_args: str, root: Path = ROOT, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = (ARTIFACTS / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aichr_kg", "serve", "--port", str(self.port), *extra_args],
            cwd=root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log.name}")
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("server did not become healthy in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def built() -> Path:
    """The project's build/, made (or found up to date) by the CLI."""
    result = run_cli("build")
    assert result.returncode == 0, result.stdout + result.stderr
    return ROOT / "build"


@pytest.fixture(scope="session")
def server(built) -> RunningServer:
    """One server for the session, with a short query budget so runaway-query tests stay quick."""
    running = RunningServer(
        "--query-timeout-s", "3", "--query-workers", "2", "--max-result-rows", "500", "--max-result-bytes", "300000"
    )
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
