"""``werobot chat``, driven in a pseudo-terminal as a user would (pexpect)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pexpect
import pytest
from tests.cli.cli_support import CLI_AES_KEY, CLI_APP_ID, CLI_TOKEN

PROMPT = "you › "
LEFT = "\x1b[D"  # the left-arrow key


def _spawn(*args: str) -> pexpect.spawn[str]:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "werobot_cli", "chat", *args]
    return pexpect.spawn(
        command[0], command[1:], env=env, encoding="utf-8", timeout=20, dimensions=(40, 100)
    )


@pytest.fixture
def chat_plain(plain_url: str) -> Iterator[pexpect.spawn[str]]:
    """A chat with the plaintext robot; ended after the test."""
    child = _spawn(plain_url, "--token", CLI_TOKEN)
    child.expect_exact(PROMPT)
    yield child
    child.close(force=True)


def test_a_conversation(chat_plain: pexpect.spawn[str]) -> None:
    child = chat_plain
    child.sendline("hello bot")
    child.expect_exact("echo: hello bot")
    child.expect_exact(PROMPT)

    child.sendline("/click NEWS")
    child.expect_exact("Breaking")  # the news card's title
    child.expect_exact("Something happened")
    child.expect_exact("https://example.com/a")
    child.expect_exact(PROMPT)

    child.sendline("/location 48.85 2.29 'Eiffel Tower'")
    child.expect_exact("♪ Song")  # a music card
    child.expect_exact("at 48.85,2.29")
    child.expect_exact(PROMPT)

    child.sendline("/subscribe")
    child.expect_exact("welcome!")
    child.expect_exact(PROMPT)

    child.sendline("/unsubscribe")
    child.expect_exact("(no reply")
    child.expect_exact(PROMPT)

    child.sendeof()
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0


def test_line_editing(chat_plain: pexpect.spawn[str]) -> None:
    """readline: the cursor moves left and the typed letter is inserted."""
    child = chat_plain
    child.send("hllo" + LEFT * 3 + "e\r")
    child.expect_exact("echo: hello")


def test_help_and_mistakes(chat_plain: pexpect.spawn[str]) -> None:
    child = chat_plain
    child.sendline("/help")
    child.expect_exact("/location LAT LON [LABEL]")
    child.expect_exact(PROMPT)
    child.sendline("/click")
    child.expect_exact("usage: click KEY")
    child.expect_exact(PROMPT)
    child.sendline("/quit")
    child.expect(pexpect.EOF)


def test_safe_mode_chat(safe_url: str) -> None:
    child = _spawn(safe_url, "--token", CLI_TOKEN, "--app-id", CLI_APP_ID, "--aes-key", CLI_AES_KEY)
    try:
        child.expect_exact("(safe mode)")
        child.expect_exact(PROMPT)
        child.sendline("/click PING")
        child.expect_exact("pong")
        child.sendline("/click NONE")
        child.expect_exact("(no reply")
    finally:
        child.close(force=True)


def test_a_failing_robot_shows_what_wechat_shows(plain_url: str) -> None:
    child = _spawn(plain_url, "--token", "wrongToken")
    try:
        child.expect_exact(PROMPT)
        child.sendline("hi")
        child.expect_exact("该公众号提供的服务出现故障")
        child.expect_exact("HTTP 403")
    finally:
        child.close(force=True)
