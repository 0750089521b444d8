"""Django: ``make_view(robot)`` is a CSRF-exempt view that serves the robot.

::

    urlpatterns = [path("wechat/", make_view(robot))]

It accepts every HTTP method (``robot.handle`` answers 405 to the ones WeChat does not
use) and ignores arguments captured by the URL pattern.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

from werobot_core.request import WeChatRequest
from werobot_core.transport import Servable, max_body_size, parse_length, read_body

__all__ = ["make_view"]


def _to_request(request: HttpRequest, limit: int) -> WeChatRequest:
    length = parse_length(request.META.get("CONTENT_LENGTH"))
    return WeChatRequest(
        method=request.method,
        query={name: values[0] for name, values in request.GET.lists()},
        body=read_body(request.read, length, limit),
        url=request.build_absolute_uri(),
        headers=dict(request.headers),
    )


def make_view(robot: Servable) -> Callable[..., HttpResponse]:
    """A CSRF-exempt Django view serving ``robot``."""

    @csrf_exempt  # type: ignore[untyped-decorator]
    def view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        answer = robot.handle(_to_request(request, max_body_size(robot)))
        return HttpResponse(answer.body, status=answer.status, headers=answer.headers)

    return view  # type: ignore[no-any-return]
