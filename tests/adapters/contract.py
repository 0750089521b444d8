"""The behavioural contract every binding must meet, written once (SPEC §1's outcome table).

A binding is exercised through a ``Client``: the framework's own test machinery wrapped to
send one request and return the status, headers and body. ``CASES`` are run against every
binding by ``test_adapter_contract.py``. The signing and AES helpers here are written
independently of ``werobot_core`` so that they check it rather than mirror it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode
from xml.etree import ElementTree

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage, VoiceMessage

TOKEN = "adapter-contract-token"
APP_ID = "wx0123456789abcdef"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"  # 43 characters
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

_msg_ids = itertools.count(int(time.time()) * 1000)


@dataclass(frozen=True)
class Answer:
    """One HTTP answer as a client saw it; header names are lower-case."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Client(Protocol):
    """A binding under test, driven through its framework's test machinery."""

    @property
    def base_url(self) -> str:
        """Scheme and host the framework reports, e.g. ``http://testserver``."""

    @property
    def path(self) -> str:
        """Where the robot is routed, with a captured URL argument in it."""

    def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] = {}
    ) -> Answer:
        """Send ``method target`` (path and query) and return the answer."""


@dataclass
class Served:
    """A robot (replying ``echo: <content>``), its handler calls, and the binding serving it."""

    robot: WeRoBot
    client: Client
    calls: list[str] = field(default_factory=list)

    def send(self, method: str, query: Mapping[str, str], body: bytes = b"") -> Answer:
        """Send to the robot's path with ``query``."""
        return self.client.send(method, f"{self.client.path}?{urlencode(query)}", body)


def make_robot() -> tuple[WeRoBot, list[str]]:
    """A robot with keys for safe mode and no sessions, and the list its handler appends to."""
    robot = WeRoBot(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, SESSION_STORAGE=False)
    calls: list[str] = []

    @robot.text
    def echo(message: TextMessage) -> str:
        calls.append(message.content)
        return f"echo: {message.content}"

    return robot, calls


# -- requests as WeChat sends them -------------------------------------------------------


def sign(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted parts, hex."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed(token: str = TOKEN, **extra: str) -> dict[str, str]:
    """A signed query string (plus ``extra`` parameters)."""
    timestamp, nonce = str(int(time.time())), "271828"
    query = {"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    return query | extra


def text_xml(content: str, sender: str = "user-openid") -> bytes:
    """A plaintext text message push with a fresh MsgId."""
    return (
        f"<xml><ToUserName><![CDATA[gh_robot]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{next(_msg_ids)}</MsgId></xml>"
    ).encode()


def _cipher(aes_key: str) -> Cipher[modes.CBC]:
    key = base64.b64decode(aes_key + "=")
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt(plain: bytes, app_id: str = APP_ID, aes_key: str = AES_KEY) -> str:
    """SPEC §2: 16 random bytes, length, message, AppId; PKCS#7 to 32; AES-CBC; base64."""
    data = b"0123456789abcdef" + struct.pack(">I", len(plain)) + plain + app_id.encode()
    pad = 32 - len(data) % 32
    encryptor = _cipher(aes_key).encryptor()
    sealed = encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()
    return base64.b64encode(sealed).decode()


def decrypt(sealed: str, app_id: str = APP_ID, aes_key: str = AES_KEY) -> bytes:
    """The message inside a reply envelope's ``Encrypt``, checking padding and AppId."""
    decryptor = _cipher(aes_key).decryptor()
    data = decryptor.update(base64.b64decode(sealed)) + decryptor.finalize()
    data = data[: -data[-1]]
    (length,) = struct.unpack(">I", data[16:20])
    assert data[20 + length :] == app_id.encode()
    return data[20 : 20 + length]


def encrypted_post(
    plain: bytes,
    *,
    compat: bool = False,
    token: str = TOKEN,
    app_id: str = APP_ID,
    aes_key: str = AES_KEY,
) -> tuple[dict[str, str], bytes]:
    """Query and body of a safe-mode push (compat mode keeps the plaintext fields)."""
    sealed = encrypt(plain, app_id, aes_key)
    inner = plain[5:-6].decode() if compat else "<ToUserName><![CDATA[gh_robot]]></ToUserName>"
    query = signed(token, encrypt_type="aes")
    query["msg_signature"] = sign(token, query["timestamp"], query["nonce"], sealed)
    return query, f"<xml>{inner}<Encrypt><![CDATA[{sealed}]]></Encrypt></xml>".encode()


def fields(body: bytes) -> dict[str, str]:
    """The children of an XML document's root, tag to text."""
    return {child.tag: child.text or "" for child in ElementTree.fromstring(body)}


def assert_reply(answer: Answer, content: str) -> None:
    """``answer`` is a 200 plaintext text reply with ``content``."""
    assert (answer.status, answer.headers["content-type"]) == (200, XML)
    reply = fields(answer.body)
    assert (reply["MsgType"], reply["Content"]) == ("text", content)
    assert (reply["ToUserName"], reply["FromUserName"]) == ("user-openid", "gh_robot")


def assert_envelope(answer: Answer, content: str) -> None:
    """``answer`` is a 200 encrypted envelope, correctly signed, holding a text reply."""
    assert (answer.status, answer.headers["content-type"]) == (200, XML)
    envelope = fields(answer.body)
    assert set(envelope) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    parts = (TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"])
    assert envelope["MsgSignature"] == sign(*parts)
    assert fields(decrypt(envelope["Encrypt"]))["Content"] == content


# -- the cases -----------------------------------------------------------------------------


def signed_get_echoes(s: Served) -> None:
    """A signed GET answers the echostr verbatim, as plain text."""
    answer = s.send("GET", signed(echostr="5837397520665436492"))
    assert (answer.status, answer.body) == (200, b"5837397520665436492")
    assert answer.headers["content-type"] == TEXT


def bad_signature_is_403_without_handler(s: Served) -> None:
    """A wrong signature gets the default error page for the URL; no handler runs."""
    query = signed(signature="0" * 40)
    answer = s.send("POST", query, text_xml("intruder"))
    assert (answer.status, answer.headers["content-type"]) == (403, HTML)
    url = f"{s.client.base_url}{s.client.path}?{urlencode(query)}"
    assert html.escape(url).encode() in answer.body
    assert s.calls == []


def missing_signature_is_403_without_handler(s: Served) -> None:
    """No signature at all: 403 for GET and POST, and no handler runs."""
    for method, body in (("GET", b""), ("POST", text_xml("intruder"))):
        answer = s.send(method, {"echostr": "42"}, body)
        assert (answer.status, answer.headers["content-type"]) == (403, HTML)
        assert answer.body != b"42"
    assert s.calls == []


def custom_error_page_is_used(s: Served) -> None:
    """``@robot.error_page`` renders the 403 body."""

    @s.robot.error_page
    def page(url: str) -> str:
        return f"<p>nope: {html.escape(url)}</p>"

    answer = s.send("GET", {"echostr": "1"})
    assert (answer.status, answer.headers["content-type"]) == (403, HTML)
    assert answer.body.startswith(b"<p>nope: http")


def plain_post_gets_xml_reply(s: Served) -> None:
    """A plaintext text message gets its handler's reply as XML, in plaintext."""
    assert_reply(s.send("POST", signed(), text_xml("hello")), "echo: hello")
    assert s.calls == ["hello"]


def unicode_text_round_trips(s: Served) -> None:
    """Non-ASCII content and XML special characters survive the round trip."""
    assert_reply(s.send("POST", signed(), text_xml("你好 & <ok>")), "echo: 你好 & <ok>")


def safe_mode_post_gets_envelope(s: Served) -> None:
    """A safe-mode push is decrypted, and its reply encrypted and signed."""
    query, body = encrypted_post(text_xml("secret"))
    assert_envelope(s.send("POST", query, body), "echo: secret")
    assert s.calls == ["secret"]


def compat_mode_post_gets_envelope(s: Served) -> None:
    """A compat-mode push (plaintext beside <Encrypt>) is answered encrypted."""
    query, body = encrypted_post(text_xml("both"), compat=True)
    assert_envelope(s.send("POST", query, body), "echo: both")
    assert s.calls == ["both"]


def bad_msg_signature_is_403(s: Served) -> None:
    """An encrypted push whose msg_signature is wrong is refused before any handler."""
    query, body = encrypted_post(text_xml("forged"))
    query["msg_signature"] = "f" * 40
    answer = s.send("POST", query, body)
    assert (answer.status, answer.headers["content-type"]) == (403, TEXT)
    assert s.calls == []


def other_methods_are_405(s: Served) -> None:
    """Methods other than GET and POST get 405 with ``Allow: GET, POST``."""
    for method in ("PUT", "DELETE", "PATCH"):
        answer = s.send(method, signed(), text_xml("x"))
        assert (answer.status, answer.body) == (405, b"method not allowed")
        assert answer.headers["allow"] == "GET, POST"
        assert answer.headers["content-type"] == TEXT
    assert s.calls == []


def malformed_xml_is_400(s: Served) -> None:
    """A body that is not XML is a 400 with a short plain-text reason."""
    answer = s.send("POST", signed(), b"<xml><MsgType>text</xml")
    assert (answer.status, answer.headers["content-type"]) == (400, TEXT)
    assert 0 < len(answer.body) < 200


def oversize_body_is_413(s: Served) -> None:
    """A body one byte over MAX_BODY_SIZE is 413; one of exactly that size is served."""
    body = text_xml("size")
    s.robot.config["MAX_BODY_SIZE"] = len(body)
    assert_reply(s.send("POST", signed(), body), "echo: size")
    s.robot.config["MAX_BODY_SIZE"] = len(body) - 1
    answer = s.send("POST", signed(), text_xml("size"))
    assert (answer.status, answer.headers["content-type"]) == (413, TEXT)
    assert s.calls == ["size"]


def no_reply_is_empty_200(s: Served) -> None:
    """A message no handler answers gets 200 with an empty plain-text body."""
    body = text_xml("x").replace(b"[text]", b"[location]")
    answer = s.send("POST", signed(), body)
    assert (answer.status, answer.body, answer.headers["content-type"]) == (200, b"", TEXT)


def async_handler_is_awaited(s: Served) -> None:
    """An ``async def`` handler's reply is served by every binding."""

    @s.robot.voice
    async def listen(message: VoiceMessage) -> str:
        return "heard"

    body = text_xml("x").replace(b"[text]", b"[voice]")
    assert_reply(s.send("POST", signed(), body), "heard")


CASES: tuple[Callable[[Served], None], ...] = (
    signed_get_echoes,
    bad_signature_is_403_without_handler,
    missing_signature_is_403_without_handler,
    custom_error_page_is_used,
    plain_post_gets_xml_reply,
    unicode_text_round_trips,
    safe_mode_post_gets_envelope,
    compat_mode_post_gets_envelope,
    bad_msg_signature_is_403,
    other_methods_are_405,
    malformed_xml_is_400,
    oversize_body_is_413,
    no_reply_is_empty_200,
    async_handler_is_awaited,
)
