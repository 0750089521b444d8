"""Users and operations: the blacklist, analytics rows, and the quota behind errcode 45009."""

import datetime

import httpx

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

wechat = FakeWeChat()
wechat.queue(
    "/cgi-bin/tags/members/getblacklist",
    {"total": 1, "count": 1, "data": {"openid": ["spammer"]}, "next_openid": "spammer"},
)
wechat.queue(
    "/datacube/getusersummary",
    {"list": [{"ref_date": "2024-05-01", "user_source": 30, "new_user": 12, "cancel_user": 2}]},
)
wechat.queue(
    "/cgi-bin/openapi/quota/get",
    {"quota": {"daily_limit": 500000, "used": 499990, "remain": 10}},
)

config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
with Client(config, http_client=httpx.Client(transport=wechat.transport())) as client:
    blocked = client.get_blacklist()
    assert blocked.data is not None
    assert blocked.data.openid == ["spammer"]
    client.unblack_users(blocked.data.openid)

    day = datetime.date(2024, 5, 1)
    [row] = client.get_user_summary(day, day).rows  # typed rows: UserSummaryRow
    assert (row.user_source, row.new_user, row.cancel_user) == (30, 12, 2)

    quota = client.get_api_quota("/cgi-bin/message/custom/send").quota
    assert quota is not None
    if quota.remain < 100:
        client.clear_quota()  # 10 times a month; clear_quota_by_secret() needs no token

assert wechat.api_requests[-1].url.path == "/cgi-bin/clear_quota"
print("operations example: ok")
