"""The simulator server's page and JSON API, against robots served on 127.0.0.1."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.cli.cli_support import CLI_AES_KEY, CLI_APP_ID, CLI_TOKEN

from werobot_cli.simulator import Simulator, make_simulator_server
from werobot_cli.wire import Account

MENU = {"button": [{"type": "click", "name": "News", "key": "NEWS"}]}
StartSimulator = Callable[[Account], str]


@pytest.fixture
def start_simulator() -> Iterator[StartSimulator]:
    """Serve simulators on free ports; stopped after the test."""
    running = []

    def start(account: Account) -> str:
        http = httpx.Client()
        server = make_simulator_server(Simulator(account, http, MENU, name="Test Bot"))
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        running.append((server, thread, http))
        return server.url

    yield start
    for server, thread, http in running:
        server.shutdown()
        server.server_close()
        thread.join(5)
        http.close()


def _send(page: str, kind: str, *args: str) -> dict[str, Any]:
    response = httpx.post(page + "api/send", json={"kind": kind, "args": list(args)})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_the_page_and_its_assets_are_served(
    start_simulator: StartSimulator, plain_url: str
) -> None:
    page = start_simulator(Account(plain_url, CLI_TOKEN))
    index = httpx.get(page)
    assert index.status_code == 200
    assert index.headers["content-type"] == "text/html; charset=utf-8"
    for asset in ("/static/style.css", "/static/conversation.js", "/static/controls.js"):
        assert asset in index.text
        assert httpx.get(page + asset.lstrip("/")).status_code == 200
    assert httpx.get(page + "static/../../etc/passwd").status_code == 404


def test_config(start_simulator: StartSimulator, plain_url: str) -> None:
    config = httpx.get(start_simulator(Account(plain_url, CLI_TOKEN)) + "api/config").json()
    assert config["name"] == "Test Bot"
    assert config["mode"] == "plaintext"
    assert config["menu"] == MENU
    assert config["kinds"]["location"] == "location LAT LON [LABEL]"


def test_send_in_plaintext(start_simulator: StartSimulator, plain_url: str) -> None:
    data = _send(start_simulator(Account(plain_url, CLI_TOKEN)), "text", "hi")
    assert data["status"] == 200
    assert "<Content><![CDATA[hi]]></Content>" in data["request_xml"]
    assert data["sent"] is None  # plaintext: sent as is
    assert data["reply"]["kind"] == "text"
    assert data["reply"]["fields"] == {"content": "echo: hi"}
    assert data["latency_ms"] > 0
    assert data["error"] is None


def test_send_in_safe_mode(start_simulator: StartSimulator, safe_url: str) -> None:
    page = start_simulator(Account(safe_url, CLI_TOKEN, CLI_APP_ID, CLI_AES_KEY))
    assert httpx.get(page + "api/config").json()["mode"] == "safe"
    data = _send(page, "click", "NEWS")
    assert "<Encrypt>" in data["sent"]
    assert "<Encrypt>" in data["body"]
    assert data["encrypted_reply"] is True
    assert "<Title><![CDATA[Breaking]]></Title>" in data["reply_xml"]
    assert data["reply"]["fields"]["articles"][0]["url"] == "https://example.com/a"


def test_a_refused_push_is_reported(start_simulator: StartSimulator, plain_url: str) -> None:
    data = _send(start_simulator(Account(plain_url, "wrongToken")), "text", "hi")
    assert data["status"] == 403
    assert data["reply"] is None
    assert "refused the signature" in data["error"]


def test_uploaded_pictures_are_served_for_the_robot(
    start_simulator: StartSimulator, plain_url: str
) -> None:
    page = start_simulator(Account(plain_url, CLI_TOKEN))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    url = httpx.post(
        page + "api/upload", content=png, headers={"Content-Type": "image/png"}
    ).json()["url"]
    assert url.startswith(page + "uploads/")
    fetched = httpx.get(url)
    assert fetched.content == png
    assert fetched.headers["content-type"] == "image/png"
    data = _send(page, "image", url)
    assert f"<PicUrl><![CDATA[{url}]]></PicUrl>" in data["request_xml"]
    refused = httpx.post(page + "api/upload", content=b"x", headers={"Content-Type": "text/plain"})
    assert refused.status_code == 415


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", "send JSON"),
        (b'{"kind": "dance"}', "unknown kind 'dance'"),
        (b'{"kind": "click", "args": []}', "usage: click KEY"),
        (b'{"kind": "text", "args": "hi"}', "args must be a list"),
        (b"[]", 'send {"kind"'),
    ],
)
def test_bad_calls(
    start_simulator: StartSimulator, plain_url: str, body: bytes, error: str
) -> None:
    page = start_simulator(Account(plain_url, CLI_TOKEN))
    response = httpx.post(page + "api/send", content=body)
    assert response.status_code == 400
    assert error in response.json()["error"]


def test_the_simulator_command(plain_url: str, tmp_path: Path) -> None:
    """``werobot simulator --port 0`` prints its URL and serves the menu file given."""
    import subprocess

    menu = tmp_path / "menu.yaml"
    menu.write_text("- {type: click, name: News, key: NEWS}\n", encoding="utf-8")
    command = [sys.executable, "-m", "werobot_cli", "simulator", "--target", plain_url]
    command += ["--token", CLI_TOKEN, "--port", "0", "--menu", str(menu), "--name", "Cmd Bot"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("simulator on http://127.0.0.1:")
        page = line.split()[2]
        config = httpx.get(page + "api/config").json()
        assert config["name"] == "Cmd Bot"
        assert config["menu"] == MENU
        assert _send(page, "click", "PING")["reply"]["fields"] == {"content": "pong"}
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def test_a_bad_menu_file_is_a_usage_error(tmp_path: Path) -> None:
    from tests.cli.cli_support import invoke

    menu = tmp_path / "menu.json"
    menu.write_text('{"button": [{"type": "click", "name": "x"}]}', encoding="utf-8")
    args = ["simulator", "--target", "http://127.0.0.1:9/", "--token", CLI_TOKEN]
    result = invoke([*args, "--menu", str(menu)])
    assert result.exit_code == 2
    assert "a click button needs key" in result.output
