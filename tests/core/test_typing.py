"""Issue 2 item 6: mypy rejects a handler whose annotation does not match its decorator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
import re
from typing import Any

from werobot_core import WeRoBot
from werobot_core.messages import (
    ClickEvent,
    LocationMessage,
    SubscribeEvent,
    TextMessage,
    WeappAuditFailEvent,
    WeChatMessage,
    WxaMediaCheckEvent,
)
from werobot_core.replies import TextReply

robot = WeRoBot(token="t")


@robot.text
@robot.location
def both(message: TextMessage | LocationMessage) -> str:
    return message.type


@robot.text(deadline=10, strategy="push")
def with_options(message: TextMessage, session: dict[str, Any]) -> str:
    return message.content


@robot.subscribe
def greet(message: SubscribeEvent) -> TextReply:
    return TextReply(message, content=message.key or "")


@robot.subscribe_event
def from_product_page(message: SubscribeEvent) -> str:
    product = message.scan_product
    return product.key_str if product is not None else ""


@robot.weapp_audit_fail
@robot.weapp_audit_fail_event
def audit_failed(message: WeappAuditFailEvent) -> list[str]:
    return message.screenshots + [message.reason or "", str(message.fail_time or 0)]


@robot.wxa_media_check(deadline=3)
def media_checked(message: WxaMediaCheckEvent) -> str:
    verdict = message.result.suggest if message.result is not None else None
    return verdict or str(message.is_risky)


@robot.key_click("MENU")
def clicked(message: ClickEvent) -> str:
    return message.key or ""


@robot.filter("a", re.compile("b+"))
def filtered(message: TextMessage, session: Any, match: re.Match[str] | None) -> str:
    return match.group(0) if match else message.content


@robot.handler
def anything(message: WeChatMessage) -> None:
    return None


@robot.unknown_event
def no_arguments() -> str:
    return "hi"


@robot.image
async def later(message: WeChatMessage) -> str:
    return message.source


content: str = both(TextMessage(content="x"))
"""

WRONG_TYPE = """
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage

robot = WeRoBot(token="t")


@robot.image
def f(message: TextMessage) -> str:
    return message.content
"""

WRONG_STACK = """
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage

robot = WeRoBot(token="t")


@robot.text
@robot.location
def g(message: TextMessage) -> str:
    return message.content
"""

WRONG_NEW_EVENT = """
from werobot_core import WeRoBot
from werobot_core.messages import WeappAuditFailEvent

robot = WeRoBot(token="t")


@robot.poi_check_notify
def p(message: WeappAuditFailEvent) -> str:
    return message.reason or ""


@robot.weapp_audit_success
def q(message: WeappAuditFailEvent) -> str:
    return message.uniq_id
"""

WRONG_ATTRIBUTE = """
from werobot_core import WeRoBot
from werobot_core.messages import ImageMessage

robot = WeRoBot(token="t")


@robot.image
def h(message: ImageMessage) -> str:
    return message.content
"""


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One mypy --strict run over every snippet; its error lines by snippet name."""
    folder = tmp_path_factory.mktemp("typing")
    snippets = {
        "good": GOOD,
        "wrong_type": WRONG_TYPE,
        "wrong_stack": WRONG_STACK,
        "wrong_new_event": WRONG_NEW_EVENT,
        "wrong_attribute": WRONG_ATTRIBUTE,
    }
    for name, code in snippets.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(code).lstrip(), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        str(ROOT / "mypy.ini"),
        "--cache-dir",
        str(folder / ".mypy_cache"),
        "--no-error-summary",
        "--show-error-codes",
        *(f"{name}.py" for name in snippets),
    ]
    env = {**os.environ, "MYPYPATH": str(ROOT / "src")}
    done = subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    lines = done.stdout.splitlines()
    return {name: [line for line in lines if line.startswith(f"{name}.py:")] for name in snippets}


@pytest.mark.slow
def test_correct_handlers_type_check_clean(mypy_output: dict[str, list[str]]) -> None:
    assert mypy_output["good"] == []


@pytest.mark.slow
def test_image_decorator_on_a_text_handler_is_an_arg_type_error(
    mypy_output: dict[str, list[str]],
) -> None:
    [error] = mypy_output["wrong_type"]
    assert re.match(r"wrong_type\.py:7: error: .*\[arg-type\]$", error)
    assert "TextMessage" in error


@pytest.mark.slow
def test_stacked_decorator_needing_a_union_is_an_error(mypy_output: dict[str, list[str]]) -> None:
    errors = mypy_output["wrong_stack"]
    assert errors
    assert all("[arg-type]" in e for e in errors)
    assert any(e.startswith("wrong_stack.py:8:") for e in errors)


@pytest.mark.slow
def test_message_attributes_are_typed(mypy_output: dict[str, list[str]]) -> None:
    errors = mypy_output["wrong_attribute"]
    assert any('"ImageMessage" has no attribute "content"  [attr-defined]' in e for e in errors)


@pytest.mark.slow
def test_new_pushes_are_typed_like_the_others(mypy_output: dict[str, list[str]]) -> None:
    errors = mypy_output["wrong_new_event"]
    assert any(e.startswith("wrong_new_event.py:7:") and "[arg-type]" in e for e in errors)
    assert any(e.startswith("wrong_new_event.py:12:") and "[arg-type]" in e for e in errors)
    assert any('"WeappAuditFailEvent" has no attribute "uniq_id"' in e for e in errors)
