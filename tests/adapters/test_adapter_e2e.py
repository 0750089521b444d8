"""End to end over real sockets: real servers in subprocesses, started and stopped here.

Each server answers a signed text message and refuses a bad signature; the servers that
``robot.run()`` starts also stop cleanly on Ctrl-C (SIGINT: exit status 0, no traceback).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from tests.adapters.contract import (
    Answer,
    assert_reply,
    fields,
    signed,
    text_xml,
)

ROOT = Path(__file__).resolve().parents[2]  # on PYTHONPATH: tests.adapters.e2e_apps
PY = sys.executable
APP = "tests.adapters.e2e_apps"
APPS = [PY, "-m", APP]


def _gunicorn(app: str) -> list[str]:
    return [PY, "-m", "gunicorn", "--workers", "1", "--bind", "127.0.0.1:{port}", app]


UVICORN = [PY, "-m", "uvicorn", "--factory", f"{APP}:make_fastapi", "--host", "127.0.0.1"]

# (command with {port}, the robot's path, whether SIGINT must stop it cleanly); every server
# but waitress refuses a body declared over MAX_BODY_SIZE without waiting for it.
SERVERS = [
    pytest.param(_gunicorn(f"{APP}:make_wsgi()"), "/wechat", False, id="gunicorn-wsgi"),
    pytest.param(_gunicorn(f"{APP}:make_flask()"), "/wechat", False, id="gunicorn-flask"),
    pytest.param(
        _gunicorn(f"{APP}:make_django()"),
        "/wechat/main",
        False,
        id="gunicorn-django",
    ),
    pytest.param(
        [*UVICORN, "--port", "{port}", "--log-level", "warning"],
        "/wechat/",
        False,
        id="uvicorn-fastapi",
    ),
    pytest.param([*APPS, "tornado", "{port}"], "/wechat/main", False, id="tornado"),
    pytest.param([*APPS, "run", "auto", "{port}"], "/wechat", True, id="run-auto"),
    pytest.param([*APPS, "run", "wsgiref", "{port}"], "/", True, id="run-wsgiref"),
    pytest.param([*APPS, "run", "waitress", "{port}"], "/", True, id="run-waitress"),
    pytest.param([*APPS, "run", "gunicorn", "{port}"], "/", True, id="run-gunicorn"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited before listening"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listened on port {port} within {timeout} s")


@contextmanager
def _server(command: list[str], cwd: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    }
    with (cwd / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(
            [part.format(port=port) for part in command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own process group, with any workers it forks
        )
        try:
            _wait_for_port(port, process)
            yield port, process
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server and every process of its group (gunicorn's workers): TERM, then KILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _send(port: int, method: str, target: str, body: bytes = b"") -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, target, body=body, headers={"Content-Type": "text/xml"})
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, response.read())
    finally:
        connection.close()


def _oversize(port: int, path: str, *, send_body: bool) -> bytes:
    """The status line answering a POST of 2 MB, with or without sending the body."""
    size = 2_000_000
    head = (
        f"POST {path}?{urlencode(signed())} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: text/xml\r\nContent-Length: {size}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + (b"x" * size if send_body else b""))
        return sock.makefile("rb").readline().rstrip()


@pytest.mark.parametrize(("command", "path", "clean_sigint"), SERVERS)
def test_real_server(command: list[str], path: str, clean_sigint: bool, tmp_path: Path) -> None:
    with _server(command, tmp_path) as (port, process):
        echo = _send(port, "GET", f"{path}?{urlencode(signed(echostr='e2e-echo'))}")
        assert (echo.status, echo.body) == (200, b"e2e-echo")
        answer = _send(port, "POST", f"{path}?{urlencode(signed())}", text_xml("over the wire"))
        assert_reply(answer, "echo: over the wire")
        assert fields(answer.body)["ToUserName"] == "user-openid"
        bad = _send(port, "POST", f"{path}?{urlencode(signed(signature='0' * 40))}", b"<xml/>")
        assert (bad.status, bad.headers["content-type"]) == (403, "text/html; charset=utf-8")
        waitress = "waitress" in command  # it reads a whole body before calling the app
        assert _oversize(port, path, send_body=waitress).split(b" ", 2)[1] == b"413"
        if clean_sigint:
            process.send_signal(signal.SIGINT)
            try:
                assert process.wait(timeout=15) == 0
            except subprocess.TimeoutExpired:
                log = (tmp_path / "stderr.log").read_text(errors="replace")
                pytest.fail(f"still running 15 s after SIGINT; its log:\n{log}")
    if clean_sigint:
        assert "Traceback" not in (tmp_path / "stderr.log").read_text(errors="replace")
