"""A robot whose sync handler raises ``SystemExit`` (or another ``BaseException``), served
by real servers in a subprocess: ``uvicorn --factory tests.adapters.fault_apps:make_asgi``,
or ``python -m tests.adapters.fault_apps PORT`` (``robot.run``, the threaded stdlib server).

A text ``exit`` raises ``SystemExit(3)``, ``base`` a bare ``BaseException`` subclass; any
other text is echoed.
"""

from __future__ import annotations

import sys
from typing import Any

from tests.adapters.contract import AES_KEY, APP_ID, TOKEN

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage


class Fatal(BaseException):
    """Not an ``Exception``: what a careless handler or a library might raise."""


def make_fault_robot() -> WeRoBot:
    """The contract's robot (``echo: <content>``) but raising on ``exit`` and ``base``."""
    robot = WeRoBot(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, SESSION_STORAGE=False)

    @robot.text
    def echo(message: TextMessage) -> str:
        if message.content == "exit":
            raise SystemExit(3)
        if message.content == "base":
            raise Fatal("handler gave up")
        return f"echo: {message.content}"

    return robot


def make_asgi() -> Any:
    """The robot as a bare ASGI app."""
    from werobot_adapters.asgi import make_asgi_app

    return make_asgi_app(make_fault_robot())


def main(argv: list[str]) -> None:
    """``PORT``: serve with ``robot.run()`` (SERVER ``auto``: a threaded stdlib server)."""
    robot = make_fault_robot()
    robot.config["SERVER"], robot.config["PORT"] = "auto", argv[0]
    robot.run()


if __name__ == "__main__":
    main(sys.argv[1:])
