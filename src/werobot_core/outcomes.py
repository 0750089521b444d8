"""What a reply becomes on the wire, and the late paths of the deadline engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werobot_core.messages import WeChatMessage
from werobot_core.replies import (
    ArticlesReply,
    ImageReply,
    MusicReply,
    SuccessReply,
    TextReply,
    VideoReply,
    VoiceReply,
    WeChatReply,
    warn_article_count,
)
from werobot_core.reply_parser import parse_reply

if TYPE_CHECKING:
    from werobot_core.robot import BaseRoBot

__all__ = ["combine_pending", "push_outcome", "render_outcome"]


def render_outcome(reply: WeChatReply | None, message: WeChatMessage) -> bytes:
    """``b""`` for no reply, ``b"success"``, or the reply's plaintext XML."""
    if reply is None:
        return b""
    if isinstance(reply, SuccessReply):
        return b"success"
    warn_article_count(reply, message)
    return reply.to_xml()


def combine_pending(
    robot: BaseRoBot, message: WeChatMessage, reply: WeChatReply | None
) -> tuple[WeChatReply | None, bytes]:
    """Prepend results kept for this user by the ``next_message`` strategy.

    Texts are joined with a blank line; otherwise the oldest kept result is answered
    now and the rest, the new reply included, waits for the user's next message.
    """
    outcome = render_outcome(reply, message)
    if not robot.uses_next_message:
        return reply, outcome
    store = robot.dedup_store
    pending = store.take(message.source)
    if not pending:
        return reply, outcome
    items = pending + ([outcome] if outcome and outcome != b"success" else [])
    replies = [parse_reply(item) for item in items]
    if all(isinstance(r, TextReply) for r in replies):
        text = "\n\n".join(r.content for r in replies if isinstance(r, TextReply))
        joined = TextReply(message, content=text)
        return joined, joined.to_xml()
    for later in items[1:]:
        store.stash(message.source, later, 48 * 3600.0)
    return replies[0], items[0]


def push_outcome(robot: BaseRoBot, message: WeChatMessage, reply: WeChatReply | None) -> None:
    """Send a late reply through the customer-service API (``push`` strategy).

    Failures, such as 45015 (the user has not written in 48 hours), are logged with
    their typed error; this runs after the HTTP answer, so there is no caller to tell.
    """
    if reply is None:
        return
    user = message.source
    try:
        client = robot.client
        if isinstance(reply, TextReply):
            client.send_text_message(user, reply.content)
        elif isinstance(reply, ImageReply):
            client.send_image_message(user, reply.media_id)
        elif isinstance(reply, VoiceReply):
            client.send_voice_message(user, reply.media_id)
        elif isinstance(reply, VideoReply):
            client.send_video_message(user, reply.media_id, reply.title, reply.description)
        elif isinstance(reply, MusicReply):
            client.send_music_message(
                user,
                reply.url,
                reply.hq_url or reply.url,
                reply.thumb_media_id or "",
                reply.title,
                reply.description,
            )
        elif isinstance(reply, ArticlesReply):
            client.send_article_message(user, list(reply.articles))
        else:
            robot.logger.error("cannot push a %s reply", type(reply).__name__)
    except Exception as exc:
        robot.logger.error(
            "push of a late %s reply to %s failed: %s: %s",
            reply.MSG_TYPE,
            user,
            type(exc).__name__,
            exc,
        )
