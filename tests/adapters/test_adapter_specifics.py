"""What the adapter pages promise beyond the shared contract, one framework at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from tests.adapters.adapter_bindings import WSGIClient, configure_django
from tests.adapters.contract import TOKEN, Answer, assert_reply, make_robot, signed, text_xml

from werobot_core import WeRoBot


def test_tornado_ignores_xsrf_cookies_setting() -> None:
    from tornado.testing import AsyncHTTPTestCase
    from tornado.web import Application

    from werobot_adapters.tornado import make_handler

    robot, _ = make_robot()

    class Case(AsyncHTTPTestCase):
        def get_app(self) -> Application:
            return Application([(r"/wechat", make_handler(robot))], xsrf_cookies=True)

        def runTest(self) -> None:
            response = self.fetch(
                f"/wechat?{urlencode(signed())}", method="POST", body=text_xml("xsrf")
            )
            assert response.code == 200
            assert b"echo: xsrf" in response.body

    result = Case().run()
    assert result is not None
    assert (result.errors, result.failures, result.testsRun) == ([], [], 1)


def test_django_view_after_a_middleware_that_read_the_body() -> None:
    from django.test import Client, override_settings  # type: ignore[import-untyped]
    from django.urls import path  # type: ignore[import-untyped]

    from werobot_adapters.django import make_view

    configure_django()
    robot, _ = make_robot()
    urls = type("Urls", (), {"urlpatterns": [path("wechat", make_view(robot))]})()
    middleware = f"{__name__}.read_body_first"
    with override_settings(ROOT_URLCONF=urls, MIDDLEWARE=[middleware]):
        response = Client().post(
            f"/wechat?{urlencode(signed())}", text_xml("read"), content_type="text/xml"
        )
    assert response.status_code == 200
    assert b"echo: read" in response.content


def read_body_first(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A Django middleware that reads ``request.body`` before the view."""

    def middleware(request: Any) -> Any:
        assert request.body.startswith(b"<xml>")
        return get_response(request)

    return middleware


def test_flask_serves_two_robots_with_two_endpoint_names() -> None:
    from flask import Flask

    from werobot_adapters.flask import make_view

    def named(name: str) -> WeRoBot:
        robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False)
        robot.add_handler(lambda: f"robot {name}", type="text")
        return robot

    robots = [named("a"), named("b")]
    app = Flask("two_robots")
    app.add_url_rule("/a", view_func=make_view(robots[0], "wechat_a"))
    app.add_url_rule("/b", view_func=make_view(robots[1], "wechat_b"))
    client = app.test_client()
    for name in ("a", "b"):
        response = client.post(f"/{name}?{urlencode(signed())}", data=text_xml("hi"))
        assert f"robot {name}".encode() in response.get_data()


def test_bottle_default_app_and_route_arguments() -> None:
    import bottle

    from werobot_adapters.bottle import make_view

    robot, _ = make_robot()
    app = bottle.Bottle()
    app.route("/wechat/<account>", "ANY", make_view(robot))
    client = WSGIClient(app, "/wechat/main")
    answer = client.send("POST", f"/wechat/main?{urlencode(signed())}", text_xml("bottle"))
    assert_reply(answer, "echo: bottle")


def test_asgi_app_alone_and_under_a_route() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from werobot_adapters.asgi import make_asgi_app

    robot, _ = make_robot()
    alone = make_asgi_app(robot)
    with TestClient(alone) as client:  # lifespan startup and shutdown are acknowledged
        assert client.get(f"/anything?{urlencode(signed(echostr='x'))}").content == b"x"
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/"):
            pass
        assert refused.value.code == 1000
    app = Starlette(routes=[Route("/wechat", make_asgi_app(robot))])
    with TestClient(app, follow_redirects=False) as client:
        response = client.post(f"/wechat?{urlencode(signed())}", content=text_xml("route"))
        assert_reply(response_answer(response), "echo: route")


def response_answer(response: Any) -> Answer:
    """An httpx response as the contract's ``Answer``."""
    headers = {name.lower(): value for name, value in response.headers.items()}
    return Answer(response.status_code, headers, response.content)
