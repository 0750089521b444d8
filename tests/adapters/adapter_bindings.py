"""Each binding served through its framework's own test machinery, behind one ``Client``.

``BINDINGS[name](robot)`` is a context manager giving a ``contract.Client`` whose requests
reach ``robot`` through that binding, routed under a path with a captured URL argument.
"""

from __future__ import annotations

import io
import logging
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, closing, contextmanager
from typing import TYPE_CHECKING, Any, Protocol
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from tests.adapters.contract import Answer, Client

from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.settings import Settings
from werobot_core.transport import Servable
from werobot_core.wsgi import make_wsgi_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["BINDINGS", "RecordingRobot", "WSGIClient"]

_HEADERS = {"Content-Type": "text/xml"}


class ServableWSGI(Servable, Protocol):
    """A robot that also offers ``robot.wsgi``."""

    @property
    def wsgi(self) -> WSGIApplication:
        """The robot's WSGI app."""


class RecordingRobot:
    """Answers every request with ``answer`` and records how it was called."""

    def __init__(self, answer: WeChatResponse, max_body_size: int = 1 << 20) -> None:
        self.settings = Settings(max_body_size=max_body_size)
        self.logger = logging.getLogger("tests.adapters")
        self.answer = answer
        self.seen: list[tuple[str, WeChatRequest]] = []

    def handle(self, request: WeChatRequest, /) -> WeChatResponse:
        self.seen.append(("handle", request))
        return self.answer

    async def handle_async(self, request: WeChatRequest, /) -> WeChatResponse:
        self.seen.append(("handle_async", request))
        return self.answer

    @property
    def wsgi(self) -> WSGIApplication:
        return make_wsgi_app(self)


def _lower(headers: Mapping[str, str] | Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in headers.items()}


class WSGIClient:
    """A minimal WSGI harness: PEP 3333 environ in, checked by ``wsgiref.validate``."""

    base_url = "http://127.0.0.1"

    def __init__(self, app: WSGIApplication, path: str) -> None:
        self.app = validator(app)
        self.path = path

    def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] = {}
    ) -> Answer:
        """Call the app with one request."""
        path, _, query = target.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "text/xml",
            "wsgi.input": io.BytesIO(body),
        }
        environ.update((f"HTTP_{k.upper().replace('-', '_')}", v) for k, v in headers.items())
        setup_testing_defaults(environ)
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> Any:
            started.append((status, response_headers))
            return lambda data: None

        with closing(self.app(environ, start_response)) as chunks:  # type: ignore[type-var]
            data = b"".join(chunks)
        status, response_headers = started[0]
        return Answer(int(status.split()[0]), _lower(dict(response_headers)), data)


@contextmanager
def serve_wsgi(robot: ServableWSGI) -> Iterator[Client]:
    """``robot.wsgi`` (via ``werobot_adapters.wsgi.make_app``), which serves every path."""
    from werobot_adapters.wsgi import make_app

    yield WSGIClient(make_app(robot), "/hooks/main/wechat")


@contextmanager
def serve_bottle(robot: Servable) -> Iterator[Client]:
    """A Bottle app routing ``ANY`` method to the view; exceptions propagate."""
    import bottle

    from werobot_adapters.bottle import make_view

    app = bottle.Bottle()
    app.config["catchall"] = False
    app.route("/hooks/<account>/wechat", "ANY", make_view(robot))
    yield WSGIClient(app, "/hooks/main/wechat")


class _FlaskClient:
    base_url = "http://localhost"
    path = "/hooks/main/wechat"

    def __init__(self, client: Any) -> None:
        self.client = client

    def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] = {}
    ) -> Answer:
        response = self.client.open(
            target, method=method, data=body, headers={**_HEADERS, **headers}
        )
        return Answer(response.status_code, _lower(response.headers), response.get_data())


@contextmanager
def serve_flask(robot: Servable) -> Iterator[Client]:
    """A Flask app with the view under a URL variable, through ``app.test_client()``."""
    from flask import Flask

    from werobot_adapters.flask import make_view

    app = Flask("adapter_contract")
    app.add_url_rule("/hooks/<account>/wechat", view_func=make_view(robot))
    yield _FlaskClient(app.test_client())


class _DjangoClient:
    base_url = "http://testserver"
    path = "/hooks/main/wechat"

    def __init__(self) -> None:
        from django.test import Client as TestClient  # type: ignore[import-untyped]

        self.client = TestClient(enforce_csrf_checks=True)

    def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] = {}
    ) -> Answer:
        response = self.client.generic(
            method, target, data=body, content_type="text/xml", headers=headers
        )
        return Answer(response.status_code, _lower(response.headers), response.content)


def configure_django() -> None:
    """Configure Django once per process, with CSRF protection on."""
    import django  # type: ignore[import-untyped]
    from django.conf import settings  # type: ignore[import-untyped]

    if not settings.configured:
        settings.configure(
            ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
            ROOT_URLCONF="adapter_contract_urls_unset",
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            SECRET_KEY="adapter-contract-tests-only",
            USE_TZ=True,
        )
        django.setup()


@contextmanager
def serve_django(robot: Servable) -> Iterator[Client]:
    """A URL pattern with a captured argument, through Django's test ``Client``."""
    from django.test import override_settings
    from django.urls import path  # type: ignore[import-untyped]

    from werobot_adapters.django import make_view

    configure_django()
    urls = types.ModuleType("adapter_contract_urls")
    urls.urlpatterns = [path("hooks/<str:account>/wechat", make_view(robot))]  # type: ignore[attr-defined]
    with override_settings(ROOT_URLCONF=urls):
        yield _DjangoClient()


class _TornadoClient:
    path = "/hooks/main/wechat"

    def __init__(self, app: Any) -> None:
        from tornado.testing import AsyncHTTPTestCase

        class Case(AsyncHTTPTestCase):
            def get_app(self) -> Any:
                return app

            def runTest(self) -> None:
                """Unused: the case only runs the server and client."""

        self.case = Case()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.case.get_http_port()}"

    def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] = {}
    ) -> Answer:
        response = self.case.fetch(
            target,
            method=method,
            body=body if body or method not in ("GET", "HEAD") else None,
            headers={**_HEADERS, **headers},
            allow_nonstandard_methods=True,
            raise_error=False,
        )
        return Answer(response.code, _lower(response.headers), response.body)


@contextmanager
def serve_tornado(robot: Servable) -> Iterator[Client]:
    """A Tornado app on a real socket, through ``tornado.testing.AsyncHTTPTestCase``."""
    from tornado.web import Application

    from werobot_adapters.tornado import make_handler

    client = _TornadoClient(
        Application([(r"/hooks/(?P<account>[^/]+)/wechat", make_handler(robot))])
    )
    client.case.setUp()
    try:
        yield client
    finally:
        client.case.tearDown()


class _StarletteClient:
    base_url = "http://testserver"
    path = "/hooks/main/wechat/"

    def __init__(self, client: Any) -> None:
        self.client = client

    def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] = {}
    ) -> Answer:
        response = self.client.request(
            method, target, content=body, headers={**_HEADERS, **headers}
        )
        return Answer(response.status_code, _lower(response.headers), response.content)


@contextmanager
def serve_asgi(robot: Servable) -> Iterator[Client]:
    """The ASGI app mounted in Starlette under a path parameter, through ``TestClient``."""
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    from werobot_adapters.asgi import make_asgi_app

    app = Starlette(routes=[Mount("/hooks/{account}/wechat", app=make_asgi_app(robot))])
    with TestClient(app) as client:
        yield _StarletteClient(client)


BINDINGS: Mapping[str, Callable[[Any], AbstractContextManager[Client]]] = types.MappingProxyType(
    {
        "asgi": serve_asgi,
        "bottle": serve_bottle,
        "django": serve_django,
        "flask": serve_flask,
        "tornado": serve_tornado,
        "wsgi": serve_wsgi,
    }
)
