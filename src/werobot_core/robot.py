"""``WeRoBot``: handlers, filters, sessions, configuration and serving (DESIGN §5)."""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from werobot_core import dispatch, pipeline
from werobot_core.config import DEFAULTS, Config
from werobot_core.crypto import MessageCrypt, decode_aes_key
from werobot_core.decorators import HandlerDecorators
from werobot_core.dedup import DedupStore, MemoryDedupStore, default_dedup_key
from werobot_core.exceptions import ConfigError
from werobot_core.handlers import STRATEGIES, HandlerEntry, Register, arity_of
from werobot_core.messages import DISPATCH_KEYS, ClickEvent, TextMessage, WeChatMessage
from werobot_core.parser import parse_message as _parse_message
from werobot_core.replies import SuccessReply, WeChatReply
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.session.base import SessionStorage
from werobot_core.signature import check_signature as _check_signature

if TYPE_CHECKING:
    from werobot_client import Client
    from werobot_core.server import WSGIApplication

__all__ = ["BaseRoBot", "WeRoBot"]

F = TypeVar("F", bound=Callable[..., Any])
ErrorHandler = Callable[[BaseException, WeChatMessage], object]

#: Every ``add_handler(type=...)`` key: the dispatch keys plus ``"all"``.
HANDLER_TYPES: frozenset[str] = frozenset({*DISPATCH_KEYS, "all"})


def default_error_page(url: str) -> str:
    from html import escape

    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Error</title></head><body>"
        "<h1>Signature verification failed</h1>"
        f"<p>{escape(url)} is a WeChat webhook: it only answers requests signed by WeChat.</p>"
        "</body></html>"
    )


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
        config: Config | None = None,
        **kwargs: Any,
    ) -> None:
        self.logger = logger or logging.getLogger("WeRoBot")
        #: The clock of the replay window and of reply timestamps (injectable in tests).
        self.clock: Callable[[], float] = time.time
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
        self.config = config
        self._handlers: dict[str, list[HandlerEntry]] = {}
        #: Whether any handler was registered with ``deadline=`` or ``strategy=``.
        self.has_handler_options = False
        self._dispatch_cache: dict[str, list[HandlerEntry]] = {}
        self._next_message_handlers = False
        self._error_handlers: list[ErrorHandler] = []
        self._error_page: Callable[[str], str] = default_error_page
        self._default_storage: SessionStorage | None = None
        self._crypto: tuple[tuple[Any, ...], MessageCrypt | None] | None = None
        self._wsgi: WSGIApplication | None = None
        self._dedup_store: DedupStore | None = None
        self._client: Client | None = None
        #: Handler runs of ``handle_async`` that missed their deadline and go on.
        self.late_tasks: set[asyncio.Future[Any]] = set()
        #: Serialises one user's requests inside ``handle_async``.
        self.async_user_locks = dispatch.AsyncKeyedLock()
        self._deadline_pool: ThreadPoolExecutor | None = None
        #: Per-type dedup key functions (dispatch key → function); a function returning
        #: ``None`` turns dedup off for that message.
        self.dedup_keys: dict[str, Callable[[WeChatMessage], str | None]] = {}
        if app_id is not None or encoding_aes_key is not None:
            self.crypto  # noqa: B018  (a malformed key raises ConfigError here)

    # -- configuration read when used -------------------------------------------------

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
        value = self.config.get("SESSION_STORAGE")
        if value is False:
            return None
        if value is None:
            if self._default_storage is None:
                from werobot_core.session.sqlitestorage import SQLiteStorage

                self._default_storage = SQLiteStorage()
            return self._default_storage
        if not isinstance(value, SessionStorage):
            raise ConfigError(f"SESSION_STORAGE must be a SessionStorage or False, not {value!r}")
        return value

    @session_storage.setter
    def session_storage(self, value: SessionStorage | None) -> None:
        self.config["SESSION_STORAGE"] = False if value is None else value

    @property
    def crypto(self) -> MessageCrypt | None:
        """The AES crypto of APP_ID and ENCODING_AES_KEY, rebuilt when they change."""
        cfg = self.config
        settings = (cfg.get("TOKEN"), cfg.get("APP_ID"), cfg.get("ENCODING_AES_KEY"))
        if self._crypto is None or self._crypto[0] != settings:
            token, app_id, key = settings
            crypt = None
            if app_id and key:
                crypt = MessageCrypt(token or "", key, app_id, clock=lambda: self.clock())
            elif app_id or key:
                if key:
                    decode_aes_key(key)  # a malformed key is a ConfigError even without APP_ID
                self.logger.debug("safe mode needs both APP_ID and ENCODING_AES_KEY")
            self._crypto = (settings, crypt)
        return self._crypto[1]

    @property
    def dedup_store(self) -> DedupStore:
        """``DEDUP_STORE``, or an in-process store created on first use."""
        store = self.config.get("DEDUP_STORE")
        if store is not None:
            if not isinstance(store, DedupStore):
                raise ConfigError(f"DEDUP_STORE must be a DedupStore, not {store!r}")
            return store
        if self._dedup_store is None:
            self._dedup_store = MemoryDedupStore()
        return self._dedup_store

    def dedup_key(self, message: WeChatMessage) -> str | None:
        """The dedup key of ``message`` (see ``dedup_keys``), ``None`` for no dedup."""
        return self.dedup_keys.get(message.type, default_dedup_key)(message)

    @property
    def deadline_pool(self) -> ThreadPoolExecutor:
        """The bounded pool running handlers under ``push``/``next_message``."""
        if self._deadline_pool is None:
            workers = int(self.config.get("DEADLINE_WORKERS", 16))
            self._deadline_pool = ThreadPoolExecutor(workers, "werobot-deadline")
        return self._deadline_pool

    @property
    def uses_next_message(self) -> bool:
        """Whether any result may wait for the user's next message."""
        return self._next_message_handlers or self.config.get("DEADLINE_STRATEGY") == "next_message"

    @property
    def client(self) -> Client:
        """A ``werobot_client.Client`` built from this robot's config on first use.

        Assign your own (``robot.client = Client(robot.config, http_client=...)``) to
        configure its HTTP client or token store.
        """
        if self._client is None:
            from werobot_client import Client

            self._client = Client(self.config)
        return self._client

    @client.setter
    def client(self, value: Client) -> None:
        self._client = value

    # -- registration -------------------------------------------------------------------

    def add_handler(
        self,
        func: Callable[..., object],
        type: str = "all",
        *,
        deadline: float | None = None,
        strategy: str | None = None,
    ) -> None:
        """Register ``func`` for the dispatch key ``type`` (``"all"``: every message)."""
        if not callable(func):
            raise ValueError(f"{func} is not callable")
        if type not in HANDLER_TYPES:
            valid = ", ".join(sorted(HANDLER_TYPES))
            raise ValueError(f"unknown handler type {type!r}; valid types: {valid}")
        if strategy is not None and strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
        entry = HandlerEntry(
            func, arity_of(func), deadline, strategy, inspect.iscoroutinefunction(func)
        )
        self._handlers.setdefault(type, []).append(entry)
        if deadline is not None or strategy is not None:
            self.has_handler_options = True
        self._dispatch_cache.clear()
        if strategy == "next_message":
            self._next_message_handlers = True

    @property
    def message_types(self) -> list[str]:
        """Every dispatch key a handler may be registered for (WeRoBot's list, extended)."""
        return sorted(DISPATCH_KEYS)

    def get_handlers(self, type: str) -> list[HandlerEntry]:
        """The handlers for ``type`` in dispatch order, then the ``"all"`` handlers.

        Each entry is a ``(func, arity)`` pair, as in WeRoBot (see ``HandlerEntry``).
        """
        entries = self._dispatch_cache.get(type)
        if entries is None:
            entries = self._handlers.get(type, []) + self._handlers.get("all", [])
            self._dispatch_cache[type] = entries
        return entries

    def key_click(self, key: str) -> Register[ClickEvent]:
        """``@robot.key_click("KEY")``: handle taps on the click menu item ``KEY``."""
        return _KeyClick(self, key)

    def filter(self, *rules: str | re.Pattern[str]) -> Callable[[F], F]:
        """``@robot.filter("a", re.compile("b.*"))``: text handlers matched by content.

        A string matches the whole content; a compiled regex is matched at the start and
        its match object is passed to a three-argument handler.
        """
        for rule in rules:
            _check_rule(rule)

        def wrap(func: F) -> F:
            self.add_filter(func, list(rules))
            return func

        return wrap

    def add_filter(self, func: Callable[..., object], rules: list[str | re.Pattern[str]]) -> None:
        """Register ``func`` as a text handler for each rule, in order.

        ``ValueError`` when ``func`` is not callable or ``rules`` not a list, ``TypeError``
        for a rule that is neither a string nor a compiled regex (WeRoBot's messages).
        """
        if not callable(func):
            raise ValueError(f"{func} is not callable")
        if not isinstance(rules, list):
            raise ValueError(f"{rules} is not list")
        for rule in rules:
            _check_rule(rule)
            self.add_handler(_filtered(func, rule), type="text")

    def error_page(self, func: Callable[[str], str]) -> Callable[[str], str]:
        """``@robot.error_page``: ``func(url) -> html`` renders the 403 page."""
        self._error_page = func
        return func

    def render_error_page(self, url: str) -> str:
        """The HTML of the signature error page for ``url``."""
        return self._error_page(url)

    make_error_page = render_error_page  # WeRoBot's name

    def error_handler(self, func: ErrorHandler) -> ErrorHandler:
        """``@robot.error_handler``: called as ``func(exc, message)`` when a handler raises."""
        self._error_handlers.append(func)
        return func

    def report_error(self, exc: BaseException, message: WeChatMessage) -> None:
        """Log a handler's exception and pass it to the ``error_handler`` hooks."""
        self.logger.error("handler failed for %s message", message.type, exc_info=exc)
        for hook in self._error_handlers:
            try:
                hook(exc, message)
            except Exception:
                self.logger.exception("error_handler %r failed", hook)

    # -- the seed's processing API ------------------------------------------------------

    def check_signature(self, timestamp: str, nonce: str, signature: str) -> bool:
        """Whether ``signature`` is WeChat's signature of ``timestamp`` and ``nonce``."""
        token = self.token
        return bool(token) and _check_signature(token or "", timestamp, nonce, signature)

    def parse_message(
        self,
        body: bytes | str,
        timestamp: str | None = None,
        nonce: str | None = None,
        msg_signature: str | None = None,
    ) -> WeChatMessage:
        """Parse a push body, decrypting it when it holds ``<Encrypt>``."""
        return _parse_message(body, lambda: self.crypto, timestamp, nonce, msg_signature)

    def get_reply(self, message: WeChatMessage) -> WeChatReply | None:
        """Run the handlers for ``message`` (with its session) and return the reply."""
        return dispatch.get_reply(self, message)

    def get_encrypted_reply(self, message: WeChatMessage) -> str:
        """The reply as sent: encrypted iff ``message`` was, ``''`` for none."""
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

    def handle(self, request: WeChatRequest) -> WeChatResponse:
        """Answer one webhook request (see ``werobot_core.pipeline.handle``)."""
        return pipeline.handle(self, request)

    async def handle_async(self, request: WeChatRequest) -> WeChatResponse:
        """``handle`` for event loops: awaits ``async def`` handlers."""
        return await pipeline.handle_async(self, request)

    # -- serving --------------------------------------------------------------------------

    @property
    def wsgi(self) -> WSGIApplication:
        """A WSGI application serving this robot on every path."""
        if self._wsgi is None:
            from werobot_core.server import make_wsgi_app

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


class WeRoBot(BaseRoBot):
    """The robot (WeRoBot's name)."""


def _check_rule(rule: object) -> None:
    if not isinstance(rule, (str, re.Pattern)):
        raise TypeError(f"{rule} is not a valid rule")


def _filtered(func: Callable[..., object], rule: str | re.Pattern[str]) -> Callable[..., object]:
    """A text handler running ``func`` when ``rule`` matches the content."""
    arity = arity_of(func)

    def run(message: TextMessage, session: Any) -> object:
        content = message.content
        if isinstance(rule, str):
            if content != rule:
                return None
            match = None
        else:
            match = rule.match(content)
            if match is None:
                return None
        return func(*(message, session, match)[:arity])

    if inspect.iscoroutinefunction(func):

        async def run_async(message: TextMessage, session: Any) -> object:
            result = run(message, session)
            return await result if inspect.isawaitable(result) else result

        return run_async
    return run


class _KeyClick(Register[ClickEvent]):
    """``Register`` for click events whose key is ``key``."""

    def __init__(
        self,
        robot: BaseRoBot,
        key: str,
        deadline: float | None = None,
        strategy: str | None = None,
    ) -> None:
        super().__init__(robot, ("click_event",), deadline, strategy)
        self._key = key

    def __call__(self, func: Any = None, /, **options: Any) -> Any:
        if func is None:
            clone = _KeyClick(self._robot, self._key)
            clone._deadline, clone._strategy = options.get("deadline"), options.get("strategy")
            return clone
        key, arity = self._key, arity_of(func)

        def on_key(message: ClickEvent, session: Any) -> object:
            if message.key != key:
                return None
            return func(*(message, session)[:arity])

        handler: Callable[..., object] = on_key
        if inspect.iscoroutinefunction(func):

            async def on_key_async(message: ClickEvent, session: Any) -> object:
                result = on_key(message, session)
                return await result if inspect.isawaitable(result) else result

            handler = on_key_async
        self._robot.add_handler(
            handler, type="click_event", deadline=self._deadline, strategy=self._strategy
        )
        return func
