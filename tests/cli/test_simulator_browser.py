"""The simulator page in headless Chromium (Debian's ``chromium``), driven with Playwright.

Playwright's own browser download is never used: the test launches ``/usr/bin/chromium``
(``.ci/run`` installs it). The last screenshot is kept in ``test-artifacts/``.
"""

from __future__ import annotations

import base64
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect, sync_playwright
from tests.cli.cli_support import CLI_TOKEN

from werobot_cli.simulator import Simulator, make_simulator_server
from werobot_cli.wire import Account

PNG = (  # a 1x1 picture
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MENU = {
    "button": [
        {"type": "click", "name": "Ping", "key": "PING"},
        {
            "name": "More",
            "sub_button": [
                {"type": "click", "name": "News", "key": "NEWS"},
                {"type": "view", "name": "Website", "url": "https://example.com/"},
            ],
        },
    ]
}


@pytest.fixture
def simulator_url(plain_url: str) -> Iterator[str]:
    """The simulator page in front of the plaintext robot."""
    with httpx.Client() as http:
        simulator = Simulator(Account(plain_url, CLI_TOKEN), http, MENU, name="Test Bot")
        server = make_simulator_server(simulator)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        yield server.url
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium, launched once for the module."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, simulator_url: str) -> Iterator[Page]:
    """A tab on the simulator page, ready; the page must raise no error."""
    tab = browser.new_page(viewport={"width": 1000, "height": 780})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(simulator_url)
    tab.wait_for_selector("body[data-ready=true]")
    yield tab
    tab.close()
    assert errors == []


def test_text_and_menu_as_in_wechat(page: Page) -> None:
    expect(page.locator("#title")).to_have_text("Test Bot")
    expect(page.locator(".menu > button")).to_have_text(["Ping", "More"])

    page.click("#to-keyboard")
    page.fill("#text", "hello simulator")
    page.press("#text", "Enter")
    expect(page.locator(".msg.me .bubble")).to_have_text(["hello simulator"])
    expect(page.locator(".msg.bot .bubble")).to_have_text(["echo: hello simulator"])

    page.click("#to-menu")
    page.click(".menu > button:has-text('More')")
    expect(page.locator(".submenu button")).to_have_text(["News", "Website"])
    page.click(".submenu button:has-text('News')")
    card = page.locator(".msg.bot .card.news")
    expect(card.locator(".card-title")).to_have_text("Breaking")
    expect(card.locator(".desc")).to_have_text("Something happened")
    expect(page.locator(".submenu")).to_be_hidden()

    page.click(".menu > button:has-text('Ping')")
    expect(page.locator(".msg.bot .bubble")).to_have_text(["echo: hello simulator", "pong"])

    log = page.locator("#log .entry summary")
    expect(log).to_have_count(3)
    expect(log.first).to_contain_text("#3 click PING")
    expect(log.first.locator(".status-ok")).to_have_text("200")
    expect(page.locator("#log .entry pre").first).to_contain_text(
        "<EventKey><![CDATA[PING]]></EventKey>"
    )

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "simulator.png"))


def test_actions_location_subscribe_scan_and_image(page: Page) -> None:
    page.click("#to-keyboard")
    page.click("#plus")
    page.click("button[aria-label=Location]")
    page.fill("input[name=lat]", "48.85")
    page.fill("input[name=lon]", "2.29")
    page.fill("input[name=label]", "Eiffel Tower")
    page.click("form .send")
    expect(page.locator(".msg.me .location .loc-name")).to_have_text("Eiffel Tower")
    expect(page.locator(".msg.bot .music-title")).to_have_text("Song")
    expect(page.locator(".msg.bot .music-desc")).to_have_text("at 48.85,2.29")

    page.click("#plus")
    page.click("button[aria-label=Subscribe]")
    page.click("form .send")
    expect(page.locator(".note").last).to_have_text("You followed Test Bot")
    expect(page.locator(".msg.bot .bubble").last).to_have_text("welcome!")

    page.click("#plus")
    page.click("button[aria-label=Scan]")
    page.fill("input[name=scene]", "2024")
    page.click("form .send")
    expect(page.locator(".note").last).to_have_text("You scanned the QR code of scene 2024")
    expect(page.locator("#log .entry summary").first).to_contain_text("scan 2024")

    picture: FilePayload = {
        "name": "dot.png",
        "mimeType": "image/png",
        "buffer": base64.b64decode(PNG),
    }
    page.set_input_files("#file", files=[picture])
    expect(page.locator(".msg.me img.sent-image")).to_have_count(1)
    expect(page.locator("#log .entry pre").first).to_contain_text("/uploads/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "simulator-actions.png"))
