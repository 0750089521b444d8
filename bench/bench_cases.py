"""The requests every library answers in the benchmark, and the check of their answers.

Each scenario is one signed push, built once with ``werobot_core.testing`` and sent to every
library unchanged (same query, same body bytes), so all of them do the same work: check the
signature, (decrypt,) parse, run a handler, render the reply (and encrypt it).
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from werobot_core.crypto import MessageCrypt
from werobot_core.messages import SubscribeEvent, TextMessage
from werobot_core.testing import make_xml, post_request
from werobot_core.xmlcodec import parse_xml

__all__ = [
    "APP_ID",
    "ENCODING_AES_KEY",
    "HELLO",
    "OTHER",
    "SCENARIOS",
    "TOKEN",
    "WELCOME",
    "Answer",
    "Scenario",
    "build_scenarios",
    "check_answer",
    "wsgi_environ",
]

TOKEN = "benchtoken"
APP_ID = "wx0123456789abcdef"
ENCODING_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
HELLO = "Hello World!"
WELCOME = "Welcome! Thanks for subscribing."
OTHER = "OK"
#: The scenario keys, in table order.
SCENARIOS = ("plain", "safe", "subscribe", "wsgi")

#: What a contender returns: the HTTP response body it would send.
Answer = bytes | str


@dataclass(frozen=True)
class Scenario:
    """One push: its query parameters, its body and the reply text every library must give."""

    key: str
    title: str
    query: Mapping[str, str]
    body: bytes
    expected: str
    encrypted: bool

    @property
    def query_string(self) -> str:
        """The query as it appears in the URL."""
        return urlencode(dict(self.query))


def _scenario(key: str, title: str, xml: str, expected: str, *, encrypted: bool) -> Scenario:
    crypto = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID) if encrypted else None
    request = post_request(TOKEN, xml, crypto=crypto, timestamp="1700000000", nonce="123456789")
    body = request.body
    assert body is not None
    return Scenario(key, title, dict(request.query), body, expected, encrypted)


def build_scenarios() -> dict[str, Scenario]:
    """Every scenario by key: plain text, safe-mode text, subscribe event, text via WSGI."""
    text = make_xml(TextMessage, content="hello")
    subscribe = make_xml(SubscribeEvent)
    return {
        "plain": _scenario("plain", "text, plaintext", text, HELLO, encrypted=False),
        "safe": _scenario("safe", "text, safe mode (AES)", text, HELLO, encrypted=True),
        "subscribe": _scenario("subscribe", "subscribe event", subscribe, WELCOME, encrypted=False),
        "wsgi": _scenario("wsgi", "text via WSGI app", text, HELLO, encrypted=False),
    }


def check_answer(scenario: Scenario, answer: Answer) -> None:
    """Raise ``AssertionError`` unless ``answer`` is a valid reply carrying the expected text.

    Encrypted answers are opened with our own ``MessageCrypt``, which checks the envelope's
    ``MsgSignature`` and the AppId, so every library is held to the same protocol.
    """
    raw = answer.encode("utf-8") if isinstance(answer, str) else answer
    data = parse_xml(raw)
    if scenario.encrypted:
        crypto = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
        raw = crypto.decrypt_message(
            str(data["TimeStamp"]),
            str(data["Nonce"]),
            str(data["MsgSignature"]),
            str(data["Encrypt"]),
        )
        data = parse_xml(raw)
    content = data.get("Content")
    assert content == scenario.expected, f"{scenario.key}: got {content!r} in {raw!r}"
    assert data.get("ToUserName") == "test_user", f"{scenario.key}: bad ToUserName in {raw!r}"


def wsgi_environ(scenario: Scenario) -> Callable[[], dict[str, object]]:
    """A factory of fresh WSGI environs for ``scenario`` (servers build one per request)."""
    import io
    import sys

    base: dict[str, object] = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/wechat",
        "QUERY_STRING": scenario.query_string,
        "CONTENT_TYPE": "text/xml",
        "CONTENT_LENGTH": str(len(scenario.body)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8888",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8888",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    body = scenario.body

    def make() -> dict[str, object]:
        environ = dict(base)
        environ["wsgi.input"] = io.BytesIO(body)
        return environ

    return make


def floor_call(scenario: Scenario) -> Callable[[dict[str, str], bytes], Answer]:
    """The protocol with no safety, the cost every library pays at least: ``call(query,
    body)`` answers ``scenario``'s push (``bench/count.py`` counts it, ``bench/http_apps.py``
    serves it)."""
    import time
    import xml.etree.ElementTree as ET

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = base64.b64decode(ENCODING_AES_KEY + "=")
    cipher = Cipher(algorithms.AES(key), modes.CBC(key[:16]))
    app_id = APP_ID.encode()

    def sign(*parts: str) -> str:
        return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()

    def call(query: dict[str, str], body: bytes) -> Answer:
        get = query.get
        timestamp, nonce = get("timestamp", ""), get("nonce", "")
        if sign(TOKEN, timestamp, nonce) != get("signature"):
            raise AssertionError("bad signature")
        root = ET.fromstring(body)
        if scenario.encrypted:
            encrypt = root.findtext("Encrypt") or ""
            if sign(TOKEN, timestamp, nonce, encrypt) != get("msg_signature"):
                raise AssertionError("bad msg_signature")
            decryptor = cipher.decryptor()
            plain = decryptor.update(base64.b64decode(encrypt)) + decryptor.finalize()
            plain = plain[: -plain[-1]]
            (length,) = struct.unpack(">I", plain[16:20])
            if plain[20 + length :] != app_id:
                raise AssertionError("bad AppId")
            root = ET.fromstring(plain[20 : 20 + length])
        data = {child.tag: child.text for child in root}
        if data.get("MsgType") == "text":
            content = HELLO
        elif data.get("MsgType") == "event" and data.get("Event") == "subscribe":
            content = WELCOME
        else:
            return ""
        reply = (
            f"<xml><ToUserName><![CDATA[{data['FromUserName']}]]></ToUserName>"
            f"<FromUserName><![CDATA[{data['ToUserName']}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content></xml>"
        )
        if not scenario.encrypted:
            return reply
        text = reply.encode()
        text = os.urandom(16) + struct.pack(">I", len(text)) + text + app_id
        pad = 32 - len(text) % 32
        encryptor = cipher.encryptor()
        sealed = encryptor.update(text + bytes([pad]) * pad) + encryptor.finalize()
        encrypted = base64.b64encode(sealed).decode()
        stamp = str(int(time.time()))
        return (
            f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{sign(TOKEN, stamp, nonce, encrypted)}]]></MsgSignature>"
            f"<TimeStamp>{stamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )

    return call
