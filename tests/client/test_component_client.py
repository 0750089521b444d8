"""``ComponentClient``: the ticket, the component token, authorization, the authorizers' tokens.

Against ``FakeOpenPlatform`` (WeChat's open-platform API on ``httpx.MockTransport``).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator

import httpx
import pytest

from werobot_client import StoredToken
from werobot_client.component import (
    AsyncComponentClient,
    ComponentClient,
    RefreshTokenMissing,
    TicketMissing,
    authorization_url,
)
from werobot_client.component_testing import FakeOpenPlatform
from werobot_client.exceptions import ClientException
from werobot_client.tokens import MemoryTokenStore

COMPONENT = "wx-component"
SECRET = "component-secret"


@pytest.fixture
def platform() -> FakeOpenPlatform:
    platform = FakeOpenPlatform(COMPONENT, SECRET)
    platform.push_ticket("ticket@@@1")
    return platform


@pytest.fixture
def component(platform: FakeOpenPlatform) -> Iterator[ComponentClient]:
    http = httpx.Client(transport=platform.transport())
    client = ComponentClient(COMPONENT, SECRET, http_client=http, sleep=lambda _: None)
    client.save_ticket("ticket@@@1")
    yield client
    http.close()


def body_of(request: httpx.Request) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(request.content)
    return loaded


def test_the_stored_ticket_gets_the_component_token(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    assert component.component_access_token == "CT1"
    assert component.get_component_access_token() == "CT1"  # cached
    assert platform.count("api_component_token") == 1
    [grant] = platform.requests
    assert body_of(grant) == {
        "component_appid": COMPONENT,
        "component_appsecret": SECRET,
        "component_verify_ticket": "ticket@@@1",
    }


def test_no_ticket_yet_is_a_typed_error(platform: FakeOpenPlatform) -> None:
    http = httpx.Client(transport=platform.transport())
    client = ComponentClient(COMPONENT, SECRET, http_client=http)
    with pytest.raises(TicketMissing):
        client.get_component_access_token()
    assert platform.requests == []


def test_a_newer_ticket_is_used_for_the_next_grant(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    platform.push_ticket("ticket@@@2")
    component.save_ticket("ticket@@@2")
    assert component.get_ticket() == "ticket@@@2"
    assert component.component_access_token == "CT1"
    assert body_of(platform.requests[0])["component_verify_ticket"] == "ticket@@@2"


def test_authorization_flow_from_pre_auth_code_to_authorizer_tokens(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    url = component.authorization_url("https://example.com/authorized?x=1")
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    assert parts.netloc == "mp.weixin.qq.com"
    assert parts.path == "/cgi-bin/componentloginpage"
    assert query["component_appid"] == [COMPONENT]
    assert query["pre_auth_code"] == platform.pre_auth_codes
    assert query["redirect_uri"] == ["https://example.com/authorized?x=1"]
    assert query["auth_type"] == ["3"]
    preauth = [r for r in platform.requests if r.url.path.endswith("api_create_preauthcode")]
    assert preauth[0].url.params["component_access_token"] == "CT1"
    assert body_of(preauth[0]) == {"component_appid": COMPONENT}

    code = platform.authorize("wx-a")  # the owner authorizes; WeChat redirects with the code
    result = component.api_query_auth(code)
    info = result.authorization_info
    assert info.authorizer_appid == "wx-a"
    assert info.func_info == [{"funcscope_category": {"id": 1}}]
    refresh = component.token_store.get("wx-a:authorizer_refresh_token")
    assert refresh is not None
    assert refresh.access_token == info.authorizer_refresh_token

    client = component.client_for("wx-a")
    assert client is component.client_for("wx-a")
    assert client.get_ip_list().ip_list == ["wx-a"]  # the stored access token works as is
    assert platform.count("api_authorizer_token") == 0


def test_mobile_authorization_url() -> None:
    url = authorization_url(
        "wxc", "pre", "https://e.com/cb", auth_type=1, biz_appid="wxb", mobile=True
    )
    parts = urllib.parse.urlsplit(url)
    assert parts.netloc == "open.weixin.qq.com"
    assert parts.path == "/wxaopen/safe/bindcomponent"
    assert parts.fragment == "wechat_redirect"
    assert urllib.parse.parse_qs(parts.query) == {
        "action": ["bindcomponent"],
        "no_scan": ["1"],
        "component_appid": ["wxc"],
        "pre_auth_code": ["pre"],
        "redirect_uri": ["https://e.com/cb"],
        "auth_type": ["1"],
        "biz_appid": ["wxb"],
    }


def test_an_expired_authorizer_token_is_refreshed_with_the_refresh_token(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    component.api_query_auth(platform.authorize("wx-a"))
    refresh_token = platform.refresh_tokens["wx-a"]
    platform.expire_access_tokens()
    client = component.client_for("wx-a")
    assert client.get_ip_list().ip_list == ["wx-a"]  # 40001, refreshed, retried once
    assert platform.count("api_authorizer_token") == 1
    [refresh] = [r for r in platform.requests if r.url.path.endswith("api_authorizer_token")]
    assert body_of(refresh) == {
        "component_appid": COMPONENT,
        "authorizer_appid": "wx-a",
        "authorizer_refresh_token": refresh_token,
    }


def test_authorizer_info_list_and_options(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    component.api_query_auth(platform.authorize("wx-a"))
    component.api_query_auth(platform.authorize("wx-b"))
    info = component.api_get_authorizer_info("wx-b")
    assert info.authorizer_info["user_name"] == "gh_wx-b"
    assert info.authorization_info.authorizer_appid == "wx-b"
    page = component.api_get_authorizer_list(offset=1, count=1)
    assert page.total_count == 2
    assert [item.authorizer_appid for item in page.authorizers] == ["wx-b"]
    component.api_set_authorizer_option("wx-a", "voice_recognize", "1")
    assert component.api_get_authorizer_option("wx-a", "voice_recognize").option_value == "1"


def test_twenty_threads_refreshing_one_authorizer_make_one_call(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    component.save_refresh_token("wx-a", platform.refresh_tokens.setdefault("wx-a", "R0"))
    platform.grant_delay = 0.05
    # two client objects sharing one store: the store's lock, not only the client's
    other = ComponentClient(
        COMPONENT, SECRET, http_client=component.http, token_store=component.token_store
    )
    used: list[str] = []
    barrier = threading.Barrier(20)

    def work(index: int) -> None:
        barrier.wait()
        owner = component if index % 2 else other
        used.append(owner.client_for("wx-a").get_access_token())

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert platform.count("api_authorizer_token") == 1
    assert platform.count("api_component_token") == 1
    assert len(set(used)) == 1


def test_a_rotated_refresh_token_is_never_lost() -> None:
    platform = FakeOpenPlatform(COMPONENT, SECRET, rotate=True)
    platform.push_ticket("t")
    store = MemoryTokenStore()
    http = httpx.Client(transport=platform.transport())
    component = ComponentClient(COMPONENT, SECRET, http_client=http, token_store=store)
    component.save_ticket("t")
    component.api_query_auth(platform.authorize("wx-a"))
    clients = [
        ComponentClient(COMPONENT, SECRET, http_client=http, token_store=store).client_for("wx-a")
        for _ in range(4)
    ]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for _ in range(10):
                client = clients[index % 4]
                current = store.get("wx-a")
                if current is not None:  # the token "expires": every caller finds it stale
                    store.discard("wx-a", current.access_token)
                client.get_ip_list()
        except BaseException as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    refreshes = platform.count("api_authorizer_token")
    assert refreshes >= 2  # rotated many times
    stored = store.get("wx-a:authorizer_refresh_token")
    assert stored is not None
    assert stored.access_token == platform.refresh_tokens["wx-a"]  # the latest, every time


def test_rotation_is_saved_before_the_access_token_is_used() -> None:
    platform = FakeOpenPlatform(COMPONENT, SECRET, rotate=True)
    platform.push_ticket("t")
    store = MemoryTokenStore()
    http = httpx.Client(transport=platform.transport())
    component = ComponentClient(COMPONENT, SECRET, http_client=http, token_store=store)
    component.save_ticket("t")
    component.save_refresh_token("wx-a", platform.refresh_tokens.setdefault("wx-a", "R0"))
    seen: list[str | None] = []

    def spy(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/getcallbackip":
            stored = store.get("wx-a:authorizer_refresh_token")
            seen.append(None if stored is None else stored.access_token)
        return platform.handle(request)

    http_spy = httpx.Client(transport=httpx.MockTransport(spy))
    spied = ComponentClient(COMPONENT, SECRET, http_client=http_spy, token_store=store)
    spied.client_for("wx-a").get_ip_list()
    assert seen == [platform.refresh_tokens["wx-a"]]
    assert seen[0] != "R0"


def test_an_unknown_authorizer_has_no_refresh_token(component: ComponentClient) -> None:
    with pytest.raises(RefreshTokenMissing):
        component.client_for("wx-nobody").get_access_token()


def test_an_invalid_refresh_token_raises_61023_and_keeps_it(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    component.save_refresh_token("wx-a", "stale")
    platform.refresh_tokens["wx-a"] = "current"
    with pytest.raises(ClientException) as caught:
        component.client_for("wx-a").get_access_token()
    assert caught.value.errcode == 61023
    assert component.token_store.get("wx-a:authorizer_refresh_token") == StoredToken(
        "stale",
        pytest.approx(time.time() + 10 * 365 * 86400, abs=60),  # type: ignore[arg-type]
    )


def test_a_rejected_component_token_is_discarded_only_if_it_is_still_stored(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    component.token_store.set(component.token_key, StoredToken("CT-OLD", time.time() + 7000))
    assert component.pre_auth_code().startswith("preauthcode@@@")  # 40001 → new token, retried
    assert platform.count("api_component_token") == 1
    assert component.get_component_access_token() == "CT1"
    component.token_store.discard(component.token_key, "CT-OLD")  # a late discard of the old
    assert component.get_component_access_token() == "CT1"


def test_async_component_client_shares_one_refresh(platform: FakeOpenPlatform) -> None:
    platform.grant_delay = 0.02

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=platform.async_transport())
        async with http:
            component = AsyncComponentClient(COMPONENT, SECRET, http_client=http)
            await component.save_ticket("ticket@@@1")
            url = await component.authorization_url("https://e.com/cb", mobile=True)
            assert url.endswith("#wechat_redirect")
            await component.api_query_auth(platform.authorize("wx-a"))
            platform.expire_access_tokens()
            await component.token_store.adiscard(
                "wx-a", (await component.client_for("wx-a").get_access_token())
            )
            client = component.client_for("wx-a")
            answers = await asyncio.gather(*(client.get_ip_list() for _ in range(20)))
            info = await component.api_get_authorizer_info("wx-a")
            assert info.authorization_info.authorizer_appid == "wx-a"
            return [answer.ip_list[0] for answer in answers]

    assert asyncio.run(main()) == ["wx-a"] * 20
    assert platform.count("api_authorizer_token") == 1
    assert platform.count("api_component_token") == 1


def test_grant_token_of_an_authorizer_uses_the_refresh_flow(
    platform: FakeOpenPlatform, component: ComponentClient
) -> None:
    component.api_query_auth(platform.authorize("wx-a"))
    granted = component.client_for("wx-a").grant_token()
    assert granted.access_token in platform.access_tokens
    assert 7100 < granted.expires_in <= 7200
    stored = component.token_store.get("wx-a")
    assert stored is not None
    assert stored.access_token == granted.access_token

    async def main() -> str:
        http = httpx.AsyncClient(transport=platform.async_transport())
        async with http:
            async_component = AsyncComponentClient(
                COMPONENT, SECRET, http_client=http, token_store=component.token_store
            )
            return (await async_component.client_for("wx-a").grant_token()).access_token

    token = asyncio.run(main())
    assert platform.access_tokens[token] == "wx-a"
    assert platform.count("api_authorizer_token") == 2
