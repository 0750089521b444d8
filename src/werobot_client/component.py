"""Third-party platforms: the component's API, and a ``Client`` per authorizer account.

A service provider's *component* (第三方平台) manages Official Accounts on their owners'
behalf. WeChat pushes it a ``component_verify_ticket`` every ten minutes; with the ticket
and its AppSecret it gets a ``component_access_token``; an account owner authorizes it on
the authorization page (:meth:`ComponentClient.authorization_url`), and the authorization
code gives the account's (the *authorizer*'s) access token and refresh token. From then
on the authorizer's access token is renewed with the refresh token
(``api_authorizer_token``), which WeChat may rotate: the rotated one is saved before the new
access token is used, under the same lock as the access token, so it is never lost.

Everything lives in one :class:`~werobot_client.tokens.TokenStore` (a ``RedisTokenStore``
to share it between processes and hosts):

* ``<component AppID>:component_verify_ticket``: the last ticket pushed;
* ``<component AppID>:component_access_token``: the component's token;
* ``<authorizer AppID>``: the authorizer's access token (as any account's);
* ``<authorizer AppID>:authorizer_refresh_token``: its refresh token.

Each is refreshed by one caller at a time (the store's lock of its key) and discarded only if
it is still the value that failed. :meth:`ComponentClient.client_for` gives a normal
:class:`~werobot_client.Client` of an authorizer: every endpoint works for it.
https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/Before_Develop/creat_token.html
"""

from __future__ import annotations

import dataclasses
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import httpx

from werobot_client.base import RetryState, build_request, logger, transport_errors
from werobot_client.call import ApiCall, SyncRunner
from werobot_client.clients import Client
from werobot_client.component_models import AuthorizerToken, ComponentAccessToken, QueryAuthResult
from werobot_client.endpoints.component import ComponentMethods, grant_component_token
from werobot_client.exceptions import ClientException
from werobot_client.models import AccessToken
from werobot_client.tokens import MemoryTokenStore, StoredToken, TokenStore
from werobot_core.exceptions import ConfigError

__all__ = [
    "TICKET_LIFETIME",
    "AsyncAuthorizerClient",
    "AsyncComponentClient",
    "AuthorizerClient",
    "ComponentBase",
    "ComponentClient",
    "ComponentMethods",
    "RefreshTokenMissing",
    "TicketMissing",
    "authorization_url",
]

T = TypeVar("T")

#: Seconds a ``component_verify_ticket`` stays valid after its push (12 hours).
TICKET_LIFETIME = 12 * 3600.0
#: How long a refresh token is kept in the store (WeChat sets no expiry; ten years).
REFRESH_TOKEN_LIFETIME = 10 * 365 * 86400.0

PC_AUTHORIZATION_PAGE = "https://mp.weixin.qq.com/cgi-bin/componentloginpage"
MOBILE_AUTHORIZATION_PAGE = "https://open.weixin.qq.com/wxaopen/safe/bindcomponent"

#: ``auth_type``: 1 Official Accounts only, 2 Mini Programs only, 3 both.
AuthType = Literal[1, 2, 3]


class TicketMissing(ClientException):
    """No ``component_verify_ticket`` stored yet: the component webhook has not received one
    (WeChat pushes it every ten minutes once the component's URL is set)."""


class RefreshTokenMissing(ClientException):
    """No refresh token stored for this authorizer: it never authorized the component
    through this store (see :meth:`ComponentClient.api_query_auth` and
    :meth:`ComponentClient.save_refresh_token`)."""


def authorization_url(
    component_appid: str,
    pre_auth_code: str,
    redirect_uri: str,
    *,
    auth_type: AuthType = 3,
    biz_appid: str | None = None,
    mobile: bool = False,
) -> str:
    """The authorization page of the component (PC, or ``mobile=True`` inside WeChat).

    After the owner authorizes, WeChat sends the browser back to
    ``redirect_uri?auth_code=...&expires_in=600``; trade ``auth_code`` with
    :meth:`ComponentClient.api_query_auth`.
    """
    query: dict[str, str | int] = {}
    if mobile:
        query.update(action="bindcomponent", no_scan=1)
    query.update(
        component_appid=component_appid,
        pre_auth_code=pre_auth_code,
        redirect_uri=redirect_uri,
        auth_type=auth_type,
    )
    if biz_appid:
        query["biz_appid"] = biz_appid
    encoded = urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
    if mobile:
        return f"{MOBILE_AUTHORIZATION_PAGE}?{encoded}#wechat_redirect"
    return f"{PC_AUTHORIZATION_PAGE}?{encoded}"


class ComponentBase(ComponentMethods):
    """Settings and store keys both component clients share."""

    def __init__(
        self,
        app_id: str,
        app_secret: str | None,
        token_store: TokenStore | None,
        timeout: float | httpx.Timeout,
    ) -> None:
        if not app_id:
            raise ConfigError("a component needs its AppID")
        self.app_id = app_id
        self.app_secret = app_secret
        self.token_store: TokenStore = MemoryTokenStore() if token_store is None else token_store
        self.timeout = timeout

    @property
    def ticket_key(self) -> str:
        """Where the last ``component_verify_ticket`` is stored."""
        return f"{self.app_id}:component_verify_ticket"

    @property
    def token_key(self) -> str:
        """Where the ``component_access_token`` is stored."""
        return f"{self.app_id}:component_access_token"

    @staticmethod
    def refresh_key(authorizer_appid: str) -> str:
        """Where the refresh token of ``authorizer_appid`` is stored."""
        return f"{authorizer_appid}:authorizer_refresh_token"

    def _secret(self) -> str:
        if not self.app_secret:
            raise ConfigError("the component's AppSecret must be set to get its access token")
        return self.app_secret

    def _with_component(self, call: ApiCall[T]) -> ApiCall[T]:
        if not call.account_body:
            return call
        body = {**dict(call.body or {}), **dict.fromkeys(call.account_body, self.app_id)}  # type: ignore[call-overload]
        return dataclasses.replace(call, body=body)

    def _request(
        self, http: httpx.Client | httpx.AsyncClient, call: ApiCall[Any], token: str | None
    ) -> httpx.Request:
        if token is not None:
            call = dataclasses.replace(call, query={**call.query, "component_access_token": token})
        return build_request(http, call, None, self.timeout)

    @staticmethod
    def _ticket_token(ticket: str, created: float | None) -> StoredToken:
        return StoredToken(ticket, (time.time() if created is None else created) + TICKET_LIFETIME)

    @staticmethod
    def _refresh_token(value: str) -> StoredToken:
        return StoredToken(value, time.time() + REFRESH_TOKEN_LIFETIME)

    @staticmethod
    def _rotated(stored: StoredToken, answer: AuthorizerToken) -> str | None:
        """The new refresh token of ``answer`` if WeChat rotated it."""
        new = answer.authorizer_refresh_token
        return new if new and new != stored.access_token else None

    def authorization_url_for(
        self,
        pre_auth_code: str,
        redirect_uri: str,
        *,
        auth_type: AuthType = 3,
        biz_appid: str | None = None,
        mobile: bool = False,
    ) -> str:
        """The authorization page for a pre-authorization code you already have."""
        return authorization_url(
            self.app_id,
            pre_auth_code,
            redirect_uri,
            auth_type=auth_type,
            biz_appid=biz_appid,
            mobile=mobile,
        )


class ComponentClient(ComponentBase, SyncRunner):
    """The component's API, blocking; :meth:`client_for` gives an authorizer's ``Client``.

    ``token_store`` holds the ticket, the component token and every authorizer's tokens
    (share a ``RedisTokenStore`` between processes); ``http_client`` is shared with the
    authorizers' clients.
    """

    def __init__(
        self,
        app_id: str,
        app_secret: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        token_store: TokenStore | None = None,
        timeout: float | httpx.Timeout = 10.0,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(app_id, app_secret, token_store, timeout)
        self._owns_http = http_client is None
        self.http = httpx.Client() if http_client is None else http_client
        self._sleep = sleep
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._authorizers: dict[str, AuthorizerClient] = {}

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            self.http.close()

    # -- the ticket and the component token -------------------------------------------------

    def save_ticket(self, ticket: str, created: float | None = None) -> None:
        """Store a pushed ``component_verify_ticket`` (the component webhook calls this)."""
        self.token_store.set(self.ticket_key, self._ticket_token(ticket, created))

    def get_ticket(self) -> str:
        """The last ``component_verify_ticket`` stored (``TicketMissing`` if none)."""
        stored = self.token_store.get(self.ticket_key)
        if stored is None or not stored.is_fresh(margin=0):
            raise TicketMissing(None, "no component_verify_ticket stored yet")
        return stored.access_token

    def grant_component_token(self) -> ComponentAccessToken:
        """Ask WeChat for a new ``component_access_token`` with the stored ticket."""
        return self._call(grant_component_token(self.app_id, self._secret(), self.get_ticket()))

    def get_component_access_token(self) -> str:
        """The cached ``component_access_token``, refreshed by one caller at a time."""
        key = self.token_key
        cached = self.token_store.get(key)
        if cached is not None and cached.is_fresh():
            return cached.access_token
        with self._lock_of(key), self.token_store.lock(key):
            cached = self.token_store.get(key)
            if cached is not None and cached.is_fresh():
                return cached.access_token
            granted = self.grant_component_token()
            token = StoredToken(granted.component_access_token, time.time() + granted.expires_in)
            self.token_store.set(key, token)
            logger.info("new component_access_token for %s", self.app_id)
            return token.access_token

    @property
    def component_access_token(self) -> str:
        """``get_component_access_token()``."""
        return self.get_component_access_token()

    # -- authorization -----------------------------------------------------------------------

    def pre_auth_code(self) -> str:
        """A new pre-authorization code."""
        return self.api_create_preauthcode().pre_auth_code

    def authorization_url(
        self,
        redirect_uri: str,
        *,
        auth_type: AuthType = 3,
        biz_appid: str | None = None,
        mobile: bool = False,
    ) -> str:
        """The authorization page (PC, or ``mobile=True``) with a new pre-authorization code."""
        return self.authorization_url_for(
            self.pre_auth_code(),
            redirect_uri,
            auth_type=auth_type,
            biz_appid=biz_appid,
            mobile=mobile,
        )

    def api_query_auth(self, authorization_code: str) -> QueryAuthResult:
        """Trade an authorization code (the redirect's ``auth_code``, or the ``authorized``
        push's ``AuthorizationCode``) for the authorizer's tokens, and store both."""
        result = self.query_auth(authorization_code)
        info = result.authorization_info
        appid = info.authorizer_appid
        with self._lock_of(appid), self.token_store.lock(appid):
            if info.authorizer_refresh_token:
                self.token_store.set(
                    self.refresh_key(appid), self._refresh_token(info.authorizer_refresh_token)
                )
            if info.authorizer_access_token:
                self.token_store.set(
                    appid,
                    StoredToken(info.authorizer_access_token, time.time() + info.expires_in),
                )
        return result

    def save_refresh_token(self, authorizer_appid: str, refresh_token: str) -> None:
        """Store a refresh token you kept elsewhere (e.g. from ``api_get_authorizer_list``)."""
        with self._lock_of(authorizer_appid), self.token_store.lock(authorizer_appid):
            self.token_store.set(
                self.refresh_key(authorizer_appid), self._refresh_token(refresh_token)
            )

    def refresh_authorizer_token(self, authorizer_appid: str) -> StoredToken:
        """A new access token of ``authorizer_appid`` from its stored refresh token; a
        rotated refresh token is stored first. Call it holding the store's lock of
        ``authorizer_appid`` (its client's ``get_access_token`` does)."""
        stored = self.token_store.get(self.refresh_key(authorizer_appid))
        if stored is None:
            raise RefreshTokenMissing(None, f"no refresh token stored for {authorizer_appid}")
        answer = self.api_authorizer_token(authorizer_appid, stored.access_token)
        rotated = self._rotated(stored, answer)
        if rotated is not None:
            self.token_store.set(self.refresh_key(authorizer_appid), self._refresh_token(rotated))
            logger.info("refresh token of %s rotated", authorizer_appid)
        return StoredToken(answer.authorizer_access_token, time.time() + answer.expires_in)

    def client_for(self, authorizer_appid: str) -> AuthorizerClient:
        """The API client of an authorizer (one per AppID, sharing this client's HTTP client
        and store); its access token comes from the refresh flow."""
        with self._lock:
            client = self._authorizers.get(authorizer_appid)
            if client is None:
                client = AuthorizerClient(self, authorizer_appid)
                self._authorizers[authorizer_appid] = client
            return client

    # -- running calls -----------------------------------------------------------------------

    def _lock_of(self, key: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(key, threading.Lock())

    def _call(self, call: ApiCall[T]) -> T:
        call = self._with_component(call)
        retries = RetryState(call)
        while True:
            token = self.get_component_access_token() if call.needs_token else None
            try:
                request = self._request(self.http, call, token)
                with transport_errors(request):
                    response = self.http.send(request)
                return call.decode(response)
            except ClientException as error:
                retry = retries.after(error)
                if retry is None:
                    raise
                if retry.invalidate_token and token is not None:
                    self.token_store.discard(self.token_key, token)
                if retry.delay:
                    self._sleep(retry.delay)


class AuthorizerClient(Client):
    """A normal :class:`~werobot_client.Client` of one authorizer of a component: its access
    token comes from the component's refresh flow instead of an AppSecret."""

    def __init__(self, component: ComponentClient, authorizer_appid: str) -> None:
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

    def grant_token(self, stable: bool = False) -> AccessToken:
        """A new access token from the refresh token (``stable`` is ignored); prefer
        :meth:`get_access_token`, which holds the lock the refresh needs."""
        appid = self.authorizer_appid
        with self._refresh_lock(appid), self.token_store.lock(appid):
            token = self.component.refresh_authorizer_token(appid)
            self.token_store.set(appid, token)
        left = max(0, int(token.expires_at - time.time()))
        return AccessToken(access_token=token.access_token, expires_in=left)

    def get_access_token(self) -> str:
        """The cached access token, refreshed with the refresh token by one caller at a time."""
        appid = self.authorizer_appid
        return self._cached(
            appid,
            lambda: self.component.refresh_authorizer_token(appid),
            "authorizer access token",
        )


# The asyncio clients live in their own module; importing them here keeps one public home.
from werobot_client.component_async import AsyncAuthorizerClient, AsyncComponentClient  # noqa: E402
