"""Issue 12, beyond the request shapes: typed answers per area, OAuth2's user token, JS-SDK
tickets (cached, single-flight, compare-before-invalidate) and signatures, deprecations,
``TOKEN_MODE``."""

from __future__ import annotations

import asyncio
import datetime
import threading
import time
import urllib.parse
import warnings

import httpx
import pytest
from typing_extensions import assert_type

from werobot_client import AsyncClient, Client, StoredToken
from werobot_client.exceptions import InvalidCredential
from werobot_client.jssdk import JsSdkConfig, js_sdk_signature, js_sdk_url
from werobot_client.models import MediaId, OAuthToken, PublishSubmitted, UserSummary
from werobot_client.testing import TICKET_PATH, FakeWeChat
from werobot_core.config import DEFAULTS, Config
from werobot_core.exceptions import ConfigError

# WeChat's published JS-SDK example (JS-SDK.html, "附录1"), both editions of the page.
TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
NONCE, STAMP = "Wm3WZYTPz0wzccnW", 1414587457


def error(errcode: int, errmsg: str = "error") -> httpx.Response:
    return httpx.Response(200, json={"errcode": errcode, "errmsg": errmsg})


# -- OAuth2 ------------------------------------------------------------------------------


def test_authorize_url_keeps_wechats_parameter_order(client: Client) -> None:
    url = client.authorize_url("https://www.example.com/login?next=/a b", "snsapi_userinfo", "s1")
    redirect = urllib.parse.quote("https://www.example.com/login?next=/a b", safe="")
    assert url == (
        "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx-app"
        f"&redirect_uri={redirect}&response_type=code&scope=snsapi_userinfo&state=s1"
        "#wechat_redirect"
    )
    assert client.authorize_url("https://x/cb").count("scope=snsapi_base&state=#") == 1
    with pytest.raises(ValueError, match="state"):
        client.authorize_url("https://x/cb", state="not allowed!")
    with pytest.raises(ValueError, match="scope"):
        client.authorize_url("https://x/cb", scope="snsapi_login")  # type: ignore[arg-type]


def test_the_user_token_is_typed_and_never_the_accounts(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue(
        "/sns/oauth2/access_token",
        {"access_token": "USER", "expires_in": 7200, "refresh_token": "R", "openid": "o1",
         "scope": "snsapi_userinfo"},
    )  # fmt: skip
    wechat.queue("/sns/userinfo", {"openid": "o1", "nickname": "小明", "privilege": []})
    token = client.oauth_access_token("CODE")
    assert (token.access_token, token.openid, token.refresh_token) == ("USER", "o1", "R")
    assert token.unionid is None  # missing: None, never an error
    info = client.oauth_user_info(token)
    assert (info.openid, info.nickname, info.privilege) == ("o1", "小明", [])
    assert wechat.grants == 0  # no account token was needed
    assert client.token_store.get("wx-app") is None
    assert wechat.api_requests[1].url.params["access_token"] == "USER"


def test_a_stale_user_token_raises_without_touching_the_accounts_token(
    client: Client, wechat: FakeWeChat
) -> None:
    wechat.queue("/sns/userinfo", error(42001, "access_token expired"))
    with pytest.raises(Exception, match="42001"):
        client.oauth_user_info("USER", "o1")
    assert len(wechat.api_requests) == 1  # not retried: only a refresh_token can renew it
    assert wechat.grants == 0
    with pytest.raises(TypeError, match="openid"):
        client.oauth_check_token("USER")


def test_oauth_needs_the_app_secret(wechat: FakeWeChat) -> None:
    http = httpx.Client(transport=wechat.transport())
    client = Client(Config(APP_ID="wx-app"), http_client=http)
    with pytest.raises(ConfigError, match="APP_SECRET must be set to call /sns/oauth2"):
        client.oauth_access_token("CODE")
    assert wechat.requests == []


@pytest.mark.anyio
async def test_async_oauth_flow(async_client: AsyncClient, wechat: FakeWeChat) -> None:
    wechat.queue("/sns/oauth2/refresh_token", {"access_token": "U2", "openid": "o1"})
    token = await async_client.oauth_refresh_token("R")
    assert (token.access_token, token.expires_in) == ("U2", 7200)
    await async_client.oauth_check_token(token)
    assert dict(wechat.api_requests[1].url.params) == {"access_token": "U2", "openid": "o1"}


def test_one_time_subscribe_url(client: Client) -> None:
    url = client.one_time_subscribe_url(1000, "TPL-1", "https://x.cn/back", "r1")
    assert url == (
        "https://mp.weixin.qq.com/mp/subscribemsg?action=get_confirm&appid=wx-app&scene=1000"
        "&template_id=TPL-1&redirect_url=https%3A%2F%2Fx.cn%2Fback&reserved=r1#wechat_redirect"
    )
    with pytest.raises(ValueError, match="scene"):
        client.one_time_subscribe_url(10001, "T", "https://x")


# -- JS-SDK signature --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        ("http://mp.weixin.qq.com?params=value", "0f9de62fce790f9a083d5c99e95740ceb90c27ed"),
        ("http://mp.weixin.qq.com", "f4d90daf4b3bca3078ab155816175ba34c443a7b"),
        # the fragment is never signed: the browser does not send it
        ("http://mp.weixin.qq.com?params=value#/page", "0f9de62fce790f9a083d5c99e95740ceb90c27ed"),
    ],
)
def test_wechats_published_signature_example(url: str, signature: str) -> None:
    assert js_sdk_signature(TICKET, NONCE, STAMP, url) == signature


def test_the_url_rules_that_trip_people() -> None:
    signed = js_sdk_signature(TICKET, NONCE, STAMP, "https://www.example.com/p?x=1")
    # behind a proxy the server sees another scheme or host: another signature
    assert js_sdk_signature(TICKET, NONCE, STAMP, "http://www.example.com/p?x=1") != signed
    assert js_sdk_signature(TICKET, NONCE, STAMP, "https://127.0.0.1:8000/p?x=1") != signed
    # values are signed raw: a percent-encoded query is not the same page
    assert js_sdk_signature(TICKET, NONCE, STAMP, "https://www.example.com/p?x=%31") != signed
    for relative in ("/p?x=1", "www.example.com/p", "ftp://www.example.com/p"):
        with pytest.raises(ValueError, match="behind a proxy"):
            js_sdk_url(relative)


def test_js_sdk_config_signs_with_the_cached_ticket(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue(TICKET_PATH, {"ticket": TICKET, "expires_in": 7200})
    config = client.js_sdk_config(
        "http://mp.weixin.qq.com?params=value#top",
        ["updateAppMessageShareData"],
        nonce_str=NONCE,
        timestamp=STAMP,
    )
    assert config.signature == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
    assert config.url == "http://mp.weixin.qq.com?params=value"
    assert config.as_wx_config() == {
        "debug": False,
        "appId": "wx-app",
        "timestamp": STAMP,
        "nonceStr": NONCE,
        "signature": "0f9de62fce790f9a083d5c99e95740ceb90c27ed",
        "jsApiList": ["updateAppMessageShareData"],
    }
    fresh = client.js_sdk_config("https://a.cn/", [], open_tag_list=["wx-open-launch-app"])
    assert len(fresh.nonce_str) == 16
    assert abs(fresh.timestamp - time.time()) < 5
    assert fresh.as_wx_config()["openTagList"] == ["wx-open-launch-app"]
    assert [r.url.path for r in wechat.api_requests] == [TICKET_PATH]  # cached


# -- JS-SDK tickets: cached and refreshed like the access token ---------------------------


def test_tickets_are_cached_per_type_beside_the_token(client: Client, wechat: FakeWeChat) -> None:
    assert client.get_ticket() == "jsapi-1"
    assert client.get_ticket("jsapi") == "jsapi-1"
    assert client.get_ticket("wx_card") == "wx_card-2"
    assert wechat.ticket_grants == 2
    assert wechat.grants == 1
    stored = client.token_store.get("wx-app:ticket:jsapi")
    assert stored is not None
    assert 7190 < stored.expires_at - time.time() <= 7200
    [grant, _] = wechat.api_requests
    assert dict(grant.url.params) == {"type": "jsapi", "access_token": "T1"}


def test_a_ticket_is_refreshed_300_seconds_before_expiry(
    client: Client, wechat: FakeWeChat
) -> None:
    client.token_store.set("wx-app:ticket:jsapi", StoredToken("OLD", time.time() + 301))
    assert client.get_ticket() == "OLD"
    client.token_store.set("wx-app:ticket:jsapi", StoredToken("OLD", time.time() + 299))
    assert client.get_ticket() == "jsapi-1"


def test_discard_ticket_compares_before_invalidating(client: Client, wechat: FakeWeChat) -> None:
    assert client.get_ticket() == "jsapi-1"
    client.token_store.set("wx-app:ticket:jsapi", StoredToken("NEWER", time.time() + 7000))
    client.discard_ticket("jsapi-1")  # a page failed with the old one: the newer is kept
    assert client.get_ticket() == "NEWER"
    client.discard_ticket("NEWER")
    assert client.get_ticket() == "jsapi-2"
    assert wechat.ticket_grants == 2


def test_a_stale_access_token_at_getticket_is_refreshed_once(
    client: Client, wechat: FakeWeChat
) -> None:
    wechat.queue(TICKET_PATH, error(40001, "invalid credential"), {"ticket": "J", "expires_in": 60})
    assert client.get_ticket() == "J"
    assert wechat.grants == 2
    assert [r.url.params["access_token"] for r in wechat.api_requests] == ["T1", "T2"]
    stored = client.token_store.get("wx-app:ticket:jsapi")
    assert stored is not None
    assert stored.expires_at - time.time() <= 60  # refreshed again when under 300 s left


def test_a_ticket_error_is_raised_and_nothing_is_cached(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue(TICKET_PATH, error(40001), error(40001))
    with pytest.raises(InvalidCredential):
        client.get_ticket()
    assert client.token_store.get("wx-app:ticket:jsapi") is None


def test_20_threads_on_an_expired_ticket_cause_one_grant(
    client: Client, wechat: FakeWeChat
) -> None:
    client.token_store.set("wx-app", StoredToken("EXPIRED", time.time() - 1))
    client.token_store.set("wx-app:ticket:jsapi", StoredToken("EXPIRED", time.time() - 1))
    wechat.grant_delay = 0.05
    start = threading.Barrier(20)
    got: list[str] = []

    def call() -> None:
        start.wait()
        got.append(client.get_ticket())

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == ["jsapi-1"] * 20
    assert (wechat.grants, wechat.ticket_grants) == (1, 1)


@pytest.mark.anyio
async def test_async_20_tasks_on_an_expired_ticket_cause_one_grant(
    async_client: AsyncClient, wechat: FakeWeChat
) -> None:
    async_client.token_store.set("wx-app:ticket:jsapi", StoredToken("EXPIRED", time.time() - 1))
    wechat.grant_delay = 0.05
    got = await asyncio.gather(*(async_client.get_ticket() for _ in range(20)))
    assert got == ["jsapi-1"] * 20
    assert (wechat.grants, wechat.ticket_grants) == (1, 1)
    await async_client.discard_ticket("stale")
    assert await async_client.get_ticket() == "jsapi-1"
    await async_client.discard_ticket("jsapi-1")
    config = await async_client.js_sdk_config("https://a.cn/p#x", ["scanQRCode"])
    assert config.url == "https://a.cn/p"
    assert config.signature == js_sdk_signature("jsapi-2", config.nonce_str, config.timestamp,
                                                "https://a.cn/p")  # fmt: skip


# -- typed answers, one flow per area ------------------------------------------------------


def test_draft_publish_flow_is_typed(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/draft/add", {"media_id": "DRAFT"})
    wechat.queue("/cgi-bin/freepublish/submit", {"publish_id": "100000001", "msg_data_id": 22})
    wechat.queue(
        "/cgi-bin/freepublish/get",
        {"publish_id": "100000001", "publish_status": 0, "article_id": "A",
         "article_detail": {"count": 1, "item": [{"idx": 1, "article_url": "https://mp/s/1"}]}},
    )  # fmt: skip
    draft = client.add_draft([{"title": "标题", "content": "<p>x</p>", "thumb_media_id": "T"}])
    submitted = client.publish_draft(draft.media_id)
    status = client.get_publish_status(submitted.publish_id)
    assert status.publish_status == 0
    assert status.article_detail is not None
    assert status.article_detail.item[0].article_url == "https://mp/s/1"
    assert status.fail_idx == []


def test_a_missing_or_mismatched_field_reads_none(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/freepublish/get", {"publish_id": "1", "publish_status": "odd"})
    status = client.get_publish_status("1")
    assert status.model_dump()["publish_status"] is None  # typed int: None only where WeChat errs
    assert status["publish_status"] == "odd"
    wechat.queue("/wxaapi/newtmpl/addtemplate", {"errcode": 0, "errmsg": "ok"})
    added = client.add_subscribe_template(1, [1, 2])
    assert added.model_dump()["pri_tmpl_id"] is None  # an aliased field (priTmplId) too


def test_notification_answers_are_typed(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue(
        "/wxaapi/newtmpl/gettemplate",
        {"data": [{"priTmplId": "P1", "title": "付款成功", "type": 2}]},
    )
    wechat.queue(
        "/cgi-bin/template/get_industry",
        {"primary_industry": {"first_class": "IT科技", "second_class": "互联网"}},
    )
    [template] = client.get_subscribe_templates().data
    assert (template.pri_tmpl_id, template.type) == ("P1", 2)
    industry = client.get_template_industry()
    assert industry.primary_industry is not None
    assert industry.primary_industry.second_class == "互联网"
    assert industry.secondary_industry is None


def test_customer_service_answers_are_typed(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue(
        "/customservice/msgrecord/getmsglist",
        {"recordlist": [{"openid": "o1", "opercode": 2002, "text": "hi", "time": 1,
                         "worker": "kf1@test"}], "number": 1, "msgid": 9},
    )  # fmt: skip
    wechat.queue("/customservice/kfsession/getsession", {"kf_account": "", "createtime": 0})
    records = client.get_custom_service_records(0, 3600)
    assert (records.msgid, records.recordlist[0].opercode) == (9, 2002)
    assert client.get_custom_service_session("o1").kf_account == ""
    client.send_typing("o1")


def test_operations_answers_are_typed(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/openapi/quota/get", {"quota": {"daily_limit": 10, "used": 10}})
    wechat.queue("/cgi-bin/openapi/rid/get", {"request": {"client_ip": "1.2.3.4"}})
    wechat.queue(
        "/datacube/getusersummary",
        {"list": [{"ref_date": "2024-01-01", "user_source": 30, "new_user": 5}]},
    )
    quota = client.get_api_quota("/cgi-bin/message/custom/send").quota
    assert quota is not None
    assert (quota.daily_limit, quota.used, quota.remain) == (10, 10, 0)
    rid = client.get_rid_info("r").request
    assert rid is not None
    assert rid.client_ip == "1.2.3.4"
    [row] = client.get_user_summary(datetime.date(2024, 1, 1), "2024-01-01").rows
    assert (row.ref_date, row.user_source, row.new_user, row.cancel_user) == (
        "2024-01-01", 30, 5, None,
    )  # fmt: skip


def test_clear_quota_by_secret_sends_no_token_and_needs_the_secret(wechat: FakeWeChat) -> None:
    http = httpx.Client(transport=wechat.transport())
    Client(Config(APP_ID="wx-app", APP_SECRET="s"), http_client=http).clear_quota_by_secret()
    assert wechat.grants == 0
    with pytest.raises(ConfigError, match="APP_SECRET"):
        Client(Config(APP_ID="wx-app"), http_client=http).clear_quota_by_secret()


# -- deprecations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "replacement"),
    [
        ("add_news", ([],), r"45106\); use add_draft"),
        ("update_news", ({},), r"45106\); use update_draft"),
        ("create_group", ("g",), "replaced by tags in 2016; use create_tag"),
        ("get_groups", (), "get_tags"),
        ("create_short_url", ("http://x",), "2021-03-15.*create_short_key"),
    ],
)
def test_retired_methods_warn_naming_the_replacement(
    client: Client, name: str, args: tuple[object, ...], replacement: str
) -> None:
    with pytest.warns(DeprecationWarning, match=replacement) as warned:
        getattr(client, name)(*args)
    assert warned[0].filename == __file__
    assert "Deprecated:" in (getattr(client, name).__doc__ or "")


def test_current_methods_do_not_warn(client: Client) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.create_tag("t")
        client.count_drafts()


# -- TOKEN_MODE ------------------------------------------------------------------------


def test_token_mode_is_a_config_key() -> None:
    assert DEFAULTS["TOKEN_MODE"] == "token"


@pytest.mark.parametrize(
    ("mode", "explicit", "path"),
    [
        ("stable", None, "/cgi-bin/stable_token"),
        ("token", None, "/cgi-bin/token"),
        ("stable", False, "/cgi-bin/token"),
        ("token", True, "/cgi-bin/stable_token"),
    ],
)
def test_token_mode_stable_uses_stable_token(
    wechat: FakeWeChat, mode: str, explicit: bool | None, path: str
) -> None:
    config = Config(APP_ID="wx-app", APP_SECRET="s", TOKEN_MODE=mode)
    http = httpx.Client(transport=wechat.transport())
    client = Client(config, http_client=http, stable_token=explicit)
    client.get_ip_list()
    assert wechat.requests[0].url.path == path
    assert client.stable_token is (path == "/cgi-bin/stable_token")


def test_a_bad_token_mode_is_a_config_error(wechat: FakeWeChat) -> None:
    config = Config(APP_ID="wx-app", APP_SECRET="s", TOKEN_MODE="fast")
    client = Client(config, http_client=httpx.Client(transport=wechat.transport()))
    with pytest.raises(ConfigError, match="TOKEN_MODE must be one of token, stable, not 'fast'"):
        client.get_ip_list()
    assert wechat.requests == []


@pytest.mark.anyio
async def test_async_token_mode_stable(wechat: FakeWeChat) -> None:
    config = Config(APP_ID="wx-app", APP_SECRET="s", TOKEN_MODE="stable")
    http = httpx.AsyncClient(transport=wechat.async_transport())
    async with AsyncClient(config, http_client=http) as client:
        await client.get_ip_list()
    assert wechat.requests[0].url.path == "/cgi-bin/stable_token"


# -- what mypy sees ----------------------------------------------------------------------


def test_sync_return_types_beyond_werobot(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/sns/oauth2/access_token", {"access_token": "U", "openid": "o1"})
    wechat.queue("/cgi-bin/material/add_news", {"media_id": "M"})
    assert_type(client.oauth_access_token("C"), OAuthToken)
    assert_type(client.get_ticket(), str)
    assert_type(client.js_sdk_config("https://a.cn/", []), JsSdkConfig)
    assert_type(client.get_user_summary("2024-01-01", "2024-01-01"), UserSummary)
    assert_type(client.authorize_url("https://a.cn/cb"), str)
    with pytest.warns(DeprecationWarning, match="add_draft"):
        assert_type(client.add_news([]), MediaId)  # a retired method keeps its types


@pytest.mark.anyio
async def test_async_return_types_beyond_werobot(
    async_client: AsyncClient, wechat: FakeWeChat
) -> None:
    wechat.queue("/cgi-bin/freepublish/submit", {"publish_id": 1})
    assert_type(await async_client.publish_draft("D"), PublishSubmitted)
    assert_type(await async_client.get_ticket("wx_card"), str)
    assert_type(await async_client.js_sdk_config("https://a.cn/", []), JsSdkConfig)
    assert_type(async_client.one_time_subscribe_url(1, "T", "https://a.cn"), str)
