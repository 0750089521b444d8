"""Third-party platforms for asyncio: :class:`AsyncComponentClient` and the
:class:`~werobot_client.AsyncClient` of each authorizer (see :mod:`werobot_client.component`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

from werobot_client.base import RetryState, logger, transport_errors
from werobot_client.call import ApiCall, AsyncRunner
from werobot_client.clients import AsyncClient
from werobot_client.component import (
    AuthType,
    ComponentBase,
    RefreshTokenMissing,
    TicketMissing,
)
from werobot_client.component_models import ComponentAccessToken, QueryAuthResult
from werobot_client.endpoints.component import grant_component_token
from werobot_client.exceptions import ClientException
from werobot_client.models import AccessToken
from werobot_client.tokens import StoredToken, TokenStore

__all__ = ["AsyncAuthorizerClient", "AsyncComponentClient"]

T = TypeVar("T")


class AsyncComponentClient(ComponentBase, AsyncRunner):
    """The component's API for asyncio: the methods of :class:`ComponentClient`, as coroutines."""

    def __init__(
        self,
        app_id: str,
        app_secret: str | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        token_store: TokenStore | None = None,
        timeout: float | httpx.Timeout = 10.0,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(app_id, app_secret, token_store, timeout)
        self._owns_http = http_client is None
        self.http = httpx.AsyncClient() if http_client is None else http_client
        self._sleep = sleep
        self._locks: dict[str, asyncio.Lock] = {}
        self._authorizers: dict[str, AsyncAuthorizerClient] = {}

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            await self.http.aclose()

    async def save_ticket(self, ticket: str, created: float | None = None) -> None:
        """Store a pushed ``component_verify_ticket``."""
        await self.token_store.aset(self.ticket_key, self._ticket_token(ticket, created))

    async def get_ticket(self) -> str:
        """The last ``component_verify_ticket`` stored (``TicketMissing`` if none)."""
        stored = await self.token_store.aget(self.ticket_key)
        if stored is None or not stored.is_fresh(margin=0):
            raise TicketMissing(None, "no component_verify_ticket stored yet")
        return stored.access_token

    async def grant_component_token(self) -> ComponentAccessToken:
        """Ask WeChat for a new ``component_access_token`` with the stored ticket."""
        ticket = await self.get_ticket()
        return await self._call(grant_component_token(self.app_id, self._secret(), ticket))

    async def get_component_access_token(self) -> str:
        """The cached ``component_access_token``, refreshed by one caller at a time."""
        key = self.token_key
        cached = await self.token_store.aget(key)
        if cached is not None and cached.is_fresh():
            return cached.access_token
        async with self._lock_of(key), self.token_store.alock(key):
            cached = await self.token_store.aget(key)
            if cached is not None and cached.is_fresh():
                return cached.access_token
            granted = await self.grant_component_token()
            token = StoredToken(granted.component_access_token, time.time() + granted.expires_in)
            await self.token_store.aset(key, token)
            logger.info("new component_access_token for %s", self.app_id)
            return token.access_token

    async def pre_auth_code(self) -> str:
        """A new pre-authorization code."""
        return (await self.api_create_preauthcode()).pre_auth_code

    async def authorization_url(
        self,
        redirect_uri: str,
        *,
        auth_type: AuthType = 3,
        biz_appid: str | None = None,
        mobile: bool = False,
    ) -> str:
        """The authorization page (PC, or ``mobile=True``) with a new pre-authorization code."""
        return self.authorization_url_for(
            await self.pre_auth_code(),
            redirect_uri,
            auth_type=auth_type,
            biz_appid=biz_appid,
            mobile=mobile,
        )

    async def api_query_auth(self, authorization_code: str) -> QueryAuthResult:
        """Trade an authorization code for the authorizer's tokens, and store both."""
        result = await self.query_auth(authorization_code)
        info = result.authorization_info
        appid = info.authorizer_appid
        async with self._lock_of(appid), self.token_store.alock(appid):
            if info.authorizer_refresh_token:
                await self.token_store.aset(
                    self.refresh_key(appid), self._refresh_token(info.authorizer_refresh_token)
                )
            if info.authorizer_access_token:
                await self.token_store.aset(
                    appid,
                    StoredToken(info.authorizer_access_token, time.time() + info.expires_in),
                )
        return result

    async def save_refresh_token(self, authorizer_appid: str, refresh_token: str) -> None:
        """Store a refresh token you kept elsewhere."""
        async with self._lock_of(authorizer_appid), self.token_store.alock(authorizer_appid):
            await self.token_store.aset(
                self.refresh_key(authorizer_appid), self._refresh_token(refresh_token)
            )

    async def refresh_authorizer_token(self, authorizer_appid: str) -> StoredToken:
        """A new access token from the stored refresh token; a rotated one is stored first."""
        stored = await self.token_store.aget(self.refresh_key(authorizer_appid))
        if stored is None:
            raise RefreshTokenMissing(None, f"no refresh token stored for {authorizer_appid}")
        answer = await self.api_authorizer_token(authorizer_appid, stored.access_token)
        rotated = self._rotated(stored, answer)
        if rotated is not None:
            await self.token_store.aset(
                self.refresh_key(authorizer_appid), self._refresh_token(rotated)
            )
            logger.info("refresh token of %s rotated", authorizer_appid)
        return StoredToken(answer.authorizer_access_token, time.time() + answer.expires_in)

    def client_for(self, authorizer_appid: str) -> AsyncAuthorizerClient:
        """The ``AsyncClient`` of an authorizer (one per AppID)."""
        client = self._authorizers.get(authorizer_appid)
        if client is None:
            client = AsyncAuthorizerClient(self, authorizer_appid)
            self._authorizers[authorizer_appid] = client
        return client

    def _lock_of(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    async def _call(self, call: ApiCall[T]) -> T:
        call = self._with_component(call)
        retries = RetryState(call)
        while True:
            token = await self.get_component_access_token() if call.needs_token else None
            try:
                request = self._request(self.http, call, token)
                with transport_errors(request):
                    response = await self.http.send(request)
                return call.decode(response)
            except ClientException as error:
                retry = retries.after(error)
                if retry is None:
                    raise
                if retry.invalidate_token and token is not None:
                    await self.token_store.adiscard(self.token_key, token)
                if retry.delay:
                    await self._sleep(retry.delay)


class AsyncAuthorizerClient(AsyncClient):
    """An :class:`~werobot_client.AsyncClient` of one authorizer of a component."""

    def __init__(self, component: AsyncComponentClient, authorizer_appid: str) -> None:
        super().__init__(
            {"APP_ID": authorizer_appid},
            http_client=component.http,
            token_store=component.token_store,
            timeout=component.timeout,
            sleep=component._sleep,
        )
        self.component = component
        self.authorizer_appid = authorizer_appid

    def _token_key(self) -> str:
        return self.authorizer_appid

    async def grant_token(self, stable: bool = False) -> AccessToken:
        """A new access token from the refresh token (``stable`` is ignored); prefer
        :meth:`get_access_token`, which holds the lock the refresh needs."""
        appid = self.authorizer_appid
        lock = self._refresh_locks.setdefault(appid, asyncio.Lock())
        async with lock, self.token_store.alock(appid):
            token = await self.component.refresh_authorizer_token(appid)
            await self.token_store.aset(appid, token)
        left = max(0, int(token.expires_at - time.time()))
        return AccessToken(access_token=token.access_token, expires_in=left)

    async def get_access_token(self) -> str:
        """The cached access token, refreshed with the refresh token by one caller at a time."""
        appid = self.authorizer_appid
        return await self._cached(
            appid,
            lambda: self.component.refresh_authorizer_token(appid),
            "authorizer access token",
        )
