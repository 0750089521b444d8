"""JS-SDK: a page's signed `wx.config`, from the `jsapi_ticket` cached in the token store."""

import httpx

from werobot_client import Client
from werobot_client.jssdk import js_sdk_signature
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

# WeChat's own example (JS-SDK.html): the signature our code must reproduce.
TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
assert (
    js_sdk_signature(TICKET, "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value")
    == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
)

wechat = FakeWeChat()  # grants access tokens T1, … and tickets jsapi-1, …
config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
with Client(config, http_client=httpx.Client(transport=wechat.transport())) as client:
    # The page's URL as the browser shows it (behind a proxy: the public scheme and host).
    page = "https://www.example.com/shop?item=42#reviews"
    config_js = client.js_sdk_config(page, ["updateAppMessageShareData", "scanQRCode"])
    assert config_js.url == "https://www.example.com/shop?item=42"  # the fragment is not signed
    wx_config = config_js.as_wx_config()  # JSON for wx.config({...}) in the page
    assert set(wx_config) == {"debug", "appId", "timestamp", "nonceStr", "signature", "jsApiList"}
    client.js_sdk_config("https://www.example.com/other", ["chooseImage"])
    assert client.get_ticket("wx_card") == "wx_card-2"  # the card ticket: cached the same way

    # wx.config failed with "invalid signature" and the ticket is the suspect: drop it only
    # if it is still the stored one (another worker may have refreshed it already).
    client.discard_ticket(client.get_ticket())

assert wechat.ticket_grants == 2  # one jsapi ticket for both pages, one wx_card ticket
print("JS-SDK example: ok")
