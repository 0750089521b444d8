"""Test kit: build signed (and encrypted) pushes, sample messages, and read replies.

::

    from werobot_core.testing import WeTest, make_xml
    from werobot_core.messages import TextMessage

    reply = WeTest(robot).send_xml(make_xml(TextMessage, content="hi"))
    assert reply.content == "Hello World!"
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pydantic import AliasChoices, AliasPath

from werobot_core.crypto import MessageCrypt
from werobot_core.messages import BaseEvent, WeChatMessage
from werobot_core.replies import (
    WeChatReply,
)
from werobot_core.reply_parser import parse_reply
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.signature import get_signature
from werobot_core.xmlcodec import XmlOut, parse_xml, render_xml

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

_message_ids = itertools.count(int(time.time()) * 1000)


def signed_query(
    token: str, timestamp: str | None = None, nonce: str | None = None
) -> dict[str, str]:
    """``timestamp``, ``nonce`` and ``signature`` as WeChat signs them with ``token``."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or str(secrets.randbelow(10**9))
    return {
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": get_signature(token, timestamp, nonce),
    }


def verify_request(
    token: str, echostr: str = "echo", url: str = "http://testserver/"
) -> WeChatRequest:
    """The GET WeChat sends when the server URL is saved."""
    return WeChatRequest("GET", {**signed_query(token), "echostr": echostr}, b"", url=url)


def post_request(
    token: str,
    body: bytes | str,
    *,
    crypto: MessageCrypt | None = None,
    compat: bool = False,
    timestamp: str | None = None,
    nonce: str | None = None,
    url: str = "http://testserver/",
) -> WeChatRequest:
    """A signed POST of ``body``; encrypted (safe mode) when ``crypto`` is given.

    ``compat=True`` keeps the plaintext fields beside ``<Encrypt>``, as compat mode does.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else body
    query = signed_query(token, timestamp, nonce)
    if crypto is not None:
        envelope = parse_xml(crypto.encrypt_message(raw, query["timestamp"], query["nonce"]))
        encrypt = str(envelope["Encrypt"])
        fields: list[tuple[str, XmlOut]] = [("Encrypt", encrypt)]
        if compat:
            fields = [*_elements(parse_xml(raw)), *fields]
        raw = render_xml(fields)
        query.update(encrypt_type="aes", msg_signature=str(envelope["MsgSignature"]))
    return WeChatRequest("POST", query, raw, url=url + "?" + urlencode(query))


def _elements(data: Mapping[str, Any]) -> list[tuple[str, XmlOut]]:
    """``(tag, value)`` pairs to render; a dict nests, a list repeats its tag per item."""
    pairs: list[tuple[str, XmlOut]] = []
    for tag, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                pairs.append((tag, _elements(item)))
            elif item is None or isinstance(item, (str, int)):
                pairs.append((tag, item))
            else:
                pairs.append((tag, str(item)))
    return pairs


def make_dict(cls: type[WeChatMessage], **fields: Any) -> dict[str, Any]:
    """The XML fields of a push of class ``cls`` with attribute values ``fields``."""
    data: dict[str, Any] = {
        "ToUserName": "gh_test",
        "FromUserName": "test_user",
        "CreateTime": int(time.time()),
        "MsgType": cls.MSG_TYPE,
    }
    if issubclass(cls, BaseEvent):
        data["Event"] = cls.EVENT
    else:
        data["MsgId"] = next(_message_ids)
    for name, value in fields.items():
        info = cls.model_fields.get(name)
        path: list[str] = [name]
        if info is not None:
            alias = info.validation_alias or info.alias or name
            if isinstance(alias, AliasChoices):
                alias = alias.choices[0]
            path = [str(p) for p in alias.path] if isinstance(alias, AliasPath) else [str(alias)]
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    return data


def make_xml(cls: type[WeChatMessage], **fields: Any) -> str:
    """A push of class ``cls`` as WeChat sends it; ``fields`` by attribute name.

    A nested value is given as the wire elements: a dict of tags, a list for repeats
    (``pic_list={"item": [{"PicMd5Sum": "a"}, {"PicMd5Sum": "b"}]}``).
    """
    return render_xml(_elements(make_dict(cls, **fields))).decode("utf-8")


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
