"""The error table, HTTP and transport errors, and timeouts."""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from werobot_client import AsyncClient, Client, ClientException
from werobot_client import exceptions as e
from werobot_client.models import QrCode
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

SEND = "/cgi-bin/message/custom/send"

TABLE: list[tuple[int, type[ClientException]]] = [
    (-1, e.SystemBusy),
    (40001, e.InvalidCredential),
    (40003, e.InvalidOpenId),
    (40007, e.InvalidMediaId),
    (40013, e.InvalidAppId),
    (40014, e.InvalidAccessToken),
    (40125, e.InvalidAppSecret),
    (40164, e.IPNotWhitelisted),
    (41001, e.AccessTokenMissing),
    (42001, e.AccessTokenExpired),
    (43004, e.RequireSubscribe),
    (45009, e.QuotaExceeded),
    (45011, e.RateLimited),
    (45015, e.OutOfResponseWindow),
    (45047, e.ResponseCountExceeded),
    (48001, e.APIUnauthorized),
    (50002, e.UserLimited),
    (12345, ClientException),
]


@pytest.mark.parametrize(("errcode", "raised"), TABLE)
def test_each_errcode_raises_its_class(
    client: Client, wechat: FakeWeChat, errcode: int, raised: type[ClientException]
) -> None:
    answer = httpx.Response(200, json={"errcode": errcode, "errmsg": "描述 of the error"})
    wechat.queue(SEND, *[answer] * 5)
    with pytest.raises(ClientException) as caught:
        client.send_text_message("u1", "hi")
    error = caught.value
    assert type(error) is raised
    assert (error.errcode, error.errmsg) == (errcode, "描述 of the error")
    assert str(error) == f"{errcode}: 描述 of the error"
    assert error.request is not None
    assert error.request.url.path == SEND
    assert error.response is not None
    assert error.response.status_code == 200


def test_the_tree() -> None:
    token_errors = (e.InvalidCredential, e.InvalidAccessToken, e.AccessTokenExpired)
    assert all(issubclass(cls, e.AccessTokenError) for cls in token_errors)
    credential_errors = (e.InvalidAppId, e.InvalidAppSecret, e.IPNotWhitelisted)
    assert all(issubclass(cls, e.CredentialError) for cls in credential_errors)
    assert issubclass(e.RequestTimeout, e.TransportError)
    for name in e.__all__:
        value = getattr(e, name)
        if isinstance(value, type):
            assert issubclass(value, ClientException)
    assert e.ERRORS[45015] is e.OutOfResponseWindow
    with pytest.raises(TypeError):
        e.ERRORS[1] = ClientException  # type: ignore[index]


def test_error_for_builds_from_the_table() -> None:
    error = e.error_for(48001, "api unauthorized")
    assert isinstance(error, e.APIUnauthorized)
    assert (error.request, error.response) == (None, None)
    assert str(error) == "48001: api unauthorized"
    assert error.args == ("48001: api unauthorized",)  # as WeRoBot: args[0] is the message


def test_http_errors_are_wrapped_with_the_request(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/getcallbackip", httpx.Response(502, text="Bad Gateway"))
    with pytest.raises(e.HTTPError) as caught:
        client.get_ip_list()
    error = caught.value
    assert error.status_code == 502
    assert error.errcode is None
    assert error.request is not None
    assert error.request.url.path == "/cgi-bin/getcallbackip"
    assert error.response is not None
    assert error.response.text == "Bad Gateway"
    assert str(error) == "HTTP 502 from GET /cgi-bin/getcallbackip"
    assert len(wechat.api_requests) == 1


def failing(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/token":
            return httpx.Response(200, json={"access_token": "T", "expires_in": 7200})
        raise exc

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("cause", "raised", "message"),
    [
        (
            httpx.ConnectError("connection refused"),
            e.TransportError,
            "api.weixin.qq.com: ConnectError: connection refused",
        ),
        (
            httpx.RemoteProtocolError("peer closed"),
            e.TransportError,
            "api.weixin.qq.com: RemoteProtocolError: peer closed",
        ),
        (
            httpx.ReadTimeout("timed out"),
            e.RequestTimeout,
            "no answer from api.weixin.qq.com in time (ReadTimeout)",
        ),
        (
            httpx.ConnectTimeout("timed out"),
            e.RequestTimeout,
            "no answer from api.weixin.qq.com in time (ConnectTimeout)",
        ),
    ],
)
def test_transport_errors_are_wrapped(
    config: Config, cause: Exception, raised: type[ClientException], message: str
) -> None:
    http = httpx.Client(transport=failing(cause))
    with pytest.raises(e.TransportError) as caught:
        Client(config, http_client=http).send_text_message("u1", "hi")
    error = caught.value
    assert type(error) is raised
    assert error.__cause__ is cause
    assert error.errcode is None
    assert error.request is not None
    assert error.request.url.path == SEND
    assert str(error) == error.errmsg == message


def test_async_transport_errors_are_wrapped(config: Config) -> None:
    async def main() -> None:
        http = httpx.AsyncClient(transport=failing(httpx.ReadTimeout("slow")))
        with pytest.raises(e.RequestTimeout) as caught:
            await AsyncClient(config, http_client=http).get_menu()
        assert caught.value.request is not None
        assert caught.value.request.url.path == "/cgi-bin/menu/get"

    asyncio.run(main())


def test_every_request_carries_the_timeout(config: Config, wechat: FakeWeChat) -> None:
    with Client(config, http_client=httpx.Client(transport=wechat.transport())) as client:
        client.get_ip_list()
        client.post("https://api.weixin.qq.com/cgi-bin/custom", data={}, timeout=2.5)
    timeouts = [request.extensions["timeout"] for request in wechat.requests]
    default = {"connect": 10.0, "read": 10.0, "write": 10.0, "pool": 10.0}
    assert timeouts[:2] == [default, default]
    assert timeouts[2] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}


def test_the_timeout_is_configurable(config: Config, wechat: FakeWeChat) -> None:
    http = httpx.AsyncClient(transport=wechat.async_transport())
    client = AsyncClient(config, http_client=http, timeout=httpx.Timeout(3.0, connect=1.0))
    asyncio.run(client.get_ip_list())
    assert wechat.requests[-1].extensions["timeout"] == {
        "connect": 1.0,
        "read": 3.0,
        "write": 3.0,
        "pool": 3.0,
    }


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/cgi-bin/slow"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_real_timeout_is_wrapped(config: Config, silent_server: str) -> None:
    with Client(config, timeout=0.3) as client, pytest.raises(e.RequestTimeout) as caught:
        client.get(silent_server, params={})
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert caught.value.request is not None
    assert str(caught.value.request.url) == silent_server


def test_a_real_timeout_is_wrapped_async(config: Config, silent_server: str) -> None:
    async def main() -> None:
        async with AsyncClient(config, timeout=0.3) as client:
            with pytest.raises(e.RequestTimeout):
                await client.get(silent_server, params={})

    asyncio.run(main())


def test_a_body_that_is_not_json_is_unexpected(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/menu/get", httpx.Response(200, text="<html>oops</html>"))
    with pytest.raises(e.UnexpectedResponse, match="expected a JSON object") as caught:
        client.get_menu()
    assert caught.value.errcode is None
    assert caught.value.response is not None


def test_json_that_is_not_an_object_is_unexpected(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/menu/get", httpx.Response(200, json=[1, 2]))
    with pytest.raises(e.UnexpectedResponse):
        client.get_menu()


def test_an_answer_missing_a_field_is_success_with_none(
    client: Client, wechat: FakeWeChat, caplog: pytest.LogCaptureFixture
) -> None:
    # WeChat did the work: a field it left out reads None, the raw answer stays readable.
    wechat.queue("/cgi-bin/qrcode/create", {"url": "no ticket here", "expire_seconds": "soon"})
    with caplog.at_level(logging.DEBUG, logger="werobot_client"):
        answer = client.create_qrcode({"action_name": "QR_LIMIT_SCENE"})
    assert isinstance(answer, QrCode)
    assert answer.model_dump()["ticket"] is None  # typed str: lenient only where WeChat errs
    assert answer.expire_seconds is None
    assert answer.url == "no ticket here"
    assert answer["expire_seconds"] == "soon"
    assert answer == {"url": "no ticket here", "expire_seconds": "soon"}
    assert "QrCode" in caplog.text
    assert "ticket" in caplog.text


def test_errors_survive_pickling() -> None:
    request = httpx.Request("GET", "https://api.weixin.qq.com/cgi-bin/menu/get")
    response = httpx.Response(502, request=request, text="bad gateway")
    http_error = pickle.loads(pickle.dumps(e.HTTPError(request, response)))
    assert (type(http_error), http_error.status_code) == (e.HTTPError, 502)
    assert str(http_error) == "HTTP 502 from GET /cgi-bin/menu/get"
    assert http_error.request is not None
    assert http_error.request.url == request.url
    late = e.error_for(45015, "out of time", request=request)
    restored = pickle.loads(pickle.dumps(late))
    assert type(restored) is e.OutOfResponseWindow
    assert (restored.errcode, restored.errmsg, str(restored)) == (45015, "out of time", str(late))
