"""Two Official Accounts served by one robot, for the many-accounts tests.

Each account has its own Token, EncodingAESKey and AppSecret; the robot's one text handler
answers ``<message.account> <robot.client.appid> #<session count>: <content>``, so an answer
shows which account's engine, client and session served it. ``python -m
tests.adapters.accounts_apps tornado PORT`` serves them under ``/wechat/<AppID>``.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from tests.adapters.e2e_apps import django_app

from werobot_core import WeRoBot
from werobot_core.accounts import Account, Accounts
from werobot_core.messages import TextMessage
from werobot_core.session.memorystorage import MemoryStorage

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

#: (AppID, Token, EncodingAESKey, AppSecret) of the two accounts.
A = ("wxaccountaaaaaaaa", "token-of-a", "a" * 43, "secret-a")
B = ("wxaccountbbbbbbbb", "token-of-b", "B" * 42 + "A", "secret-b")


def make_accounts() -> Accounts:
    """The robot of both accounts, with sessions in memory (one process)."""
    robot = WeRoBot(session_storage=MemoryStorage())

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        session["n"] = session.get("n", 0) + 1
        return f"{message.account} {robot.client.appid} #{session['n']}: {message.content}"

    return robot.for_accounts(
        [
            Account(app_id=app_id, token=token, encoding_aes_key=key, app_secret=secret)
            for app_id, token, key, secret in (A, B)
        ]
    )


def make_wsgi() -> WSGIApplication:
    """``accounts.wsgi``: every account on one WSGI app."""
    return make_accounts().wsgi


def make_fastapi() -> Any:
    """A FastAPI app with the accounts mounted at ``/wechat``."""
    from fastapi import FastAPI

    from werobot_adapters.asgi import make_asgi_app

    app = FastAPI()
    app.mount("/wechat", make_asgi_app(make_accounts()))
    return app


def make_django() -> Any:
    """A Django WSGI application with the accounts under ``/wechat/<AppID>``."""
    from werobot_adapters.django import make_view

    return django_app(make_view(make_accounts()), "wechat/<str:app_id>")


async def serve_tornado(port: int) -> None:
    """A Tornado server with the accounts under ``/wechat/<AppID>``, until killed."""
    from tornado.web import Application

    from werobot_adapters.tornado import make_handler

    app = Application([(r"/wechat/(?P<app_id>[^/]+)", make_handler(make_accounts()))])
    app.listen(port, "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve_tornado(int(sys.argv[2])))
