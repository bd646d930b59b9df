"""Fixtures for dashboard tests: a real SQLite store, the app on it, and headless Chromium serving it."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from builders import as_parsed_files, build_dataset
from pagewait import DASH_IDLE

from dashboard import data as appdata
from dashboard.app import create_app
from loaders.store import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]
ROOT = Path(__file__).resolve().parents[2]
# Test runs leave tracked files alone: screenshots go to the ignored tmp/ folder unless STREETS_SCREENSHOTS names
# another (`STREETS_SCREENSHOTS=docs/screenshots python -m pytest -m browser` refreshes the README's pictures).
SCREENSHOTS = ROOT / os.environ.get("STREETS_SCREENSHOTS", "tmp/screenshots")


def fill_store(url: str) -> str:
    """Fill the store at url with the shipped samples when there are any, else with the built dataset.

    DASHBOARD_TEST_DATA=built forces the small dataset built in code (fast, independent of the samples).
    """
    store = Store(url)
    if appdata.sample_files() and os.environ.get("DASHBOARD_TEST_DATA") != "built":
        appdata.seed_samples(store)
    else:
        for parsed in as_parsed_files(build_dataset()):
            store.ingest(parsed, user="test")
    store.close()
    return url


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store file loaded once for the session (samples, or the built dataset)."""
    return fill_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'streets.sqlite'}")


@pytest.fixture(scope="session")
def app(store_url: str):
    """The real app on the session store."""
    return create_app(store_url, seed=False)


@pytest.fixture(scope="session")
def app_data(app) -> appdata.AppData:
    """The evaluation and store the app holds."""
    return app.server.extensions[appdata.EXTENSION_KEY]


@pytest.fixture(scope="session")
def ev(app_data):
    """The app's Evaluation."""
    return app_data.evaluation


class Live:
    """The served app: its base URL and the AppData behind it (to check the store from a test)."""

    def __init__(self, base: str, data: appdata.AppData) -> None:
        self.base, self.data = base, data


@contextmanager
def serving(folder: Path) -> Iterator[Live]:
    """A fresh app on its own store in folder, served by werkzeug in a thread."""
    from werkzeug.serving import make_server

    url = fill_store(f"sqlite:///{folder / 'streets.sqlite'}")
    served = create_app(url, seed=False)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, served.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Live(f"http://127.0.0.1:{server.server_port}", served.server.extensions[appdata.EXTENSION_KEY])
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app the browser tests read (no test may change its store: use writer_server for that)."""
    with serving(tmp_path_factory.mktemp("live")) as live:
        yield live


@pytest.fixture
def writer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """An app of its own for a test that stores data, so the other tests' figures stay as the samples give them."""
    with serving(tmp_path_factory.mktemp("writer")) as live:
        yield live


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium; missing Chromium fails under CI=true and skips elsewhere."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        _longer_expect()
        yield b
        b.close()


# Playwright's expect waits 5 s by default: too short for a callback on a busy 2-core machine. Waiting longer costs
# nothing when the page is quick (expect returns as soon as its condition holds).
EXPECT_TIMEOUT_MS = 30_000


def _longer_expect() -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


class Officer:
    """A browser page plus every console error and page error it produced."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base, self.errors = page, base, []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def open(self, path: str) -> None:
        """Go to path and wait until Dash has finished its callbacks and drawn its charts."""
        self.page.goto(self.base + path)
        self.settle()

    def settle(self, timeout: float = 60_000) -> None:
        """Wait until Dash is idle: hydrated, no callback queued or running, no chart still being drawn.

        A condition on the page, never a fixed time: under load it waits longer, on a fast machine not at all. What a
        test then reads it should still read through Playwright's auto-waiting `expect` where it can.
        """
        self.page.wait_for_function(DASH_IDLE, timeout=timeout)

    def grid_column(self, grid: str, col: str, formatted: bool = False) -> list:
        """The values of one column of an AG Grid in displayed row order, through the grid's API.

        AG Grid virtualises rows and columns (cells out of view are not in the DOM), so the DOM cannot be read.
        formatted: the text the cell shows (its valueFormatter applied) instead of the row's value.
        """
        self.page.wait_for_function("id => !!(window.dash_ag_grid && dash_ag_grid.getApi(id))", arg=grid)
        return self.page.evaluate(
            """([grid, col, formatted]) => { const api = dash_ag_grid.getApi(grid), out = [];
                 api.forEachNodeAfterFilterAndSort(n => out.push(
                   formatted ? api.getCellValue({rowNode: n, colKey: col, useFormatter: true}) : (n.data || {})[col]));
                 return out; }""",
            [grid, col, formatted],
        )

    def grid_headers(self, grid: str) -> list[str]:
        """The header texts of every displayed column of an AG Grid, left to right (in view or not)."""
        self.page.wait_for_function("id => !!(window.dash_ag_grid && dash_ag_grid.getApi(id))", arg=grid)
        return self.page.evaluate(
            """grid => { const api = dash_ag_grid.getApi(grid);
                 return api.getAllDisplayedColumns().map(c => api.getDisplayNameForColumn(c, 'header')); }""",
            grid,
        )

    def screenshot(self, name: str) -> Path:
        """A full-page screenshot into SCREENSHOTS/name.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def browsing(browser, base: str) -> Iterator[Officer]:
    """A fresh browser page 1400 px wide on the app at base."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield Officer(context.new_page(), base)
    context.close()


@pytest.fixture
def officer(browser, live_server) -> Iterator[Officer]:
    """A fresh browser page on the shared app; the test must end with no console errors."""
    with browsing(browser, live_server.base) as who:
        yield who


@pytest.fixture
def writer(browser, writer_server) -> Iterator[Officer]:
    """A fresh browser page on an app of the test's own (writer_server), for tests that store data."""
    with browsing(browser, writer_server.base) as who:
        yield who


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a test that drives Chromium without the browser marker (`-m "not browser"` must leave Chromium alone)."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("browser tests without @pytest.mark.browser: " + ", ".join(unmarked))
