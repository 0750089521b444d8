"""``FakeOpenPlatform``: WeChat's open-platform API on ``httpx.MockTransport``, for tests.

It checks what the real one checks (the ticket, the component token, the authorization
code, the refresh token) and answers as it does::

    platform = FakeOpenPlatform("wx-component", "secret")
    platform.authorize("wx-authorizer")           # an owner authorizes: gives a code
    component = ComponentClient(
        "wx-component", "secret", http_client=httpx.Client(transport=platform.transport())
    )

Component tokens are ``CT1``, ``CT2``, …; authorizer access tokens ``<AppID>-AT1``, …;
refresh tokens ``<AppID>-RT1``, … . With ``rotate=True`` every refresh returns a new refresh
token and the previous one answers 61023 (``refresh_token is invalid``) from then on.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

__all__ = ["FakeOpenPlatform", "LoopbackTransport", "serve_wsgi"]


def _error(errcode: int, errmsg: str) -> httpx.Response:
    return httpx.Response(200, json={"errcode": errcode, "errmsg": errmsg})


class FakeOpenPlatform:
    """The component API plus the authorizers' ordinary API (any other path).

    ``ticket`` is the ticket WeChat last pushed (``None``: none yet); ``grant_delay``
    slows every grant, so that concurrent callers meet. ``calls`` counts requests per path.
    """

    def __init__(self, component_appid: str, component_secret: str, *, rotate: bool = False):
        self.component_appid = component_appid
        self.component_secret = component_secret
        self.rotate = rotate
        self.ticket: str | None = None
        self.grant_delay = 0.0
        self.calls: dict[str, int] = {}
        self.requests: list[httpx.Request] = []
        self.component_tokens: set[str] = set()
        self.codes: dict[str, str] = {}  # authorization code → authorizer AppID
        self.refresh_tokens: dict[str, str] = {}  # AppID → the valid refresh token
        self.access_tokens: dict[str, str] = {}  # access token → AppID
        self.options: dict[tuple[str, str], str] = {}
        self.pre_auth_codes: list[str] = []
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    # -- what happens on WeChat's side ----------------------------------------------------

    def push_ticket(self, ticket: str) -> str:
        """WeChat issues a new ticket (the push itself is built by the caller)."""
        self.ticket = ticket
        return ticket

    def authorize(self, authorizer_appid: str) -> str:
        """An owner authorizes the component: the authorization code WeChat gives."""
        code = f"queryauthcode@@@{authorizer_appid}-{next(self._numbers)}"
        self.codes[code] = authorizer_appid
        return code

    def expire_access_tokens(self) -> None:
        """Every authorizer access token stops working (as after two hours)."""
        self.access_tokens.clear()

    def count(self, path: str) -> int:
        """How many requests reached ``/cgi-bin/component/<path>`` (or ``path`` itself)."""
        key = path if path.startswith("/") else "/cgi-bin/component/" + path
        return self.calls.get(key, 0)

    def transport(self) -> httpx.MockTransport:
        """A transport for ``httpx.Client`` answering as this fake platform."""
        return httpx.MockTransport(self.handle)

    def async_transport(self) -> httpx.MockTransport:
        """A transport for ``httpx.AsyncClient`` (the same handler)."""
        return httpx.MockTransport(self.handle)

    # -- the API --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request."""
        path = request.url.path
        with self._lock:
            self.calls[path] = self.calls.get(path, 0) + 1
            self.requests.append(request)
        body: dict[str, Any] = json.loads(request.content) if request.content else {}
        if path == "/cgi-bin/component/api_component_token":
            return self._component_token(body)
        if path.startswith("/cgi-bin/component/"):
            token = request.url.params.get("component_access_token")
            if token not in self.component_tokens:
                return _error(40001, "invalid credential, access_token is invalid")
            if body.get("component_appid") != self.component_appid:
                return _error(61003, "component is not authorized by this account")
            name = path.rsplit("/", 1)[1]
            return getattr(self, "_" + name)(body)  # type: ignore[no-any-return]
        return self._authorizer_api(request, path)

    def _next(self) -> int:
        with self._lock:
            return next(self._numbers)

    def _component_token(self, body: dict[str, Any]) -> httpx.Response:
        if body.get("component_appsecret") != self.component_secret:
            return _error(40125, "invalid appsecret")
        if self.ticket is None or body.get("component_verify_ticket") != self.ticket:
            return _error(61006, "component ticket is invalid")
        time.sleep(self.grant_delay)
        token = f"CT{self._next()}"
        self.component_tokens.add(token)
        return httpx.Response(200, json={"component_access_token": token, "expires_in": 7200})

    def _api_create_preauthcode(self, body: dict[str, Any]) -> httpx.Response:
        code = f"preauthcode@@@{self._next()}"
        self.pre_auth_codes.append(code)
        return httpx.Response(200, json={"pre_auth_code": code, "expires_in": 1800})

    def _issue(self, appid: str) -> tuple[str, str]:
        number = self._next()
        access, refresh = f"{appid}-AT{number}", f"{appid}-RT{number}"
        self.access_tokens[access] = appid
        self.refresh_tokens[appid] = refresh
        return access, refresh

    def _api_query_auth(self, body: dict[str, Any]) -> httpx.Response:
        appid = self.codes.pop(str(body.get("authorization_code")), None)
        if appid is None:
            return _error(61010, "code is expired")
        access, refresh = self._issue(appid)
        info = {
            "authorizer_appid": appid,
            "authorizer_access_token": access,
            "expires_in": 7200,
            "authorizer_refresh_token": refresh,
            "func_info": [{"funcscope_category": {"id": 1}}],
        }
        return httpx.Response(200, json={"authorization_info": info})

    def _api_authorizer_token(self, body: dict[str, Any]) -> httpx.Response:
        appid = str(body.get("authorizer_appid"))
        if self.refresh_tokens.get(appid) != body.get("authorizer_refresh_token"):
            return _error(61023, "refresh_token is invalid")
        time.sleep(self.grant_delay)
        if self.rotate:
            access, refresh = self._issue(appid)
        else:
            access, refresh = f"{appid}-AT{self._next()}", self.refresh_tokens[appid]
            self.access_tokens[access] = appid
        answer = {
            "authorizer_access_token": access,
            "expires_in": 7200,
            "authorizer_refresh_token": refresh,
        }
        return httpx.Response(200, json=answer)

    def _api_get_authorizer_info(self, body: dict[str, Any]) -> httpx.Response:
        appid = str(body.get("authorizer_appid"))
        if appid not in self.refresh_tokens:
            return _error(61004, "api unauthorized")
        return httpx.Response(
            200,
            json={
                "authorizer_info": {"nick_name": f"account {appid}", "user_name": f"gh_{appid}"},
                "authorization_info": {
                    "authorizer_appid": appid,
                    "authorizer_refresh_token": self.refresh_tokens[appid],
                    "func_info": [{"funcscope_category": {"id": 1}}],
                },
            },
        )

    def _api_get_authorizer_list(self, body: dict[str, Any]) -> httpx.Response:
        items = [
            {"authorizer_appid": appid, "refresh_token": refresh, "auth_time": 1700000000}
            for appid, refresh in sorted(self.refresh_tokens.items())
        ]
        offset, count = int(body.get("offset", 0)), int(body.get("count", 500))
        return httpx.Response(
            200, json={"total_count": len(items), "list": items[offset : offset + count]}
        )

    def _api_get_authorizer_option(self, body: dict[str, Any]) -> httpx.Response:
        appid, name = str(body.get("authorizer_appid")), str(body.get("option_name"))
        value = self.options.get((appid, name), "0")
        return httpx.Response(
            200, json={"authorizer_appid": appid, "option_name": name, "option_value": value}
        )

    def _api_set_authorizer_option(self, body: dict[str, Any]) -> httpx.Response:
        key = (str(body.get("authorizer_appid")), str(body.get("option_name")))
        self.options[key] = str(body.get("option_value"))
        return _error(0, "ok")

    def _authorizer_api(self, request: httpx.Request, path: str) -> httpx.Response:
        appid = self.access_tokens.get(request.url.params.get("access_token", ""))
        if appid is None:
            return _error(40001, "invalid credential, access_token is invalid")
        if path == "/cgi-bin/getcallbackip":
            return httpx.Response(200, json={"ip_list": [appid]})
        return _error(0, "ok")

    # -- on loopback --------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """This fake as a WSGI application (to serve it on a real socket)."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        query = environ.get("QUERY_STRING", "")
        url = "https://api.weixin.qq.com" + environ["PATH_INFO"] + ("?" + query if query else "")
        response = self.handle(httpx.Request(environ["REQUEST_METHOD"], url, content=body))
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(response.content)))],
        )
        return [response.content]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""


@contextmanager
def serve_wsgi(app: Callable[..., Iterable[bytes]]) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port, one thread per request); yields its base URL."""
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class LoopbackTransport(httpx.HTTPTransport):
    """Real HTTP, every request sent to ``base_url`` (a fake WeChat on loopback) instead of
    ``api.weixin.qq.com``: ``httpx.Client(transport=LoopbackTransport(url), trust_env=False)``
    (``trust_env=False``: a proxy from the environment would otherwise take the requests)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = httpx.URL(base_url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        base = self.base_url
        request.url = request.url.copy_with(scheme=base.scheme, host=base.host, port=base.port)
        request.headers["Host"] = f"{base.host}:{base.port}"
        return super().handle_request(request)
