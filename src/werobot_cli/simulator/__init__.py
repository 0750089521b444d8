"""The local chat simulator: a page on 127.0.0.1 that plays WeChat's side of a conversation.

:class:`~werobot_cli.simulator.api.Simulator` holds the account and the menu and answers the
page's JSON calls; :func:`~werobot_cli.simulator.server.make_simulator_server` serves it
with the static page shipped in ``werobot_cli/static``.
"""

from __future__ import annotations

from werobot_cli.simulator.api import Simulator
from werobot_cli.simulator.server import make_simulator_server

__all__ = ["Simulator", "make_simulator_server"]
