"""Several Official Accounts on one server: ``Accounts`` (DESIGN §5b).

One router (or one per account) and one :class:`~werobot_core.engine.Engine` per account,
each with the account's AppID, Token, EncodingAESKey and AppSecret over the robot's other
settings. A request is routed to its account by the last segment of its URL path
(``/wechat/<AppID>``), or by a resolver you pass; an unknown account is answered 404::

    robot = WeRoBot()  # handlers and shared settings (sessions, dedup store, ...)
    accounts = robot.for_accounts(
        [
            Account(app_id="wx1111", token="token1", encoding_aes_key="...", app_secret="..."),
            Account(app_id="wx2222", token="token2"),
        ]
    )
    make_view(accounts)  # or accounts.wsgi, make_asgi_app(accounts), accounts.run()

Each push carries its account (``message.account``); inside a handler ``robot.client`` is
that account's API client. Sessions, kept results and dedup keys are prefixed with
``"<AppID>:"`` in the stores the accounts share, and access tokens are kept per AppID, so
the same OpenID on two accounts never shares anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werobot_core import pipeline
from werobot_core.config import Config
from werobot_core.engine import Engine
from werobot_core.exceptions import UnknownAccount
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.routing import Router
from werobot_core.settings import Settings

if TYPE_CHECKING:
    from werobot_core.wsgi import WSGIApplication

__all__ = ["Account", "AccountConfig", "Accounts", "Resolver", "app_id_from_path"]

#: ``resolver(request)``: the AppID a request is for, or ``None`` when it is for none.
Resolver = Callable[[WeChatRequest], "str | None"]


@dataclass(frozen=True)
class Account:
    """One Official Account: its credentials, and optionally its own router and settings."""

    app_id: str
    token: str
    encoding_aes_key: str | None = None
    app_secret: str | None = None
    router: Router | None = None
    """Handlers of this account only; ``None``: the robot's."""
    config: Mapping[str, Any] = field(default_factory=dict)
    """Other settings of this account (any config key), over the robot's."""

    def settings(self) -> dict[str, Any]:
        """The config keys this account sets."""
        return {
            **self.config,
            "APP_ID": self.app_id,
            "TOKEN": self.token,
            "ENCODING_AES_KEY": self.encoding_aes_key,
            "APP_SECRET": self.app_secret,
        }


class AccountConfig(Config):
    """An account's keys over a base ``Config``: changes to either are seen."""

    def __init__(self, base: Config, overrides: Mapping[str, Any]) -> None:
        super().__init__(overrides)
        self.base = base
        self._own = 0

    @property
    def version(self) -> int:
        """Changes of this account's keys plus changes of the base config."""
        return self._own + self.base.version

    @version.setter
    def version(self, value: int) -> None:
        self._own = value - self.base.version

    def __missing__(self, key: str) -> Any:
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key: str, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base.get(key, default)


def app_id_from_path(request: WeChatRequest) -> str | None:
    """The last non-empty segment of the request's URL path (``/wechat/<AppID>``)."""
    segments = [part for part in urlsplit(request.url).path.split("/") if part]
    return segments[-1] if segments else None


class Accounts:
    """Serves several accounts; mount it wherever a robot mounts (it is ``Servable``)."""

    def __init__(
        self,
        router: Router,
        base: Engine,
        accounts: Iterable[Account],
        resolver: Resolver = app_id_from_path,
    ) -> None:
        self.router = router
        self.base = base
        self.resolver = resolver
        self._engines: dict[str, tuple[Router, Engine]] = {}
        for account in accounts:
            if account.app_id in self._engines:
                raise ValueError(f"account {account.app_id!r} is listed twice")
            config = AccountConfig(base.config, account.settings())
            engine = Engine(config, base.logger, namespace=f"{account.app_id}:", parent=base)
            self._engines[account.app_id] = (account.router or router, engine)

    # -- Servable -------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The shared settings (``MAX_BODY_SIZE`` guards every account's requests)."""
        return self.base.settings

    @property
    def logger(self) -> logging.Logger:
        """Where the accounts log (the robot's logger)."""
        return self.base.logger

    def route(self, request: WeChatRequest) -> tuple[Router, Engine]:
        """The router and engine of the account ``request`` is for (404 for none)."""
        app_id = self.resolver(request)
        found = self._engines.get(app_id) if app_id is not None else None
        if found is None:
            self.base.logger.info("404: no account for %s", request.url)
            raise UnknownAccount("unknown account")
        return found

    def handle(self, request: WeChatRequest) -> WeChatResponse:
        """Answer one request with its account's settings, crypto and stores."""
        return pipeline.handle(self, request)

    async def handle_async(self, request: WeChatRequest) -> WeChatResponse:
        """``handle`` for event loops."""
        return await pipeline.handle_async(self, request)

    @property
    def wsgi(self) -> WSGIApplication:
        """A WSGI application serving every account (routed by path or resolver)."""
        from werobot_core.wsgi import make_wsgi_app

        return make_wsgi_app(self)

    def run(
        self, server: str | None = None, host: str | None = None, port: int | None = None
    ) -> None:
        """Serve every account (as ``robot.run``)."""
        from werobot_core.server import run

        run(self, server=server, host=host, port=port)

    # -- the accounts ---------------------------------------------------------------------------

    def engine(self, app_id: str) -> Engine:
        """The engine of ``app_id`` (``KeyError`` for an unknown account)."""
        return self._engines[app_id][1]

    def client(self, app_id: str) -> Any:
        """The API client of ``app_id`` (a ``werobot_client.Client``)."""
        return self.engine(app_id).client

    def __iter__(self) -> Iterator[str]:
        return iter(self._engines)

    def __len__(self) -> int:
        return len(self._engines)

    def __contains__(self, app_id: object) -> bool:
        return app_id in self._engines
