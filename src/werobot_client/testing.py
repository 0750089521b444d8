"""``FakeWeChat``: a stand-in for WeChat's API on ``httpx.MockTransport``, for tests.

It grants access tokens ``T1``, ``T2``, … (counting the grants) and JS-SDK tickets
``jsapi-1``, ``wx_card-2``, … (counting them in ``ticket_grants``), records every request, and
answers each path with queued answers, else ``{"errcode": 0, "errmsg": "ok"}``::

    wechat = FakeWeChat()
    wechat.queue("/cgi-bin/menu/get", {"menu": {"button": []}})
    client = Client(config, http_client=httpx.Client(transport=wechat.transport()))
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

__all__ = ["TICKET_PATH", "TOKEN_PATHS", "Answer", "FakeWeChat"]

#: A queued answer: a response, or a function of the request returning one.
Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]

#: The paths that grant access tokens.
TOKEN_PATHS = ("/cgi-bin/token", "/cgi-bin/stable_token")
#: The path that grants JS-SDK tickets (answered with a numbered ticket unless queued).
TICKET_PATH = "/cgi-bin/ticket/getticket"


class FakeWeChat:
    """Records requests, grants numbered tokens, and answers queued responses per path.

    ``grant_delay`` (seconds) slows each token or ticket grant, to let concurrent callers meet;
    ``token_answers`` replaces the next grants' answers (to test the token API's errors).
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.grants = 0
        self.ticket_grants = 0
        self.grant_delay = 0.0
        self.token_answers: list[httpx.Response] = []
        self._queued: dict[str, list[Answer]] = {}
        self._lock = threading.Lock()

    def queue(self, path: str, *answers: Answer | dict[str, Any]) -> None:
        """Answer the next requests to ``path`` with ``answers`` (a dict is sent as JSON)."""
        converted = [
            httpx.Response(200, json=answer) if isinstance(answer, dict) else answer
            for answer in answers
        ]
        with self._lock:
            self._queued.setdefault(path, []).extend(converted)

    @property
    def api_requests(self) -> list[httpx.Request]:
        """The requests other than token grants."""
        return [request for request in self.requests if request.url.path not in TOKEN_PATHS]

    def transport(self) -> httpx.MockTransport:
        """A transport for ``httpx.Client``."""
        return httpx.MockTransport(self.handler)

    def async_transport(self) -> httpx.MockTransport:
        """A transport for ``httpx.AsyncClient``."""
        return httpx.MockTransport(self.async_handler)

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` (a grant sleeps ``grant_delay`` first)."""
        if request.url.path in TOKEN_PATHS:
            self._record(request)
            time.sleep(self.grant_delay)
            return self._grant()
        if self._grants_ticket(request):
            self._record(request)
            time.sleep(self.grant_delay)
            return self._ticket(request)
        return self._answer(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` (a grant awaits ``grant_delay`` first)."""
        if request.url.path in TOKEN_PATHS:
            self._record(request)
            await asyncio.sleep(self.grant_delay)
            return self._grant()
        if self._grants_ticket(request):
            self._record(request)
            await asyncio.sleep(self.grant_delay)
            return self._ticket(request)
        return self._answer(request)

    def _grants_ticket(self, request: httpx.Request) -> bool:
        """Whether ``request`` asks for a ticket and no answer is queued for it."""
        with self._lock:
            return request.url.path == TICKET_PATH and not self._queued.get(TICKET_PATH)

    def _ticket(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.ticket_grants += 1
            number = self.ticket_grants
        ticket = f"{request.url.params.get('type', 'jsapi')}-{number}"
        body = {"errcode": 0, "errmsg": "ok", "ticket": ticket, "expires_in": 7200}
        return httpx.Response(200, json=body)

    def _record(self, request: httpx.Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _grant(self) -> httpx.Response:
        with self._lock:
            self.grants += 1
            if self.token_answers:
                return self.token_answers.pop(0)
            number = self.grants
        return httpx.Response(200, json={"access_token": f"T{number}", "expires_in": 7200})

    def _answer(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            queued = self._queued.get(request.url.path)
            answer = queued.pop(0) if queued else None
        if answer is None:
            return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})
        if isinstance(answer, httpx.Response):  # a copy: httpx binds a response to its client
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.read())
        return answer(request)
