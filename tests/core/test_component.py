"""Third-party platforms: the component's webhook and its authorizers' messages on one URL.

WeChat's side is played by ``werobot_core.testing`` (signed, encrypted pushes) and
``FakeOpenPlatform`` (the open-platform API on ``httpx.MockTransport``).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from werobot_client.component import ComponentClient
from werobot_client.component_testing import FakeOpenPlatform
from werobot_core import WeRoBot
from werobot_core.component import Component, ComponentRouter, authorizer_from_path
from werobot_core.crypto import MessageCrypt
from werobot_core.messages import LocationEvent, TextMessage
from werobot_core.messages.component import (
    AuthorizedPush,
    ComponentVerifyTicketPush,
    FastRegisterPush,
    UnauthorizedPush,
    UnknownComponentPush,
    UpdateAuthorizedPush,
)
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, parse_reply, post_request
from werobot_core.xmlcodec import parse_xml

APPID = "wxcomponent0001"
SECRET = "component-secret"
TOKEN = "component-token"
KEY = base64.b64encode(bytes(range(40, 72))).decode()[:-1]
CRYPTO = MessageCrypt(TOKEN, KEY, APPID)  # WeChat encrypts every push with the component's


@pytest.fixture
def platform() -> FakeOpenPlatform:
    return FakeOpenPlatform(APPID, SECRET)


@pytest.fixture
def client(platform: FakeOpenPlatform) -> Iterator[ComponentClient]:
    http = httpx.Client(transport=platform.transport())
    yield ComponentClient(APPID, SECRET, http_client=http)
    http.close()


@pytest.fixture
def robot() -> WeRoBot:
    robot = WeRoBot(session_storage=MemoryStorage())

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        session["n"] = session.get("n", 0) + 1
        client: Any = robot.client
        return f"{message.account} {client.authorizer_appid} {message.target} #{session['n']}"

    return robot


@pytest.fixture
def component(robot: WeRoBot, client: ComponentClient) -> Component:
    return Component.for_robot(
        robot, app_id=APPID, token=TOKEN, encoding_aes_key=KEY, app_secret=SECRET, client=client
    )


def info_push(info_type: str, **fields: str) -> str:
    elements = "".join(f"<{tag}>{value}</{tag}>" for tag, value in fields.items())
    return (
        f"<xml><AppId>{APPID}</AppId><CreateTime>1700000000</CreateTime>"
        f"<InfoType>{info_type}</InfoType>{elements}</xml>"
    )


def to_component(body: str) -> WeChatRequest:
    return post_request(TOKEN, body, crypto=CRYPTO, url="http://testserver/wechat/component")


def to_authorizer(appid: str, body: str) -> WeChatRequest:
    return post_request(
        TOKEN, body, crypto=CRYPTO, url=f"http://testserver/wechat/{appid}/callback"
    )


def reply_text(answer: WeChatResponse) -> str:
    assert answer.status == 200, answer.body
    envelope = parse_xml(answer.body)
    plain = CRYPTO.decrypt_message(
        str(envelope["TimeStamp"]),
        str(envelope["Nonce"]),
        str(envelope["MsgSignature"]),
        str(envelope["Encrypt"]),
    )
    reply = parse_reply(plain)
    assert reply is not None
    return str(reply._args["content"])


def test_the_ticket_push_is_stored_and_used(
    component: Component, platform: FakeOpenPlatform, client: ComponentClient
) -> None:
    seen: list[ComponentVerifyTicketPush] = []
    component.router.component_verify_ticket(seen.append)
    platform.push_ticket("ticket@@@xyz")
    answer = component.webhook.handle(
        to_component(info_push("component_verify_ticket", ComponentVerifyTicket="ticket@@@xyz"))
    )
    assert (answer.status, answer.body) == (200, b"success")
    [push] = seen
    assert push.ticket == "ticket@@@xyz"
    assert push.component_appid == APPID
    assert push.account == APPID
    assert push.decrypted
    assert client.get_ticket() == "ticket@@@xyz"
    assert client.component_access_token == "CT1"  # granted with the pushed ticket
    assert platform.count("api_component_token") == 1


def test_every_info_type_is_typed_and_dispatched(component: Component) -> None:
    seen: list[object] = []
    router = component.router
    router.authorized(seen.append)
    router.updateauthorized(seen.append)
    router.unauthorized(seen.append)
    router.notify_third_fasteregister(seen.append)
    router.unknown_component_push(seen.append)
    pushes = [
        info_push(
            "authorized",
            AuthorizerAppid="wxa",
            AuthorizationCode="code1",
            AuthorizationCodeExpiredTime="1700003600",
            PreAuthCode="pre1",
        ),
        info_push("updateauthorized", AuthorizerAppid="wxa", AuthorizationCode="code2"),
        info_push("unauthorized", AuthorizerAppid="wxa"),
        info_push(
            "notify_third_fasteregister",
            appid="wxnew",
            status="0",
            auth_code="ac",
            msg="OK",
            info="<name>shop</name><code>123</code>",
        ),
        info_push("something_new", Foo="bar"),
    ]
    for body in pushes:
        answer = component.webhook.handle(to_component(body))
        assert (answer.status, answer.body) == (200, b"success")
    authorized, updated, unauthorized, registered, unknown = seen
    assert isinstance(authorized, AuthorizedPush)
    assert authorized.authorizer_appid == "wxa"
    assert authorized.authorization_code == "code1"
    assert authorized.authorization_code_expired_time == 1700003600
    assert authorized.pre_auth_code == "pre1"
    assert isinstance(updated, UpdateAuthorizedPush)
    assert updated.authorization_code == "code2"
    assert isinstance(unauthorized, UnauthorizedPush)
    assert unauthorized.type == "unauthorized"
    assert isinstance(registered, FastRegisterPush)
    assert (registered.appid, registered.status, registered.auth_code) == ("wxnew", 0, "ac")
    assert registered.info == {"name": "shop", "code": "123"}
    assert isinstance(unknown, UnknownComponentPush)
    assert unknown.info_type == "something_new"


def test_the_webhook_echoes_a_url_check(component: Component) -> None:
    from werobot_core.testing import verify_request

    answer = component.webhook.handle(verify_request(TOKEN, echostr="e-123"))
    assert (answer.status, answer.body) == (200, b"e-123")


def test_a_forged_or_plain_webhook_push(component: Component) -> None:
    forged = post_request("wrong-token", info_push("unauthorized", AuthorizerAppid="wxa"))
    assert component.webhook.handle(forged).status == 403
    plain = post_request(TOKEN, info_push("unauthorized", AuthorizerAppid="wxa"))
    assert component.webhook.handle(plain).body == b"success"
    no_type = post_request(TOKEN, f"<xml><AppId>{APPID}</AppId></xml>")
    answer = component.webhook.handle(no_type)
    assert (answer.status, answer.body) == (400, b"no MsgType")


def test_authorization_flow_from_the_authorized_push(
    component: Component, platform: FakeOpenPlatform, client: ComponentClient
) -> None:
    @component.router.authorized
    def store_tokens(push: AuthorizedPush) -> None:
        assert push.authorization_code is not None
        component.client.api_query_auth(push.authorization_code)

    platform.push_ticket("t1")
    component.webhook.handle(
        to_component(info_push("component_verify_ticket", ComponentVerifyTicket="t1"))
    )
    code = platform.authorize("wxaaaa")
    component.webhook.handle(
        to_component(info_push("authorized", AuthorizerAppid="wxaaaa", AuthorizationCode=code))
    )
    assert client.token_store.get("wxaaaa:authorizer_refresh_token") is not None
    assert component.client_for("wxaaaa").get_ip_list().ip_list == ["wxaaaa"]


def test_two_authorizers_on_one_url_answer_with_their_own_identity_and_sessions(
    component: Component,
) -> None:
    messages = component.messages

    def push(appid: str, content: str, msg_id: int) -> WeChatRequest:
        xml = make_xml(
            TextMessage,
            content=content,
            source="same-openid",
            target=f"gh_{appid}",
            message_id=msg_id,
        )
        return to_authorizer(appid, xml)

    assert reply_text(messages.handle(push("wxaaaa", "hi", 1))) == "wxaaaa wxaaaa gh_wxaaaa #1"
    assert reply_text(messages.handle(push("wxaaaa", "hi", 2))) == "wxaaaa wxaaaa gh_wxaaaa #2"
    # the same OpenID and MsgId on another authorizer: its own session, no dedup hit
    assert reply_text(messages.handle(push("wxbbbb", "hi", 1))) == "wxbbbb wxbbbb gh_wxbbbb #1"
    assert sorted(messages) == ["wxaaaa", "wxbbbb"]
    engine = messages.engine_for("wxbbbb")
    assert engine.account == "wxbbbb"
    assert engine.crypto is not None
    assert engine.crypto.app_id == APPID


def test_authorizer_pushes_answered_on_an_event_loop(component: Component) -> None:
    xml = make_xml(TextMessage, content="x", source="u", target="gh_x", message_id=9)

    async def main() -> WeChatResponse:
        return await component.messages.handle_async(to_authorizer("wxcccc", xml))

    assert reply_text(asyncio.run(main())) == "wxcccc wxcccc gh_x #1"
    ticket = info_push("component_verify_ticket", ComponentVerifyTicket="t-async")

    async def webhook() -> WeChatResponse:
        return await component.webhook.handle_async(to_component(ticket))

    assert asyncio.run(webhook()).body == b"success"
    assert component.client.get_ticket() == "t-async"


def test_unknown_or_forged_authorizer_requests(component: Component) -> None:
    xml = make_xml(TextMessage, content="x", source="u", message_id=3)
    bad = post_request(TOKEN, xml, crypto=CRYPTO, url="http://testserver/wechat/../callback")
    assert component.messages.handle(bad).status == 404
    forged = post_request("other", xml, url="http://testserver/wechat/wxaaaa/callback")
    assert component.messages.handle(forged).status == 403
    # encrypted with an authorizer's own AppID in the trailer: not the component's push
    other = MessageCrypt(TOKEN, KEY, "wxaaaa")
    wrong = post_request(TOKEN, xml, crypto=other, url="http://testserver/wechat/wxaaaa/callback")
    assert component.messages.handle(wrong).status in (400, 403)


def test_authorizer_from_path() -> None:
    def at(url: str) -> str | None:
        return authorizer_from_path(WeChatRequest("POST", {}, b"", url=url))

    assert at("http://h/wechat/wx123/callback") == "wx123"
    assert at("http://h/wechat/wx123/callback?x=1") == "wx123"
    assert at("http://h/wx123") == "wx123"
    assert at("http://h/") is None


def test_component_router_rejects_what_a_router_rejects() -> None:
    router = ComponentRouter()
    with pytest.raises(ValueError, match="callable"):
        router.add_handler("nope", type="authorized")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="strategy"):
        router.add_handler(print, type="authorized", strategy="later")
    with pytest.raises(ValueError, match="unknown handler type"):
        router.add_handler(print, type="not_a_type")


# -- the full-network release test (全网发布) -------------------------------------------------

TEST_APPID = "wx570bc396a51b8ff8"


def test_release_test_event_and_text_cases(component: Component) -> None:
    component.answer_release_tests()
    messages = component.messages
    event = make_xml(LocationEvent, event="LOCATION", source="tester", target="gh_3c884a361561")
    assert reply_text(messages.handle(to_authorizer(TEST_APPID, event))) == "LOCATIONfrom_callback"
    text = make_xml(
        TextMessage, content="TESTCOMPONENT_MSG_TYPE_TEXT", source="tester", message_id=77
    )
    answer = messages.handle(to_authorizer(TEST_APPID, text))
    assert reply_text(answer) == "TESTCOMPONENT_MSG_TYPE_TEXT_callback"
    # other authorizers keep the robot's handlers
    other = make_xml(TextMessage, content="TESTCOMPONENT_MSG_TYPE_TEXT", source="u", message_id=78)
    assert reply_text(messages.handle(to_authorizer("wxaaaa", other))).startswith("wxaaaa")


def test_release_test_api_case(component: Component, platform: FakeOpenPlatform) -> None:
    component.answer_release_tests()
    platform.push_ticket("t")
    component.client.save_ticket("t")
    code = platform.authorize(TEST_APPID)
    text = make_xml(
        TextMessage, content=f"QUERY_AUTH_CODE:{code}", source="tester-openid", message_id=79
    )
    answer = component.messages.handle(to_authorizer(TEST_APPID, text))
    assert (answer.status, answer.body) == (200, b"")  # an empty answer at once
    for job in component.release_jobs:
        job.result(timeout=5)
    [sent] = [r for r in platform.requests if r.url.path == "/cgi-bin/message/custom/send"]
    assert platform.access_tokens[sent.url.params["access_token"]] == TEST_APPID
    body = sent.read().decode()
    assert '"touser": "tester-openid"' in body
    assert f"{code}_from_api" in body


def test_both_urls_served_over_http_on_loopback(
    component: Component, platform: FakeOpenPlatform
) -> None:
    from werobot_client.component_testing import serve_wsgi

    @component.router.authorized
    def store_tokens(push: AuthorizedPush) -> None:
        assert push.authorization_code is not None
        component.client.api_query_auth(push.authorization_code)

    def send(base: str, path: str, request: WeChatRequest) -> httpx.Response:
        with httpx.Client(trust_env=False) as http:  # straight to loopback, no proxy
            return http.post(base + path, params=dict(request.query), content=request.body)

    platform.push_ticket("t-http")
    code = platform.authorize("wxaaaa")
    with serve_wsgi(component.webhook.wsgi) as hooks, serve_wsgi(component.messages.wsgi) as msgs:
        ticket = info_push("component_verify_ticket", ComponentVerifyTicket="t-http")
        assert send(hooks, "/component", to_component(ticket)).text == "success"
        authorized = info_push("authorized", AuthorizerAppid="wxaaaa", AuthorizationCode=code)
        assert send(hooks, "/component", to_component(authorized)).text == "success"
        answers = []
        for appid in ("wxaaaa", "wxbbbb", "wxaaaa"):
            xml = make_xml(TextMessage, content="hi", source="same-openid", target=f"gh_{appid}")
            request = to_authorizer(appid, xml)
            answer = send(msgs, f"/wechat/{appid}/callback", request)
            answers.append(reply_text(WeChatResponse(answer.status_code, {}, answer.content)))
    assert answers == [
        "wxaaaa wxaaaa gh_wxaaaa #1",
        "wxbbbb wxbbbb gh_wxbbbb #1",
        "wxaaaa wxaaaa gh_wxaaaa #2",
    ]
    assert component.client.get_ticket() == "t-http"
    assert component.client_for("wxaaaa").get_ip_list().ip_list == ["wxaaaa"]


def test_allowed_limits_the_authorizers_served(robot: WeRoBot, client: ComponentClient) -> None:
    component = Component(
        robot.router,
        robot.engine,
        app_id=APPID,
        token=TOKEN,
        encoding_aes_key=KEY,
        client=client,
        allowed={"wxaaaa"}.__contains__,
    )
    xml = make_xml(TextMessage, content="x", source="u", target="gh")
    assert component.messages.handle(to_authorizer("wxbbbb", xml)).status == 404
    assert reply_text(component.messages.handle(to_authorizer("wxaaaa", xml))).startswith("wxaaaa")
    assert list(component.messages) == ["wxaaaa"]
