"""The test kit ``werobot_core.testing``: builders, ``WeTest`` and ``parse_reply``."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from werobot_core import WeRoBot
from werobot_core.crypto import MessageCrypt
from werobot_core.messages import (
    ClickEvent,
    LocationSelectEvent,
    PicWeixinEvent,
    ScanCodePushEvent,
    ShakearoundUserShakeEvent,
    TextMessage,
    VoiceMessage,
)
from werobot_core.parser import parse_message
from werobot_core.replies import (
    Article,
    ArticlesReply,
    ImageReply,
    MusicReply,
    ReplyCommon,
    SuccessReply,
    TextReply,
    TransferCustomerServiceReply,
    VideoReply,
    VoiceReply,
    WeChatReply,
)
from werobot_core.signature import check_signature, get_signature
from werobot_core.testing import (
    WeTeSt,
    WeTest,
    make_dict,
    make_xml,
    parse_reply,
    post_request,
    signed_query,
    verify_request,
)

COMMON: ReplyCommon = {"source": "gh_account", "target": "o_user", "time": 1700000000}

REPLIES: list[WeChatReply] = [
    TextReply(content="hello ]]> <world> & 你好", **COMMON),
    ImageReply(media_id="img", **COMMON),
    VoiceReply(media_id="voice", **COMMON),
    VideoReply(media_id="vid", title="T", description="D", **COMMON),
    MusicReply(title="S", description="D", url="u", hq_url="hq", thumb_media_id="th", **COMMON),
    ArticlesReply(
        articles=[Article("t1", "d1", "i1", "u1"), Article("t2", "d2", "i2", "u2")],
        **COMMON,
    ),
    ArticlesReply(articles=[Article("only", "d", "i", "u")], **COMMON),
    TransferCustomerServiceReply(**COMMON),
    TransferCustomerServiceReply(account="kf@gh", **COMMON),
]


@pytest.mark.parametrize("reply", REPLIES, ids=lambda r: type(r).__name__)
def test_parse_reply_round_trips_every_reply_type(reply: WeChatReply) -> None:
    parsed = parse_reply(reply.to_xml())
    assert type(parsed) is type(reply)
    assert parsed == reply
    assert parse_reply(reply.render()) == reply


def test_parse_reply_music_without_hq_url_reads_the_url() -> None:
    reply = MusicReply(title="S", description="D", url="u", source="a", target="b", time=1)
    parsed = parse_reply(reply.to_xml())
    assert isinstance(parsed, MusicReply)
    assert (parsed.url, parsed.hq_url, parsed.thumb_media_id) == ("u", "u", None)


def test_parse_reply_success_and_empty() -> None:
    assert isinstance(parse_reply(b"success"), SuccessReply)
    assert isinstance(parse_reply("success"), SuccessReply)
    assert parse_reply(b"") is None
    assert parse_reply("") is None


def test_signed_query_is_signed() -> None:
    query = signed_query("tok")
    assert check_signature("tok", query["timestamp"], query["nonce"], query["signature"])
    assert abs(int(query["timestamp"]) - time.time()) < 60
    fixed = signed_query("tok", timestamp="123", nonce="456")
    assert fixed == {
        "timestamp": "123",
        "nonce": "456",
        "signature": get_signature("tok", "123", "456"),
    }


def test_verify_request() -> None:
    request = verify_request("tok", echostr="hello", url="http://bot/wx")
    assert (request.method, request.body, request.url) == ("GET", b"", "http://bot/wx")
    assert request.query["echostr"] == "hello"
    assert check_signature(
        "tok", request.query["timestamp"], request.query["nonce"], request.query["signature"]
    )


def test_post_request_plain() -> None:
    request = post_request("tok", "<xml><MsgType>text</MsgType></xml>", timestamp="9", nonce="8")
    assert request.method == "POST"
    assert request.body == b"<xml><MsgType>text</MsgType></xml>"
    assert request.query == signed_query("tok", "9", "8")
    assert parse_qs(urlsplit(request.url).query)["signature"] == [request.query["signature"]]


def test_post_request_encrypted_and_compat(token: str, aes_key: str, app_id: str) -> None:
    crypt = MessageCrypt(token, aes_key, app_id)
    xml = make_xml(TextMessage, content="sealed")
    request = post_request(token, xml, crypto=crypt)
    assert request.query["encrypt_type"] == "aes"
    assert request.body is not None
    root = ET.fromstring(request.body)
    assert [child.tag for child in root] == ["Encrypt"]
    query = request.query
    plain = crypt.decrypt_message(
        query["timestamp"], query["nonce"], query["msg_signature"], root.findtext("Encrypt") or ""
    )
    assert plain == xml.encode()
    compat = post_request(token, xml, crypto=crypt, compat=True)
    assert compat.body is not None
    compat_root = ET.fromstring(compat.body)
    assert compat_root.findtext("Content") == "sealed"
    assert compat_root.findtext("Encrypt")


def test_post_request_compat_keeps_nested_and_repeated_elements(
    token: str, aes_key: str, app_id: str
) -> None:
    crypt = MessageCrypt(token, aes_key, app_id)
    xml = make_xml(
        PicWeixinEvent, count=2, pic_list={"item": [{"PicMd5Sum": "a"}, {"PicMd5Sum": "b"}]}
    )
    request = post_request(token, xml, crypto=crypt, compat=True)
    assert request.body is not None
    root = ET.fromstring(request.body)
    assert [e.text for e in root.iter("PicMd5Sum")] == ["a", "b"]


def test_make_dict_and_make_xml_defaults() -> None:
    data = make_dict(TextMessage, content="hi")
    assert data["MsgType"] == "text"
    assert data["Content"] == "hi"
    assert (data["ToUserName"], data["FromUserName"]) == ("gh_test", "test_user")
    assert isinstance(data["MsgId"], int)
    other = make_dict(TextMessage)
    assert other["MsgId"] != data["MsgId"]
    event = make_dict(ClickEvent, key="K")
    assert (event["MsgType"], event["Event"], event["EventKey"]) == ("event", "click", "K")
    assert "MsgId" not in event


def test_make_xml_by_attribute_name_and_extras() -> None:
    xml = make_xml(VoiceMessage, media_id="m", recognition="识别", MediaId16K="x16", Extra="e")
    root = ET.fromstring(xml)
    assert root.findtext("MediaId") == "m"
    assert root.findtext("Recognition") == "识别"
    message = parse_message(xml)
    assert isinstance(message, VoiceMessage)
    assert (message.media_id, message.recognition, message.media_id_16k) == ("m", "识别", "x16")
    assert getattr(message, "Extra") == "e"  # noqa: B009


def test_make_xml_common_fields_are_overridable() -> None:
    xml = make_xml(TextMessage, source="o_me", target="gh_me", time=5, message_id=7)
    message = parse_message(xml)
    assert (message.source, message.target, message.time, message.message_id) == (
        "o_me",
        "gh_me",
        5,
        7,
    )


def test_make_xml_nested_fields() -> None:
    scan = parse_message(make_xml(ScanCodePushEvent, key="k", scan_type="qrcode", scan_result="r"))
    assert isinstance(scan, ScanCodePushEvent)
    assert (scan.key, scan.scan_type, scan.scan_result) == ("k", "qrcode", "r")
    select = parse_message(
        make_xml(LocationSelectEvent, location_x=23.5, location_y=113.25, scale=15, poi_name="poi")
    )
    assert isinstance(select, LocationSelectEvent)
    assert (select.location_x, select.location_y, select.scale, select.poi_name) == (
        23.5,
        113.25,
        15,
        "poi",
    )


def test_make_xml_repeated_fields() -> None:
    pics = parse_message(
        make_xml(
            PicWeixinEvent, count=2, pic_list={"item": [{"PicMd5Sum": "a"}, {"PicMd5Sum": "b"}]}
        )
    )
    assert isinstance(pics, PicWeixinEvent)
    assert pics.pic_list == [{"pic_md5_sum": "a"}, {"pic_md5_sum": "b"}]
    beacon = {"Uuid": "u", "Major": "1", "Minor": "2", "Distance": "0.5"}
    shake = parse_message(
        make_xml(ShakearoundUserShakeEvent, chosen_beacon=beacon, around_beacons=[beacon, beacon])
    )
    assert isinstance(shake, ShakearoundUserShakeEvent)
    assert shake.chosen_beacon is not None
    assert shake.chosen_beacon.distance == 0.5
    assert [b.uuid for b in shake.around_beacons] == ["u", "u"]


# -- WeTest ------------------------------------------------------------------------------


@pytest.fixture
def echo(robot: WeRoBot) -> WeRoBot:
    @robot.text
    def reply(message: TextMessage) -> str:
        return "got " + message.content

    @robot.click
    def clicked() -> SuccessReply:
        return SuccessReply()

    return robot


def test_send_xml_returns_the_reply_model(echo: WeRoBot) -> None:
    reply = WeTest(echo).send_xml(make_xml(TextMessage, content="a"))
    assert isinstance(reply, TextReply)
    assert (reply.content, reply.source, reply.target) == ("got a", "gh_test", "test_user")
    assert WeTest(echo).send_xml(make_xml(VoiceMessage)) is None
    assert WeTeSt is WeTest


def test_send_xml_never_dedups(robot: WeRoBot) -> None:
    runs: list[int] = []
    robot.text(lambda: runs.append(1))
    xml = make_xml(TextMessage, content="same")
    WeTest(robot).send_xml(xml)
    WeTest(robot).send_xml(xml.encode())
    assert runs == [1, 1]


def test_post_goes_through_the_pipeline(echo: WeRoBot) -> None:
    response = WeTest(echo).post(make_xml(TextMessage, content="p"))
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert ET.fromstring(response.body).findtext("Content") == "got p"


def test_post_encrypted(safe_robot: WeRoBot) -> None:
    safe_robot.text(lambda m: "sealed " + m.content)
    response = WeTest(safe_robot).post(make_xml(TextMessage, content="x"), encrypted=True)
    assert response.body.startswith(b"<xml><Encrypt>")
    compat = WeTest(safe_robot).post(make_xml(TextMessage, content="y"), compat=True)
    assert compat.body.startswith(b"<xml><Encrypt>")


def test_post_encrypted_needs_keys(echo: WeRoBot) -> None:
    with pytest.raises(ValueError, match="APP_ID"):
        WeTest(echo).post(make_xml(TextMessage), encrypted=True)


def test_reply_reads_the_answer_back(echo: WeRoBot, safe_robot: WeRoBot) -> None:
    reply = WeTest(echo).reply(make_xml(TextMessage, content="r"))
    assert isinstance(reply, TextReply)
    assert reply.content == "got r"
    assert isinstance(WeTest(echo).reply(make_xml(ClickEvent, key="k1")), SuccessReply)
    assert WeTest(echo).reply(make_xml(VoiceMessage)) is None
    safe_robot.text(lambda m: "decrypted " + m.content)
    sealed = WeTest(safe_robot).reply(make_xml(TextMessage, content="s"), encrypted=True)
    assert isinstance(sealed, TextReply)
    assert sealed.content == "decrypted s"
    assert WeTest(safe_robot).reply(make_xml(VoiceMessage), encrypted=True) is None
