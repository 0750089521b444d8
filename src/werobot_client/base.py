"""What both clients share besides the endpoints: settings, request building, retries."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from werobot_client.call import API_BASE, AccountKey, ApiCall
from werobot_client.exceptions import ClientException, RequestTimeout, TransportError
from werobot_client.jssdk import JsSdkConfig, sign_js_sdk
from werobot_client.methods import ApiMethods
from werobot_client.oauth import OAuthScope, authorize_url, subscribe_url
from werobot_client.tokens import MemoryTokenStore, TokenStore
from werobot_core.exceptions import ConfigError

__all__ = ["BUSY_BACKOFF", "TOKEN_ERRCODES", "TOKEN_MODES", "ClientBase", "Retry", "RetryState"]

T = TypeVar("T")

logger = logging.getLogger("werobot_client")

#: errcodes after which the token is refreshed and the call retried once.
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
#: Seconds to wait before each retry of a call answered ``-1`` (system busy).
BUSY_BACKOFF = (0.2, 0.4, 0.8)
#: The values of the ``TOKEN_MODE`` config key: ``GET /cgi-bin/token`` or ``stable_token``.
TOKEN_MODES = ("token", "stable")


@dataclass(frozen=True)
class Retry:
    """What to do before trying a call again."""

    invalidate_token: bool = False
    delay: float = 0.0


class RetryState:
    """The retry budget of one call: one token refresh, then the busy backoff."""

    def __init__(self, call: ApiCall[Any]) -> None:
        self.call = call
        self.token_refreshed = False
        self.busy_retries = 0

    def after(self, error: ClientException) -> Retry | None:
        """How to retry after ``error``, or ``None`` to raise it."""
        if not self.call.retryable:
            return None
        retry = None
        if error.errcode in TOKEN_ERRCODES and self.call.needs_token and not self.token_refreshed:
            self.token_refreshed = True
            retry = Retry(invalidate_token=True)
        elif error.errcode == -1 and self.busy_retries < len(BUSY_BACKOFF):
            self.busy_retries += 1
            retry = Retry(delay=BUSY_BACKOFF[self.busy_retries - 1])
        if retry is not None:
            logger.warning("%s answered %s; retrying", self.call.path, error)
        return retry


def _jsonable(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def build_request(
    http: httpx.Client | httpx.AsyncClient,
    call: ApiCall[Any],
    token: str | None,
    timeout: float | httpx.Timeout,
    base_url: str = API_BASE,
) -> httpx.Request:
    """The ``httpx.Request`` of ``call``, with ``access_token`` when ``token`` is given; a
    path is sent to ``base_url`` (the client's ``api_base_url``)."""
    query = dict(call.query)
    if token is not None:
        query["access_token"] = token
    headers = dict(call.headers)
    content = call.content
    if call.body is not None:
        text = json.dumps(call.body, ensure_ascii=False, default=_jsonable)
        content = text.encode("utf-8")
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    url = call.url if base_url == API_BASE or call.path.startswith("http") else base_url + call.path
    return http.build_request(
        call.method,
        url,
        params=query or None,
        content=content,
        data=call.form,
        files=call.files,
        headers=headers,
        timeout=timeout if call.timeout is None else call.timeout,
    )


@contextmanager
def transport_errors(request: httpx.Request) -> Iterator[None]:
    """Turn httpx's errors for ``request`` into this package's, with the request attached."""
    try:
        yield
    except httpx.TimeoutException as exc:
        message = f"no answer from {request.url.host} in time ({type(exc).__name__})"
        raise RequestTimeout(None, message, request=request) from exc
    except httpx.RequestError as exc:
        message = f"{request.url.host}: {type(exc).__name__}: {exc}"
        raise TransportError(None, message, request=request) from exc


class ClientBase(ApiMethods):
    """The settings both clients read: the robot's config, the token store, the timeout."""

    def __init__(
        self,
        config: Mapping[str, Any],
        token_store: TokenStore | None,
        timeout: float | httpx.Timeout,
        stable_token: bool | None,
    ) -> None:
        self.config = config
        self.token_store: TokenStore = MemoryTokenStore() if token_store is None else token_store
        self.timeout = timeout
        self._stable_token = stable_token
        self._api_base_url: str | None = None

    @property
    def api_base_url(self) -> str:
        """Where endpoints given as a path are sent: ``API_BASE_URL`` from the config, else
        ``https://api.weixin.qq.com`` (set it to point the client at a proxy or a test fake)."""
        if self._api_base_url is not None:
            return self._api_base_url
        value = self.config.get("API_BASE_URL") or API_BASE
        return str(value).rstrip("/")

    @api_base_url.setter
    def api_base_url(self, value: str | None) -> None:
        self._api_base_url = None if value is None else value.rstrip("/")

    @property
    def stable_token(self) -> bool:
        """Whether tokens come from ``/cgi-bin/stable_token``.

        The ``stable_token`` argument when given, else ``TOKEN_MODE == "stable"`` in the config
        (read when a token is granted).
        """
        if self._stable_token is not None:
            return self._stable_token
        mode = self.config.get("TOKEN_MODE", "token")
        if mode not in TOKEN_MODES:
            raise ConfigError(f"TOKEN_MODE must be one of {', '.join(TOKEN_MODES)}, not {mode!r}")
        return bool(mode == "stable")

    @stable_token.setter
    def stable_token(self, value: bool | None) -> None:
        self._stable_token = value

    @property
    def appid(self) -> str | None:
        """``APP_ID`` from the config, read when used."""
        value = self.config.get("APP_ID")
        return None if value is None else str(value)

    @property
    def appsecret(self) -> str | None:
        """``APP_SECRET`` from the config, read when used."""
        value = self.config.get("APP_SECRET")
        return None if value is None else str(value)

    def _credentials(self) -> tuple[str, str]:
        appid, secret = self.appid, self.appsecret
        if not appid or not secret:
            raise ConfigError("APP_ID and APP_SECRET must be set to get an access token")
        return appid, secret

    def _token_key(self) -> str:
        return self._credentials()[0]

    def _ticket_key(self, ticket_type: str) -> str:
        """Where a JS-SDK ticket lives in the token store: beside the access token."""
        return f"{self._token_key()}:ticket:{ticket_type}"

    def _account(self, key: AccountKey, path: str) -> str:
        value = self.appid if key == "APP_ID" else self.appsecret
        if not value:
            raise ConfigError(f"{key} must be set to call {path}")
        return value

    def _with_account(self, call: ApiCall[T]) -> ApiCall[T]:
        """``call`` with the AppID/AppSecret its ``account_query`` and ``account_body`` ask for."""
        if not call.account_query and not call.account_body:
            return call
        query = dict(call.query)
        query.update({n: self._account(k, call.path) for n, k in call.account_query.items()})
        body = call.body
        if call.account_body:
            filled = {n: self._account(k, call.path) for n, k in call.account_body.items()}
            body = {**dict(body or {}), **filled}  # type: ignore[call-overload]
        return dataclasses.replace(call, query=query, body=body)

    def authorize_url(
        self, redirect_uri: str, scope: OAuthScope = "snsapi_base", state: str = ""
    ) -> str:
        """The page to send a user to for OAuth2 web authorization (no request is made).

        WeChat sends the user back to ``redirect_uri?code=CODE&state=STATE``; trade the code
        with :meth:`oauth_access_token`. ``snsapi_base`` gives the OpenID silently;
        ``snsapi_userinfo`` asks the user and also allows :meth:`oauth_user_info`.
        """
        return authorize_url(self._account("APP_ID", "authorize_url"), redirect_uri, scope, state)

    def one_time_subscribe_url(
        self, scene: int, template_id: str, redirect_url: str, reserved: str = ""
    ) -> str:
        """The one-time subscription consent page (no request is made).

        WeChat sends the user back to ``redirect_url`` with ``openid``, ``template_id``,
        ``action`` (``confirm`` or ``cancel``), ``scene`` and ``reserved``; on ``confirm``,
        send one message with :meth:`send_one_time_subscribe_message`.
        """
        appid = self._account("APP_ID", "one_time_subscribe_url")
        return subscribe_url(appid, scene, template_id, redirect_url, reserved)

    def _js_sdk_config(
        self,
        ticket: str,
        url: str,
        api_list: Sequence[str],
        debug: bool,
        open_tag_list: Sequence[str],
        nonce_str: str | None,
        timestamp: int | None,
    ) -> JsSdkConfig:
        appid = self._account("APP_ID", "js_sdk_config")
        return sign_js_sdk(
            appid,
            ticket,
            url,
            api_list,
            debug=debug,
            open_tag_list=open_tag_list,
            nonce_str=nonce_str,
            timestamp=timestamp,
        )
