"""``handle(robot, request)``: the only code that knows the webhook protocol (SPEC §1).

``handle(robot, request)`` (or ``handle(router, engine, request)``) answers one request:
the robot, or an ``Accounts`` of several, picks the router and the engine with
``route(request)``; everything after that reads only those two.

Order: method → signature → replay window → echo (GET) → size → decode and decrypt →
parse → dedup → deadline engine → session lock and load → dispatch → save → render →
encrypt (the middle steps live in :mod:`werobot_core.deadline` and
:mod:`werobot_core.dispatch`). Every bad input ends as a 4xx with a short reason; an
unexpected exception (a bug) is logged with its traceback and answered 200 empty.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, overload

from werobot_core import deadline
from werobot_core.deadline import SUCCESS
from werobot_core.dispatch import SyncInLoopError
from werobot_core.engine import Engine
from werobot_core.exceptions import (
    BadRequest,
    ConfigError,
    PayloadTooLarge,
    StorageUnavailable,
    WeRoBotError,
)
from werobot_core.messages import WeChatMessage
from werobot_core.parser import message_from_fields, open_envelope
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.routing import Router
from werobot_core.settings import Settings
from werobot_core.signature import check_signature
from werobot_core.xmlcodec import parse_xml_and_text

__all__ = [
    "CONTENT_TYPE_HTML",
    "CONTENT_TYPE_TEXT",
    "CONTENT_TYPE_XML",
    "Routes",
    "handle",
    "handle_async",
]

CONTENT_TYPE_TEXT = "text/plain; charset=utf-8"
CONTENT_TYPE_HTML = "text/html; charset=utf-8"
CONTENT_TYPE_XML = "application/xml; charset=utf-8"
_ENCRYPT_TYPES = frozenset({"", "raw", "aes"})
#: Bodies above this size are decrypted and parsed off the event loop.
_INLINE_BODY = 64 * 1024


class Routes(Protocol):
    """What serves requests: a robot, or an ``Accounts`` of several robots' engines."""

    def route(self, request: WeChatRequest) -> tuple[Router, Engine]:
        """The router and the engine of ``request`` (a ``WeRoBotError`` for none)."""
        ...


def _text(status: int, body: str, **headers: str) -> WeChatResponse:
    return WeChatResponse(status, {"Content-Type": CONTENT_TYPE_TEXT, **headers}, body.encode())


def _empty() -> WeChatResponse:
    return WeChatResponse(200, {"Content-Type": CONTENT_TYPE_TEXT}, b"")


def _check_request(
    router: Router, engine: Engine, settings: Settings, request: WeChatRequest
) -> WeChatResponse | None:
    """The answer for requests that end before the body is read, else ``None``."""
    if request.method not in ("GET", "POST"):
        return _text(405, "method not allowed", Allow="GET, POST")
    query = request.query
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    # (False without a TOKEN: check_signature refuses any empty or None input)
    valid = check_signature(settings.token, timestamp, nonce, query.get("signature", ""))
    tolerance = settings.timestamp_tolerance
    if valid and tolerance is not None:  # the replay window
        try:
            valid = abs(engine.clock() - int(timestamp)) <= tolerance
        except (ValueError, OverflowError):  # not a number, or too large for a float
            valid = False
    if not valid:
        engine.logger.info("403: bad signature for %s %s", request.method, request.url)
        page = router.render_error_page(request.url).encode("utf-8")
        return WeChatResponse(403, {"Content-Type": CONTENT_TYPE_HTML}, page)
    if request.method == "GET":
        return _text(200, query.get("echostr", ""))
    return None


def _decode(
    engine: Engine, settings: Settings, request: WeChatRequest
) -> tuple[WeChatMessage, bool]:
    """Size check, decryption and parsing; returns the message and whether it was encrypted."""
    body = request.body
    if body is None or len(body) > settings.max_body_size:
        raise PayloadTooLarge("request body too large")
    query = request.query
    encrypt_type = query.get("encrypt_type", "")
    if encrypt_type not in _ENCRYPT_TYPES:
        raise BadRequest(f"unknown encrypt_type {encrypt_type!r}")
    data, text = parse_xml_and_text(body)
    plaintext = None
    if "Encrypt" in data:  # (a plaintext push skips open_envelope and its lambda)
        data, plaintext = open_envelope(
            data,
            lambda: engine.crypto,
            query.get("timestamp"),
            query.get("nonce"),
            query.get("msg_signature"),
        )
    elif encrypt_type == "aes":
        raise BadRequest("encrypt_type=aes without <Encrypt>")
    account = settings.app_id
    if plaintext is None:  # a plaintext push, or compat mode without keys
        return message_from_fields(data, text, False, account), False
    return message_from_fields(data, plaintext, True, account), True


def _error(engine: Engine, exc: WeRoBotError) -> WeChatResponse:
    if isinstance(exc, ConfigError):
        engine.logger.error("500: %s (check APP_ID and ENCODING_AES_KEY)", exc.reason)
        return _text(500, exc.reason)
    if isinstance(exc, StorageUnavailable):
        engine.logger.error("503: %s (backend %s)", exc.reason, exc.backend, exc_info=exc)
    else:
        engine.logger.info("%d: %s", exc.status, exc.reason)
    return _text(exc.status, exc.reason)


def _respond(engine: Engine, outcome: bytes, encrypted: bool) -> WeChatResponse:
    """The answer for an outcome of :mod:`werobot_core.deadline`."""
    if not outcome:
        return _empty()
    if outcome == SUCCESS:
        return _text(200, "success")
    xml = outcome
    crypto = engine.crypto if encrypted else None
    if crypto is not None:
        xml = crypto.encrypt_message(xml)
    return WeChatResponse(200, {"Content-Type": CONTENT_TYPE_XML}, xml)


def _internal_error(engine: Engine, request: WeChatRequest, exc: Exception) -> WeChatResponse:
    """A bug, not bad input: logged with its traceback and answered like a failed handler.

    WeChat takes a 200 as delivered, so the user sees no "service failure" and WeChat
    does not retry into the same bug three times; the robot keeps serving.
    """
    engine.logger.error(
        "internal error answering %s %s: %s", request.method, request.url, exc, exc_info=exc
    )
    return _empty()


@overload
def handle(routes: Routes, request: WeChatRequest, /) -> WeChatResponse: ...
@overload
def handle(router: Router, engine: Engine, request: WeChatRequest, /) -> WeChatResponse: ...


def handle(first: Any, second: Any, third: Any = None, /) -> WeChatResponse:
    """Answer one webhook request; never raises for bad input, never answers a bug 500.

    ``handle(robot, request)`` or ``handle(router, engine, request)``.
    """
    if third is None:
        routed = _route(first, second)
        return routed if isinstance(routed, WeChatResponse) else handle(*routed, second)
    router: Router = first
    engine: Engine = second
    request: WeChatRequest = third
    try:  # (inline, not a helper: a Python frame costs ~0.5k instructions per request)
        settings = engine.settings
        early = _check_request(router, engine, settings, request)
        if early is not None:
            return early
        try:
            message, encrypted = _decode(engine, settings, request)
            # (the arrival time is read there, when a deadline needs it: after the parse,
            # some 0.1 ms later, and not at all on the default first delivery)
            outcome = deadline.deliver(router, engine, settings, message)
        except WeRoBotError as exc:
            return _error(engine, exc)
        return _respond(engine, outcome, encrypted)
    except SyncInLoopError:
        raise
    except Exception as exc:
        return _internal_error(engine, request, exc)


def _route(routes: Routes, request: WeChatRequest) -> tuple[Router, Engine] | WeChatResponse:
    """The router and engine of ``request``, or the answer when there are none (404)."""
    try:
        return routes.route(request)
    except WeRoBotError as exc:
        return _text(exc.status, exc.reason)


@overload
async def handle_async(routes: Routes, request: WeChatRequest, /) -> WeChatResponse: ...
@overload
async def handle_async(
    router: Router, engine: Engine, request: WeChatRequest, /
) -> WeChatResponse: ...


async def handle_async(first: Any, second: Any, third: Any = None, /) -> WeChatResponse:
    """``handle`` for event loops: handlers and session I/O never block the loop."""
    if third is None:
        routed = _route(first, second)
        if isinstance(routed, WeChatResponse):
            return routed
        return await handle_async(*routed, second)
    try:
        return await _handle_async(first, second, third)
    except Exception as exc:
        return _internal_error(second, third, exc)


async def _handle_async(router: Router, engine: Engine, request: WeChatRequest) -> WeChatResponse:
    arrived = time.monotonic()
    settings = engine.settings
    early = _check_request(router, engine, settings, request)
    if early is not None:
        return early
    try:
        if request.body is not None and len(request.body) > _INLINE_BODY:
            message, encrypted = await engine.in_pool(_decode, engine, settings, request)
        else:
            message, encrypted = _decode(engine, settings, request)
        outcome = await deadline.deliver_async(router, engine, settings, message, arrived)
    except WeRoBotError as exc:
        return _error(engine, exc)
    return _respond(engine, outcome, encrypted)
