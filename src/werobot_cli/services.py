"""``Services``: how the commands reach the network, in one place that tests can replace.

Two kinds of traffic leave the CLI: pushes to the robot's webhook (``simulate``, ``chat``,
``check``, the simulator page) and calls to WeChat's API (``menu``, ``token``, ``check``'s
token grant). Each command asks the ``Services`` object in the click context for an
``httpx.Client``; ``main()`` uses the default one, and a test passes its own as ``obj``::

    api = httpx.Client(transport=httpx.MockTransport(fake_wechat))
    CliRunner().invoke(app, ["token"], obj=Services(api_http=lambda: api))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx
    import typer

    from werobot_client import Client, TokenStore

__all__ = ["Services", "services_of"]


def _http() -> httpx.Client:
    import httpx

    return httpx.Client()


@dataclass(frozen=True)
class Services:
    """Factories of the HTTP clients the commands use.

    ``webhook_http`` makes the client that delivers pushes to a robot; ``api_http`` the one
    under :class:`werobot_client.Client`. A client a factory returns is closed after use.
    """

    webhook_http: Callable[[], httpx.Client] = _http
    api_http: Callable[[], httpx.Client] = _http

    @contextmanager
    def webhook(self) -> Iterator[httpx.Client]:
        """An HTTP client for the robot's webhook, closed on exit."""
        with self.webhook_http() as http:
            yield http

    @contextmanager
    def api_client(
        self, config: Mapping[str, Any], token_store: TokenStore | None = None
    ) -> Iterator[Client]:
        """A ``werobot_client.Client`` for ``config`` (APP_ID, APP_SECRET), closed on exit."""
        from werobot_client import Client

        with self.api_http() as http:
            yield Client(config, http_client=http, token_store=token_store)


def services_of(ctx: typer.Context) -> Services:
    """The ``Services`` given to the command line as ``obj``, else the defaults."""
    root = ctx.find_root()
    if not isinstance(root.obj, Services):
        root.obj = Services()
    return root.obj
