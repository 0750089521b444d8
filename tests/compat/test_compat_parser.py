"""``werobot.parser``, ``werobot.logger`` and ``werobot.crypto`` as WeRoBot users call them."""

from __future__ import annotations

import logging

import pytest

from werobot_core.crypto import MessageCrypt, PrpCrypto
from werobot_core.exceptions import InvalidEncodingAESKey
from werobot_core.logger import _LogFormatter, enable_pretty_logging
from werobot_core.messages import TextMessage
from werobot_core.parser import parse_user_msg, parse_xml, process_message
from werobot_core.replies import TextReply

PUSH = (
    "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName>"
    "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[喵]]></Content><MsgId>1234567890123456</MsgId></xml>"
)


def test_parse_xml_then_process_message() -> None:
    fields = parse_xml(PUSH.encode())
    assert fields["Content"] == "喵"
    assert fields["raw"] == PUSH
    message = process_message(fields)
    assert isinstance(message, TextMessage)
    assert (message.content, message.source, message.raw) == ("喵", "o_1", PUSH)
    assert "raw" in fields  # the caller's dict is left as it was


def test_parse_user_msg_of_nothing_is_none() -> None:
    assert parse_user_msg("") is None
    assert parse_user_msg(b"") is None
    message = parse_user_msg(PUSH)
    assert isinstance(message, TextMessage)


def test_log_formatter_is_importable_and_used_by_pretty_logging() -> None:
    logger = logging.getLogger("compat-pretty")
    enable_pretty_logging(logger, level="warning")
    try:
        assert logger.level == logging.WARNING
        assert isinstance(logger.handlers[0].formatter, _LogFormatter)
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello", None, None)
        assert _LogFormatter().format(record).endswith("hello")
        assert _LogFormatter(color=True).format(record).startswith("\033[")
    finally:
        logger.handlers.clear()


@pytest.mark.parametrize("size", [16, 24, 32])
def test_prp_crypto_takes_werobots_key_sizes_and_text(size: int) -> None:
    key = "k" * size
    crypto = PrpCrypto(key)
    encrypted = crypto.encrypt("喵 text", "wxappid")
    assert crypto.decrypt(encrypted, "wxappid") == "喵 text".encode()
    assert crypto.decrypt(encrypted.encode(), "wxappid") == "喵 text".encode()


def test_prp_crypto_refuses_what_aes_refuses() -> None:
    with pytest.raises(InvalidEncodingAESKey, match="got 20"):
        PrpCrypto("k" * 20)


def test_message_crypt_encrypts_a_reply_object_and_round_trips() -> None:
    crypt = MessageCrypt("token", "A" * 43, "wxappid")
    reply = TextReply(source="gh_1", target="o_1", content="hi", time=5)
    envelope = parse_xml(crypt.encrypt_message(reply, "1700000000", "nonce"))
    plain = crypt.decrypt_message(
        str(envelope["TimeStamp"]),
        str(envelope["Nonce"]),
        str(envelope["MsgSignature"]),
        str(envelope["Encrypt"]),
    )
    assert plain == reply.to_xml()
