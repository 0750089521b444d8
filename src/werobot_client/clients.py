"""``Client`` (blocking, on ``httpx.Client``) and ``AsyncClient`` (asyncio, ``httpx.AsyncClient``).

Both expose every endpoint of :class:`~werobot_client.methods.ApiMethods`; what differs is
only how a call is sent and how the token refresh is serialised (a thread lock or an asyncio
lock, plus the token store's lock across processes).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

import httpx
from typing_extensions import Self

from werobot_client.base import ClientBase, RetryState, build_request, logger, transport_errors
from werobot_client.call import ApiCall, AsyncRunner, SyncRunner
from werobot_client.endpoints.basic import grant_token
from werobot_client.endpoints.web import TicketType, grant_ticket
from werobot_client.exceptions import ClientException
from werobot_client.jssdk import JsSdkConfig
from werobot_client.models import AccessToken
from werobot_client.tokens import StoredToken, TokenStore
from werobot_client.uploads import named_files

__all__ = ["AsyncClient", "Client"]

T = TypeVar("T")


class Client(ClientBase, SyncRunner):
    """The WeChat API, blocking. ``config`` is the robot's config (``APP_ID``, ``APP_SECRET``).

    ``token_store`` shares access tokens and JS-SDK tickets (default: this client's memory);
    ``timeout`` (seconds) applies to every request; ``stable_token=True`` gets tokens from
    ``/cgi-bin/stable_token`` (``None``: the config's ``TOKEN_MODE``); ``sleep`` waits between
    retries. A client built without ``http_client`` owns its own and closes it in :meth:`close`.
    """

    def __init__(
        self,
        config: Mapping[str, Any],
        *,
        http_client: httpx.Client | None = None,
        token_store: TokenStore | None = None,
        timeout: float | httpx.Timeout = 10.0,
        stable_token: bool | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(config, token_store, timeout, stable_token)
        self._owns_http = http_client is None
        self.http = httpx.Client() if http_client is None else http_client
        self._sleep = sleep
        self._refresh_locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def get(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """``request(method="get", url=url, **kwargs)``."""
        return self.request(method="get", url=url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """``request(method="post", url=url, **kwargs)``, file objects named as WeRoBot did."""
        if "files" in kwargs:
            kwargs["files"] = named_files(kwargs["files"])
        return self.request(method="post", url=url, **kwargs)

    @property
    def token(self) -> str:
        """The current access token (``get_access_token()``)."""
        return self.get_access_token()

    def grant_token(self, stable: bool = False) -> AccessToken:
        """Ask WeChat for a new access token (``/cgi-bin/token``, or ``stable_token``)."""
        appid, secret = self._credentials()
        return self._call(grant_token(appid, secret, stable=stable))

    def get_access_token(self) -> str:
        """The cached access token, refreshed when fewer than 300 s of validity remain."""
        return self._cached(
            self._token_key(),
            lambda: StoredToken.from_grant(self.grant_token(stable=self.stable_token)),
            "access token",
        )

    def get_ticket(self, ticket_type: TicketType = "jsapi") -> str:
        """The cached JS-SDK ticket (``jsapi`` or ``wx_card``), refreshed like the access token."""
        return self._cached(
            self._ticket_key(ticket_type),
            lambda: StoredToken.from_ticket(self._call(grant_ticket.build(ticket_type))),
            f"{ticket_type} ticket",
        )

    def discard_ticket(self, ticket: str, ticket_type: TicketType = "jsapi") -> None:
        """Forget the cached ticket if it is still ``ticket`` (one that failed), so the next
        :meth:`get_ticket` asks WeChat again; a newer ticket stored meanwhile is kept."""
        self.token_store.discard(self._ticket_key(ticket_type), ticket)

    def js_sdk_config(
        self,
        url: str,
        api_list: Sequence[str],
        debug: bool = False,
        open_tag_list: Sequence[str] = (),
        nonce_str: str | None = None,
        timestamp: int | None = None,
    ) -> JsSdkConfig:
        """The signed ``wx.config`` of the page at ``url`` (as the browser shows it; the
        ``#fragment`` is stripped), with the cached ``jsapi`` ticket."""
        ticket = self.get_ticket("jsapi")
        return self._js_sdk_config(
            ticket, url, api_list, debug, open_tag_list, nonce_str, timestamp
        )

    def _refresh_lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._refresh_locks.setdefault(key, threading.Lock())

    def _cached(self, key: str, grant: Callable[[], StoredToken], what: str) -> str:
        """The value of ``key`` in the token store, granted anew by one caller at a time."""
        cached = self.token_store.get(key)
        if cached is not None and cached.is_fresh():
            return cached.access_token
        with self._refresh_lock(key), self.token_store.lock(key):
            cached = self.token_store.get(key)
            if cached is not None and cached.is_fresh():
                return cached.access_token
            token = grant()
            self.token_store.set(key, token)
            logger.info("new %s for %s", what, key)
            return token.access_token

    def _call(self, call: ApiCall[T]) -> T:
        call = self._with_account(call)
        retries = RetryState(call)
        while True:
            token = self.get_access_token() if call.needs_token else None
            try:
                return call.decode(self._send(call, token))
            except ClientException as error:
                retry = retries.after(error)
                if retry is None:
                    raise
                if retry.invalidate_token and token is not None and self.appid:
                    self.token_store.discard(self.appid, token)
                if retry.delay:
                    self._sleep(retry.delay)

    def _send(self, call: ApiCall[Any], token: str | None) -> httpx.Response:
        request = build_request(self.http, call, token, self.timeout, self.api_base_url)
        with transport_errors(request):
            return self.http.send(request)


class AsyncClient(ClientBase, AsyncRunner):
    """The WeChat API for asyncio: the methods of :class:`Client`, as coroutines.

    Build it inside or outside the event loop, but use it from one loop only.
    """

    def __init__(
        self,
        config: Mapping[str, Any],
        *,
        http_client: httpx.AsyncClient | None = None,
        token_store: TokenStore | None = None,
        timeout: float | httpx.Timeout = 10.0,
        stable_token: bool | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(config, token_store, timeout, stable_token)
        self._owns_http = http_client is None
        self.http = httpx.AsyncClient() if http_client is None else http_client
        self._sleep = sleep
        self._refresh_locks: dict[str, asyncio.Lock] = {}

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def get(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """``request(method="get", url=url, **kwargs)``."""
        return await self.request(method="get", url=url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """``request(method="post", url=url, **kwargs)``, file objects named as WeRoBot did."""
        if "files" in kwargs:
            kwargs["files"] = named_files(kwargs["files"])
        return await self.request(method="post", url=url, **kwargs)

    @property
    def token(self) -> Awaitable[str]:
        """The current access token: ``await client.token``."""
        return self.get_access_token()

    async def grant_token(self, stable: bool = False) -> AccessToken:
        """Ask WeChat for a new access token (``/cgi-bin/token``, or ``stable_token``)."""
        appid, secret = self._credentials()
        return await self._call(grant_token(appid, secret, stable=stable))

    async def get_access_token(self) -> str:
        """The cached access token, refreshed when fewer than 300 s of validity remain."""

        async def grant() -> StoredToken:
            return StoredToken.from_grant(await self.grant_token(stable=self.stable_token))

        return await self._cached(self._token_key(), grant, "access token")

    async def get_ticket(self, ticket_type: TicketType = "jsapi") -> str:
        """The cached JS-SDK ticket (``jsapi`` or ``wx_card``), refreshed like the access token."""

        async def grant() -> StoredToken:
            return StoredToken.from_ticket(await self._call(grant_ticket.build(ticket_type)))

        return await self._cached(self._ticket_key(ticket_type), grant, f"{ticket_type} ticket")

    async def discard_ticket(self, ticket: str, ticket_type: TicketType = "jsapi") -> None:
        """Forget the cached ticket if it is still ``ticket`` (one that failed), so the next
        :meth:`get_ticket` asks WeChat again; a newer ticket stored meanwhile is kept."""
        await self.token_store.adiscard(self._ticket_key(ticket_type), ticket)

    async def js_sdk_config(
        self,
        url: str,
        api_list: Sequence[str],
        debug: bool = False,
        open_tag_list: Sequence[str] = (),
        nonce_str: str | None = None,
        timestamp: int | None = None,
    ) -> JsSdkConfig:
        """The signed ``wx.config`` of the page at ``url`` (as the browser shows it; the
        ``#fragment`` is stripped), with the cached ``jsapi`` ticket."""
        ticket = await self.get_ticket("jsapi")
        return self._js_sdk_config(
            ticket, url, api_list, debug, open_tag_list, nonce_str, timestamp
        )

    async def _cached(
        self, key: str, grant: Callable[[], Awaitable[StoredToken]], what: str
    ) -> str:
        """The value of ``key`` in the token store, granted anew by one caller at a time."""
        cached = await self.token_store.aget(key)
        if cached is not None and cached.is_fresh():
            return cached.access_token
        lock = self._refresh_locks.setdefault(key, asyncio.Lock())
        async with lock, self.token_store.alock(key):
            cached = await self.token_store.aget(key)
            if cached is not None and cached.is_fresh():
                return cached.access_token
            token = await grant()
            await self.token_store.aset(key, token)
            logger.info("new %s for %s", what, key)
            return token.access_token

    async def _call(self, call: ApiCall[T]) -> T:
        call = self._with_account(call)
        retries = RetryState(call)
        while True:
            token = await self.get_access_token() if call.needs_token else None
            try:
                return call.decode(await self._send(call, token))
            except ClientException as error:
                retry = retries.after(error)
                if retry is None:
                    raise
                if retry.invalidate_token and token is not None and self.appid:
                    await self.token_store.adiscard(self.appid, token)
                if retry.delay:
                    await self._sleep(retry.delay)

    async def _send(self, call: ApiCall[Any], token: str | None) -> httpx.Response:
        request = build_request(self.http, call, token, self.timeout, self.api_base_url)
        with transport_errors(request):
            return await self.http.send(request)
