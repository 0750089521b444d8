"""Third-party platforms: one component serving many authorizer accounts (DESIGN §5b).

A service provider's *component* (第三方平台) has two webhooks:

* the **authorization event URL** (授权事件接收 URL): WeChat posts ``InfoType`` pushes to it
  (``component_verify_ticket`` every ten minutes, ``authorized``, ``unauthorized``,
  ``updateauthorized``, ``notify_third_fasteregister``), encrypted with the component's key,
  and expects ``success``. :attr:`Component.webhook` serves it: the ticket is stored in the
  component client's token store before any handler runs; handlers are registered on
  :attr:`Component.router` (``@component.router.authorized``);
* the **message URL** (消息与事件接收 URL, ``https://host/wechat/$APPID$/callback``): the
  users' messages to every authorizer account, signed with the component's token and
  encrypted with the component's key (the AppId trailer is the *component's* AppID; the
  authorizer is known only from the URL). :attr:`Component.messages` serves it with the
  robot's router: each authorizer gets an engine of its own (made when its first push
  arrives) whose account is the authorizer's AppID, so ``message.account`` is that AppID,
  sessions and dedup keys are namespaced by it, and ``robot.client`` inside a handler is the
  authorizer's client (``component.client.client_for(AppID)``)::

    robot = WeRoBot(session_storage=RedisStorage(...))
    component = robot.for_component(
        app_id="wxcomponent", token="...", encoding_aes_key="...", app_secret="...",
        client=ComponentClient("wxcomponent", "...", token_store=RedisTokenStore()),
    )
    make_view(component.webhook)    # mounted at the authorization event URL
    make_view(component.messages)   # mounted at /wechat/<appid>/callback

WeChat's full-network release test (全网发布) is answered by
:meth:`Component.answer_release_tests`.
"""

from __future__ import annotations

import inspect
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werobot_core import pipeline
from werobot_core.accounts import AccountConfig
from werobot_core.crypto import MessageCrypt
from werobot_core.engine import Engine
from werobot_core.exceptions import UnknownAccount
from werobot_core.handlers import STRATEGIES, On, arity_of
from werobot_core.messages import BaseEvent, TextMessage, WeChatMessage
from werobot_core.messages.component import (
    COMPONENT_PUSHES,
    AuthorizedPush,
    ComponentVerifyTicketPush,
    FastRegisterPush,
    UnauthorizedPush,
    UnknownComponentPush,
    UpdateAuthorizedPush,
)
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.routing import HandlerEntry, Match, Router
from werobot_core.settings import Settings

if TYPE_CHECKING:
    from werobot_client import Client
    from werobot_client.component import ComponentClient
    from werobot_core.wsgi import WSGIApplication

__all__ = [
    "RELEASE_TEST_APPIDS",
    "AuthorizerEngine",
    "Authorizers",
    "Component",
    "ComponentRouter",
    "ComponentWebhook",
    "authorizer_from_path",
]

#: The Official Accounts WeChat's full-network release test (全网发布) runs with.
RELEASE_TEST_APPIDS = frozenset(
    {
        "wx570bc396a51b8ff8",
        "wx9252c5e0bb1836fc",
        "wx8e1097c5bc82cde9",
        "wx14550af28c71a144",
        "wxa35b9c23cfe664eb",
    }
)
_COMPONENT_TYPES = frozenset(cls.dispatch_key() for cls in COMPONENT_PUSHES)
#: What an authorizer AppID in a URL may look like (an engine is made per AppID seen).
_APPID = re.compile(r"wx[0-9A-Za-z_-]{1,40}")


class ComponentRouter(Router):
    """The handlers of a component's pushes: ``@router.authorized``, ``@router.unauthorized``,
    ``@router.updateauthorized``, ``@router.component_verify_ticket``,
    ``@router.notify_third_fasteregister``, ``@router.unknown_component_push`` and
    ``@router.handler`` (every push). A handler's result is ignored: WeChat gets ``success``.
    """

    component_verify_ticket = On(ComponentVerifyTicketPush)
    authorized = On(AuthorizedPush)
    unauthorized = On(UnauthorizedPush)
    updateauthorized = On(UpdateAuthorizedPush)
    notify_third_fasteregister = On(FastRegisterPush)
    unknown_component_push = On(UnknownComponentPush)

    def add_handler(
        self,
        func: Callable[..., object],
        type: str = "all",
        *,
        deadline: float | None = None,
        strategy: str | None = None,
        match: Match | None = None,
    ) -> None:
        """Register ``func`` for an ``InfoType`` (or any type a ``Router`` takes)."""
        if type not in _COMPONENT_TYPES:
            super().add_handler(func, type, deadline=deadline, strategy=strategy, match=match)
            return
        if not callable(func):
            raise ValueError(f"{func} is not callable")
        if strategy is not None and strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
        is_async = inspect.iscoroutinefunction(func)
        entry = HandlerEntry(func, arity_of(func), deadline, strategy, is_async, match)
        self._handlers.setdefault(type, []).append(entry)
        self._changed()


def authorizer_from_path(request: WeChatRequest) -> str | None:
    """The authorizer AppID of ``/.../<AppID>/callback`` (or of a path ending ``/<AppID>``)."""
    segments = [part for part in urlsplit(request.url).path.split("/") if part]
    if segments and segments[-1] == "callback":
        segments.pop()
    return segments[-1] if segments else None


class AuthorizerEngine(Engine):
    """The engine of one authorizer: its account is the authorizer's AppID, its crypto the
    component's (token, key, and the component's AppID in the AppId trailer), its client the
    authorizer's client of the component."""

    def __init__(self, component: Component, authorizer_appid: str, parent: Engine) -> None:
        config = AccountConfig(
            parent.config,
            {
                "APP_ID": authorizer_appid,
                "TOKEN": component.token,
                "ENCODING_AES_KEY": component.encoding_aes_key,
                "APP_SECRET": None,
            },
        )
        super().__init__(config, parent.logger, namespace=f"{authorizer_appid}:", parent=parent)
        self.component = component
        self.authorizer_appid = authorizer_appid

    @property
    def crypto(self) -> MessageCrypt | None:
        """The component's crypto (pushes to authorizers carry the component's AppID)."""
        settings = self.settings
        key = (settings.token, self.component.app_id, settings.encoding_aes_key)
        if self._crypto is None or self._crypto[0] != key:
            token, app_id, aes_key = key
            crypt = None
            if aes_key:
                crypt = MessageCrypt(token or "", aes_key, app_id, clock=lambda: self.clock())
            self._crypto = (key, crypt)
        return self._crypto[1]

    @property
    def client(self) -> Client:
        """The authorizer's API client (its token from the component's refresh flow)."""
        if self._client is None:
            self._client = self.component.client.client_for(self.authorizer_appid)
        return self._client

    @client.setter
    def client(self, value: Client) -> None:
        self._client = value


class _Served:
    """What both webhooks share: settings, logger, WSGI app, ``run``."""

    engine: Engine

    @property
    def settings(self) -> Settings:
        """The settings guarding every request (``MAX_BODY_SIZE``, ...)."""
        return self.engine.settings

    @property
    def logger(self) -> logging.Logger:
        """Where the webhook logs."""
        return self.engine.logger

    def handle(self, request: WeChatRequest) -> WeChatResponse:  # pragma: no cover - abstract
        """Answer one request."""
        raise NotImplementedError

    async def handle_async(self, request: WeChatRequest) -> WeChatResponse:  # pragma: no cover
        """``handle`` for event loops."""
        raise NotImplementedError

    @property
    def wsgi(self) -> WSGIApplication:
        """A WSGI application of this webhook."""
        from werobot_core.wsgi import make_wsgi_app

        return make_wsgi_app(self)

    def run(
        self, server: str | None = None, host: str | None = None, port: int | None = None
    ) -> None:
        """Serve this webhook (as ``robot.run``)."""
        from werobot_core.server import run

        run(self, server=server, host=host, port=port)


class ComponentWebhook(_Served):
    """The component's authorization event URL: ``InfoType`` pushes, answered ``success``."""

    def __init__(self, component: Component) -> None:
        self.component = component
        self.router = component.router
        self.engine = component.engine

    def route(self, request: WeChatRequest) -> tuple[Router, Engine]:
        """The component's router and engine, for every request."""
        return self.router, self.engine

    def handle(self, request: WeChatRequest) -> WeChatResponse:
        """Answer one push (``success`` once its handlers ran)."""
        return _success(request, pipeline.handle(self.router, self.engine, request))

    async def handle_async(self, request: WeChatRequest) -> WeChatResponse:
        """``handle`` for event loops."""
        return _success(request, await pipeline.handle_async(self.router, self.engine, request))


def _success(request: WeChatRequest, answer: WeChatResponse) -> WeChatResponse:
    """``success`` for a push that was served (a handler's reply has no reader here)."""
    if answer.status != 200 or request.method != "POST":
        return answer  # an error, or the echo of a URL check
    return WeChatResponse(200, {"Content-Type": pipeline.CONTENT_TYPE_TEXT}, b"success")


class Authorizers(_Served):
    """The authorizers' message URL: one engine per authorizer AppID, the robot's router
    (or, for some AppIDs, a router of their own: :attr:`routers`)."""

    def __init__(
        self,
        component: Component,
        router: Router,
        base: Engine,
        resolver: Callable[[WeChatRequest], str | None] = authorizer_from_path,
        allowed: Callable[[str], bool] | None = None,
    ) -> None:
        self.component = component
        self.router = router
        self.engine = base
        self.resolver = resolver
        self.allowed = allowed
        #: Routers of particular authorizers (the release test's, for example).
        self.routers: dict[str, Router] = {}
        self._engines: dict[str, AuthorizerEngine] = {}
        self._guard = threading.Lock()

    def engine_for(self, authorizer_appid: str) -> AuthorizerEngine:
        """The engine of ``authorizer_appid``, made on first use."""
        engine = self._engines.get(authorizer_appid)
        if engine is None:
            with self._guard:
                engine = self._engines.get(authorizer_appid)
                if engine is None:
                    engine = AuthorizerEngine(self.component, authorizer_appid, self.engine)
                    self._engines[authorizer_appid] = engine
        return engine

    def route(self, request: WeChatRequest) -> tuple[Router, Engine]:
        """The router and engine of the authorizer in the URL (404 for none)."""
        appid = self.resolver(request)
        if appid is None or not self._accepts(appid):
            self.logger.info("404: no authorizer for %s", request.url)
            raise UnknownAccount("unknown authorizer")
        return self.routers.get(appid, self.router), self.engine_for(appid)

    def _accepts(self, appid: str) -> bool:
        if self.allowed is not None:
            return self.allowed(appid)
        return _APPID.fullmatch(appid) is not None

    def handle(self, request: WeChatRequest) -> WeChatResponse:
        """Answer one push to an authorizer."""
        return pipeline.handle(self, request)

    async def handle_async(self, request: WeChatRequest) -> WeChatResponse:
        """``handle`` for event loops."""
        return await pipeline.handle_async(self, request)

    def __iter__(self) -> Iterator[str]:
        """The authorizer AppIDs seen so far."""
        return iter(list(self._engines))


class Component:
    """A third-party platform's component: its webhook, its client, its authorizers.

    ``router`` and ``engine`` are the robot's (the handlers of the authorizers' messages and
    the settings and stores they share); ``client`` is the component's
    ``werobot_client.ComponentClient`` (built from ``app_id`` and ``app_secret`` with an
    in-memory store when not given: pass one on a ``RedisTokenStore`` to share the ticket and
    tokens between processes).
    """

    def __init__(
        self,
        router: Router,
        engine: Engine,
        *,
        app_id: str,
        token: str,
        encoding_aes_key: str,
        app_secret: str | None = None,
        client: ComponentClient | None = None,
        resolver: Callable[[WeChatRequest], str | None] = authorizer_from_path,
        allowed: Callable[[str], bool] | None = None,
    ) -> None:
        self.app_id = app_id
        self.token = token
        self.encoding_aes_key = encoding_aes_key
        self.app_secret = app_secret
        self._client = client
        #: The handlers of the component's pushes (``@component.router.authorized``).
        self.router = ComponentRouter()
        self.router.add_handler(self._store_ticket, type=ComponentVerifyTicketPush.INFO_TYPE)
        config = AccountConfig(
            engine.config,
            {
                "APP_ID": app_id,
                "TOKEN": token,
                "ENCODING_AES_KEY": encoding_aes_key,
                "APP_SECRET": app_secret,
                "SESSION_STORAGE": False,
            },
        )
        #: The engine of the component's webhook (no sessions: pushes have no user).
        self.engine = Engine(config, engine.logger, namespace=f"{app_id}:", parent=engine)
        #: The authorization event URL's servable.
        self.webhook = ComponentWebhook(self)
        #: The authorizers' message URL's servable.
        self.messages = Authorizers(self, router, engine, resolver, allowed)
        #: The custom messages the release test's ``QUERY_AUTH_CODE`` case sends (to wait on).
        self.release_jobs: list[Future[Any]] = []

    @classmethod
    def for_robot(cls, robot: Any, **options: Any) -> Component:
        """A component serving its authorizers' messages with ``robot``'s handlers."""
        return cls(robot.router, robot.engine, **options)

    @property
    def client(self) -> ComponentClient:
        """The component's API client (``client_for(AppID)`` gives an authorizer's)."""
        if self._client is None:
            from werobot_client.component import ComponentClient

            self._client = ComponentClient(self.app_id, self.app_secret)
        return self._client

    def client_for(self, authorizer_appid: str) -> Client:
        """The API client of an authorizer."""
        return self.client.client_for(authorizer_appid)

    def _store_ticket(self, push: ComponentVerifyTicketPush) -> None:
        if push.ticket:
            self.client.save_ticket(push.ticket)  # valid 12 hours from its arrival
            self.engine.logger.info("component_verify_ticket stored for %s", self.app_id)

    # -- the full-network release test (全网发布) ------------------------------------------

    def answer_release_tests(self, appids: Iterable[str] = RELEASE_TEST_APPIDS) -> Router:
        """Answer WeChat's automated release test for the test accounts ``appids``.

        Their pushes go to a router of their own (your handlers never see them):

        * an event: the reply is the text ``<Event>from_callback``;
        * the text ``TESTCOMPONENT_MSG_TYPE_TEXT``: the reply is
          ``TESTCOMPONENT_MSG_TYPE_TEXT_callback``;
        * the text ``QUERY_AUTH_CODE:<code>``: an empty answer at once, then (in the
          background) ``api_query_auth(<code>)`` and a customer-service text
          ``<code>_from_api`` to the sender, as the authorizer.
        """
        router = Router()

        def text(message: TextMessage) -> str | None:
            content = message.content or ""
            if content == "TESTCOMPONENT_MSG_TYPE_TEXT":
                return "TESTCOMPONENT_MSG_TYPE_TEXT_callback"
            if content.startswith("QUERY_AUTH_CODE:"):
                code = content.removeprefix("QUERY_AUTH_CODE:")
                job = self.engine.pool.submit(self._answer_by_api, code, message.source)
                self.release_jobs.append(job)
            return None

        def event(message: WeChatMessage) -> str | None:
            if isinstance(message, BaseEvent):
                return f"{message.event}from_callback"
            return None

        router.add_handler(text, type="text")
        router.add_handler(event, type="all")
        for appid in appids:
            self.messages.routers[appid] = router
        return router

    def _answer_by_api(self, code: str, openid: str) -> None:
        result = self.client.api_query_auth(code)
        appid = result.authorization_info.authorizer_appid
        self.client_for(appid).send_text_message(openid, f"{code}_from_api")
