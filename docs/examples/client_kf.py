"""Customer service: show "typing…", hand the user to an agent, read the transcript."""

import time

import httpx

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

wechat = FakeWeChat()
wechat.queue("/customservice/kfsession/getsession", {"kf_account": "", "createtime": 0})
wechat.queue(
    "/customservice/msgrecord/getmsglist",
    {"recordlist": [{"openid": "user-openid", "opercode": 2002, "text": "退货", "time": 1,
                     "worker": "kf1@gh_account"}], "number": 1, "msgid": 20165267},
)  # fmt: skip

config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
with Client(config, http_client=httpx.Client(transport=wechat.transport())) as client:
    client.send_typing("user-openid")  # up to 15 s, or until the next message
    if not client.get_custom_service_session("user-openid").kf_account:
        client.create_custom_service_session("kf1@gh_account", "user-openid")
    client.send_typing("user-openid", "CancelTyping")
    now = int(time.time())
    records = client.get_custom_service_records(now - 3600, now)
    assert [(r.opercode, r.text) for r in records.recordlist] == [(2002, "退货")]

paths = [r.url.path for r in wechat.api_requests]
assert paths[0] == paths[3] == "/cgi-bin/message/custom/typing"
assert paths[2] == "/customservice/kfsession/create"
print("customer service example: ok")
