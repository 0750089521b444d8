"""``handle(robot, request)``: the only code that knows the webhook protocol (SPEC §1).

Order: method → signature → replay window → echo (GET) → size → decode and decrypt →
parse → dedup → deadline engine → session lock and load → dispatch → save → render →
encrypt (the middle steps live in :mod:`werobot_core.deadline` and
:mod:`werobot_core.dispatch`). Every bad input ends as a 4xx with a short reason; an
unexpected exception (a bug) is logged with its traceback and answered 200 empty.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from werobot_core import deadline
from werobot_core.deadline import SUCCESS
from werobot_core.dispatch import SyncInLoopError
from werobot_core.exceptions import (
    BadRequest,
    ConfigError,
    PayloadTooLarge,
    StorageUnavailable,
    WeRoBotError,
)
from werobot_core.messages import WeChatMessage
from werobot_core.parser import message_from_dict, open_envelope
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.xmlcodec import parse_xml

if TYPE_CHECKING:
    from werobot_core.robot import BaseRoBot

__all__ = ["CONTENT_TYPE_HTML", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_XML", "handle", "handle_async"]

CONTENT_TYPE_TEXT = "text/plain; charset=utf-8"
CONTENT_TYPE_HTML = "text/html; charset=utf-8"
CONTENT_TYPE_XML = "application/xml; charset=utf-8"
_ENCRYPT_TYPES = frozenset({"", "raw", "aes"})
#: Bodies above this size are decrypted and parsed off the event loop.
_INLINE_BODY = 64 * 1024


def _text(status: int, body: str, **headers: str) -> WeChatResponse:
    return WeChatResponse(status, {"Content-Type": CONTENT_TYPE_TEXT, **headers}, body.encode())


def _empty() -> WeChatResponse:
    return WeChatResponse(200, {"Content-Type": CONTENT_TYPE_TEXT}, b"")


def _check_request(robot: BaseRoBot, request: WeChatRequest) -> WeChatResponse | None:
    """The answer for requests that end before the body is read, else ``None``."""
    if request.method not in ("GET", "POST"):
        return _text(405, "method not allowed", Allow="GET, POST")
    query = request.query
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    if not robot.check_signature(timestamp, nonce, query.get("signature", "")) or (
        not _in_window(robot, timestamp)
    ):
        robot.logger.info("403: bad signature for %s %s", request.method, request.url)
        page = robot.render_error_page(request.url).encode("utf-8")
        return WeChatResponse(403, {"Content-Type": CONTENT_TYPE_HTML}, page)
    if request.method == "GET":
        return _text(200, query.get("echostr", ""))
    return None


def _in_window(robot: BaseRoBot, timestamp: str) -> bool:
    tolerance = robot.config.get("TIMESTAMP_TOLERANCE")
    if tolerance is None:
        return True
    try:
        return abs(robot.clock() - int(timestamp)) <= float(tolerance)
    except (ValueError, OverflowError):  # not a number, or too large for a float
        return False


def _decode(robot: BaseRoBot, request: WeChatRequest) -> tuple[WeChatMessage, bool]:
    """Size check, decryption and parsing; returns the message and whether it was encrypted."""
    body = request.body
    if body is None or len(body) > int(robot.config.get("MAX_BODY_SIZE", 1 << 20)):
        raise PayloadTooLarge("request body too large")
    query = request.query
    encrypt_type = query.get("encrypt_type", "")
    if encrypt_type not in _ENCRYPT_TYPES:
        raise BadRequest(f"unknown encrypt_type {encrypt_type!r}")
    data = parse_xml(body)
    if encrypt_type == "aes" and "Encrypt" not in data:
        raise BadRequest("encrypt_type=aes without <Encrypt>")
    data, plaintext = open_envelope(
        data,
        lambda: robot.crypto,
        query.get("timestamp"),
        query.get("nonce"),
        query.get("msg_signature"),
    )
    if plaintext is None:
        return message_from_dict(data, body.decode("utf-8", errors="replace")), False
    message = message_from_dict(data, plaintext)
    message.mark_decrypted()
    return message, True


def _error(robot: BaseRoBot, exc: WeRoBotError) -> WeChatResponse:
    if isinstance(exc, ConfigError):
        robot.logger.error("500: %s (check APP_ID and ENCODING_AES_KEY)", exc.reason)
        return _text(500, exc.reason)
    if isinstance(exc, StorageUnavailable):
        robot.logger.error("503: %s (backend %s)", exc.reason, exc.backend, exc_info=exc)
    else:
        robot.logger.info("%d: %s", exc.status, exc.reason)
    return _text(exc.status, exc.reason)


def _respond(robot: BaseRoBot, outcome: bytes, encrypted: bool) -> WeChatResponse:
    """The answer for an outcome of :mod:`werobot_core.deadline`."""
    if not outcome:
        return _empty()
    if outcome == SUCCESS:
        return _text(200, "success")
    xml = outcome
    crypto = robot.crypto if encrypted else None
    if crypto is not None:
        xml = crypto.encrypt_message(xml)
    return WeChatResponse(200, {"Content-Type": CONTENT_TYPE_XML}, xml)


def _internal_error(robot: BaseRoBot, request: WeChatRequest, exc: Exception) -> WeChatResponse:
    """A bug, not bad input: logged with its traceback and answered like a failed handler.

    WeChat takes a 200 as delivered, so the user sees no "service failure" and WeChat
    does not retry into the same bug three times; the robot keeps serving.
    """
    robot.logger.error(
        "internal error answering %s %s: %s", request.method, request.url, exc, exc_info=exc
    )
    return _empty()


def handle(robot: BaseRoBot, request: WeChatRequest) -> WeChatResponse:
    """Answer one webhook request; never raises for bad input, never answers a bug 500."""
    try:
        return _handle(robot, request)
    except SyncInLoopError:
        raise
    except Exception as exc:
        return _internal_error(robot, request, exc)


def _handle(robot: BaseRoBot, request: WeChatRequest) -> WeChatResponse:
    arrived = time.monotonic()
    early = _check_request(robot, request)
    if early is not None:
        return early
    try:
        message, encrypted = _decode(robot, request)
        outcome = deadline.deliver(robot, message, arrived)
    except WeRoBotError as exc:
        return _error(robot, exc)
    return _respond(robot, outcome, encrypted)


async def handle_async(robot: BaseRoBot, request: WeChatRequest) -> WeChatResponse:
    """``handle`` for event loops: handlers and session I/O never block the loop."""
    try:
        return await _handle_async(robot, request)
    except Exception as exc:
        return _internal_error(robot, request, exc)


async def _handle_async(robot: BaseRoBot, request: WeChatRequest) -> WeChatResponse:
    arrived = time.monotonic()
    early = _check_request(robot, request)
    if early is not None:
        return early
    try:
        if request.body is not None and len(request.body) > _INLINE_BODY:
            message, encrypted = await asyncio.to_thread(_decode, robot, request)
        else:
            message, encrypted = _decode(robot, request)
        outcome = await deadline.deliver_async(robot, message, arrived)
    except WeRoBotError as exc:
        return _error(robot, exc)
    return _respond(robot, outcome, encrypted)
