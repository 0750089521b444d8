"""Fuzzing ``robot.handle`` and ``robot.handle_async``: no input raises, none gets a 5xx.

Generated requests (issue 10 §2.10): XML pushes of every modelled type and of unknown
``MsgType`` / ``Event`` values, with text full of control characters, ``]]>`` and huge
numbers, then mutated (cut, spliced with random bytes, tags renamed); plain random bytes;
wrong, missing and random query parameters; and the same pushes sealed in safe mode (AES),
with the envelope or its signature damaged. The robots have sessions (in memory) and
handlers that write them, sync and ``async def``. Every answer must be one of the statuses
of SPEC §1 but 5xx, and nothing may reach the log as an internal error or a handler error.

``EXAMPLES`` cases per test, 5 tests: 20,000 cases, about 60 s on two cores.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werobot_core import WeChatRequest, WeChatResponse, WeRoBot
from werobot_core.crypto import MessageCrypt
from werobot_core.messages import WeChatMessage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.signature import get_signature
from werobot_core.testing import signed_query

TOKEN = "fuzzToken42"
APP_ID = "wx0123456789abcdef"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
EXAMPLES = 4000
ALLOWED = {200, 400, 403, 405, 413}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _Count(logging.Handler):
    """Counts the records that mean a bug: internal errors and handler failures."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.bugs: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("internal error", "handler failed", "late handler failed")):
            self.bugs.append(message)


BUGS = _Count()
_LOG = logging.getLogger("werobot-fuzz")
_LOG.addHandler(BUGS)
_LOG.propagate = False
_LOG.setLevel(logging.ERROR)


def _make_robot(*, use_async: bool, tolerance: int | None) -> WeRoBot:
    robot = WeRoBot(
        token=TOKEN,
        app_id=APP_ID,
        encoding_aes_key=AES_KEY,
        session_storage=MemoryStorage(),
        logger=_LOG,
        TIMESTAMP_TOLERANCE=tolerance,
    )

    def remember(message: WeChatMessage, session: dict[str, Any]) -> str:
        session["n"] = session.get("n", 0) + 1
        session["last"] = str(getattr(message, "content", None) or message.type)[:50]
        session[message.type] = message.time
        return f"{message.type} #{session['n']}: {session['last']}"

    if use_async:

        @robot.handler
        async def remember_async(message: WeChatMessage, session: dict[str, Any]) -> str:
            return remember(message, session)

    else:
        robot.handler(remember)
    return robot


ROBOTS = {
    "sync": _make_robot(use_async=False, tolerance=None),
    "async": _make_robot(use_async=True, tolerance=300),
}
CRYPT = MessageCrypt(TOKEN, AES_KEY, APP_ID)
LOOP = asyncio.new_event_loop()


@pytest.fixture(scope="module", autouse=True)
def _loop() -> Iterator[None]:
    yield
    LOOP.close()


def _answer(kind: str, request: WeChatRequest) -> WeChatResponse:
    robot = ROBOTS[kind]
    if kind == "sync":
        return robot.handle(request)
    return LOOP.run_until_complete(robot.handle_async(request))


def _check(kind: str, request: WeChatRequest) -> None:
    before = len(BUGS.bugs)
    response = _answer(kind, request)
    assert response.status in ALLOWED, (response, request)
    assert isinstance(response.body, bytes)
    assert BUGS.bugs[before:] == [], request


# -- what is generated ------------------------------------------------------------------

MSG_TYPES = [
    "text", "image", "voice", "video", "shortvideo", "location", "link", "miniprogrampage",
    "event", "EVENT", "Text", "", "unknown_type", "transfer_customer_service", "news",
]  # fmt: skip
EVENTS = [
    "subscribe", "unsubscribe", "SCAN", "LOCATION", "CLICK", "VIEW", "view_miniprogram",
    "scancode_push", "pic_sysphoto", "location_select", "TEMPLATESENDJOBFINISH",
    "MASSSENDJOBFINISH", "PUBLISHJOBFINISH", "subscribe_msg_popup_event", "kf_create_session",
    "WifiConnected", "ShakearoundUserShake", "user_get_card", "card_pay_order", "", "x_event",
    "some_new_event",
]  # fmt: skip
TAGS = [
    "Content", "content", "MsgId", "MsgID", "CreateTime", "PicUrl", "MediaId", "Format",
    "Location_X", "Location_Y", "Scale", "Label", "Title", "Url", "EventKey", "Ticket",
    "Latitude", "Longitude", "Precision", "ScanCodeInfo", "SendPicsInfo", "Count", "PicList",
    "SendLocationInfo", "Status", "TotalCount", "CopyrightCheckResult", "ResultList", "item",
    "PublishEventInfo", "publish_id", "fail_idx", "List", "ChosenBeacon", "AroundBeacons",
    "ConnectTime", "Encrypt", "xml", "source", "raw", "type", "Idx", "MsgDataId",
]  # fmt: skip

huge_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**18, max_value=10**400),
    st.integers(min_value=-(10**400), max_value=-1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet="0123456789.-+eE", max_size=60),
).map(str)
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=20),
    st.sampled_from(["]]>", "a]]>b", "<![CDATA[", "&amp;", "&#0;", "<x/>", "\ufffe", "😀"]),
    huge_numbers,
)
cdata = st.booleans()


def _element(tag: str, value: str, wrap: bool) -> str:
    if wrap:
        return f"<{tag}><![CDATA[{value}]]></{tag}>"
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return f"<{tag}>{escaped}</{tag}>"


@st.composite
def pushes(draw: st.DrawFn) -> bytes:
    """A push as WeChat might send it, with odd values, then perhaps mutated."""
    msg_type = draw(st.sampled_from(MSG_TYPES))
    parts = [
        _element("ToUserName", "gh_fuzz", True),
        _element("FromUserName", draw(st.sampled_from(["o_a", "o_b", "", "o_\x01"])), True),
        _element("CreateTime", draw(huge_numbers), False),
        _element("MsgType", msg_type, draw(cdata)),
    ]
    if msg_type.lower() == "event" and draw(st.booleans()):
        parts.append(_element("Event", draw(st.sampled_from(EVENTS)), draw(cdata)))
    for _ in range(draw(st.integers(0, 6))):
        tag = draw(st.sampled_from(TAGS))
        value = draw(texts)
        if draw(st.integers(0, 5)) == 0:  # a nested element
            inner = _element(draw(st.sampled_from(TAGS)), value, draw(cdata))
            parts.append(f"<{tag}>{inner}{inner}</{tag}>")
        else:
            parts.append(_element(tag, value, draw(cdata)))
    body = ("<xml>" + "".join(draw(st.permutations(parts))) + "</xml>").encode(
        "utf-8", "surrogatepass"
    )
    return draw(mutated(body))


@st.composite
def mutated(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` cut, spliced with random bytes, its tags renamed, or as it is."""
    how = draw(st.integers(0, 7))
    if how == 0 and body:
        return body[: draw(st.integers(0, len(body) - 1))]
    if how == 1:
        at = draw(st.integers(0, len(body)))
        return body[:at] + draw(st.binary(max_size=12)) + body[at:]
    if how == 2:
        old = draw(st.sampled_from(["xml", "MsgType", "Content", "Event", "CDATA", "<", ">"]))
        new = draw(st.sampled_from(["", "XML", "msgtype", "x y", "!DOCTYPE", "<<", "&"]))
        return body.replace(old.encode(), new.encode(), draw(st.integers(1, 3)))
    if how == 3:
        return draw(st.sampled_from([b"", b"<xml/>", b"<?xml version='1.0'?>", b"\x00"])) + body
    return body


bodies = st.one_of(
    pushes(),
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"<xml>",
            b"<!DOCTYPE x [<!ENTITY a 'b'>]><xml>&a;</xml>",
            b"<xml><MsgType>text</MsgType></xml>",
            b"<root/>",
        ]
    ),
)
timestamps = st.one_of(
    st.just("now"), huge_numbers, st.text(max_size=12), st.sampled_from(["", "-1", "0"])
)
query_text = st.text(max_size=30)


def _timestamp(value: str) -> str:
    import time

    return str(int(time.time())) if value == "now" else value


@st.composite
def plain_requests(draw: st.DrawFn) -> WeChatRequest:
    """A POST (or another method) of a generated body, signed or not."""
    body = draw(bodies)
    timestamp, nonce = _timestamp(draw(timestamps)), draw(query_text)
    query = {"timestamp": timestamp, "nonce": nonce}
    if draw(st.integers(0, 5)):
        query["signature"] = get_signature(TOKEN, timestamp, nonce)
    elif draw(st.booleans()):
        query["signature"] = draw(query_text)
    for name in draw(st.lists(st.sampled_from(["encrypt_type", "msg_signature", "openid", "x"]))):
        query[name] = draw(st.one_of(query_text, st.sampled_from(["aes", "raw", "AES"])))
    method = draw(st.sampled_from(["POST"] * 8 + ["GET", "PUT", "HEAD", "post"]))
    if method == "GET" and draw(st.booleans()):
        query["echostr"] = draw(query_text)
    oversize = draw(st.integers(0, 40)) == 0
    return WeChatRequest(method, query, None if oversize else body)


@st.composite
def aes_requests(draw: st.DrawFn) -> WeChatRequest:
    """A push sealed in safe mode; the envelope, its signature or its query damaged."""
    plain = draw(st.one_of(pushes(), st.binary(max_size=80)))
    query = signed_query(TOKEN, nonce=draw(st.text("0123456789", min_size=1, max_size=10)))
    envelope = CRYPT.encrypt_message(plain, query["timestamp"], query["nonce"]).decode()
    encrypt = envelope.split("<Encrypt><![CDATA[", 1)[1].split("]]>", 1)[0]
    msg_signature = get_signature(TOKEN, query["timestamp"], query["nonce"], encrypt)
    damage = draw(st.integers(0, 6))
    if damage == 1:
        at = draw(st.integers(0, len(encrypt) - 1))
        encrypt = encrypt[:at] + draw(st.sampled_from("A/+=\x00é")) + encrypt[at + 1 :]
        msg_signature = get_signature(TOKEN, query["timestamp"], query["nonce"], encrypt)
    elif damage == 2:
        msg_signature = draw(st.sampled_from(["", "0" * 40, msg_signature[::-1]]))
    elif damage == 3:
        encrypt = encrypt[: draw(st.integers(0, len(encrypt)))]
        msg_signature = get_signature(TOKEN, query["timestamp"], query["nonce"], encrypt)
    body = f"<xml><ToUserName><![CDATA[gh_fuzz]]></ToUserName><Encrypt>{encrypt}</Encrypt>"
    if draw(st.booleans()):  # compat mode: plaintext fields beside the ciphertext
        body += "<MsgType>text</MsgType><Content>beside</Content>"
    raw = (body + "</xml>").encode()
    if damage == 4:
        raw = draw(mutated(raw))
    query.update(encrypt_type=draw(st.sampled_from(["aes", "aes", "", "raw"])))
    if msg_signature or draw(st.booleans()):
        query["msg_signature"] = msg_signature
    return WeChatRequest("POST", query, raw)


# -- the tests: 5 x EXAMPLES cases ------------------------------------------------------


@FUZZ
@given(plain_requests())
def test_fuzz_plain_handle(request: WeChatRequest) -> None:
    _check("sync", request)


@FUZZ
@given(plain_requests())
def test_fuzz_plain_handle_async(request: WeChatRequest) -> None:
    _check("async", request)


@FUZZ
@given(aes_requests())
def test_fuzz_aes_handle(request: WeChatRequest) -> None:
    _check("sync", request)


@FUZZ
@given(aes_requests())
def test_fuzz_aes_handle_async(request: WeChatRequest) -> None:
    _check("async", request)


@FUZZ
@given(st.one_of(plain_requests(), aes_requests()), st.sampled_from(["sync", "async"]))
def test_fuzz_mixed(request: WeChatRequest, kind: str) -> None:
    _check(kind, request)


def test_the_fuzzed_robots_served_and_saved_sessions() -> None:
    """The generator reaches the handlers: sessions were written by both robots (by this
    test's own examples, drawn the same way each run: it holds alone or first, never by luck)."""

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(st.one_of(plain_requests(), aes_requests()))
    def serve_both(request: WeChatRequest) -> None:
        for kind in ROBOTS:
            _check(kind, request)

    serve_both()
    for robot in ROBOTS.values():
        storage = robot.session_storage
        assert isinstance(storage, MemoryStorage)
        assert any(storage.get(user).get("n") for user in ("o_a", "o_b", ""))
