"""Browser tests' shared ground: a real server, headless Chromium, signed-in pages.

The server is `value-assist serve` (gunicorn, two workers) in a subprocess on a free
loopback port, with its own data directory and SQLite store, so a page test exercises
exactly what a user runs. The session-wide `server` follows a tiny real model registered
in a throwaway MLflow store; a module needing another set-up (model, settings, data)
starts its own with `live_server(...)`. Chromium is Debian's (VALUE_ASSIST_CHROMIUM, default
/usr/bin/chromium) driven by Playwright; screenshots go to test-artifacts/.

    def test_something(signed_in_page, screenshot):
        page = signed_in_page("lead", lang="ja")     # signed in through /ui/login
        page.goto("/ui/playbooks")
        screenshot(page, "playbooks-ja")             # test-artifacts/playbooks-ja.png
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assist_api.config import Settings, load_settings
from assist_api.services.access.keys import create_key
from assist_api.store.store import Store
from features.vocabulary import ROLES
from tests.helpers.tiny_model import register_tiny_model

CHROMIUM = os.environ.get("VALUE_ASSIST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Threads per worker: the 4 kept for requests plus 4 for desks' guidance long-polls (a
# closed page's wait holds its thread until the wait ends, so the waits are short too).
THREADS = 8
GUIDANCE_WAIT_SECONDS = "5"
STARTUP_LIMIT_SECONDS = 120  # a give-up limit for a slow machine, not a speed assertion


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings  # what the server read from its environment
    keys: dict[str, str]  # role -> a fresh API key
    log: Path

    @contextmanager
    def store(self):
        """The server's store, to check what a page wrote."""
        opened = Store.open(self.settings.database_url)
        try:
            yield opened
        finally:
            opened.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(
    data_dir: Path, tracking_uri: str, wait_for: str = "/readyz", workers: int = 2, **env: str
):
    """`value-assist serve` on a free port until the block ends.

    `wait_for` is the path that must answer 200 before the server counts as started
    ("/readyz" needs the model loaded; "/healthz" does not). Two workers by default, as in
    production (so a page's requests meet different workers). `env` adds settings, e.g.
    VALUE_ASSIST_HOLDOUT_RATE="0.5".
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    environ = {
        **os.environ,
        "VALUE_ASSIST_DATA_DIR": str(data_dir),
        "VALUE_ASSIST_DATABASE_URL": f"sqlite:///{data_dir / 'store.db'}",
        "MLFLOW_TRACKING_URI": tracking_uri,
        "VALUE_ASSIST_MODEL_CHECK_SECONDS": "0",
        "VALUE_ASSIST_GUIDANCE_WAIT_SECONDS": GUIDANCE_WAIT_SECONDS,
        **env,
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = Path(sys.executable).with_name("value-assist")
    log = data_dir / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [command, "serve", "--host", "127.0.0.1", "--port", str(port)]
            + ["--workers", str(workers), "--threads", str(THREADS)],
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(process, url + wait_for, log)
        settings = load_settings(environ)
        yield LiveServer(url, settings, _create_keys(settings.database_url), log)
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: nothing to drain
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer 200 within {STARTUP_LIMIT_SECONDS}s:\n{log.read_text()}")


def _create_keys(database_url: str) -> dict[str, str]:
    opened = Store.open(database_url)
    try:
        with opened.uow() as uow:
            keys = {
                role: create_key(
                    uow.session, role=role, name=f"e2e {role}", actor="e2e", now=datetime.now(UTC)
                )
                for role in ROLES
            }
            uow.commit()
    finally:
        opened.close()
    return keys


@pytest.fixture(scope="session")
def tiny_registry(tmp_path_factory) -> str:
    """An MLflow store whose `ve-openness` champion is a tiny real model."""
    folder = tmp_path_factory.mktemp("e2e-registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(uri, folder / "mlartifacts")
    return uri


@pytest.fixture(scope="session")
def server(tmp_path_factory, tiny_registry):
    """The shared server: the tiny champion loaded, starter playbook seeded."""
    with live_server(tmp_path_factory.mktemp("e2e-server"), tiny_registry) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM} (install Debian's chromium or set VALUE_ASSIST_CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def signed_in_page(request, browser):
    """signed_in_page(role, lang="en", server=None, viewport=None) -> a Playwright page
    signed in through the sign-in form with the server's key for `role`, in its own
    browser context (own cookies). `server` defaults to the shared one. The test fails if a page
    throws an uncaught error or breaks the Content-Security-Policy."""
    contexts, problems = [], []

    def open_page(role: str, lang: str = "en", server: LiveServer | None = None, viewport=None):
        server = server or request.getfixturevalue("server")
        context = browser.new_context(
            base_url=server.url, locale=lang, viewport=viewport or VIEWPORT
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto("/ui/login")
        page.get_by_label("API key" if lang == "en" else "APIキー").fill(server.keys[role])
        page.locator("form button[type=submit]").click()
        page.wait_for_url(lambda url: "/ui/login" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def screenshot():
    """screenshot(page, name) -> test-artifacts/<name>.png (the viewport, as a user sees it)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
