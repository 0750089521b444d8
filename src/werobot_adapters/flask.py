"""Flask: ``make_view(robot)`` is a view that serves the robot.

::

    app.add_url_rule("/wechat", view_func=make_view(robot))

The view accepts every HTTP method, so that ``robot.handle`` answers the ones WeChat does
not use (405), and ignores URL variables.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.typing import RouteCallable
from flask.views import View

from werobot_core.request import WeChatRequest
from werobot_core.transport import Servable, max_body_size, read_body
from werobot_core.wsgi import EnvironHeaders, request_url

__all__ = ["make_view"]


class _RobotView(View):
    methods = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
    provide_automatic_options = False
    init_every_request = False

    def __init__(self, robot: Servable) -> None:
        self.robot = robot

    def dispatch_request(self, **kwargs: Any) -> Response:
        """Translate the request, let the robot answer, translate the answer back."""
        answer = self.robot.handle(
            WeChatRequest(
                method=request.method,
                query=request.args.to_dict(flat=True),
                body=read_body(
                    request.stream.read, request.content_length, max_body_size(self.robot)
                ),
                url=request_url(request.environ),
                headers=EnvironHeaders(request.environ),
            )
        )
        return Response(answer.body, status=answer.status, headers=answer.headers)


def make_view(robot: Servable, name: str = "werobot") -> RouteCallable:
    """A Flask view serving ``robot``; ``name`` is its default endpoint name."""
    return _RobotView.as_view(name, robot)
