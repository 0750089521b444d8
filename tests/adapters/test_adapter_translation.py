"""Every binding translates exactly: request fields in, status, headers and body out.

A recording stand-in for the robot shows what each binding hands to ``handle`` and that the
answer reaches the client verbatim (no framework default status, content type or charset).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.adapters.adapter_bindings import BINDINGS, RecordingRobot
from tests.adapters.contract import Client

import werobot_adapters
from werobot_core.request import WeChatResponse
from werobot_core.settings import Settings

if TYPE_CHECKING:
    pass

ASYNC_BINDINGS = {"asgi", "tornado"}
FRAMEWORKS = ("django", "flask", "werkzeug", "bottle", "tornado", "starlette", "fastapi")


ANSWER = WeChatResponse(202, {"Content-Type": "application/xml", "X-Robot": "r2"}, b"\xff<a/>")


@pytest.fixture(params=sorted(BINDINGS))
def binding(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def robot() -> RecordingRobot:
    return RecordingRobot(ANSWER, max_body_size=16)


@pytest.fixture
def client(binding: str, robot: RecordingRobot) -> Iterator[Client]:
    with BINDINGS[binding](robot) as client:
        yield client


def test_request_is_translated(binding: str, robot: RecordingRobot, client: Client) -> None:
    query = "name=%E4%BD%A0%E5%A5%BD&name=second&plus=a+b&empty="
    client.send("POST", f"{client.path}?{query}", b"<xml>16 bytes</>", {"X-Trace": "t-1"})
    [(how, request)] = robot.seen
    assert how == ("handle_async" if binding in ASYNC_BINDINGS else "handle")
    assert request.method == "POST"
    assert dict(request.query) == {"name": "你好", "plus": "a b", "empty": ""}
    assert request.body == b"<xml>16 bytes</>"
    assert request.url == f"{client.base_url}{client.path}?{query}"
    assert request.headers["X-Trace"] == "t-1"


def test_answer_is_copied_verbatim(client: Client) -> None:
    answer = client.send("GET", client.path)
    assert (answer.status, answer.body) == (202, b"\xff<a/>")
    assert answer.headers["content-type"] == "application/xml"
    assert answer.headers["x-robot"] == "r2"
    assert answer.headers.get("content-length", "5") == "5"  # servers add it if absent


@pytest.mark.parametrize("method", ["HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_every_method_reaches_the_robot(method: str, robot: RecordingRobot, client: Client) -> None:
    assert client.send(method, client.path).status == 202
    assert [request.method for _, request in robot.seen] == [method]


def test_body_over_limit_is_none(robot: RecordingRobot, client: Client) -> None:
    client.send("POST", client.path, b"x" * 17)
    client.send("POST", client.path, b"")
    assert [request.body for _, request in robot.seen] == [None, b""]


def test_limit_is_read_per_request(robot: RecordingRobot, client: Client) -> None:
    client.send("POST", client.path, b"x" * 17)
    robot.settings = Settings(max_body_size=17)
    client.send("POST", client.path, b"x" * 17)
    assert [request.body for _, request in robot.seen] == [None, b"x" * 17]


def test_importing_the_package_imports_no_framework() -> None:
    code = (
        "import sys, werobot_adapters, werobot_core.server\n"
        f"print(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, "[]")


@pytest.mark.parametrize(
    ("module", "own"),
    [
        ("django", {"django"}),
        ("flask", {"flask", "werkzeug"}),
        ("bottle", {"bottle"}),
        ("tornado", {"tornado"}),
        ("asgi", set()),
        ("wsgi", set()),
    ],
)
def test_each_adapter_imports_only_its_framework(module: str, own: set[str]) -> None:
    code = (
        f"import sys, werobot_adapters.{module}\n"
        f"print(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert set(ast.literal_eval(result.stdout.strip())) == own


PROTOCOL_WORDS = ("signature", "echostr", "encrypt", "decrypt", "content-type", "xml", "token")


def _code_words(source: str) -> set[str]:
    """Every name, attribute and string literal of a module, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            words.add(str(node.value))
    return {word.lower() for word in words}


@pytest.mark.parametrize("path", sorted(Path(werobot_adapters.__file__).parent.glob("*.py")))
def test_no_protocol_logic_in_adapters(path: Path) -> None:
    words = _code_words(path.read_text(encoding="utf-8"))
    assert [w for w in words if any(p in w for p in PROTOCOL_WORDS)] == []
