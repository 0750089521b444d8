"""``WeRoBot``: a Router (the handlers) and an Engine (the run-time state) under WeRoBot's API.

``BaseRoBot`` keeps every name the seed documents (DESIGN §5); the handler table lives in
:class:`~werobot_core.routing.Router` (``robot.router``), the config-derived state in
:class:`~werobot_core.engine.Engine` (``robot.engine``). Nothing below this module imports it.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from werobot_core.config import DEFAULTS, Config
from werobot_core.decorators import HandlerDecorators
from werobot_core.engine import Engine, current_engine
from werobot_core.handlers import Register
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.routing import ErrorHook, HandlerEntry, Match, Router
from werobot_core.settings import Settings

# Importing the robot builds no model class and starts no event loop machinery (a cold
# start as fast as WeRoBot's, issue 14): the pipeline, the models and the stores are
# imported by the first request (or the first method that needs them).
if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from werobot_client import Client
    from werobot_client.component import ComponentClient
    from werobot_core.accounts import Account, Accounts, Resolver
    from werobot_core.component import Component
    from werobot_core.crypto import MessageCrypt
    from werobot_core.dedup import DedupStore
    from werobot_core.locks import AsyncKeyedLock
    from werobot_core.messages import ClickEvent, WeChatMessage
    from werobot_core.replies import WeChatReply
    from werobot_core.session.base import SessionStorage
    from werobot_core.wsgi import WSGIApplication

__all__ = ["BaseRoBot", "WeRoBot"]

F = TypeVar("F", bound=Callable[..., Any])
ErrorHandler = ErrorHook


class BaseRoBot(HandlerDecorators):
    """A WeChat Official Account robot: register handlers, then serve or call ``handle``."""

    def __init__(
        self,
        token: str | None = None,
        logger: logging.Logger | None = None,
        enable_session: bool | None = None,
        session_storage: SessionStorage | None = None,
        app_id: str | None = None,
        app_secret: str | None = None,
        encoding_aes_key: str | None = None,
        config: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if config is None:
            config = Config(DEFAULTS)
            config.update(
                TOKEN=token,
                APP_ID=app_id,
                APP_SECRET=app_secret,
                ENCODING_AES_KEY=encoding_aes_key,
            )
            config.update({k.upper(): v for k, v in kwargs.items()})
            if enable_session is False:
                warnings.warn(
                    "enable_session is deprecated; use SESSION_STORAGE=False",
                    DeprecationWarning,
                    stacklevel=2,
                )
                config["SESSION_STORAGE"] = False
            if session_storage is not None:
                config["SESSION_STORAGE"] = session_storage
        elif not isinstance(config, Config):
            config = Config(config)
        #: The handlers, filters and error hooks.
        self.router = Router()
        #: The run-time state built from ``config``.
        self.engine = Engine(config, logger or logging.getLogger("WeRoBot"))
        self._wsgi: WSGIApplication | None = None
        if app_id is not None or encoding_aes_key is not None:
            self.crypto  # noqa: B018  (a malformed key raises ConfigError here)

    # -- configuration read when used -------------------------------------------------

    @property
    def config(self) -> Config:
        """The settings, a ``dict`` (SPEC §7); read again whenever it changes."""
        return self.engine.config

    @config.setter
    def config(self, value: Mapping[str, Any]) -> None:
        self.engine.config = value if isinstance(value, Config) else Config(value)

    @property
    def settings(self) -> Settings:
        """``config`` as typed ``Settings``."""
        return self.engine.settings

    @property
    def logger(self) -> logging.Logger:
        """Where the robot logs (default: the ``WeRoBot`` logger)."""
        return self.engine.logger

    @logger.setter
    def logger(self, value: logging.Logger) -> None:
        self.engine.logger = value

    @property
    def clock(self) -> Callable[[], float]:
        """The clock of the replay window and of reply timestamps (injectable in tests)."""
        return self.engine.clock

    @clock.setter
    def clock(self, value: Callable[[], float]) -> None:
        self.engine.clock = value

    @property
    def token(self) -> str | None:
        """``config["TOKEN"]``."""
        token: str | None = self.config.get("TOKEN")
        return token

    @token.setter
    def token(self, value: str | None) -> None:
        self.config["TOKEN"] = value

    @property
    def session_storage(self) -> SessionStorage | None:
        """The storage of ``SESSION_STORAGE``: SQLite by default, ``None`` when ``False``."""
        return self.engine.session_storage

    @session_storage.setter
    def session_storage(self, value: SessionStorage | None) -> None:
        self.config["SESSION_STORAGE"] = False if value is None else value

    @property
    def crypto(self) -> MessageCrypt | None:
        """The AES crypto of APP_ID and ENCODING_AES_KEY, rebuilt when they change."""
        return self.engine.crypto

    @property
    def dedup_store(self) -> DedupStore:
        """``DEDUP_STORE``, or an in-process store created on first use."""
        return self.engine.dedup_store

    @property
    def dedup_keys(self) -> dict[str, Callable[[WeChatMessage], str | None]]:
        """Per-type dedup key functions (dispatch key → function; ``None``: no dedup)."""
        return self.engine.dedup_keys

    def dedup_key(self, message: WeChatMessage) -> str | None:
        """The dedup key of ``message`` (see ``dedup_keys``), ``None`` for no dedup."""
        return self.engine.dedup_key(message)

    @property
    def deadline_pool(self) -> ThreadPoolExecutor:
        """The bounded pool running handlers under ``push``/``next_message``."""
        return self.engine.pool

    @property
    def late_tasks(self) -> set[asyncio.Future[Any]]:
        """Handler runs of ``handle_async`` that missed their deadline and go on."""
        return self.engine.late_tasks

    @property
    def async_user_locks(self) -> AsyncKeyedLock:
        """Serialises one user's requests inside ``handle_async``."""
        return self.engine.async_user_locks

    @property
    def uses_next_message(self) -> bool:
        """Whether any result may wait for the user's next message."""
        from werobot_core.outcomes import keeps_results

        return keeps_results(self.router, self.engine.settings)

    @property
    def has_handler_options(self) -> bool:
        """Whether any handler was registered with ``deadline=`` or ``strategy=``."""
        return self.router.has_handler_options

    @property
    def client(self) -> Client:
        """A ``werobot_client.Client`` built from this robot's config on first use.

        Inside a handler of one of this robot's ``Accounts``, the client of the account
        serving the message. Assign your own (``robot.client = Client(robot.config,
        http_client=...)``) to configure its HTTP client or token store.
        """
        engine = current_engine()
        if engine is not None and engine.parent is self.engine:
            return engine.client
        return self.engine.client

    @client.setter
    def client(self, value: Client) -> None:
        self.engine.client = value

    # -- registration (the router's) ----------------------------------------------------------

    def add_handler(
        self,
        func: Callable[..., object],
        type: str = "all",
        *,
        deadline: float | None = None,
        strategy: str | None = None,
        match: Match | None = None,
    ) -> None:
        """Register ``func`` for the dispatch key ``type`` (``"all"``: every message)."""
        self.router.add_handler(func, type, deadline=deadline, strategy=strategy, match=match)

    def get_handlers(self, type: str) -> list[HandlerEntry]:
        """The handlers for ``type`` in dispatch order, then the ``"all"`` handlers.

        Each entry is a ``(func, arity)`` pair, as in WeRoBot (see ``HandlerEntry``).
        """
        return self.router.get_handlers(type)

    @property
    def _handlers(self) -> dict[str, list[HandlerEntry]]:
        """WeRoBot's handler table (read it; register with ``add_handler``)."""
        return self.router._handlers

    @property
    def message_types(self) -> list[str]:
        """Every dispatch key a handler may be registered for (WeRoBot's list, extended)."""
        return self.router.message_types

    def include_router(self, router: Router) -> Router:
        """Serve ``router``'s handlers and error hooks after this robot's own."""
        return self.router.include_router(router)

    def key_click(self, key: str) -> Register[ClickEvent]:
        """``@robot.key_click("KEY")``: handle taps on the click menu item ``KEY``."""
        return self.router.key_click(key)

    def filter(self, *rules: str | re.Pattern[str]) -> Callable[[F], F]:
        """``@robot.filter("a", re.compile("b.*"))``: text handlers matched by content.

        A string matches the whole content; a compiled regex is matched at the start and
        its match object is passed to a three-argument handler.
        """
        return self.router.filter(*rules)

    def add_filter(self, func: Callable[..., object], rules: list[str | re.Pattern[str]]) -> None:
        """Register ``func`` as a text handler for each rule, in order.

        ``ValueError`` when ``func`` is not callable or ``rules`` not a list, ``TypeError``
        for a rule that is neither a string nor a compiled regex (WeRoBot's messages).
        """
        self.router.add_filter(func, rules)

    def error_page(self, func: Callable[[str], str]) -> Callable[[str], str]:
        """``@robot.error_page``: ``func(url) -> html`` renders the 403 page."""
        return self.router.error_page(func)

    def render_error_page(self, url: str) -> str:
        """The HTML of the signature error page for ``url``."""
        return self.router.render_error_page(url)

    make_error_page = render_error_page  # WeRoBot's name

    def error_handler(self, func: ErrorHandler) -> ErrorHandler:
        """``@robot.error_handler``: ``func(exc, message)`` runs when a handler raises.

        A hook's non-empty result (anything a handler may return) answers the user.
        """
        return self.router.error_handler(func)

    def report_error(self, exc: BaseException, message: WeChatMessage) -> object:
        """Log a handler's exception and run the error hooks; the first non-empty result."""
        from werobot_core.dispatch import report_error

        return report_error(self.router, self.engine, exc, message)

    # -- the seed's processing API ------------------------------------------------------

    def check_signature(self, timestamp: str, nonce: str, signature: str) -> bool:
        """Whether ``signature`` is WeChat's signature of ``timestamp`` and ``nonce``."""
        from werobot_core.signature import check_signature

        token = self.token
        return bool(token) and check_signature(token or "", timestamp, nonce, signature)

    def parse_message(
        self,
        body: bytes | str,
        timestamp: str | None = None,
        nonce: str | None = None,
        msg_signature: str | None = None,
    ) -> WeChatMessage:
        """Parse a push body, decrypting it when it holds ``<Encrypt>``."""
        from werobot_core.parser import parse_message

        return parse_message(body, lambda: self.crypto, timestamp, nonce, msg_signature)

    def get_reply(self, message: WeChatMessage) -> WeChatReply | None:
        """Run the handlers for ``message`` (with its session) and return the reply."""
        from werobot_core.dispatch import get_reply

        return get_reply(self.router, self.engine, message)

    def get_encrypted_reply(self, message: WeChatMessage) -> str:
        """The reply as sent: encrypted iff ``message`` was, ``''`` for none."""
        from werobot_core.replies import SuccessReply

        reply = self.get_reply(message)
        if reply is None:
            return ""
        if isinstance(reply, SuccessReply):
            return "success"
        xml = reply.to_xml()
        crypto = self.crypto
        if message._decrypted and crypto is not None:
            return crypto.encrypt_message(xml).decode("utf-8")
        return xml.decode("utf-8")

    def for_accounts(
        self, accounts: Iterable[Account], resolver: Resolver | None = None
    ) -> Accounts:
        """Serve several Official Accounts with this robot's handlers and settings.

        Each ``Account`` brings its AppID, Token, EncodingAESKey and AppSecret (and may
        bring its own router or settings); requests are routed by the last segment of
        their URL path (``/wechat/<AppID>``) or by ``resolver(request) -> AppID``.
        """
        from werobot_core.accounts import Accounts, app_id_from_path

        return Accounts(self.router, self.engine, accounts, resolver or app_id_from_path)

    def for_component(
        self,
        *,
        app_id: str,
        token: str,
        encoding_aes_key: str,
        app_secret: str | None = None,
        client: ComponentClient | None = None,
    ) -> Component:
        """Serve the authorizer accounts of a third-party platform with this robot's handlers.

        ``component.webhook`` serves the component's authorization event URL (the
        ``component_verify_ticket`` is stored on arrival), ``component.messages`` the
        authorizers' message URL (``/<AppID>/callback``); see ``werobot_core.component``.
        """
        from werobot_core.component import Component

        return Component(
            self.router,
            self.engine,
            app_id=app_id,
            token=token,
            encoding_aes_key=encoding_aes_key,
            app_secret=app_secret,
            client=client,
        )

    def route(self, request: WeChatRequest) -> tuple[Router, Engine]:
        """The router and engine serving ``request``: this robot's, for every request."""
        return self.router, self.engine

    def handle(self, request: WeChatRequest) -> WeChatResponse:
        """Answer one webhook request (see ``werobot_core.pipeline.handle``)."""
        return _pipeline_handle(self.router, self.engine, request)

    async def handle_async(self, request: WeChatRequest) -> WeChatResponse:
        """``handle`` for event loops: awaits ``async def`` handlers."""
        return await _pipeline_handle_async(self.router, self.engine, request)

    # -- serving --------------------------------------------------------------------------

    @property
    def wsgi(self) -> WSGIApplication:
        """A WSGI application serving this robot on every path."""
        if self._wsgi is None:
            from werobot_core.wsgi import make_wsgi_app

            self._wsgi = make_wsgi_app(self)
        return self._wsgi

    def run(
        self,
        server: str | None = None,
        host: str | None = None,
        port: int | str | None = None,
        enable_pretty_logging: bool = True,
    ) -> None:
        """Serve the robot (SERVER, HOST and PORT are read from the config now)."""
        from werobot_core.server import run

        run(self, server=server, host=host, port=port, enable_pretty_logging=enable_pretty_logging)


def _bind_pipeline() -> None:
    """Import the pipeline (on the first request) and call it directly from then on: an
    ``import`` statement in ``handle`` would cost ~2.5k instructions per request."""
    global _pipeline_handle, _pipeline_handle_async
    from werobot_core.pipeline import handle, handle_async

    _pipeline_handle, _pipeline_handle_async = handle, handle_async


def _load_handle(router: Router, engine: Engine, request: WeChatRequest) -> WeChatResponse:
    _bind_pipeline()
    return _pipeline_handle(router, engine, request)


async def _load_handle_async(
    router: Router, engine: Engine, request: WeChatRequest
) -> WeChatResponse:
    _bind_pipeline()
    return await _pipeline_handle_async(router, engine, request)


_pipeline_handle: Callable[[Router, Engine, WeChatRequest], WeChatResponse] = _load_handle
_pipeline_handle_async: Callable[[Router, Engine, WeChatRequest], Awaitable[WeChatResponse]] = (
    _load_handle_async
)


class WeRoBot(BaseRoBot):
    """The robot (WeRoBot's name)."""
