"""OAuth2 login in Flask: send the user to WeChat, trade the code, read the profile.

Checked with Flask's test client playing the browser; `FakeWeChat` stands in for WeChat's API.
"""

import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
from flask import Flask, redirect, request, session
from flask.typing import ResponseReturnValue

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

wechat = FakeWeChat()
config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
client = Client(config, http_client=httpx.Client(transport=wechat.transport()))  # robot.client

app = Flask(__name__)
app.secret_key = "example-only"
CALLBACK = "https://www.example.com/wechat/callback"  # on the web authorization domain


@app.get("/login")
def login() -> ResponseReturnValue:
    session["state"] = state = secrets.token_hex(8)  # against CSRF: checked on the way back
    return redirect(client.authorize_url(CALLBACK, "snsapi_userinfo", state))


@app.get("/wechat/callback")
def callback() -> ResponseReturnValue:
    if request.args.get("state") != session.pop("state", None):
        return "bad state", 400
    if "code" not in request.args:
        return "login refused", 403  # the user said no
    token = client.oauth_access_token(request.args["code"])  # the user's token, not the account's
    user = client.oauth_user_info(token)
    session["openid"] = user.openid
    return {"openid": user.openid, "nickname": user.nickname}


wechat.queue("/sns/oauth2/access_token", {"access_token": "U", "openid": "o1", "expires_in": 7200})
wechat.queue("/sns/userinfo", {"openid": "o1", "nickname": "小明"})
with app.test_client() as browser:
    to_wechat = browser.get("/login").headers["Location"]
    assert to_wechat.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx")
    assert to_wechat.endswith("#wechat_redirect")
    state = parse_qs(urlsplit(to_wechat).query)["state"][0]
    back = browser.get(f"/wechat/callback?code=CODE&state={state}")  # WeChat sends the user back
    assert back.json == {"openid": "o1", "nickname": "小明"}
    assert browser.get("/wechat/callback?code=CODE&state=forged").status_code == 400

code_for_token, profile = wechat.api_requests
assert code_for_token.url.params["code"] == "CODE"
assert profile.url.params["access_token"] == "U"  # the user's token
assert wechat.grants == 0  # the account's access token was never needed
print("OAuth2 with Flask: ok")
