"""Apps the end-to-end tests serve with real servers, each in its own process.

Factories for servers that import an app (``gunicorn 'tests.adapters.e2e_apps:make_flask()'``,
``uvicorn --factory tests.adapters.e2e_apps:make_fastapi``), and a command line for the servers
this module starts itself: ``python -m tests.adapters.e2e_apps tornado PORT`` and
``python -m tests.adapters.e2e_apps run SERVER PORT``.
Every app serves the contract's robot (``echo: <content>``) under ``/wechat``.
"""

from __future__ import annotations

import asyncio
import sys
import types
from typing import TYPE_CHECKING, Any

from tests.adapters.contract import make_robot

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


def make_wsgi() -> WSGIApplication:
    """``robot.wsgi``."""
    app: WSGIApplication = make_robot()[0].wsgi
    return app


def make_flask() -> Any:
    """A Flask app with the robot at ``/wechat``."""
    from flask import Flask

    from werobot_adapters.flask import make_view

    app = Flask("e2e")
    app.add_url_rule("/wechat", view_func=make_view(make_robot()[0]))
    return app


def make_fastapi() -> Any:
    """A FastAPI app with its own route and the robot mounted at ``/wechat``."""
    from fastapi import FastAPI

    from werobot_adapters.asgi import make_asgi_app

    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.mount("/wechat", make_asgi_app(make_robot()[0]))
    return app


def django_app(view: Any, route: str) -> Any:
    """A Django WSGI application serving ``view`` at ``route`` (a ``path()`` pattern)."""
    from django.conf import settings  # type: ignore[import-untyped]
    from django.core.wsgi import get_wsgi_application  # type: ignore[import-untyped]
    from django.urls import path  # type: ignore[import-untyped]

    urls = types.ModuleType("e2e_urls")
    urls.urlpatterns = [path(route, view)]  # type: ignore[attr-defined]
    settings.configure(
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=urls,
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        SECRET_KEY="e2e-tests-only",
    )
    return get_wsgi_application()


def make_django() -> Any:
    """A Django WSGI application with the robot under ``/wechat/<account>``."""
    from werobot_adapters.django import make_view

    return django_app(make_view(make_robot()[0]), "wechat/<str:account>")


async def serve_tornado(port: int) -> None:
    """A Tornado server with the robot under ``/wechat/<account>``, until killed."""
    from tornado.web import Application

    from werobot_adapters.tornado import make_handler

    app = Application([(r"/wechat/(?P<account>[^/]+)", make_handler(make_robot()[0]))])
    app.listen(port, "127.0.0.1")
    await asyncio.Event().wait()


def main(argv: list[str]) -> None:
    """``tornado PORT`` or ``run SERVER PORT`` (``robot.run`` reads SERVER and PORT)."""
    if argv[0] == "tornado":
        asyncio.run(serve_tornado(int(argv[1])))
    else:
        robot = make_robot()[0]
        robot.config["SERVER"], robot.config["PORT"] = argv[1], argv[2]
        robot.run()


if __name__ == "__main__":
    main(sys.argv[1:])
