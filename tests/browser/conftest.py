"""Browser tests: Playwright's sync API driving the system's headless Chromium against a live server.

One browser for the whole session; each test gets a fresh context (cookies, language) on it.
Without /usr/bin/chromium the tests are skipped — except in CI (CI=true), where that is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM, called from the test
# itself while the live server answers the browser, must not take that for an async context.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: install the Debian package chromium (./run tests does)."
        if os.environ.get("CI"):
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def scene(transactional_db, frozen_today):
    from tests.browser.scene import make_scene
    from tests.cast import make_cast

    return make_scene(make_cast())


@pytest.fixture
def open_page(browser, live_server):
    """A function giving a new page, signed in as the person, at the given viewport."""
    from tests.cast import PASSWORD

    contexts = []

    def open_as(person, viewport: dict | None = None, locale: str = "zh-CN"):
        # bypass_csp: the accessibility test injects axe-core as a script, which the product's CSP rightly forbids.
        context = browser.new_context(viewport=viewport or LAPTOP, locale=locale, bypass_csp=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", person.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("domcontentloaded")
        return page

    open_as.url = live_server.url
    yield open_as
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    """Save a full-page screenshot under test-output/screenshots/ (charts drawn first, if any)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if page.locator("[data-chart]").count():
        page.wait_for_selector("body[data-charts-ready]")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
