"""Browser tests: the app served on localhost by a real server, driven in Debian's Chromium.

Locally the browser tests skip with a clear message when Chromium is missing; in CI
(CI=true) they fail instead, so a broken browser set-up can never pass as green.
"""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from server import create_app
from server.config import TestConfig
from tests.conftest import database_url_for_tests

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


class E2EConfig(TestConfig):
    WTF_CSRF_ENABLED = True
    SERVER_NAME = None
    SESSION_COOKIE_SECURE = False


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_app(app):
    return create_app(type("Config", (E2EConfig,), {"SQLALCHEMY_DATABASE_URI": database_url_for_tests()}))


class LiveServer:
    """A threaded werkzeug server on localhost (WebAuthn and service workers need `localhost`)."""

    def __init__(self, app):
        self.app = app
        self.server = None
        self.thread = None
        self.port = None

    def start(self, port: int = 0):
        self.server = make_server("localhost", port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class CSPWatcher:
    """Collects CSP violations and page errors; a test fails if any occurred."""

    def __init__(self, page):
        self.messages = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.messages.append(text)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="da-DK",
                                  timezone_id="Europe/Copenhagen")
    # Generous: CI runs two browsers at once on two cores.
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    watcher = CSPWatcher(page)
    yield page
    assert not watcher.messages, f"CSP violations or page errors: {watcher.messages}"


@pytest.fixture
def tablet_page(browser, live_server):
    context = browser.new_context(viewport=TABLET, base_url=live_server.url, locale="da-DK",
                                  timezone_id="Europe/Copenhagen")
    page = context.new_page()
    watcher = CSPWatcher(page)
    yield page
    context.close()
    assert not watcher.messages, f"CSP violations or page errors: {watcher.messages}"


def log_in(page, username: str, password: str | None = None):
    """Log in through the password form, as a worker would on the login page."""
    from tests.factories import PASSWORD

    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password or PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.wait_for_load_state("networkidle")


def assert_accessible(page, context_selector=None):
    """axe-core: 0 WCAG 2.1 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    results = Axe().run(page, context=context_selector, options=options)
    violations = results.response["violations"]
    assert not violations, "axe violations on %s:\n%s" % (page.url, results.generate_report())


def add_virtual_authenticator(context, page):
    """A CDP virtual platform authenticator with user verification (passkeys in tests)."""
    session = context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    result = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    return session, result["authenticatorId"]
