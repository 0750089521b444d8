"""What WeRoBot users' code relies on: request/get/post, properties, and lifecycle."""

from __future__ import annotations

import asyncio
import io
import json
from types import MappingProxyType

import httpx
import pytest

from werobot_client import ApiCall, ApiResponse, AsyncClient, Client, ClientException, endpoint
from werobot_client import exceptions as e
from werobot_client.call import get_json
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

URL = "https://api.weixin.qq.com/cgi-bin/shorturl"


def test_request_sends_a_dict_as_utf8_json(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/shorturl", {"errcode": 0, "short_url": "http://w.url.cn/s/x"})
    answer = client.request("post", URL, data={"action": "long2short", "long_url": "http://长"})
    assert answer == {"errcode": 0, "short_url": "http://w.url.cn/s/x"}
    assert type(answer) is dict
    [request] = wechat.api_requests
    assert request.method == "POST"
    assert dict(request.url.params) == {"access_token": "T1"}
    assert request.content == '{"action": "long2short", "long_url": "http://长"}'.encode()


def test_params_given_means_no_token(client: Client, wechat: FakeWeChat) -> None:
    client.get(URL, params={"ticket": "x"})
    [request] = wechat.api_requests
    assert dict(request.url.params) == {"ticket": "x"}
    assert wechat.grants == 0


def test_get_and_post(client: Client, wechat: FakeWeChat) -> None:
    client.get(URL)
    client.post(URL, data=b"raw bytes")
    client.post(URL, data="文本")
    client.post(URL, json={"a": "值"})
    client.post("/cgi-bin/relative", headers={"X-Trace": "1"})
    get, raw, text, as_json, relative = wechat.api_requests
    assert (get.method, get.content) == ("GET", b"")
    assert (raw.method, raw.content) == ("POST", b"raw bytes")
    assert text.content == "文本".encode()
    assert json.loads(as_json.content) == {"a": "值"}
    assert str(relative.url) == "https://api.weixin.qq.com/cgi-bin/relative?access_token=T1"
    assert relative.headers["x-trace"] == "1"
    assert all(r.url.params["access_token"] == "T1" for r in wechat.api_requests)


def test_post_with_files_sends_dict_data_as_form_fields(client: Client, wechat: FakeWeChat) -> None:
    client.post(URL, data={"description": "说明"}, files={"media": ("a.txt", b"A")})
    [request] = wechat.api_requests
    assert b'name="description"\r\n\r\n\xe8\xaf\xb4\xe6\x98\x8e' in request.content
    assert b'name="media"; filename="a.txt"' in request.content


def test_request_checks_errors_and_retries_token_errors(client: Client, wechat: FakeWeChat) -> None:
    expired = httpx.Response(200, json={"errcode": 42001, "errmsg": "expired"})
    wechat.queue("/cgi-bin/shorturl", expired, {"errcode": 40013, "errmsg": "invalid appid"})
    with pytest.raises(e.InvalidAppId):
        client.post(URL, data={})
    assert [r.url.params["access_token"] for r in wechat.api_requests] == ["T1", "T2"]


def test_request_rejects_what_it_cannot_send(client: Client) -> None:
    with pytest.raises(TypeError, match="unexpected keyword arguments: stream, verify"):
        client.request("GET", URL, verify=False, stream=True)
    with pytest.raises(TypeError, match="data must be a dict, str or bytes, not int"):
        client.post(URL, data=3)


def test_json_bodies_accept_mappings_but_not_arbitrary_objects(
    client: Client, wechat: FakeWeChat
) -> None:
    client.create_menu(MappingProxyType({"button": [MappingProxyType({"name": "菜单"})]}))
    assert json.loads(wechat.api_requests[0].content) == {"button": [{"name": "菜单"}]}
    with pytest.raises(TypeError, match="object is not JSON serialisable"):
        client.create_menu({"button": object()})


@pytest.mark.anyio
async def test_async_request_get_post(async_client: AsyncClient, wechat: FakeWeChat) -> None:
    assert await async_client.get(URL) == {"errcode": 0, "errmsg": "ok"}
    await async_client.post(URL, data={"k": "值"})
    await async_client.request("PUT", URL, params={})
    get, post, put = wechat.api_requests
    assert get.method == "GET"
    assert post.content == '{"k": "值"}'.encode()
    assert (put.method, dict(put.url.params)) == ("PUT", {})


def test_properties(config: Config, wechat: FakeWeChat) -> None:
    client = Client(config, http_client=httpx.Client(transport=wechat.transport()))
    assert client.appid == "wx-app"
    assert client.appsecret == "secret"
    assert client.config is config
    assert client.token == "T1"
    config["APP_ID"] = 12345
    assert client.appid == "12345"


def test_a_client_closes_only_the_http_client_it_created(config: Config) -> None:
    own = Client(config)
    own.close()
    assert own.http.is_closed
    given = httpx.Client()
    with Client(config, http_client=given) as client:
        assert client.http is given
    assert not given.is_closed
    given.close()


def test_an_async_client_closes_only_the_http_client_it_created(config: Config) -> None:
    async def main() -> None:
        async with AsyncClient(config) as own:
            pass
        assert own.http.is_closed
        given = httpx.AsyncClient()
        async with AsyncClient(config, http_client=given):
            pass
        assert not given.is_closed
        await given.aclose()

    asyncio.run(main())


def test_api_call_urls() -> None:
    def decode(response: httpx.Response) -> None:
        return None

    assert ApiCall("GET", "/cgi-bin/x", decode).url == "https://api.weixin.qq.com/cgi-bin/x"
    assert ApiCall("GET", "https://mp.weixin.qq.com/a", decode).url == "https://mp.weixin.qq.com/a"
    assert ApiCall("GET", "http://example.test/a", decode).url == "http://example.test/a"


def test_client_exception_is_the_root(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/message/custom/send", {"errcode": 45015, "errmsg": "out of time"})
    with pytest.raises(ClientException) as caught:
        client.send_text_message("u1", "迟到的回复", kf_account=None)
    assert isinstance(caught.value, e.OutOfResponseWindow)
    assert str(caught.value) == "45015: out of time"


def test_upload_accepts_a_file_object_without_a_name(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/media/uploadimg", {"url": "http://mmbiz/p"})
    assert client.upload_news_picture(io.BytesIO(b"PNG")).url == "http://mmbiz/p"
    assert b'name="media"; filename="media"' in wechat.api_requests[0].content


@endpoint
def get_current_autoreply_info() -> ApiCall[ApiResponse]:
    """The account's automatic replies."""
    return get_json("/cgi-bin/get_current_autoreply_info", ApiResponse)


class AutoreplyClient(Client):
    get_current_autoreply_info = get_current_autoreply_info


class AsyncAutoreplyClient(AsyncClient):
    get_current_autoreply_info = get_current_autoreply_info


def test_an_endpoint_of_your_own(config: Config, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/get_current_autoreply_info", {"is_autoreply_open": 1})
    wechat.queue("/cgi-bin/get_current_autoreply_info", {"is_autoreply_open": 0})
    with AutoreplyClient(config, http_client=httpx.Client(transport=wechat.transport())) as c:
        assert c.get_current_autoreply_info()["is_autoreply_open"] == 1
    http = httpx.AsyncClient(transport=wechat.async_transport())
    answer = asyncio.run(
        AsyncAutoreplyClient(config, http_client=http).get_current_autoreply_info()
    )
    assert answer["is_autoreply_open"] == 0
    assert [r.url.path for r in wechat.api_requests] == ["/cgi-bin/get_current_autoreply_info"] * 2


def test_robot_client_is_a_client_of_the_robots_config(wechat: FakeWeChat) -> None:
    from werobot_core import WeRoBot

    robot = WeRoBot(token="tokenhere", app_id="wx-app", app_secret="secret")
    client = robot.client
    assert isinstance(client, Client)
    assert robot.client is client
    assert client.config is robot.config
    robot.config["APP_SECRET"] = "rotated"  # read when used, as WeRoBot's docs configure it
    client.close()  # swap in the fake WeChat for this test
    client.http = httpx.Client(transport=wechat.transport())
    client.get_ip_list()
    assert wechat.requests[0].url.params["secret"] == "rotated"
    client.close()
