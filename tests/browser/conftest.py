"""Browser fixtures: the portal on a free local port, Debian's Chromium driven by Playwright, axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.support import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE, PageWatch, open_page, serving


# Debian's build of Chromium's headless shell (package chromium-headless-shell): the browser Playwright
# itself runs headless, half the CPU of the full browser in headless mode.
def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("live")) as base:
        yield base


@pytest.fixture(scope="session")
def map_server(tmp_path_factory):
    """The portal with a map whose tiles come from its own static files (no other host)."""
    tiles = "{base}/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    with serving(tmp_path_factory.mktemp("map"), map_tiles_url=tiles, map_attribution="Test tiles") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium-headless-shell package",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request) -> dict:
    return request.param


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser, viewport, watch):
    context, page = open_page(browser, viewport, watch)
    yield page
    context.close()
