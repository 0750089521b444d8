"""Bottle: ``make_view(robot)`` is a route callback that serves the robot.

::

    app.route("/wechat", "ANY", make_view(robot))

Route it with method ``"ANY"`` so that ``robot.handle`` answers the methods WeChat does
not use (405). Bottle's request is a WSGI environ, translated like ``robot.wsgi`` does.
"""

from __future__ import annotations

from collections.abc import Callable

import bottle

from werobot_core.transport import Servable, max_body_size
from werobot_core.wsgi import request_from_environ

__all__ = ["make_view"]


def make_view(robot: Servable) -> Callable[..., bottle.HTTPResponse]:
    """A Bottle callback serving ``robot``; route arguments are ignored."""

    def view(*args: object, **kwargs: object) -> bottle.HTTPResponse:
        environ = bottle.request.environ
        answer = robot.handle(request_from_environ(environ, max_body_size(robot)))
        return bottle.HTTPResponse(answer.body, status=answer.status, headers=answer.headers)

    return view
