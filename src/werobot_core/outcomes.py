"""What a reply becomes on the wire, and the late paths of the deadline engine."""

from __future__ import annotations

from werobot_core import late
from werobot_core.engine import Engine
from werobot_core.messages import WeChatMessage
from werobot_core.replies import TextReply, WeChatReply, render_outcome
from werobot_core.reply_parser import parse_reply
from werobot_core.routing import Router
from werobot_core.settings import Settings

__all__ = ["combine_pending", "keeps_results", "push_outcome"]


def keeps_results(router: Router, settings: Settings) -> bool:
    """Whether a result may wait for the user's next message (``next_message`` anywhere)."""
    return router.uses_next_message or settings.deadline_strategy == "next_message"


def combine_pending(
    router: Router, engine: Engine, message: WeChatMessage, reply: WeChatReply | None
) -> tuple[WeChatReply | None, bytes]:
    """Prepend results kept for this user by the ``next_message`` strategy.

    Texts are joined with a blank line; otherwise the oldest kept result is answered
    now and the rest, the new reply included, waits for the user's next message.
    """
    outcome = render_outcome(reply, message)
    # 48001 (no customer-service API): push falls back to keeping
    if not keeps_results(router, engine.settings) and not late.push_unavailable(engine):
        return reply, outcome
    store, user = engine.dedup_store, engine.user_key(message)
    pending = store.take(user)
    if not pending:
        return reply, outcome
    items = pending + ([outcome] if outcome and outcome != b"success" else [])
    replies = [parse_reply(item) for item in items]
    if all(isinstance(r, TextReply) for r in replies):
        text = "\n\n".join(r.content for r in replies if isinstance(r, TextReply))
        joined = TextReply(message, content=text)
        return joined, joined.to_xml()
    for later in items[1:]:
        store.stash(user, later, 48 * 3600.0)
    return replies[0], items[0]


def push_outcome(engine: Engine, message: WeChatMessage, reply: WeChatReply | None) -> None:
    """Send a late reply through the customer-service API (``push`` strategy).

    Failures, such as 45015 (the user has not written in 48 hours), are logged with
    their typed error; this runs after the HTTP answer, so there is no caller to tell.
    """
    if reply is None:
        return
    try:
        reply.send_with(engine.client, message.source)
    except Exception as exc:
        engine.logger.error(
            "push of a late %s reply to %s failed: %s: %s",
            reply.MSG_TYPE or type(reply).__name__,
            message.source,
            type(exc).__name__,
            exc,
        )
