"""``werobot``: the command line of werobot-sdk (``pip install 'werobot-sdk[cli]'``).

::

    werobot run examples/hello.py
    werobot simulate http://127.0.0.1:8888/ --token tokenhere text hello
    werobot chat http://127.0.0.1:8888/ --token tokenhere
    werobot simulator --target http://127.0.0.1:8888/ --token tokenhere
    werobot check --token tokenhere --url http://127.0.0.1:8888/

The command line is ``werobot_cli.main:main``. Every command reaches the network
through :class:`~werobot_cli.services.Services`, so tests
and embedding code can hand it their own HTTP clients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from werobot_cli.services import Services

__all__ = ["Services"]


def __getattr__(name: str) -> Any:
    # ``werobot --help`` imports this package: ``Services`` is loaded on first use only.
    if name == "Services":
        from werobot_cli.services import Services

        return Services
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
