"""A third-party platform: one component serving its authorizers' messages on one URL."""

import base64
from typing import Any

import httpx

from werobot_client import ComponentClient
from werobot_client.component_testing import FakeOpenPlatform
from werobot_core import WeRoBot
from werobot_core.crypto import MessageCrypt
from werobot_core.messages import TextMessage
from werobot_core.messages.component import AuthorizedPush, UnauthorizedPush
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, parse_reply, post_request
from werobot_core.xmlcodec import parse_xml

COMPONENT_APPID = "wxcomponent00000001"
TOKEN = "component-token"
AES_KEY = base64.b64encode(bytes(range(32))).decode()[:-1]

# WeChat's open platform, faked on httpx.MockTransport. In production leave http_client out
# and pass token_store=RedisTokenStore() so that every process shares the ticket and tokens.
platform = FakeOpenPlatform(COMPONENT_APPID, "component-secret")
component_client = ComponentClient(
    COMPONENT_APPID,
    "component-secret",
    http_client=httpx.Client(transport=platform.transport()),
)

robot = WeRoBot(session_storage=MemoryStorage())  # the authorizers' handlers and settings


@robot.text
def hello(message: TextMessage, session: dict[str, Any]) -> str:
    session["visits"] = session.get("visits", 0) + 1
    # message.account is the authorizer's AppID (from the URL); robot.client is its client,
    # its access token renewed with the refresh token through the component.
    assert robot.client.appid == message.account
    return f"{message.account}: visit #{session['visits']}"


component = robot.for_component(
    app_id=COMPONENT_APPID,
    token=TOKEN,
    encoding_aes_key=AES_KEY,
    app_secret="component-secret",
    client=component_client,
)
# Mount component.webhook at the authorization event URL and component.messages at the
# message URL, https://example.com/wechat/$APPID$/callback (make_view, make_asgi_app, .wsgi).


@component.router.authorized
@component.router.updateauthorized
def authorized(push: AuthorizedPush) -> None:
    assert push.authorization_code is not None
    component.client.api_query_auth(push.authorization_code)  # stores both tokens


@component.router.unauthorized
def unauthorized(push: UnauthorizedPush) -> None:
    print("authorization withdrawn by", push.authorizer_appid)


# WeChat encrypts every push with the component's key and AppID.
wechat = MessageCrypt(TOKEN, AES_KEY, COMPONENT_APPID)


def to_webhook(info_type: str, fields: str) -> bytes:
    xml = (
        f"<xml><AppId>{COMPONENT_APPID}</AppId><CreateTime>1700000000</CreateTime>"
        f"<InfoType>{info_type}</InfoType>{fields}</xml>"
    )
    request = post_request(TOKEN, xml, crypto=wechat, url="https://example.com/wechat/component")
    return component.webhook.handle(request).body


# 1. The ticket arrives (every ten minutes) and is stored; the component token uses it.
platform.push_ticket("ticket@@@1")
assert (
    to_webhook(
        "component_verify_ticket", "<ComponentVerifyTicket>ticket@@@1</ComponentVerifyTicket>"
    )
    == b"success"
)

# 2. An owner opens the authorization page and authorizes; WeChat pushes `authorized`.
url = component.client.authorization_url("https://example.com/authorized")
assert url.startswith("https://mp.weixin.qq.com/cgi-bin/componentloginpage?")
for appid in ("wx1111111111111111", "wx2222222222222222"):
    code = platform.authorize(appid)
    fields = (
        f"<AuthorizerAppid>{appid}</AuthorizerAppid><AuthorizationCode>{code}</AuthorizationCode>"
    )
    assert to_webhook("authorized", fields) == b"success"

# 3. Users write to both accounts; one URL serves them, each with its own identity and sessions.
push = make_xml(TextMessage, content="hi", source="the-same-openid")
for appid in ("wx1111111111111111", "wx2222222222222222"):
    url = f"https://example.com/wechat/{appid}/callback"
    answer = component.messages.handle(post_request(TOKEN, push, crypto=wechat, url=url))
    envelope = parse_xml(answer.body)
    plain = wechat.decrypt_message(
        str(envelope["TimeStamp"]),
        str(envelope["Nonce"]),
        str(envelope["MsgSignature"]),
        str(envelope["Encrypt"]),
    )
    reply = parse_reply(plain)
    assert reply is not None
    assert reply._args["content"] == f"{appid}: visit #1"

# 4. Any API as an authorizer: a normal Client, its token from the refresh flow.
assert component.client.client_for("wx1111111111111111").get_ip_list().ip_list == [
    "wx1111111111111111"
]
