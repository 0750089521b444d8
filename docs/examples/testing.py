"""Testing a robot: send pushes, plain or encrypted, and read the replies as models.

This file is also a pytest module: `pytest docs/examples/testing.py` runs the same tests.
"""

from werobot_core import WeRoBot
from werobot_core.messages import ClickEvent, SubscribeEvent, TextMessage, WeChatMessage
from werobot_core.replies import TextReply
from werobot_core.testing import (
    WeTest,
    make_dict,
    make_xml,
    parse_reply,
    post_request,
    verify_request,
)

TOKEN = "tokenhere"
APP_ID = "wx1234567890abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat shows it


def make_robot() -> WeRoBot:
    robot = WeRoBot(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, SESSION_STORAGE=False)

    @robot.text
    def echo(message: TextMessage) -> str:
        return f"you said {message.content}"

    @robot.subscribe
    def welcome(message: SubscribeEvent) -> str:
        return "welcome"

    @robot.handler
    def other(message: WeChatMessage) -> str:
        return f"other: {message.type}"

    return robot


def test_send_xml() -> None:
    # send_xml parses and dispatches: no signature, no HTTP, the reply as a model.
    reply = WeTest(make_robot()).send_xml(make_xml(TextMessage, content="hi"))
    assert reply == TextReply(content="you said hi", source="gh_test", target="test_user")


def test_sample_messages() -> None:
    # make_xml / make_dict build any type from attribute names; the rest is filled in.
    assert make_dict(ClickEvent, key="MENU")["EventKey"] == "MENU"
    xml = make_xml(SubscribeEvent, key="qrscene_1", source="user_a")
    assert "<FromUserName><![CDATA[user_a]]></FromUserName>" in xml
    reply = WeTest(make_robot()).send_xml(xml)
    assert isinstance(reply, TextReply)
    assert reply.content == "welcome"


def test_whole_pipeline() -> None:
    robot = make_robot()
    # The URL check WeChat performs, then a signed POST, as plain requests and responses.
    assert robot.handle(verify_request(TOKEN, echostr="abc")).body == b"abc"
    answer = robot.handle(post_request(TOKEN, make_xml(ClickEvent, key="MENU")))
    assert answer.status == 200
    reply = parse_reply(answer.body)
    assert isinstance(reply, TextReply)
    assert reply.content == "other: click_event"
    # Bad input is a 4xx, never an exception.
    assert robot.handle(post_request(TOKEN, b"<xml><oops>")).status == 400


def test_safe_mode() -> None:
    test = WeTest(make_robot())
    # encrypted=True sends the push in safe mode and decrypts the answer.
    reply = test.reply(make_xml(TextMessage, content="secret"), encrypted=True)
    assert isinstance(reply, TextReply)
    assert reply.content == "you said secret"
    # The raw answer is the encrypted envelope, because the request was encrypted ...
    envelope = test.post(make_xml(TextMessage, content="secret"), encrypted=True).body
    assert b"<Encrypt>" in envelope
    assert b"you said" not in envelope
    # ... and a plaintext request to the same robot gets a plaintext answer.
    assert b"you said" in test.post(make_xml(TextMessage, content="plain")).body


if __name__ == "__main__":
    test_send_xml()
    test_sample_messages()
    test_whole_pipeline()
    test_safe_mode()
