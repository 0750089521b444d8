"""Helpers of the CLI tests: the test robot, its keys, free ports, the CLI invoked in-process."""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence

from typer.testing import CliRunner, Result

from werobot_cli.main import app
from werobot_cli.services import Services
from werobot_core import WeRoBot
from werobot_core.messages import ClickEvent, LocationMessage, TextMessage
from werobot_core.replies import Article, ArticlesReply

CLI_TOKEN = "cliToken123"
CLI_APP_ID = "wx1a2b3c4d5e6f7a8b"
CLI_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
OTHER_AES_KEY = "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba"  # well formed, not the robot's
COVER = (  # a cover picture the page can show offline
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='320' height='180'%3E"
    "%3Crect width='320' height='180' fill='%2307c160'/%3E"
    "%3Ccircle cx='250' cy='55' r='28' fill='%23ffe082'/%3E"
    "%3Cpath d='M0 180L90 90L160 150L220 110L320 180Z' fill='%230b6e4f'/%3E%3C/svg%3E"
)

Serve = Callable[[WeRoBot], str]


def make_cli_robot(*, safe: bool = False) -> WeRoBot:
    """A robot answering text with an echo, clicks with news, locations with music."""
    robot = WeRoBot(token=CLI_TOKEN, SESSION_STORAGE=False)
    if safe:
        robot.config.update(APP_ID=CLI_APP_ID, ENCODING_AES_KEY=CLI_AES_KEY)

    @robot.text
    def echo(message: TextMessage) -> str:
        return f"echo: {message.content}"

    @robot.key_click("NEWS")
    def news(message: ClickEvent) -> ArticlesReply:
        article = Article("Breaking", "Something happened", COVER, "https://example.com/a")
        return ArticlesReply(message, articles=[article])

    @robot.key_click("PING")
    def ping(message: ClickEvent) -> str:
        return "pong"

    @robot.location
    def where(message: LocationMessage) -> list[str]:
        return ["Song", f"at {message.location_x},{message.location_y}", "https://example.com/s"]

    @robot.subscribe
    def hello() -> str:
        return "welcome!"

    return robot


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def invoke(args: Sequence[str], services: Services | None = None, **kwargs: object) -> Result:
    """Run ``werobot ARGS`` in-process; ``services`` replaces the HTTP clients."""
    runner = CliRunner()
    return runner.invoke(app, list(args), obj=services, catch_exceptions=False, **kwargs)  # type: ignore[arg-type]
