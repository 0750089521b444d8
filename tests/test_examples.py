"""examples/hello.py, the robot ``make run`` serves: it verifies and answers "Hello World!"."""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from werobot_core import WeRoBot
from werobot_core.messages import SubscribeEvent, TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import (
    WeTest,
    make_xml,
    parse_reply,
    post_request,
    signed_query,
    verify_request,
)

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello.py"
TOKEN = "tokenhere"


@pytest.fixture
def robot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WeRoBot:
    """The robot of examples/hello.py, loaded without running it (sessions land in tmp)."""
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(HELLO))
    robot = namespace["robot"]
    assert isinstance(robot, WeRoBot)
    return robot


@pytest.mark.parametrize("page", ["README.md", "docs/quickstart.md", "docs/zh/quickstart.md"])
def test_pages_show_hello_verbatim(page: str) -> None:
    block = "```python\n" + HELLO.read_text(encoding="utf-8") + "```\n"
    assert block in (ROOT / page).read_text(encoding="utf-8")


def test_configured_like_the_seed(robot: WeRoBot) -> None:
    assert robot.config["TOKEN"] == TOKEN
    assert (robot.config["HOST"], robot.config["PORT"]) == ("127.0.0.1", 8888)


def test_signed_get_echoes_echostr(robot: WeRoBot) -> None:
    answer = robot.handle(verify_request(TOKEN, echostr="1234567890abc"))
    assert (answer.status, answer.body) == (200, b"1234567890abc")


def test_unsigned_get_is_refused(robot: WeRoBot) -> None:
    assert robot.handle(verify_request("wrong-token", echostr="x")).status == 403


@pytest.mark.parametrize(
    "xml",
    [make_xml(TextMessage, content="hi"), make_xml(SubscribeEvent, key="")],
    ids=["text", "subscribe"],
)
def test_signed_post_gets_hello_world(robot: WeRoBot, xml: str) -> None:
    answer = robot.handle(post_request(TOKEN, xml))
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/xml; charset=utf-8"
    reply = parse_reply(answer.body)
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello World!"
    assert (reply.source, reply.target) == ("gh_test", "test_user")


def test_wetest_reply(robot: WeRoBot) -> None:
    reply = WeTest(robot).send_xml(make_xml(TextMessage, content="hello"))
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello World!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """examples/hello.py served by ``robot.run()`` in a subprocess, on a free port."""
    port = _free_port()
    script = (
        "import runpy, sys\n"
        "robot = runpy.run_path(sys.argv[1])['robot']\n"
        "robot.config['PORT'] = int(sys.argv[2])\n"
        "robot.run()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(HELLO), str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_listening(port, process)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl-C: the server stops cleanly
        try:
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else b""
            raise AssertionError(f"the server exited: {output.decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server did not start listening")


def test_run_serves_over_http(served: str) -> None:
    with httpx.Client(timeout=10) as http:
        query = signed_query(TOKEN)
        verified = http.get(served, params={**query, "echostr": "echo me"})
        assert (verified.status_code, verified.text) == (200, "echo me")
        answer = http.post(
            served + "wechat", params=query, content=make_xml(TextMessage, content="hi")
        )
        assert answer.status_code == 200
        reply = parse_reply(answer.content)
        assert isinstance(reply, TextReply)
        assert reply.content == "Hello World!"
