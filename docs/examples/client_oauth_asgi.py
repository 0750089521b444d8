"""OAuth2 login in an ASGI app (Starlette) with `AsyncClient`, checked with Starlette's
TestClient. FastAPI routes read the same."""

import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from werobot_client import AsyncClient
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

wechat = FakeWeChat()
config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
client = AsyncClient(config, http_client=httpx.AsyncClient(transport=wechat.async_transport()))
CALLBACK = "https://www.example.com/wechat/callback"


async def login(request: Request) -> Response:
    request.session["state"] = state = secrets.token_hex(8)
    return RedirectResponse(client.authorize_url(CALLBACK, "snsapi_userinfo", state))


async def callback(request: Request) -> Response:
    if request.query_params.get("state") != request.session.pop("state", None):
        return PlainTextResponse("bad state", status_code=400)
    token = await client.oauth_access_token(request.query_params["code"])
    user = await client.oauth_user_info(token)
    return JSONResponse({"openid": user.openid, "nickname": user.nickname})


app = Starlette(
    routes=[Route("/login", login), Route("/wechat/callback", callback)],
    middleware=[Middleware(SessionMiddleware, secret_key="example-only")],
)

wechat.queue("/sns/oauth2/access_token", {"access_token": "U", "openid": "o1"})
wechat.queue("/sns/userinfo", {"openid": "o1", "nickname": "小明"})
with TestClient(app, base_url="https://www.example.com") as browser:
    to_wechat = browser.get("/login", follow_redirects=False).headers["location"]
    state = parse_qs(urlsplit(to_wechat).query)["state"][0]
    back = browser.get(f"/wechat/callback?code=CODE&state={state}")
    assert back.json() == {"openid": "o1", "nickname": "小明"}
    assert browser.get("/wechat/callback?code=C&state=forged").status_code == 400
print("OAuth2 with ASGI: ok")
