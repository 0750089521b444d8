"""Slow handlers at scale (issue 13): long texts split, the typing indicator, the fallback of
accounts without the customer-service API, and one delivery of a late answer.

- :func:`split_text` cuts a text into parts of at most ``TEXT_LIMIT`` bytes of UTF-8 (2048,
  WeChat's limit of a passive text reply and of a customer-service text), on paragraph,
  line, sentence, then word boundaries, never inside a character.
- :class:`Typing` shows "typing…" to a user through ``message/custom/typing`` from the moment
  a handler misses its deadline under ``push``, again every ``TYPING_INTERVAL`` seconds, and
  ``CancelTyping`` once the answer has gone out.
- An account that answers ``48001`` (no customer-service API: an unverified account) is
  remembered: its late answers are kept for the user's next message (``next_message``), and
  the deliveries that miss their deadline afterwards answer ``NEXT_MESSAGE_HINT``.
- :func:`deliver_late` sends a late outcome (push, in order) or keeps it (next_message);
  with a ``delivery`` key it sends it once even when a queue runs the job twice.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from typing import TYPE_CHECKING

from werobot_core.messages import WeChatMessage
from werobot_core.replies import TextReply, WeChatReply
from werobot_core.reply_parser import parse_reply
from werobot_core.settings import Strategy

if TYPE_CHECKING:
    from werobot_core.engine import Engine

__all__ = [
    "PENDING_TTL",
    "Typing",
    "deliver_late",
    "follow_up",
    "push_unavailable",
    "split_outcome",
    "split_text",
]

#: How long a result waits for the user's next message (``next_message``).
PENDING_TTL = 48 * 3600.0
#: How long a delivery record (one answer per push) is kept.
DELIVERED_TTL = 48 * 3600.0
#: The wait between a passive first part and the customer-service messages that follow it,
#: so that the first part reaches the user first.
FOLLOW_DELAY = 0.5
#: errcode of an account without the customer-service API.
UNAUTHORIZED = 48001
#: How long an account is remembered as having no customer-service API (a restart, or
#: this, forgets it: an account may be verified meanwhile).
UNAVAILABLE_TTL = 7 * 24 * 3600.0

_SUCCESS = b"success"
# Where a text may be cut, best first: paragraphs, lines, sentence ends, spaces.
_BREAKS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[。！？!?；;])|(?<=[.…])(?=\s)"),
    re.compile(r"(?<=[，,、：:])|\s"),
)
_unavailable: weakref.WeakSet[Engine] = weakref.WeakSet()


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> int:
    """The end of the longest prefix of ``text`` within ``limit`` bytes, at a boundary."""
    room = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")  # whole characters
    if len(room) == len(text):
        return len(text)
    floor = len(room) // 3  # a part is never cut much shorter than it could be
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(room) if m.end() > floor]
        if ends:
            return ends[-1]
    return len(room)


def split_text(text: str, limit: int = 2048) -> list[str]:
    """``text`` as parts of at most ``limit`` UTF-8 bytes, in order.

    Cut at the last paragraph break that fits, else the last line break, sentence end or
    space; a part without any is cut at a character boundary. Whitespace at a cut is
    dropped; nothing else is lost (a text of nothing but whitespace keeps its first
    ``limit`` bytes).
    """
    if _size(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while rest and _size(rest) > limit:
        end = max(_cut(rest, limit), 1)
        part = rest[:end].rstrip()
        if part:
            parts.append(part)
        rest = rest[end:].lstrip()
    if rest:
        parts.append(rest)
    return parts or [text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")]


def split_outcome(outcome: bytes, limit: int, message: WeChatMessage) -> list[bytes]:
    """A rendered outcome as outcomes that each fit: ``[outcome]`` unless it is a text reply
    whose content is over ``limit`` bytes."""
    if len(outcome) <= limit:  # the content is shorter than its XML
        return [outcome]
    reply = parse_reply(outcome)
    if not isinstance(reply, TextReply) or _size(reply.content) <= limit:
        return [outcome]
    return [TextReply(message, content=part).to_xml() for part in split_text(reply.content, limit)]


def _flag(engine: Engine) -> str:
    return "no-customer-service:" + engine.namespace


def push_unavailable(engine: Engine) -> bool:
    """Whether ``engine``'s account answered 48001: no customer-service API.

    Remembered in this process; with ``DEADLINE_QUEUE`` (where the queue workers learn it)
    also read from the shared dedup store.
    """
    if engine in _unavailable:
        return True
    if engine.settings.deadline_queue == "pool":
        return False
    if engine.dedup_store.wait(_flag(engine), 0.0) is None:
        return False
    _unavailable.add(engine)
    return True


def _unauthorized(engine: Engine, exc: BaseException) -> bool:
    if getattr(exc, "errcode", None) == UNAUTHORIZED:
        if engine not in _unavailable:
            engine.logger.warning(
                "the account has no customer-service API (48001): late answers are kept "
                "for the user's next message (next_message) from now on"
            )
            _unavailable.add(engine)
            engine.dedup_store.finish(_flag(engine), b"48001", UNAVAILABLE_TTL)
        return True
    return False


class Typing:
    """Shows "typing…" to ``user`` until :meth:`stop` (a daemon thread; 48001 stops it)."""

    def __init__(self, engine: Engine, user: str, interval: float, start_at: float = 0.0) -> None:
        self.engine, self.user, self.interval = engine, user, interval
        self.sent = 0
        self.first = threading.Event()  # the first Typing has been answered (or failed)
        self._stop = threading.Event()
        self._start_at = start_at
        self._thread = threading.Thread(target=self._run, name="werobot-typing", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        wait = self._start_at - time.time()
        if wait > 0 and self._stop.wait(wait):
            self.first.set()
            return
        while not self._stop.is_set():
            try:
                self.engine.client.send_typing(self.user, "Typing")
                self.sent += 1
            except Exception as exc:
                if not _unauthorized(self.engine, exc):
                    self.engine.logger.warning("typing indicator for %s: %s", self.user, exc)
                self.first.set()
                return
            self.first.set()
            if self._stop.wait(self.interval):
                return

    def stop(self, cancel: bool = True) -> None:
        """Stop sending; ``CancelTyping`` when one ``Typing`` went out and ``cancel``."""
        self._stop.set()
        self._thread.join(5.0)
        if cancel and self.sent:
            try:
                self.engine.client.send_typing(self.user, "CancelTyping")
            except Exception as exc:
                self.engine.logger.warning("CancelTyping for %s: %s", self.user, exc)


def start_typing(engine: Engine, message: WeChatMessage, start_at: float = 0.0) -> Typing | None:
    """A :class:`Typing` for ``message``'s sender, unless turned off or unavailable."""
    settings = engine.settings
    if not settings.typing_indicator or push_unavailable(engine):
        return None
    return Typing(engine, message.source, settings.typing_interval, start_at)


def _push(engine: Engine, message: WeChatMessage, parts: list[WeChatReply]) -> bool:
    """Send ``parts`` in order; ``False`` when the account turned out to have no
    customer-service API (nothing was sent)."""
    for index, reply in enumerate(parts):
        try:
            reply.send_with(engine.client, message.source)
        except Exception as exc:
            if index == 0 and _unauthorized(engine, exc):
                return False
            engine.logger.error(
                "push of a late %s reply to %s failed: %s: %s",
                reply.MSG_TYPE or type(reply).__name__,
                message.source,
                type(exc).__name__,
                exc,
            )
            return True
    return True


def deliver_late(
    engine: Engine,
    message: WeChatMessage,
    strategy: Strategy,
    reply: WeChatReply | None,
    outcome: bytes,
    typing: Typing | None = None,
    delivery: str | None = None,
) -> None:
    """A result that missed its deadline: pushed (split when too long, in order), or kept
    for the user's next message; an account without the customer-service API keeps it.

    ``delivery`` (a dedup key) records the push in the dedup store, so that a job run twice
    (a queue delivers at least once) answers once.
    """
    try:
        if not outcome or outcome == _SUCCESS:
            return
        store = engine.dedup_store
        if delivery is not None:
            claim = store.claim("delivered:" + delivery, DELIVERED_TTL)
            if not claim.first:
                engine.logger.info("late answer of %s already delivered", delivery)
                return
        limit = engine.settings.text_limit
        outcomes = split_outcome(outcome, limit, message)
        if strategy == "push" and not push_unavailable(engine):
            if typing is not None:
                typing.stop(cancel=False)
            parts: list[WeChatReply] = []
            if len(outcomes) > 1 or reply is None:
                parts = [r for r in map(parse_reply, outcomes) if r is not None]
            else:
                parts = [reply]
            if _push(engine, message, parts):
                if delivery is not None:
                    store.finish("delivered:" + delivery, b"pushed", DELIVERED_TTL)
                return
        user = engine.user_key(message)
        for item in outcomes:
            store.stash(user, item, PENDING_TTL)
        if delivery is not None:
            store.finish("delivered:" + delivery, b"kept", DELIVERED_TTL)
    finally:
        if typing is not None:
            typing.stop()


def follow_up(
    engine: Engine, message: WeChatMessage, strategy: Strategy, rest: list[bytes]
) -> None:
    """The parts after a passive first part: pushed in order after ``FOLLOW_DELAY``
    (``retry``, ``push``), or kept for the user's next messages (``next_message``)."""
    if not rest:
        return
    if strategy == "next_message" or push_unavailable(engine):
        user = engine.user_key(message)
        for item in rest:
            engine.dedup_store.stash(user, item, PENDING_TTL)
        return

    def send() -> None:
        time.sleep(FOLLOW_DELAY)
        parts = [r for r in map(parse_reply, rest) if r is not None]
        if not _push(engine, message, parts):
            for item in rest:
                engine.dedup_store.stash(engine.user_key(message), item, PENDING_TTL)

    engine.pool.submit(send)


def in_time(engine: Engine, message: WeChatMessage, strategy: Strategy, outcome: bytes) -> bytes:
    """The passive answer of an outcome ready in time: its first part when it is a text over
    ``TEXT_LIMIT``, the rest following it (:func:`follow_up`)."""
    limit = engine.settings.text_limit
    if len(outcome) <= limit:
        return outcome
    parts = split_outcome(outcome, limit, message)
    follow_up(engine, message, strategy, parts[1:])
    return parts[0]
