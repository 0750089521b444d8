"""Talking to a robot as WeChat does: signed (and encrypted) pushes, the echostr check.

:class:`Account` holds what WeChat knows about the server (URL, TOKEN, and in safe mode
APP_ID and ENCODING_AES_KEY). :func:`deliver` sends one delivery of a push and returns an
:class:`Exchange`: the status, the latency, the raw bodies both ways, and the reply read
back as its model after the envelope's ``MsgSignature`` was checked and decrypted.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

import httpx

from werobot_cli.timing import CUTOFF
from werobot_core.crypto import MessageCrypt
from werobot_core.exceptions import WeRoBotError
from werobot_core.replies import WeChatReply
from werobot_core.request import WeChatRequest
from werobot_core.testing import parse_reply, post_request, signed_query
from werobot_core.xmlcodec import parse_xml

__all__ = ["CUTOFF", "Account", "Exchange", "Verification", "deliver", "open_reply", "verify_url"]

_HEADERS = {"Content-Type": "text/xml", "User-Agent": "Mozilla/4.0"}


@dataclass(frozen=True)
class Account:
    """The server settings of an Official Account, as saved in WeChat's console."""

    url: str
    token: str
    app_id: str | None = None
    aes_key: str | None = None
    compat: bool = False
    """Compat mode: the plaintext fields travel beside ``<Encrypt>``."""

    @property
    def safe_mode(self) -> bool:
        """Whether pushes are encrypted (both APP_ID and ENCODING_AES_KEY given)."""
        return bool(self.app_id and self.aes_key)

    def crypto(self) -> MessageCrypt | None:
        """The crypto of safe mode; raises ``InvalidEncodingAESKey`` for a malformed key."""
        if not (self.app_id and self.aes_key):
            return None
        return MessageCrypt(self.token, self.aes_key, self.app_id)

    def request(self, xml: str, user: str) -> WeChatRequest:
        """The push of ``xml`` as WeChat signs (and encrypts) it."""
        request = post_request(self.token, xml, crypto=self.crypto(), compat=self.compat)
        query = {**request.query, "openid": user}
        return WeChatRequest("POST", query, request.body, url=self.url)


@dataclass
class Exchange:
    """One delivery of a push and what came back."""

    request_xml: str
    """The push in plaintext."""
    sent: bytes
    """The body as sent (the envelope in safe mode)."""
    status: int | None = None
    """The HTTP status; ``None`` when cut off or not connected."""
    body: bytes = b""
    latency: float = 0.0
    """Seconds from sending to the end of the answer (or to the cut-off)."""
    reply_xml: str | None = None
    """The answer's reply XML, decrypted (``None`` when the answer has none)."""
    reply: WeChatReply | None = None
    encrypted_reply: bool = False
    error: str | None = None
    """Why there is no answer (cut off, connection refused...), or why it is unreadable."""
    notes: list[str] = field(default_factory=list)
    """What WeChat would object to in an answer that was read anyway."""

    @property
    def answered(self) -> bool:
        """Whether WeChat would take this as the answer (a 200 within the cut-off)."""
        return self.status == 200


def open_reply(body: bytes, crypto: MessageCrypt | None) -> tuple[bytes, bool]:
    """The reply XML inside ``body`` and whether it was encrypted (checks MsgSignature)."""
    if not body.lstrip().startswith(b"<") or b"<Encrypt>" not in body:
        return body, False
    if crypto is None:
        raise ValueError("an encrypted reply to a plaintext push: the robot must answer in kind")
    envelope = parse_xml(body)
    plain = crypto.decrypt_message(
        str(envelope.get("TimeStamp") or ""),
        str(envelope.get("Nonce") or ""),
        str(envelope.get("MsgSignature") or ""),
        str(envelope.get("Encrypt") or ""),
    )
    return plain, True


def _status_error(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    if status == 403 and text.startswith("<"):
        return "HTTP 403: the robot refused the signature (is --token the robot's TOKEN?)"
    return f"HTTP {status}" + (f": {text[:200]}" if text else "")


def _read(exchange: Exchange, account: Account, user: str) -> None:
    if exchange.status != 200:
        exchange.error = _status_error(exchange.status or 0, exchange.body)
        return
    try:
        plain, exchange.encrypted_reply = open_reply(exchange.body, account.crypto())
        reply = parse_reply(plain)
    except (ValueError, KeyError, WeRoBotError) as exc:
        exchange.error = f"unreadable reply: {exc}"
        return
    exchange.reply = reply
    if plain.startswith(b"<"):
        exchange.reply_xml = plain.decode("utf-8", "replace")
    encrypted_expected = account.safe_mode and not exchange.encrypted_reply
    if encrypted_expected and reply is not None and plain != b"success":
        exchange.notes.append("plaintext reply to an encrypted push (safe mode rejects it)")
    if reply is not None and reply.target not in (None, user):
        exchange.notes.append(f"ToUserName is {reply.target!r}, not the sender {user!r}")


def deliver(
    http: httpx.Client,
    account: Account,
    request: WeChatRequest,
    request_xml: str,
    *,
    cutoff: float = CUTOFF,
) -> Exchange:
    """Send one delivery of ``request``; WeChat's cut-off applies to each step."""
    exchange = Exchange(request_xml=request_xml, sent=request.body or b"")
    url = httpx.URL(account.url).copy_merge_params(dict(request.query))
    start = time.perf_counter()
    try:
        response = http.post(url, content=exchange.sent, headers=_HEADERS, timeout=cutoff)
    except httpx.TimeoutException:
        exchange.error = f"cut off: no answer within {cutoff:g} s"
    except httpx.TransportError as exc:
        exchange.error = f"cannot connect to {account.url}: {exc}"
    else:
        exchange.status, exchange.body = response.status_code, response.content
    exchange.latency = time.perf_counter() - start
    if exchange.status is not None:
        _read(exchange, account, request.query.get("openid", ""))
    return exchange


@dataclass(frozen=True)
class Verification:
    """The GET WeChat sends when the server URL is saved, and its outcome."""

    echostr: str
    status: int | None
    body: str
    latency: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the server echoed ``echostr`` with a 200, as WeChat requires."""
        return self.status == 200 and self.body == self.echostr


def verify_url(http: httpx.Client, account: Account, *, cutoff: float = CUTOFF) -> Verification:
    """Send the signed GET with a fresh ``echostr`` and report what came back."""
    echostr = str(secrets.randbelow(10**19))
    url = httpx.URL(account.url).copy_merge_params(
        {**signed_query(account.token), "echostr": echostr}
    )
    start = time.perf_counter()
    try:
        response = http.get(url, headers={"User-Agent": "Mozilla/4.0"}, timeout=cutoff)
    except httpx.TimeoutException:
        return Verification(echostr, None, "", cutoff, f"no answer within {cutoff:g} s")
    except httpx.TransportError as exc:
        error = f"cannot connect to {account.url}: {exc}"
        return Verification(echostr, None, "", time.perf_counter() - start, error)
    body = response.content.decode("utf-8", "replace")
    return Verification(echostr, response.status_code, body, time.perf_counter() - start)
