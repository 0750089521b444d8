"""Replies as plain data: what a reply is (its kind) and its fields, for printing and JSON."""

from __future__ import annotations

from typing import Any

from werobot_core.replies import ArticlesReply, SuccessReply, WeChatReply

__all__ = ["reply_data", "reply_kind"]

_COMMON = frozenset({"source", "target", "time"})


def reply_kind(reply: WeChatReply) -> str:
    """The reply's ``MsgType`` (``news``, ``music``...), or ``success``."""
    return "success" if isinstance(reply, SuccessReply) else reply.MSG_TYPE


def reply_data(reply: WeChatReply) -> dict[str, Any]:
    """``{"kind", "class", "source", "target", "time", "fields"}``; articles as dicts."""
    fields: dict[str, Any] = {}
    for name in type(reply).model_fields:
        if name in _COMMON:
            continue
        value = getattr(reply, name)
        if isinstance(reply, ArticlesReply) and name == "articles":
            value = [article._asdict() for article in reply.articles]
        fields[name] = value
    return {
        "kind": reply_kind(reply),
        "class": type(reply).__name__,
        "source": reply.source,
        "target": reply.target,
        "time": reply.time,
        "fields": fields,
    }
