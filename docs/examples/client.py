"""The API client against a stand-in for WeChat (httpx.MockTransport), checking what is sent."""

import json

import httpx

from werobot_client import Client
from werobot_client.exceptions import OutOfResponseWindow
from werobot_client.models import MenuInfo
from werobot_core.config import Config

sent: list[httpx.Request] = []


def wechat(request: httpx.Request) -> httpx.Response:
    """What api.weixin.qq.com would answer."""
    sent.append(request)
    if request.url.path == "/cgi-bin/token":
        return httpx.Response(200, json={"access_token": "TOKEN", "expires_in": 7200})
    if request.url.path == "/cgi-bin/menu/get":
        button = {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"}
        return httpx.Response(200, json={"menu": {"button": [button]}})
    if json.loads(request.content)["touser"] == "quiet-user":
        return httpx.Response(200, json={"errcode": 45015, "errmsg": "response out of time limit"})
    return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})


# In a bot, robot.client is Client(robot.config). Leave out http_client in production.
config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
with Client(config, http_client=httpx.Client(transport=httpx.MockTransport(wechat))) as client:
    menu: MenuInfo = client.get_menu()
    assert menu.menu is not None
    assert menu.menu.button[0].name == "今日歌曲"  # typed attributes...
    assert menu["menu"]["button"][0]["key"] == "V1001_TODAY_MUSIC"  # ...or WeRoBot's dict style

    client.send_text_message("user-openid", "你好")
    try:
        client.send_text_message("quiet-user", "too late")
    except OutOfResponseWindow as error:  # errcode 45015: no message from the user for 48 h
        failure = str(error)
    else:
        raise AssertionError("WeChat refused this message")

assert failure == "45015: response out of time limit"

grant, get_menu, send, late = sent  # one token grant, cached for every later call
assert grant.url.params["appid"] == "wx1234567890"
assert all(r.url.params["access_token"] == "TOKEN" for r in (get_menu, send, late))
assert (send.method, send.url.path) == ("POST", "/cgi-bin/message/custom/send")
assert json.loads(send.content) == {
    "touser": "user-openid",
    "msgtype": "text",
    "text": {"content": "你好"},
}
assert "你好".encode() in send.content  # UTF-8 JSON, non-ASCII not escaped
print("client example: ok")
