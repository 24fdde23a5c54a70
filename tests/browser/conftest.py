"""A real headless Chromium (Debian's package) against the page served by make run's servers."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from tools.stack import Stack, running_stack

SESSION_READY = (
    "() => /^[0-9a-f]{32}$/.test((JSON.parse(localStorage.getItem('sipinna-chat-v1') || '{}')).sessionId || '')"
)
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack.on_test_ports(tmp_path_factory.mktemp("browser"), with_web=True)
    with running_stack(stack):
        yield stack


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def dialogs() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, stack: Stack, dialogs: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="es-MX")
    page = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(stack.web_url)
    page.wait_for_function(SESSION_READY)
    yield page
    context.close()
