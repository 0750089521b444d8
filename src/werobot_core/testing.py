"""Test kit: send pushes to a robot and read its replies (WeRoBot's ``WeTeSt``).

The pushes themselves are built by :mod:`werobot_core.wechat` (the WeChat side), whose
names this module re-exports.

::

    from werobot_core.testing import WeTest, make_xml
    from werobot_core.messages import TextMessage

    reply = WeTest(robot).send_xml(make_xml(TextMessage, content="hi"))
    assert reply.content == "Hello World!"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werobot_core.replies import WeChatReply
from werobot_core.reply_parser import parse_reply
from werobot_core.request import WeChatResponse
from werobot_core.wechat import make_dict, make_xml, post_request, signed_query, verify_request
from werobot_core.xmlcodec import parse_xml

if TYPE_CHECKING:
    from werobot_core.robot import BaseRoBot

__all__ = [
    "WeTeSt",
    "WeTest",
    "make_dict",
    "make_xml",
    "parse_reply",
    "post_request",
    "signed_query",
    "verify_request",
]


class WeTest:
    """Send pushes to a robot in tests, as WeRoBot's ``WeTeSt`` did."""

    def __init__(self, robot: BaseRoBot) -> None:
        self.robot = robot

    def send_xml(self, xml: str | bytes) -> WeChatReply | None:
        """Parse ``xml``, run the handlers (no dedup), return the reply model."""
        return self.robot.get_reply(self.robot.parse_message(xml))

    def post(
        self, xml: str | bytes, *, encrypted: bool = False, compat: bool = False
    ) -> WeChatResponse:
        """Send ``xml`` through the whole pipeline, signed (and encrypted if asked)."""
        token = self.robot.token or ""
        crypto = self.robot.crypto if encrypted or compat else None
        if (encrypted or compat) and crypto is None:
            raise ValueError("encrypted=True needs APP_ID and ENCODING_AES_KEY")
        return self.robot.handle(post_request(token, xml, crypto=crypto, compat=compat))

    def reply(self, xml: str | bytes, *, encrypted: bool = False) -> WeChatReply | None:
        """``post`` then read the answer back as a reply model (decrypted if need be)."""
        response = self.post(xml, encrypted=encrypted)
        body = response.body
        if encrypted and body:
            envelope = parse_xml(body)
            crypto = self.robot.crypto
            assert crypto is not None
            body = crypto.decrypt_message(
                str(envelope["TimeStamp"]),
                str(envelope["Nonce"]),
                str(envelope["MsgSignature"]),
                str(envelope["Encrypt"]),
            )
        return parse_reply(body)


WeTeSt = WeTest  # WeRoBot's spelling
