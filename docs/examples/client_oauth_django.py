"""OAuth2 login in Django: the same two views, checked with Django's test Client.

In a project, the views go in `views.py` and `urlpatterns` in `urls.py`; the settings here
only make the example a standalone script.
"""

import secrets
from urllib.parse import parse_qs, urlsplit

import django  # type: ignore[import-untyped]
import httpx
from django.conf import settings  # type: ignore[import-untyped]
from django.http import (  # type: ignore[import-untyped]
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path  # type: ignore[import-untyped]

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

wechat = FakeWeChat()
config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
client = Client(config, http_client=httpx.Client(transport=wechat.transport()))
CALLBACK = "https://www.example.com/wechat/callback"


def login(request: HttpRequest) -> HttpResponse:
    request.session["state"] = state = secrets.token_hex(8)
    return HttpResponseRedirect(client.authorize_url(CALLBACK, "snsapi_base", state))


def callback(request: HttpRequest) -> HttpResponse:
    if request.GET.get("state") != request.session.pop("state", None):
        return HttpResponseBadRequest("bad state")
    token = client.oauth_access_token(request.GET["code"])  # snsapi_base: the OpenID only
    request.session["openid"] = token.openid
    return JsonResponse({"openid": token.openid})


urlpatterns = [path("login", login), path("wechat/callback", callback)]

if __name__ == "__main__":
    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["testserver"],
        SECRET_KEY="example-only",
        INSTALLED_APPS=["django.contrib.sessions"],
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    )
    django.setup()
    from django.test import Client as Browser  # type: ignore[import-untyped]

    wechat.queue("/sns/oauth2/access_token", {"access_token": "U", "openid": "o1"})
    browser = Browser()
    to_wechat = browser.get("/login").headers["Location"]
    assert "&scope=snsapi_base&" in to_wechat
    state = parse_qs(urlsplit(to_wechat).query)["state"][0]
    back = browser.get(f"/wechat/callback?code=CODE&state={state}")
    assert back.json() == {"openid": "o1"}
    assert browser.get("/wechat/callback?code=CODE&state=forged").status_code == 400
    print("OAuth2 with Django: ok")
