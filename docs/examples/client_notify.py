"""Subscribe notifications: pick a library template, then send it to a subscriber."""

import json

import httpx

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

wechat = FakeWeChat()
wechat.queue("/wxaapi/newtmpl/getcategory", {"data": [{"id": 616, "name": "公交"}]})
wechat.queue(
    "/wxaapi/newtmpl/getpubtemplatetitles",
    {"count": 1, "data": [{"tid": 99, "title": "到站提醒", "type": 2, "categoryId": "616"}]},
)
wechat.queue(
    "/wxaapi/newtmpl/getpubtemplatekeywords",
    {
        "data": [
            {"kid": 1, "name": "线路", "rule": "thing"},
            {"kid": 2, "name": "时间", "rule": "time"},
        ]
    },
)
wechat.queue("/wxaapi/newtmpl/addtemplate", {"priTmplId": "PRI_TMPL_ID"})

config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
with Client(config, http_client=httpx.Client(transport=wechat.transport())) as client:
    [category] = client.get_subscribe_categories().data
    [title] = client.get_pub_template_titles([category.id]).data
    keywords = client.get_pub_template_keywords(title.tid).data
    added = client.add_subscribe_template(title.tid, [k.kid for k in keywords], "到站提醒")
    # ...a user subscribes on your page (wx-open-subscribe); then:
    client.send_subscribe_message(
        "user-openid",
        added.pri_tmpl_id,
        {"thing1": {"value": "1路"}, "time2": {"value": "2024-05-01 08:00"}},
        page="https://www.example.com/bus/1",
    )
    # One-time subscription: the consent page, then exactly one message.
    consent = client.one_time_subscribe_url(1000, "TEMPLATE_ID", "https://www.example.com/ok")
    assert consent.startswith("https://mp.weixin.qq.com/mp/subscribemsg?action=get_confirm&")

send = wechat.api_requests[-1]
assert send.url.path == "/cgi-bin/message/subscribe/bizsend"
assert json.loads(send.content)["template_id"] == "PRI_TMPL_ID"
print("subscribe notifications example: ok")
