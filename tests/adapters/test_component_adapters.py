"""A third-party platform mounted by the adapters: ASGI (httpx's ASGI transport) and Flask
(its test client), both URLs, pushes signed and encrypted with the component's keys."""

from __future__ import annotations

import asyncio
import base64

import flask
import httpx

from werobot_adapters.asgi import make_asgi_app
from werobot_adapters.flask import make_view
from werobot_client.component import ComponentClient
from werobot_client.component_testing import FakeOpenPlatform
from werobot_core import WeRoBot
from werobot_core.component import Component
from werobot_core.crypto import MessageCrypt
from werobot_core.messages import TextMessage
from werobot_core.reply_parser import parse_reply
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, post_request
from werobot_core.xmlcodec import parse_xml

APPID = "wxcomponent0002"
TOKEN = "component-token"
KEY = base64.b64encode(bytes(range(7, 39))).decode()[:-1]
CRYPTO = MessageCrypt(TOKEN, KEY, APPID)
TICKET = (
    f"<xml><AppId>{APPID}</AppId><CreateTime>1700000000</CreateTime>"
    "<InfoType>component_verify_ticket</InfoType>"
    "<ComponentVerifyTicket>t-adapters</ComponentVerifyTicket></xml>"
)


def make_component() -> Component:
    robot = WeRoBot(session_storage=MemoryStorage())

    @robot.text
    def echo(message: TextMessage) -> str:
        return f"{message.account}: {message.content}"

    platform = FakeOpenPlatform(APPID, "secret")
    client = ComponentClient(
        APPID, "secret", http_client=httpx.Client(transport=platform.transport())
    )
    return robot.for_component(
        app_id=APPID, token=TOKEN, encoding_aes_key=KEY, app_secret="secret", client=client
    )


def content_of(body: bytes) -> str:
    envelope = parse_xml(body)
    plain = CRYPTO.decrypt_message(
        str(envelope["TimeStamp"]),
        str(envelope["Nonce"]),
        str(envelope["MsgSignature"]),
        str(envelope["Encrypt"]),
    )
    reply = parse_reply(plain)
    assert reply is not None
    return str(reply._args["content"])


def test_asgi() -> None:
    component = make_component()
    hooks, messages = make_asgi_app(component.webhook), make_asgi_app(component.messages)

    async def main() -> list[str]:
        answers = []
        ticket = post_request(TOKEN, TICKET, crypto=CRYPTO)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(hooks)) as http:
            answer = await http.post("http://t/event", params=ticket.query, content=ticket.body)
            answers.append(answer.text)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(messages)) as http:
            for appid in ("wxaaaa", "wxbbbb"):
                xml = make_xml(TextMessage, content="hi", source="u", target=f"gh_{appid}")
                push = post_request(TOKEN, xml, crypto=CRYPTO)
                url = f"http://t/wechat/{appid}/callback"
                answer = await http.post(url, params=push.query, content=push.body)
                answers.append(content_of(answer.content))
        return answers

    assert asyncio.run(main()) == ["success", "wxaaaa: hi", "wxbbbb: hi"]
    assert component.client.get_ticket() == "t-adapters"


def test_flask() -> None:
    component = make_component()
    app = flask.Flask(__name__)
    app.add_url_rule("/event", view_func=make_view(component.webhook, "event"))
    app.add_url_rule(
        "/wechat/<appid>/callback", view_func=make_view(component.messages, "messages")
    )
    http = app.test_client()
    ticket = post_request(TOKEN, TICKET, crypto=CRYPTO)
    assert http.post("/event", query_string=ticket.query, data=ticket.body).data == b"success"
    xml = make_xml(TextMessage, content="hello", source="u", target="gh_wxcccc")
    push = post_request(TOKEN, xml, crypto=CRYPTO)
    answer = http.post("/wechat/wxcccc/callback", query_string=push.query, data=push.body)
    assert content_of(answer.data) == "wxcccc: hello"
    assert component.client.get_ticket() == "t-adapters"
