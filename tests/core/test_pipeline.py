"""``robot.handle``: the whole outcome table of SPEC §1, in its order of checks.

Every case runs through ``handle`` and ``handle_async``. Requests are built with
``werobot_core.testing`` and real crypto.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from werobot_core import WeChatRequest, WeChatResponse, WeRoBot
from werobot_core.crypto import MessageCrypt
from werobot_core.exceptions import StorageUnavailable
from werobot_core.messages import ClickEvent, TextMessage, WeChatMessage
from werobot_core.replies import SuccessReply, TextReply
from werobot_core.session.base import SessionStorage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.signature import get_signature
from werobot_core.testing import make_xml, parse_reply, post_request, signed_query, verify_request

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

Handle = Callable[[WeRoBot, WeChatRequest], WeChatResponse]


def _sync(robot: WeRoBot, request: WeChatRequest) -> WeChatResponse:
    return robot.handle(request)


def _async(robot: WeRoBot, request: WeChatRequest) -> WeChatResponse:
    return asyncio.run(robot.handle_async(request))


@pytest.fixture(params=[_sync, _async], ids=["handle", "handle_async"])
def handle(request: pytest.FixtureRequest) -> Handle:
    """``robot.handle`` or ``robot.handle_async`` (run to completion)."""
    func: Handle = request.param
    return func


@pytest.fixture
def calls() -> list[WeChatMessage]:
    return []


def _echo_robot(robot: WeRoBot, calls: list[WeChatMessage]) -> WeRoBot:
    @robot.handler
    def echo(message: WeChatMessage) -> str:
        calls.append(message)
        return "echo " + str(getattr(message, "content", message.type))

    return robot


@pytest.fixture
def bot(robot: WeRoBot, calls: list[WeChatMessage]) -> WeRoBot:
    """The plaintext robot with a handler that echoes and records every message."""
    return _echo_robot(robot, calls)


@pytest.fixture
def safe(safe_robot: WeRoBot, calls: list[WeChatMessage]) -> WeRoBot:
    """The safe-mode robot with the echo handler."""
    return _echo_robot(safe_robot, calls)


@pytest.fixture
def crypt(token: str, aes_key: str, app_id: str) -> MessageCrypt:
    return MessageCrypt(token, aes_key, app_id)


def text(content: str = "hi", source: str = "o_user") -> str:
    return make_xml(TextMessage, content=content, source=source)


def assert_short_text(response: WeChatResponse, status: int) -> None:
    assert response.status == status
    assert response.headers["Content-Type"] == TEXT
    assert 0 < len(response.body) < 200


def decrypt_reply(crypt: MessageCrypt, body: bytes) -> bytes:
    root = ET.fromstring(body)
    assert [child.tag for child in root] == ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"]
    return crypt.decrypt_message(
        root.findtext("TimeStamp") or "",
        root.findtext("Nonce") or "",
        root.findtext("MsgSignature") or "",
        root.findtext("Encrypt") or "",
    )


# -- 405 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "get"])
def test_other_methods_are_405_before_the_signature(
    bot: WeRoBot, handle: Handle, method: str, token: str
) -> None:
    for query in ({}, signed_query(token)):
        response = handle(bot, WeChatRequest(method, query, b"<xml/>"))
        assert response.status == 405
        assert response.headers == {"Content-Type": TEXT, "Allow": "GET, POST"}
        assert response.body == b"method not allowed"


# -- 403 signature -----------------------------------------------------------------------


def _without(query: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in query.items() if k != key}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("broken", ["signature", "timestamp", "nonce", "wrong", "empty"])
def test_bad_signature_is_403_error_page(
    bot: WeRoBot,
    handle: Handle,
    token: str,
    calls: list[WeChatMessage],
    method: str,
    broken: str,
) -> None:
    query = {**signed_query(token), "echostr": "e"}
    if broken == "wrong":
        query["signature"] = get_signature("other", query["timestamp"], query["nonce"])
    elif broken == "empty":
        query = {}
    else:
        query = _without(query, broken)
    url = "http://example.com/wechat?<script>alert('x')</script>&a=1"
    response = handle(bot, WeChatRequest(method, query, b"not even xml", url=url))
    assert response.status == 403
    assert response.headers["Content-Type"] == HTML
    page = response.text
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert calls == []


def test_custom_error_page(bot: WeRoBot, handle: Handle) -> None:
    @bot.error_page
    def page(url: str) -> str:
        return f"<h1>Go away from {url}</h1>"

    response = handle(bot, WeChatRequest("GET", {}, b"", url="http://x/y"))
    assert (response.status, response.text) == (403, "<h1>Go away from http://x/y</h1>")
    assert response.headers["Content-Type"] == HTML


def test_token_unset_is_403(handle: Handle, calls: list[WeChatMessage]) -> None:
    robot = _echo_robot(WeRoBot(SESSION_STORAGE=False), calls)
    empty_token_query = signed_query("")
    for query in (signed_query("anything"), empty_token_query):
        assert handle(robot, WeChatRequest("GET", query, b"")).status == 403
        assert handle(robot, WeChatRequest("POST", query, text().encode())).status == 403
    assert calls == []


@pytest.mark.parametrize(
    ("offset", "status"), [(-301, 403), (-300, 200), (0, 200), (300, 200), (301, 403)]
)
def test_timestamp_tolerance_with_an_injected_clock(
    bot: WeRoBot, handle: Handle, token: str, offset: int, status: int
) -> None:
    now = 1_700_000_000
    bot.config["TIMESTAMP_TOLERANCE"] = 300
    bot.clock = lambda: float(now)
    stamp = str(now + offset)
    assert handle(bot, verify_request(token)).status == 403  # the real clock is far away
    query = {**signed_query(token, timestamp=stamp), "echostr": "ok"}
    assert handle(bot, WeChatRequest("GET", query, b"")).status == status
    post = post_request(token, text(), timestamp=stamp)
    assert handle(bot, post).status == status


def test_timestamp_tolerance_rejects_a_non_numeric_timestamp(
    bot: WeRoBot, handle: Handle, token: str
) -> None:
    bot.config["TIMESTAMP_TOLERANCE"] = 300
    query = {**signed_query(token, timestamp="yesterday"), "echostr": "x"}
    assert handle(bot, WeChatRequest("GET", query, b"")).status == 403


def test_no_tolerance_accepts_old_timestamps(bot: WeRoBot, handle: Handle, token: str) -> None:
    query = {**signed_query(token, timestamp="1"), "echostr": "old"}
    assert handle(bot, WeChatRequest("GET", query, b"")).body == b"old"


# -- GET ---------------------------------------------------------------------------------


@pytest.mark.parametrize("echostr", ["8361845924", "a b&c<d>é", "", "QUJD/+=="])
def test_get_echoes_echostr_verbatim(
    bot: WeRoBot, handle: Handle, token: str, echostr: str
) -> None:
    response = handle(bot, verify_request(token, echostr=echostr))
    assert response.status == 200
    assert response.body == echostr.encode()
    assert response.headers["Content-Type"] == TEXT


def test_get_without_echostr_is_empty(bot: WeRoBot, handle: Handle, token: str) -> None:
    response = handle(bot, WeChatRequest("GET", signed_query(token), None))
    assert (response.status, response.body) == (200, b"")


def test_get_never_decrypts_echostr(safe: WeRoBot, handle: Handle, token: str) -> None:
    ciphertext = MessageCrypt(token, _key_of(safe), "wx0123456789abcdef").prp.encrypt(
        b"x", "wx0123456789abcdef"
    )
    query = {**signed_query(token), "echostr": ciphertext, "encrypt_type": "aes"}
    response = handle(safe, WeChatRequest("GET", query, b""))
    assert (response.status, response.text) == (200, ciphertext)


def _key_of(robot: WeRoBot) -> str:
    key: str = robot.config["ENCODING_AES_KEY"]
    return key


# -- 413 ---------------------------------------------------------------------------------


def test_body_none_is_413(
    bot: WeRoBot, handle: Handle, token: str, calls: list[WeChatMessage]
) -> None:
    request = WeChatRequest("POST", signed_query(token), None)
    assert_short_text(handle(bot, request), 413)
    assert calls == []


def test_body_over_max_body_size_is_413(
    bot: WeRoBot, handle: Handle, token: str, calls: list[WeChatMessage]
) -> None:
    body = text("x" * 50).encode()
    bot.config["MAX_BODY_SIZE"] = len(body) - 1
    assert_short_text(handle(bot, post_request(token, body)), 413)
    bot.config["MAX_BODY_SIZE"] = len(body)
    assert handle(bot, post_request(token, body)).status == 200
    assert len(calls) == 1


def test_default_max_body_size_is_one_mebibyte(bot: WeRoBot, handle: Handle, token: str) -> None:
    head = text("").encode()
    filler = b"<!--" + b"x" * (1024 * 1024 - len(head) - 7) + b"-->"
    exact = head.replace(b"</xml>", filler + b"</xml>")
    assert len(exact) == 1024 * 1024
    assert handle(bot, post_request(token, exact)).status == 200
    over = exact.replace(b"<!--", b"<!--x")
    assert handle(bot, post_request(token, over)).status == 413


def test_size_is_checked_after_the_signature(bot: WeRoBot, handle: Handle) -> None:
    assert handle(bot, WeChatRequest("POST", {}, None)).status == 403


# -- 400 ---------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><MsgType>text</MsgType>'
    b"<Content>&lol2;</Content></xml>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<xml><MsgType>text</MsgType><Content>&x;</Content></xml>"
)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"hello, not xml",
        b"<xml><MsgType>text</MsgType>",
        b"<notxml><MsgType>text</MsgType></notxml>",
        BILLION_LAUGHS,
        XXE,
        b"<xml><Content>no type</Content></xml>",
        b"<xml><MsgType>event</MsgType></xml>",
        b"<xml><MsgType>text</MsgType><MsgId>12x</MsgId></xml>",
        b"<xml><MsgType>location</MsgType><Location_X>north</Location_X></xml>",
        b"\xff\xfe<\x00x\x00",
    ],
    ids=[
        "empty",
        "blank",
        "not-xml",
        "unclosed",
        "root-not-xml",
        "billion-laughs",
        "xxe",
        "no-msgtype",
        "event-without-event",
        "msgid-not-a-number",
        "float-not-a-number",
        "not-utf8",
    ],
)
def test_unreadable_bodies_are_400(
    bot: WeRoBot, handle: Handle, token: str, calls: list[WeChatMessage], body: bytes
) -> None:
    assert_short_text(handle(bot, post_request(token, body)), 400)
    assert calls == []


def test_not_a_number_reason_names_the_field(bot: WeRoBot, handle: Handle, token: str) -> None:
    body = b"<xml><MsgType>text</MsgType><CreateTime>soon</CreateTime></xml>"
    response = handle(bot, post_request(token, body))
    assert (response.status, response.text) == (400, "field <CreateTime>: not a number")


@pytest.mark.parametrize("encrypt_type", ["AES", "rsa", "none", " aes"])
def test_unknown_encrypt_type_is_400(
    bot: WeRoBot, handle: Handle, token: str, encrypt_type: str
) -> None:
    request = post_request(token, text())
    query = {**request.query, "encrypt_type": encrypt_type}
    assert_short_text(handle(bot, WeChatRequest("POST", query, request.body)), 400)


def test_raw_encrypt_type_is_plaintext(bot: WeRoBot, handle: Handle, token: str) -> None:
    request = post_request(token, text("raw"))
    query = {**request.query, "encrypt_type": "raw"}
    response = handle(bot, WeChatRequest("POST", query, request.body))
    assert response.status == 200
    assert b"echo raw" in response.body


def test_aes_without_encrypt_element_is_400(safe: WeRoBot, handle: Handle, token: str) -> None:
    request = post_request(token, text())
    query = {**request.query, "encrypt_type": "aes", "msg_signature": "x"}
    assert_short_text(handle(safe, WeChatRequest("POST", query, request.body)), 400)


# -- encrypted pushes --------------------------------------------------------------------


def _raw_encrypted(
    token: str, body_encrypt: str, timestamp: str = "1700000000", nonce: str = "n1"
) -> WeChatRequest:
    query = {
        **signed_query(token, timestamp, nonce),
        "encrypt_type": "aes",
        "msg_signature": get_signature(token, timestamp, nonce, body_encrypt),
    }
    body = (
        "<xml><ToUserName><![CDATA[gh]]></ToUserName>"
        f"<Encrypt><![CDATA[{body_encrypt}]]></Encrypt></xml>"
    )
    return WeChatRequest("POST", query, body.encode())


def test_encrypted_push_is_decrypted_and_the_reply_encrypted(
    safe: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt, calls: list[WeChatMessage]
) -> None:
    request = post_request(token, text("secret"), crypto=crypt)
    assert request.body is not None
    assert b"secret" not in request.body
    response = handle(safe, request)
    assert response.status == 200
    assert response.headers["Content-Type"] == XML
    assert b"echo secret" not in response.body
    reply = parse_reply(decrypt_reply(crypt, response.body))
    assert isinstance(reply, TextReply)
    assert reply.content == "echo secret"
    assert [getattr(m, "content") for m in calls] == ["secret"]  # noqa: B009


def test_encryption_is_not_sticky(
    safe: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt
) -> None:
    first = handle(safe, post_request(token, text("one"), crypto=crypt))
    assert first.body.startswith(b"<xml><Encrypt>")
    second = handle(safe, post_request(token, text("two")))
    assert second.status == 200
    assert second.body.startswith(b"<xml><ToUserName>")
    assert b"<Content><![CDATA[echo two]]></Content>" in second.body
    third = handle(safe, post_request(token, text("three"), crypto=crypt))
    assert third.body.startswith(b"<xml><Encrypt>")


def test_encrypt_element_without_encrypt_type_is_decrypted(
    safe: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt
) -> None:
    request = post_request(token, text("implicit"), crypto=crypt)
    query = _without(dict(request.query), "encrypt_type")
    response = handle(safe, WeChatRequest("POST", query, request.body))
    assert response.status == 200
    assert b"echo implicit" in decrypt_reply(crypt, response.body)


@pytest.mark.parametrize("signature", [None, "", "0" * 40, "not-hex"])
def test_bad_msg_signature_is_403(
    safe: WeRoBot,
    handle: Handle,
    token: str,
    crypt: MessageCrypt,
    calls: list[WeChatMessage],
    signature: str | None,
) -> None:
    request = post_request(token, text(), crypto=crypt)
    query = _without(dict(request.query), "msg_signature")
    if signature is not None:
        query["msg_signature"] = signature
    assert_short_text(handle(safe, WeChatRequest("POST", query, request.body)), 403)
    assert calls == []


def _aes(aes_key: str, plaintext: bytes) -> str:
    key = base64.b64decode(aes_key + "=")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plaintext) + encryptor.finalize()).decode()


def _framed(message: bytes, app_id: str, length: int | None = None) -> bytes:
    plain = os.urandom(16) + (len(message) if length is None else length).to_bytes(4, "big")
    plain += message + app_id.encode()
    pad = 32 - len(plain) % 32
    return plain + bytes([pad]) * pad


@pytest.mark.parametrize(
    "case", ["not-base64", "block-length", "padding", "length-past-end", "empty-blocks"]
)
def test_bad_ciphertext_is_400(
    safe: WeRoBot,
    handle: Handle,
    token: str,
    aes_key: str,
    app_id: str,
    calls: list[WeChatMessage],
    case: str,
) -> None:
    message = text().encode()
    builders: dict[str, Callable[[], str]] = {
        "not-base64": lambda: "@@@ not base64 @@@",
        "block-length": lambda: base64.b64encode(b"x" * 20).decode(),
        "padding": lambda: _aes(aes_key, _framed(message, app_id)[:-1] + b"\x00"),
        "length-past-end": lambda: _aes(aes_key, _framed(message, app_id, length=10_000)),
        "empty-blocks": lambda: _aes(aes_key, b"\x20" * 32),
    }
    encrypt = builders[case]()
    assert_short_text(handle(safe, _raw_encrypted(token, encrypt)), 400)
    assert calls == []


def test_hand_framed_ciphertext_is_accepted(
    safe: WeRoBot, handle: Handle, token: str, aes_key: str, app_id: str
) -> None:
    encrypt = _aes(aes_key, _framed(text("framed").encode(), app_id))
    response = handle(safe, _raw_encrypted(token, encrypt))
    assert response.status == 200


def test_app_id_mismatch_is_403(
    safe: WeRoBot, handle: Handle, token: str, aes_key: str, calls: list[WeChatMessage]
) -> None:
    other = MessageCrypt(token, aes_key, "wx_someone_else")
    assert_short_text(handle(safe, post_request(token, text(), crypto=other)), 403)
    assert calls == []


def test_wrong_signature_wins_over_bad_ciphertext(
    safe: WeRoBot, handle: Handle, token: str
) -> None:
    request = _raw_encrypted(token, "@@@")
    query = {**request.query, "msg_signature": "0" * 40}
    assert handle(safe, WeChatRequest("POST", query, request.body)).status == 403


def test_safe_mode_without_keys_is_the_only_500(
    bot: WeRoBot,
    handle: Handle,
    token: str,
    crypt: MessageCrypt,
    caplog: pytest.LogCaptureFixture,
    calls: list[WeChatMessage],
) -> None:
    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = handle(bot, post_request(token, text(), crypto=crypt))
    assert_short_text(response, 500)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "APP_ID" in errors[0]
    assert "ENCODING_AES_KEY" in errors[0]
    assert calls == []


def test_compat_mode_without_keys_serves_plaintext_and_warns_once(
    bot: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt, caplog: pytest.LogCaptureFixture
) -> None:
    request = post_request(token, text("visible"), crypto=crypt, compat=True)
    assert request.body is not None
    assert b"<Encrypt>" in request.body
    with caplog.at_level(logging.WARNING, logger="WeRoBot"):
        response = handle(bot, request)
    assert response.status == 200
    assert response.headers["Content-Type"] == XML
    assert b"<Content><![CDATA[echo visible]]></Content>" in response.body
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_compat_mode_with_keys_trusts_only_the_ciphertext(
    safe: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt, calls: list[WeChatMessage]
) -> None:
    encrypted = post_request(token, text("genuine"), crypto=crypt)
    assert encrypted.body is not None
    encrypt = ET.fromstring(encrypted.body).findtext("Encrypt")
    forged = text("forged").replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    response = handle(safe, WeChatRequest("POST", encrypted.query, forged.encode()))
    assert response.status == 200
    assert b"echo genuine" in decrypt_reply(crypt, response.body)
    assert [getattr(m, "content") for m in calls] == ["genuine"]  # noqa: B009


def test_checks_run_in_the_order_of_the_table(
    bot: WeRoBot, safe: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt
) -> None:
    unsigned = WeChatRequest("PUT", {}, None)
    assert handle(bot, unsigned).status == 405  # method before signature
    assert handle(bot, WeChatRequest("POST", {}, None)).status == 403  # signature before size
    bot.config["MAX_BODY_SIZE"] = 5
    assert handle(bot, post_request(token, b"not xml at all")).status == 413  # size before XML
    bot.config["MAX_BODY_SIZE"] = 1 << 20
    sealed = post_request(token, text(), crypto=crypt)
    bogus = {**_without(dict(sealed.query), "msg_signature"), "encrypt_type": "bogus"}
    assert handle(safe, WeChatRequest("POST", bogus, sealed.body)).status == 400
    broken = WeChatRequest("POST", {**sealed.query}, b"<xml><Encrypt>x</Encrypt>")
    assert handle(bot, broken).status == 400  # unreadable XML before the missing keys' 500
    assert handle(bot, sealed).status == 500


# -- answers -----------------------------------------------------------------------------


def test_reply_is_application_xml(bot: WeRoBot, handle: Handle, token: str) -> None:
    response = handle(bot, post_request(token, text("x")))
    assert response.status == 200
    assert response.headers == {"Content-Type": XML}
    reply = ET.fromstring(response.body)
    assert reply.findtext("Content") == "echo x"
    assert reply.findtext("ToUserName") == "o_user"
    assert reply.findtext("FromUserName") == "gh_test"


def test_no_reply_is_empty_text_plain(robot: WeRoBot, handle: Handle, token: str) -> None:
    robot.text(lambda: None)
    response = handle(robot, post_request(token, text()))
    assert (response.status, response.body, response.headers) == (200, b"", {"Content-Type": TEXT})


def test_no_handler_is_empty_text_plain_even_when_encrypted(
    safe_robot: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt
) -> None:
    response = handle(safe_robot, post_request(token, text(), crypto=crypt))
    assert (response.status, response.body, response.headers) == (200, b"", {"Content-Type": TEXT})


def test_handler_raised_is_empty_text_plain(
    safe_robot: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt
) -> None:
    safe_robot.text(lambda: 1 / 0)
    for request in (post_request(token, text()), post_request(token, text(), crypto=crypt)):
        response = handle(safe_robot, request)
        assert (response.status, response.body) == (200, b"")
        assert response.headers["Content-Type"] == TEXT


def test_success_reply_is_never_encrypted(
    safe_robot: WeRoBot, handle: Handle, token: str, crypt: MessageCrypt
) -> None:
    safe_robot.click(lambda: SuccessReply())
    for i, crypto in enumerate((None, crypt)):
        body = make_xml(ClickEvent, key=f"key-{i}")
        response = handle(safe_robot, post_request(token, body, crypto=crypto))
        assert (response.status, response.body) == (200, b"success")
        assert response.headers["Content-Type"] == TEXT


class FailingStorage(SessionStorage):
    """A store whose server is down."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def get(self, id: str) -> dict[str, Any]:
        raise self.unavailable(ConnectionRefusedError("connection refused"))

    def set(self, id: str, value: dict[str, Any]) -> None:
        self.writes.append(id)

    def delete(self, id: str) -> None:
        self.writes.append(id)


def test_storage_unavailable_is_503_without_running_the_handler(
    handle: Handle,
    token: str,
    app_id: str,
    aes_key: str,
    crypt: MessageCrypt,
    calls: list[WeChatMessage],
    caplog: pytest.LogCaptureFixture,
) -> None:
    storage = FailingStorage()
    robot = WeRoBot(token=token, app_id=app_id, encoding_aes_key=aes_key, session_storage=storage)
    _echo_robot(robot, calls)
    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        for crypto in (None, crypt):
            response = handle(robot, post_request(token, text(), crypto=crypto))
            assert_short_text(response, 503)
            assert b"FailingStorage" in response.body
    assert calls == []
    assert storage.writes == []
    assert any(isinstance(r.exc_info[1], StorageUnavailable) for r in caplog.records if r.exc_info)


def test_storage_unavailable_with_an_async_handler_is_503(
    handle: Handle, token: str, calls: list[WeChatMessage]
) -> None:
    robot = WeRoBot(token=token, session_storage=FailingStorage())

    @robot.text
    async def never(message: WeChatMessage) -> str:
        calls.append(message)
        return "x"

    assert_short_text(handle(robot, post_request(token, text())), 503)
    assert calls == []


def test_sessions_are_keyed_on_from_user_name_not_openid(handle: Handle, token: str) -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token=token, session_storage=storage)
    robot.text(lambda message, session: session.update(seen=message.content))
    request = post_request(token, text("a", source="o_real"))
    query = {**request.query, "openid": "o_claimed"}
    assert handle(robot, WeChatRequest("POST", query, request.body)).status == 200
    assert storage.get("o_real") == {"seen": "a"}
    assert storage.get("o_claimed") == {}


def test_large_body_is_handled_off_the_loop(bot: WeRoBot, token: str) -> None:
    bot.config["TEXT_LIMIT"] = 0  # the whole echo in one reply (no splitting)
    body = text("y" * 100_000)
    response = asyncio.run(bot.handle_async(post_request(token, body)))
    assert response.status == 200
    assert ET.fromstring(response.body).findtext("Content") == "echo " + "y" * 100_000
    bad = asyncio.run(bot.handle_async(post_request(token, b"<xml>" + b"z" * 70_000)))
    assert bad.status == 400


def test_response_text_property(bot: WeRoBot, token: str) -> None:
    response = bot.handle(verify_request(token, echostr="你好"))
    assert response.text == "你好"


# -- configuration read when used --------------------------------------------------------


def test_malformed_key_in_config_does_not_break_plaintext_pushes(
    bot: WeRoBot, token: str, app_id: str
) -> None:
    bot.config.update(APP_ID=app_id, ENCODING_AES_KEY="too short")
    assert bot.handle(post_request(token, text())).status == 200


def test_malformed_key_in_config_is_a_clear_500_on_first_encrypted_push(
    bot: WeRoBot,
    handle: Handle,
    token: str,
    app_id: str,
    crypt: MessageCrypt,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot.config.update(APP_ID=app_id, ENCODING_AES_KEY="too short")
    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = handle(bot, post_request(token, text(), crypto=crypt))
    assert_short_text(response, 500)
    assert "ENCODING_AES_KEY" in response.text
    assert any("ENCODING_AES_KEY" in r.getMessage() for r in caplog.records)


def test_keys_set_after_construction_enable_safe_mode(
    bot: WeRoBot, handle: Handle, token: str, app_id: str, aes_key: str, crypt: MessageCrypt
) -> None:
    request = post_request(token, text("late"), crypto=crypt)
    assert handle(bot, request).status == 500
    bot.config.update(APP_ID=app_id, ENCODING_AES_KEY=aes_key)
    request = post_request(token, text("late"), crypto=crypt)
    response = handle(bot, request)
    assert response.status == 200
    assert b"echo late" in decrypt_reply(crypt, response.body)


def test_a_request_is_frozen_and_its_headers_default_to_empty() -> None:
    import dataclasses

    request = WeChatRequest("POST", {"a": "b"}, b"x")
    assert request.headers == {}
    assert WeChatRequest("POST", {}, headers=None).headers == {}
    assert request.headers is not WeChatRequest("POST", {}).headers  # not one shared dict
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.body = b"y"  # type: ignore[misc]
    changed = dataclasses.replace(request, body=b"y", headers={"X": "1"})
    assert (changed.method, changed.query, changed.body, changed.headers) == (
        "POST",
        {"a": "b"},
        b"y",
        {"X": "1"},
    )
    assert [field.name for field in dataclasses.fields(request)] == [
        "method",
        "query",
        "body",
        "url",
        "headers",
    ]
    import copy
    import pickle

    for twin in (copy.copy(request), copy.deepcopy(request), pickle.loads(pickle.dumps(request))):
        assert twin == request
        assert twin is not request
    with pytest.raises(dataclasses.FrozenInstanceError):
        del request.url
