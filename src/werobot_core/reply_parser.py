"""Reading a rendered reply back into its model: the inverse of ``WeChatReply.to_xml``.

The ``next_message`` strategy uses it to join kept texts; the test kit and the CLI use it to
show what a robot answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werobot_core.replies import (
    Article,
    ArticlesReply,
    ImageReply,
    MusicReply,
    SuccessReply,
    TextReply,
    TransferCustomerServiceReply,
    VideoReply,
    VoiceReply,
    WeChatReply,
)
from werobot_core.xmlcodec import XmlValue, parse_xml

__all__ = ["parse_reply"]


_REPLY_BODIES: dict[str, type[WeChatReply]] = {
    c.MSG_TYPE: c
    for c in (
        TextReply,
        ImageReply,
        VoiceReply,
        VideoReply,
        MusicReply,
        ArticlesReply,
        TransferCustomerServiceReply,
    )
}


def parse_reply(body: bytes | str) -> WeChatReply | None:
    """Read a rendered reply back into its model (``None`` for an empty answer)."""
    if not body or body in (b"success", "success"):
        return SuccessReply() if body in (b"success", "success") else None
    data = parse_xml(body)
    cls = _REPLY_BODIES[str(data.get("MsgType"))]
    common: dict[str, Any] = {
        "source": data.get("FromUserName"),
        "target": data.get("ToUserName"),
        "time": int(str(data.get("CreateTime") or 0)),
    }
    return cls(None, **common, **_reply_fields(cls, data))


def _reply_fields(cls: type[WeChatReply], data: Mapping[str, XmlValue]) -> dict[str, Any]:
    def sub(tag: str) -> dict[str, Any]:
        value = data.get(tag)
        return value if isinstance(value, dict) else {}

    if cls is TextReply:
        return {"content": data.get("Content") or ""}
    if cls in (ImageReply, VoiceReply):
        return {"media_id": sub(cls.MSG_TYPE.capitalize()).get("MediaId") or ""}
    if cls is VideoReply:
        video = sub("Video")
        return {
            "media_id": video.get("MediaId") or "",
            "title": video.get("Title") or "",
            "description": video.get("Description") or "",
        }
    if cls is MusicReply:
        music = sub("Music")
        return {
            "title": music.get("Title") or "",
            "description": music.get("Description") or "",
            "url": music.get("MusicUrl") or "",
            "hq_url": music.get("HQMusicUrl"),
            "thumb_media_id": music.get("ThumbMediaId"),
        }
    if cls is ArticlesReply:
        items = sub("Articles").get("item")
        rows = items if isinstance(items, list) else [items] if items else []
        return {
            "articles": [
                Article(
                    r.get("Title") or "",
                    r.get("Description") or "",
                    r.get("PicUrl") or "",
                    r.get("Url") or "",
                )
                for r in rows
            ]
        }
    return {"account": sub("TransInfo").get("KfAccount")}
