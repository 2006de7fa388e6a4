"""What browser tests share besides fixtures: the server, the page watch, axe and the checks every page
passes, the partners' sign-in form."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
from werkzeug.serving import make_server

from portal import create_app
from portal.db import make_engine
from tests.factories.partners import PARTNER_PASSWORD
from tests.support import SHARED_TEMPLATES, make_settings, prepare_schema

CHROMIUM = "/usr/bin/chromium-headless-shell"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Only the test servers' addresses resolve: a request to any other host fails at once, without
    # leaving the machine (the page watch records it, and the test fails).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


_prepared: list[Path] = []  # the database every server starts from, prepared once per run


def prepared_copy(folder: Path) -> str:
    """A copy of a database holding the schema and the demo content, prepared on first use (2 s a server)."""
    if not _prepared:
        template = Path(tempfile.mkdtemp(prefix="portal-browser-")) / "portal.db"
        engine = make_engine(f"sqlite:///{template}")
        prepare_schema(engine)
        engine.dispose()  # the last connection closed: the WAL is folded into the file
        atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
        _prepared.append(template)
    shutil.copyfile(_prepared[0], folder / "portal.db")
    return f"sqlite:///{folder / 'portal.db'}"


@contextmanager
def serving_app(folder, **overrides):
    """The portal on its own SQLite file, with real commits, served by a thread of this process: its
    address and the app (to run its queued jobs, for instance)."""
    url = prepared_copy(folder)
    server = make_server("127.0.0.1", 0, None, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    settings = {
        key: value.replace("{base}", base) if isinstance(value, str) else value
        for key, value in overrides.items()
    }
    app = create_app(
        make_settings(folder, database_url=url, ratelimit_default="10000 per minute", **settings)
    )
    app.extensions[
        "portal.limiter"
    ].enabled = False  # one browser makes every request; web tests cover limits
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, app
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["portal.db"].engine.dispose()


@contextmanager
def serving(folder, **overrides):
    """The portal on its own SQLite file, with real commits, served by a thread of this process."""
    with serving_app(folder, **overrides) as (base, _app):
        yield base


class PageWatch:
    """What a page did that it must not: requests to other hosts, console errors (CSP violations)."""

    def __init__(self):
        self.foreign_requests: list[str] = []
        self.console_errors: list[str] = []
        self.broken_resources: list[str] = []

    def console(self, message) -> None:
        # A page served with an error status (a 404 page) is reported by the response watch instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def response(self, response) -> None:
        if response.status >= 400 and not response.request.is_navigation_request():
            self.broken_resources.append(f"{response.status} {response.url}")

    def assert_clean(self):
        assert self.foreign_requests == [], "the page asked another host"
        assert self.console_errors == [], "the browser console reported errors (CSP violations among them)"
        assert self.broken_resources == [], "a resource of the page failed to load"


def open_page(browser, viewport: dict, watch: PageWatch, locale: str = "fr-FR", javascript: bool = True):
    context = browser.new_context(viewport=viewport, locale=locale, java_script_enabled=javascript)

    # Every request is watched, not intercepted: routing each one through this process would hold
    # every file of every page for a round trip (a third of a page load); other hosts do not resolve.
    def watch_host(request):
        if urlsplit(request.url).hostname not in ("127.0.0.1", "localhost"):
            watch.foreign_requests.append(request.url)

    context.on("request", watch_host)
    page = context.new_page()
    page.on("console", watch.console)
    page.on("response", watch.response)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    return context, page


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; one readable line per violation and node. axe is
    put into the page when it is checked, not into every document the browser opens (an init script):
    compiling its 650 kB costs a tenth of a second, and most documents a test goes through are not checked.
    A script evaluated by Playwright is not subject to the page's CSP, which stays as strict as it is."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def check(page, watch, viewport) -> None:
    """What every browser test asks of a page: no axe violation, no sideways scrolling at this width,
    nothing loaded from another host, no console error."""
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport['width']}px"
    watch.assert_clean()


def size_of(viewport) -> str:
    return "phone" if viewport["width"] < 600 else "desktop"


def sign_in(page, email: str, password: str = PARTNER_PASSWORD, secret: str = "") -> None:
    """Fill and send the partners' sign-in form the page shows; then, with the account's TOTP `secret`,
    the second factor's code."""
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if secret:
        page.fill("#code", pyotp.TOTP(secret).now())
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()


def through_job(page, watch, viewport) -> None:
    """Long work answers with its job's page (run at once in the browser servers): the page passes the
    checks and links to the result, which the person opens."""
    assert "/partenaires/travaux/" in page.url, page.url
    assert page.locator("#job").get_attribute("data-state") == "done"
    check(page, watch, viewport)
    page.locator("#job-result a").click()
    page.wait_for_load_state()
