"""``Engine``: what serving one Official Account needs at run time (DESIGN §5b).

Built from a :class:`~werobot_core.config.Config` (read as
:class:`~werobot_core.settings.Settings`, rebuilt when the config changes): the AES crypto,
the session storage, the dedup store, the pool running late handlers, the per-user locks,
the handler runs that outlived their request, the clock and the logger. The pipeline, the
deadline engine and the dispatcher take a router and an engine, never the robot.

``namespace`` keeps accounts apart in shared stores: an engine of one of several accounts
prefixes its session ids and kept results with ``"<AppID>:"`` (a single robot uses none, so
its stored sessions keep their keys).
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from typing_extensions import Self

from werobot_core.config import Config
from werobot_core.dedup import DedupStore, MemoryDedupStore, default_dedup_key
from werobot_core.exceptions import ConfigError
from werobot_core.locks import AsyncKeyedLock
from werobot_core.settings import Settings
from werobot_core.xmlcodec import render_text_reply

# Crypto, sessions, the pool and the reply models are imported when first used: a robot
# that is only built (a cold start) imports none of them.
if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from werobot_client import Client
    from werobot_core.crypto import MessageCrypt
    from werobot_core.messages import WeChatMessage
    from werobot_core.session.base import SessionStorage

__all__ = ["CURRENT_ENGINE", "Derived", "Engine", "current_engine"]

T = TypeVar("T")

#: The engine whose handlers run in this context (set by the dispatcher around them).
CURRENT_ENGINE: ContextVar[Engine | None] = ContextVar("werobot_engine", default=None)


def current_engine() -> Engine | None:
    """The engine whose handlers are running in this context (``None`` outside them)."""
    return CURRENT_ENGINE.get()


class Derived(Generic[T]):
    """An ``Engine`` value derived from its config (the settings, the crypto, the stores).

    Computed on first read and kept in the engine's ``__dict__``, so a later read is a dict
    lookup, not a call: a property costs ~1k instructions per read, and a push reads two
    (plaintext, DEDUP off) to five (safe mode). The config calls the engine after each
    change, which drops them all (``Engine._forget``); a value computed while the config
    changed is not kept.
    """

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, engine: None, owner: type) -> Self: ...
    @overload
    def __get__(self, engine: Engine, owner: type | None = None) -> T: ...
    def __get__(self, engine: Engine | None, owner: type | None = None) -> T | Self:
        if engine is None:
            return self
        config = engine._config
        version = config.version
        value = self.compute(engine)
        kept = engine.__dict__
        kept[self.name] = value
        if config.version != version or engine._config is not config:  # changed meanwhile
            kept.pop(self.name, None)
        return value


class Engine:
    """The run-time state of one account, built from its config when first used."""

    def __init__(
        self,
        config: Config,
        logger: logging.Logger | None = None,
        namespace: str = "",
        parent: Engine | None = None,
    ) -> None:
        self._config = config
        config.watch(self._forget)
        self.logger = logger or logging.getLogger("WeRoBot")
        #: Prefix of this engine's keys in shared stores (``""``: a robot of its own).
        self.namespace = namespace
        #: The engine whose pool, locks, default stores and clock this one shares (one
        #: account of an ``Accounts`` shares the robot's).
        self.parent = parent
        # the engines that read their parent's stores: they forget when this one does
        self._children: weakref.WeakSet[Engine] = weakref.WeakSet()
        if parent is not None:
            parent._children.add(self)
        #: The clock of the replay window and of reply timestamps (injectable in tests);
        #: an account's engine reads its parent's.
        self.clock: Callable[[], float] = time.time if parent is None else lambda: parent.clock()
        #: Per-type dedup key functions (dispatch key → function); a function returning
        #: ``None`` turns dedup off for that message.
        self.dedup_keys: dict[str, Callable[[WeChatMessage], str | None]] = (
            {} if parent is None else parent.dedup_keys
        )
        #: Handler runs of ``handle_async`` that missed their deadline and go on.
        self.late_tasks: set[asyncio.Future[Any]] = set() if parent is None else parent.late_tasks
        #: Serialises one user's requests inside ``handle_async``.
        self.async_user_locks: AsyncKeyedLock = (
            AsyncKeyedLock() if parent is None else parent.async_user_locks
        )
        # kept across config changes: the crypto of the same keys, the default stores
        self._crypto: tuple[tuple[Any, ...], MessageCrypt | None] | None = None
        self._default_storage: SessionStorage | None = None
        self._dedup_store: DedupStore | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pool_guard = threading.Lock()
        self._client: Client | None = None

    async def in_pool(self, func: Callable[..., T], *args: Any) -> T:
        """Run a blocking call in the pool from an event loop, in the caller's context."""
        import asyncio

        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, functools.partial(context.run, func, *args))

    @property
    def config(self) -> Config:
        """The account's settings as written (``robot.config``)."""
        return self._config

    @config.setter
    def config(self, value: Config) -> None:
        self._config = value
        value.watch(self._forget)
        self._forget()

    def _forget(self) -> None:
        """Drop what was derived from the config (``Derived``), here and in the engines
        that read this one's stores."""
        kept, cls = self.__dict__, type(self)
        for name in list(kept):  # (a copy: a request in another thread may derive meanwhile)
            if isinstance(getattr(cls, name, None), Derived):
                kept.pop(name, None)
        for child in list(self._children):
            child._forget()

    @Derived
    def settings(self) -> Settings:
        """The config as ``Settings``, read again when the config has changed."""
        return Settings.from_config(self._config)

    @property
    def account(self) -> str | None:
        """The AppID this engine serves (``APP_ID``), put on each message it parses."""
        return self.settings.app_id

    @Derived
    def crypto(self) -> MessageCrypt | None:
        """The AES crypto of APP_ID and ENCODING_AES_KEY, rebuilt when they change."""
        settings = self.settings
        key = (settings.token, settings.app_id, settings.encoding_aes_key)
        if self._crypto is None or self._crypto[0] != key:
            from werobot_core.crypto import MessageCrypt, decode_aes_key

            token, app_id, aes_key = key
            crypt = None
            if app_id and aes_key:
                crypt = MessageCrypt(token or "", aes_key, app_id, clock=lambda: self.clock())
            elif app_id or aes_key:
                if aes_key:
                    decode_aes_key(aes_key)  # a malformed key is a ConfigError even without APP_ID
                self.logger.debug("safe mode needs both APP_ID and ENCODING_AES_KEY")
            self._crypto = (key, crypt)
        return self._crypto[1]  # (kept only once built: a bad key raises again)

    @Derived
    def session_storage(self) -> SessionStorage | None:
        """The storage of ``SESSION_STORAGE``: SQLite by default, ``None`` when ``False``."""
        from werobot_core.session.base import SessionStorage

        value = self.settings.session_storage
        if value is False:
            return None
        if value is None:
            if self.parent is not None:
                return self.parent.session_storage
            if self._default_storage is None:
                from werobot_core.session.sqlitestorage import SQLiteStorage

                self._default_storage = SQLiteStorage()
            return self._default_storage
        if not isinstance(value, SessionStorage):
            raise ConfigError(f"SESSION_STORAGE must be a SessionStorage or False, not {value!r}")
        return value

    @Derived
    def dedup_store(self) -> DedupStore:
        """``DEDUP_STORE``, or an in-process store created on first use."""
        store = self.settings.dedup_store
        if store is not None:
            if not isinstance(store, DedupStore):
                raise ConfigError(f"DEDUP_STORE must be a DedupStore, not {store!r}")
            return store
        if self.parent is not None:
            return self.parent.dedup_store
        if self._dedup_store is None:
            self._dedup_store = MemoryDedupStore()
        return self._dedup_store

    def dedup_key(self, message: WeChatMessage) -> str | None:
        """The dedup key of ``message`` (see ``dedup_keys``), ``None`` for no dedup."""
        keys = self.dedup_keys  # (empty unless a user set one: then `type` is not read)
        key = (keys.get(message.type, default_dedup_key) if keys else default_dedup_key)(message)
        return key if key is None or not self.namespace else self.namespace + key

    def user_key(self, message: WeChatMessage) -> str:
        """The id of ``message``'s sender in this account's stores (sessions, kept results)."""
        return self.namespace + message.source

    @property
    def pool(self) -> ThreadPoolExecutor:
        """The bounded pool running handler runs that may outlive their request."""
        if self.parent is not None:
            return self.parent.pool
        if self._pool is None:
            with self._pool_guard:
                if self._pool is None:
                    from concurrent.futures import ThreadPoolExecutor

                    workers = self.settings.deadline_workers
                    self._pool = ThreadPoolExecutor(workers, "werobot-deadline")
        return self._pool

    def outcome_of(self, result: object, message: WeChatMessage) -> bytes:
        """A handler's non-empty result as wire bytes; a ``str`` is rendered without a
        reply model, its ``CreateTime`` from this engine's clock."""
        if isinstance(result, str):
            return render_text_reply(message.source, message.target, self.clock(), result)
        return _render_model(result, message)

    @property
    def client(self) -> Client:
        """A ``werobot_client.Client`` of this account's config, built on first use."""
        if self._client is None:
            from werobot_client import Client

            self._client = Client(self.config)
        return self._client

    @client.setter
    def client(self, value: Client) -> None:
        self._client = value


def _load_render(result: object, message: WeChatMessage) -> bytes:
    """Import the reply models on the first result that is not a ``str``, then render
    through them directly (an ``import`` per call would cost ~2.5k instructions)."""
    global _render_model
    from werobot_core.replies import process_function_reply, render_outcome

    def render(result: object, message: WeChatMessage) -> bytes:
        return render_outcome(process_function_reply(result, message), message)

    _render_model = render
    return render(result, message)


_render_model: Callable[[object, WeChatMessage], bytes] = _load_render
