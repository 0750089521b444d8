"""The WeChat side of the webhook: pushes signed (and encrypted) as WeChat sends them.

Test code, the ``werobot`` CLI's simulator and benchmarks build requests with these; the
robot's own code never imports this module. :mod:`werobot_core.testing` re-exports every
name, so tests keep ``from werobot_core.testing import make_xml, post_request``.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import AliasChoices, AliasPath

from werobot_core.crypto import MessageCrypt
from werobot_core.messages import BaseEvent, WeChatMessage
from werobot_core.request import WeChatRequest
from werobot_core.signature import get_signature
from werobot_core.xmlcodec import XmlOut, parse_xml, render_xml

__all__ = ["make_dict", "make_xml", "post_request", "signed_query", "verify_request"]

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
