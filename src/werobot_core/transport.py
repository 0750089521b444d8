"""Transport helpers shared by the embedded server and the framework adapters.

The first value of each query parameter, the ``MAX_BODY_SIZE`` guard (stop reading a body
that is too large), the status line; ``Servable`` is what serving needs from a robot. None
of them knows anything about the WeChat protocol, which lives in ``handle``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Protocol
from urllib.parse import parse_qsl

# Serving means answering requests: the request path (models, replies, dispatch) is
# imported with the serving layer, so the first request does not pay for it. Building a
# robot alone imports none of it (a fast cold start: robot.py leaves it to first use).
import werobot_core.pipeline  # noqa: F401
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.settings import Settings

__all__ = [
    "BodyBuffer",
    "Servable",
    "max_body_size",
    "parse_length",
    "parse_query",
    "read_body",
    "status_line",
]

_CHUNK = 64 * 1024


class Servable(Protocol):
    """What serving needs from a robot (or an ``Accounts``): settings, logger, pipeline."""

    @property
    def settings(self) -> Settings:
        """The settings (``MAX_BODY_SIZE``, ``SERVER``, ``HOST``, ``PORT``), read now."""

    @property
    def logger(self) -> logging.Logger:
        """Where the server logs."""

    def handle(self, request: WeChatRequest, /) -> WeChatResponse:
        """Answer one request (sync)."""

    async def handle_async(self, request: WeChatRequest, /) -> WeChatResponse:
        """Answer one request on an event loop."""


def max_body_size(robot: Servable) -> int:
    """``MAX_BODY_SIZE`` as configured now (read per request)."""
    return robot.settings.max_body_size


def parse_length(value: str | None) -> int | None:
    """The value of a ``Content-Length`` header, or ``None`` when absent or not a number."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def parse_query(raw: bytes) -> dict[str, str]:
    """The first value of each parameter of a raw query string, percent-decoded as UTF-8."""
    query: dict[str, str] = {}
    text = raw.decode("ascii") if raw.isascii() else ""
    if text and "%" not in text and "+" not in text:  # (str's `in`: bytes' tries int first)
        # nothing to decode (WeChat's queries: hex, digits, openids): what parse_qsl
        # gives, without its per-part unquoting
        for part in text.split("&"):
            if part:
                name, _, value = part.partition("=")
                query.setdefault(name, value)
        return query
    for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        query.setdefault(name, value)
    return query


class BodyBuffer:
    """Collects a request body pushed in chunks, giving up once it exceeds ``limit``.

    ``body`` is the bytes collected, or ``None`` once ``declared`` (the Content-Length) or
    the bytes fed exceed ``limit``; ``full`` tells the caller to stop reading.
    """

    def __init__(self, limit: int, declared: int | None = None) -> None:
        self.limit = limit
        self.full = declared is not None and declared > limit
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        """Add a chunk, unless the body is already over the limit."""
        if self.full:
            return
        self._size += len(chunk)
        if self._size > self.limit:
            self.full = True
            self._chunks.clear()
        else:
            self._chunks.append(chunk)

    @property
    def body(self) -> bytes | None:
        """The collected body, or ``None`` when it is over the limit."""
        return None if self.full else b"".join(self._chunks)


def read_body(read: Callable[[int], bytes], length: int | None, limit: int) -> bytes | None:
    """Read a body from a file-like ``read``: ``length`` bytes, or up to EOF when ``None``.

    Stops reading, and returns ``None``, as soon as the body is known to exceed ``limit``.
    """
    if length is not None and length > limit:
        return None
    budget = limit + 1 if length is None else length  # one byte over the limit tells
    chunks: list[bytes] = []
    received = 0
    while received < budget:
        chunk = read(min(_CHUNK, budget - received))
        if not chunk:
            break
        received += len(chunk)
        chunks.append(chunk)
    return None if received > limit else b"".join(chunks)


_STATUS_LINES = {int(status): f"{int(status)} {status.phrase}" for status in HTTPStatus}


def status_line(status: int) -> str:
    """``"200 OK"``: the status code with its standard reason phrase."""
    return _STATUS_LINES.get(status) or f"{status} Unknown"
