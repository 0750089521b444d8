"""Django: route a robot with `werobot_adapters.django.make_view`, checked with Django's Client.

In a project, the `path(...)` line goes in your `urls.py`; the settings here only make the
example a standalone script.
"""

from urllib.parse import urlencode

import django  # type: ignore[import-untyped]
from django.conf import settings  # type: ignore[import-untyped]
from django.urls import path  # type: ignore[import-untyped]

from werobot_adapters.django import make_view
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
def hello(message: TextMessage) -> str:
    return f"Hello, {message.content}!"


# urls.py: the view is CSRF-exempt and accepts every method; captured arguments are ignored.
urlpatterns = [path("wechat/<str:account>/", make_view(robot))]

if __name__ == "__main__":
    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["testserver"],
        SECRET_KEY="example-only",
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
    )
    django.setup()
    from django.test import Client  # type: ignore[import-untyped]

    client = Client(enforce_csrf_checks=True)

    # The URL check WeChat sends when you save the server URL: a signed GET, echoed back.
    query = urlencode({**signed_query("tokenhere"), "echostr": "it works"})
    response = client.get(f"/wechat/main/?{query}")
    assert (response.status_code, response.content) == (200, b"it works")

    # A user's text message: the handler's reply, as XML (no CSRF token needed).
    query = urlencode(signed_query("tokenhere"))
    body = make_xml(TextMessage, content="Django")
    response = client.post(f"/wechat/main/?{query}", body, content_type="text/xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    reply = parse_reply(response.content)
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello, Django!"

    # Unsigned requests are refused before any handler runs.
    response = client.post("/wechat/main/?signature=forged", b"<xml/>", content_type="text/xml")
    assert response.status_code == 403
