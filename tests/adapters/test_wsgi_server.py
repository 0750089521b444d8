"""``werobot_core.server``, ``.wsgi`` and ``.transport``: the WSGI app, the stdlib server
and ``run``'s choices."""

from __future__ import annotations

import http.client
import io
import logging
import os
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from tests.adapters.contract import TOKEN, make_robot, signed, text_xml

from werobot_core import WeRoBot
from werobot_core.exceptions import ConfigError
from werobot_core.messages import TextMessage
from werobot_core.server import SERVERS, make_server, run
from werobot_core.transport import BodyBuffer, parse_length, parse_query, read_body, status_line
from werobot_core.wsgi import request_from_environ


@contextmanager
def serving(robot: WeRoBot) -> Iterator[int]:
    """``robot`` on the threaded stdlib server at a free port, stopped afterwards."""
    server = make_server(robot, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def served() -> Iterator[tuple[WeRoBot, int]]:
    """The contract's robot on the stdlib server."""
    robot, _ = make_robot()
    with serving(robot) as port:
        yield robot, port


def _request(port: int, method: str, target: str, body: bytes = b"") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, target, body=body, headers={"Content-Type": "text/xml"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_stdlib_server_answers_on_a_socket(served: tuple[WeRoBot, int]) -> None:
    _, port = served
    query = "&".join(f"{k}={v}" for k, v in signed(echostr="e1").items())
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", f"/any/path?{query}")
    response = connection.getresponse()
    assert (response.status, response.reason, response.read()) == (200, "OK", b"e1")
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert response.getheader("Content-Length") == "2"
    connection.close()
    assert _request(port, "GET", "/?echostr=e1").reason == "Forbidden"


def test_stdlib_server_is_threaded() -> None:
    """A handler waiting for a second request only finishes if both run at once."""
    robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False)
    second_arrived = threading.Event()

    @robot.filter("first")
    def first(message: TextMessage) -> str:
        return "together" if second_arrived.wait(timeout=5) else "alone"

    @robot.filter("second")
    def second(message: TextMessage) -> str:
        second_arrived.set()
        return "ok"

    query = "&".join(f"{k}={v}" for k, v in signed().items())
    results: list[bytes] = []
    with serving(robot) as port:

        def send_first() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", f"/?{query}", body=text_xml("first"))
            results.append(connection.getresponse().read())
            connection.close()

        thread = threading.Thread(target=send_first)
        thread.start()
        assert _request(port, "POST", f"/?{query}", text_xml("second")).status == 200
        thread.join(timeout=10)
    assert b"together" in results[0]


class _Records(logging.Handler):
    """Collects log messages and signals when one containing ``wanted`` arrives."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.seen, self.messages = wanted, threading.Event(), list[str]()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        if self.wanted in record.getMessage():
            self.seen.set()


def test_request_log_goes_to_the_robot_logger(
    served: tuple[WeRoBot, int], capsys: pytest.CaptureFixture[str]
) -> None:
    robot, port = served
    records = _Records('"PUT /hook HTTP/1.1" 405')
    robot.logger.addHandler(records)
    level = robot.logger.level
    robot.logger.setLevel(logging.INFO)
    try:
        _request(port, "PUT", "/hook")
        assert records.seen.wait(timeout=5), records.messages  # logged after the answer
    finally:
        robot.logger.removeHandler(records)
        robot.logger.setLevel(level)
    assert "PUT /hook" not in capsys.readouterr().err


def test_a_reset_connection_is_logged_not_printed(
    served: tuple[WeRoBot, int], capsys: pytest.CaptureFixture[str]
) -> None:
    robot, port = served
    records = _Records("error while serving")
    robot.logger.addHandler(records)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET / HT")  # half a request line, then a TCP reset
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        assert records.seen.wait(timeout=5), records.messages
    finally:
        robot.logger.removeHandler(records)
    assert "Traceback" not in capsys.readouterr().err


class _Stream:
    """A WSGI input that counts what is read and may forbid reading at all."""

    def __init__(self, data: bytes, readable: bool = True) -> None:
        self.data, self.readable, self.read_bytes = io.BytesIO(data), readable, 0

    def read(self, size: int = -1) -> bytes:
        assert self.readable, "the body must not be read"
        chunk = self.data.read(size)
        self.read_bytes += len(chunk)
        return chunk


def _environ(stream: _Stream, **extra: Any) -> dict[str, Any]:
    environ = {
        "REQUEST_METHOD": "POST",
        "QUERY_STRING": "a=%E4%BD%A0&a=2&b",
        "wsgi.input": stream,
        "wsgi.url_scheme": "https",
        "HTTP_HOST": "example.com",
        "SCRIPT_NAME": "/app",
        "PATH_INFO": "/wechat",
        "HTTP_X_FORWARDED_FOR": "10.0.0.1",
    }
    return environ | extra


def test_environ_is_translated() -> None:
    request = request_from_environ(_environ(_Stream(b"<xml/>"), CONTENT_LENGTH="6"), 100)
    assert (request.method, dict(request.query)) == ("POST", {"a": "你", "b": ""})
    assert request.url == "https://example.com/app/wechat?a=%E4%BD%A0&a=2&b"
    assert (request.body, request.headers["X-Forwarded-For"]) == (b"<xml/>", "10.0.0.1")
    assert request.headers["Content-Length"] == "6"


def test_declared_oversize_body_is_not_read() -> None:
    stream = _Stream(b"x" * 200, readable=False)
    assert request_from_environ(_environ(stream, CONTENT_LENGTH="200"), 100).body is None


def test_without_content_length_the_input_is_not_read() -> None:
    stream = _Stream(b"<xml/>", readable=False)
    assert request_from_environ(_environ(stream), 100).body == b""


def test_terminated_input_is_read_to_the_end_or_the_limit() -> None:
    small = request_from_environ(_environ(_Stream(b"<xml/>"), **{"wsgi.input_terminated": True}), 6)
    assert small.body == b"<xml/>"
    stream = _Stream(b"y" * 10_000_000)
    large = request_from_environ(_environ(stream, **{"wsgi.input_terminated": True}), 100)
    assert (large.body, stream.read_bytes) == (None, 101)


def test_read_body_stops_once_over_the_limit() -> None:
    stream = _Stream(b"z" * 1_000_000)
    assert read_body(stream.read, None, 1000) is None
    assert stream.read_bytes == 1001
    assert read_body(_Stream(b"z" * 1000).read, 1000, 1000) == b"z" * 1000


def test_body_buffer() -> None:
    buffer = BodyBuffer(4)
    buffer.feed(b"ab")
    buffer.feed(b"cd")
    assert (buffer.full, buffer.body) == (False, b"abcd")
    buffer.feed(b"e")
    buffer.feed(b"")
    assert (buffer.full, buffer.body) == (True, None)
    assert BodyBuffer(4, declared=5).body is None


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("", None), ("12", 12), ("-1", None), ("1e3", None)]
)
def test_parse_length(value: str | None, expected: int | None) -> None:
    assert parse_length(value) == expected


def test_parse_query_keeps_first_values_and_blanks() -> None:
    assert parse_query(b"x=1&x=2&y=&z=a+b%2B&%E5%90%8D=%FF") == {
        "x": "1",
        "y": "",
        "z": "a b+",
        "名": "\ufffd",
    }


def test_status_line() -> None:
    assert [status_line(code) for code in (200, 403, 405, 299)] == [
        "200 OK",
        "403 Forbidden",
        "405 Method Not Allowed",
        "299 Unknown",
    ]


def test_run_refuses_an_unknown_server() -> None:
    robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False, SERVER="tornado")
    with pytest.raises(ConfigError) as caught:
        robot.run()
    assert all(name in caught.value.reason for name in SERVERS)
    with pytest.raises(ConfigError, match="'cherrypy'"):
        run(robot, server="cherrypy")


@pytest.mark.parametrize("server", ["waitress", "gunicorn"])
def test_run_names_the_extra_when_the_server_is_missing(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, server, None)
    monkeypatch.setitem(sys.modules, "gunicorn.app.base", None)
    robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False)
    with pytest.raises(ConfigError, match=rf"werobot-sdk\[{server}\]"):
        run(robot, server=server, port=0, enable_pretty_logging=False)


def _interrupt_when_served(
    port: int, answers: list[int], returned: threading.Event
) -> threading.Thread:
    """A thread that makes one request, then sends this process a SIGINT (Ctrl-C).

    It interrupts only after an answer (or after trying for 10 s), so the signal reaches
    the main thread inside the server's loop, where ``run`` must catch it; never once
    ``run`` has ``returned``.
    """

    def go() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not answers and not returned.is_set():
            try:
                answers.append(_request(port, "GET", f"/?{urlencode(signed(echostr='c'))}").status)
            except OSError:
                time.sleep(0.05)
        if not returned.is_set():
            os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("server", ["auto", "wsgiref", "waitress"])
def test_run_serves_until_ctrl_c(
    server: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    robot, _ = make_robot()
    robot.config["SERVER"] = server
    robot.config["PORT"] = str(_free_port())  # read when run() is called, as a str
    answers: list[int] = []
    handlers, level = list(robot.logger.handlers), robot.logger.level
    returned = threading.Event()
    thread = _interrupt_when_served(int(robot.config["PORT"]), answers, returned)
    try:
        with caplog.at_level(logging.INFO, logger=robot.logger.name):
            robot.run()  # returns on Ctrl-C
    finally:
        returned.set()
        robot.logger.handlers[:], robot.logger.level = handlers, level
    thread.join(timeout=5)
    assert answers == [200]
    assert "stopped" in [record.getMessage() for record in caplog.records]
    assert "stopped" in capsys.readouterr().err  # enable_pretty_logging: to stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
