"""Passive replies: what a handler returns, rendered into the HTTP response (SPEC §5).

WeChat's reference: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
"""

from __future__ import annotations

import logging
import time as _time
from collections.abc import Sequence
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict, Unpack

from werobot_core.messages.base import BaseEvent, WeChatMessage
from werobot_core.xmlcodec import XmlOut, render_text_reply, render_xml

__all__ = [
    "Article",
    "ArticlesReply",
    "ImageReply",
    "MusicReply",
    "SuccessReply",
    "TextReply",
    "TransferCustomerServiceReply",
    "VideoReply",
    "VoiceReply",
    "WeChatReply",
    "process_function_reply",
]

logger = logging.getLogger("WeRoBot")

#: WeRoBot's cap on ``ArticlesReply.add_article``.
MAX_ARTICLES = 10


class ReplyCommon(TypedDict, total=False):
    """The keyword arguments every reply accepts."""

    source: str | None
    target: str | None
    time: int | None


class WeChatReply(BaseModel):
    """Base of every passive reply. ``message`` fills ``source``/``target`` (swapped)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    MSG_TYPE: ClassVar[str] = ""

    source: str | None = None
    """The official account's id (rendered as ``FromUserName``)."""
    target: str | None = None
    """The user's openid (rendered as ``ToUserName``)."""
    time: int | None = None
    """``CreateTime``; the render time when ``None``."""

    def __init__(self, message: WeChatMessage | None = None, **data: Any) -> None:
        if message is not None:
            if data.get("source") is None:
                data["source"] = message.target
            if data.get("target") is None:
                data["target"] = message.source
        super().__init__(**data)

    def body(self) -> list[tuple[str, XmlOut]]:
        """The elements after ``MsgType``."""
        return []

    def to_xml(self) -> bytes:
        """The reply as WeChat expects it: UTF-8 XML, every string in CDATA."""
        head: list[tuple[str, XmlOut]] = [
            ("ToUserName", self.target),
            ("FromUserName", self.source),
            ("CreateTime", int(_time.time()) if self.time is None else self.time),
            ("MsgType", self.MSG_TYPE),
        ]
        return render_xml(head + self.body())

    def render(self) -> str:
        """The reply XML as text (WeRoBot's ``render``)."""
        return self.to_xml().decode("utf-8")


class TextReply(WeChatReply):
    """A text reply."""

    MSG_TYPE: ClassVar[str] = "text"
    content: str = ""

    def __init__(
        self,
        message: WeChatMessage | None = None,
        *,
        content: str = "",
        **common: Unpack[ReplyCommon],
    ) -> None:
        super().__init__(message, content=content, **common)

    def body(self) -> list[tuple[str, XmlOut]]:
        return [("Content", self.content)]

    def to_xml(self) -> bytes:
        created = int(_time.time()) if self.time is None else self.time
        return render_text_reply(self.target, self.source, created, self.content)


class ImageReply(WeChatReply):
    """An image reply (a ``media_id`` from the media API)."""

    MSG_TYPE: ClassVar[str] = "image"
    media_id: str

    def __init__(
        self, message: WeChatMessage | None = None, *, media_id: str, **common: Unpack[ReplyCommon]
    ) -> None:
        super().__init__(message, media_id=media_id, **common)

    def body(self) -> list[tuple[str, XmlOut]]:
        return [("Image", [("MediaId", self.media_id)])]


class VoiceReply(WeChatReply):
    """A voice reply."""

    MSG_TYPE: ClassVar[str] = "voice"
    media_id: str

    def __init__(
        self, message: WeChatMessage | None = None, *, media_id: str, **common: Unpack[ReplyCommon]
    ) -> None:
        super().__init__(message, media_id=media_id, **common)

    def body(self) -> list[tuple[str, XmlOut]]:
        return [("Voice", [("MediaId", self.media_id)])]


class VideoReply(WeChatReply):
    """A video reply."""

    MSG_TYPE: ClassVar[str] = "video"
    media_id: str
    title: str = ""
    description: str = ""

    def __init__(
        self,
        message: WeChatMessage | None = None,
        *,
        media_id: str,
        title: str = "",
        description: str = "",
        **common: Unpack[ReplyCommon],
    ) -> None:
        super().__init__(message, media_id=media_id, title=title, description=description, **common)

    def body(self) -> list[tuple[str, XmlOut]]:
        video: list[tuple[str, XmlOut]] = [
            ("MediaId", self.media_id),
            ("Title", self.title),
            ("Description", self.description),
        ]
        return [("Video", video)]


class MusicReply(WeChatReply):
    """A music reply; ``hq_url`` defaults to ``url``."""

    MSG_TYPE: ClassVar[str] = "music"
    title: str = ""
    description: str = ""
    url: str = ""
    hq_url: str | None = None
    thumb_media_id: str | None = None

    def __init__(
        self,
        message: WeChatMessage | None = None,
        *,
        title: str = "",
        description: str = "",
        url: str = "",
        hq_url: str | None = None,
        thumb_media_id: str | None = None,
        **common: Unpack[ReplyCommon],
    ) -> None:
        super().__init__(
            message,
            title=title,
            description=description,
            url=url,
            hq_url=hq_url,
            thumb_media_id=thumb_media_id,
            **common,
        )

    def body(self) -> list[tuple[str, XmlOut]]:
        music: list[tuple[str, XmlOut]] = [
            ("Title", self.title),
            ("Description", self.description),
            ("MusicUrl", self.url),
            ("HQMusicUrl", self.url if self.hq_url is None else self.hq_url),
        ]
        if self.thumb_media_id is not None:
            music.append(("ThumbMediaId", self.thumb_media_id))
        return [("Music", music)]


class Article(NamedTuple):
    """One article of a news reply: ``Article(title, description, img, url)``."""

    title: str = ""
    description: str = ""
    img: str = ""
    url: str = ""

    @property
    def args(self) -> tuple[str, str, str, str]:
        """``(title, description, img, url)``."""
        return (self.title, self.description, self.img, self.url)


class ArticlesReply(WeChatReply):
    """A news reply of up to 10 articles (WeChat shows 1 in answer to a user message)."""

    MSG_TYPE: ClassVar[str] = "news"
    content: str = ""
    articles: list[Article] = Field(default_factory=list)

    def __init__(
        self,
        message: WeChatMessage | None = None,
        *,
        content: str = "",
        articles: Sequence[Article] = (),
        **common: Unpack[ReplyCommon],
    ) -> None:
        super().__init__(message, content=content, articles=list(articles), **common)

    def add_article(self, article: Article) -> None:
        """Append an article; ``ValueError`` past 10."""
        if len(self.articles) >= MAX_ARTICLES:
            raise ValueError(f"an ArticlesReply holds at most {MAX_ARTICLES} articles")
        self.articles = [*self.articles, article]

    def body(self) -> list[tuple[str, XmlOut]]:
        items: list[tuple[str, XmlOut]] = [
            (
                "item",
                [
                    ("Title", a.title),
                    ("Description", a.description),
                    ("PicUrl", a.img),
                    ("Url", a.url),
                ],
            )
            for a in self.articles
        ]
        return [("ArticleCount", len(self.articles)), ("Articles", items)]


class TransferCustomerServiceReply(WeChatReply):
    """Hand the conversation to customer service (optionally one ``account``)."""

    MSG_TYPE: ClassVar[str] = "transfer_customer_service"
    account: str | None = None

    def __init__(
        self,
        message: WeChatMessage | None = None,
        *,
        account: str | None = None,
        **common: Unpack[ReplyCommon],
    ) -> None:
        super().__init__(message, account=account, **common)

    def body(self) -> list[tuple[str, XmlOut]]:
        if self.account is None:
            return []
        return [("TransInfo", [("KfAccount", self.account)])]


class SuccessReply(WeChatReply):
    """Answer ``success``: WeChat shows nothing and does not retry."""

    def to_xml(self) -> bytes:
        return b"success"


def warn_article_count(reply: WeChatReply, message: WeChatMessage) -> None:
    """Log a WARNING when WeChat will not show every article of a news reply."""
    if not isinstance(reply, ArticlesReply):
        return
    shown = 8 if isinstance(message, BaseEvent) else 1
    if len(reply.articles) > shown:
        logger.warning(
            "news reply has %d articles; WeChat shows only %d here", len(reply.articles), shown
        )


def _is_article_row(item: object) -> bool:
    return isinstance(item, (list, tuple)) and len(item) == 4


def process_function_reply(result: object, message: WeChatMessage) -> WeChatReply | None:
    """Turn a handler's result into a reply (DESIGN §5); ``None`` for no reply.

    Raises ``TypeError`` for a result that is neither.
    """
    if not result:
        return None
    if isinstance(result, WeChatReply):
        reply = result
        if reply.source is None or reply.target is None:
            reply = reply.model_copy(
                update={
                    "source": reply.source if reply.source is not None else message.target,
                    "target": reply.target if reply.target is not None else message.source,
                }
            )
        return reply
    if isinstance(result, bytes):
        result = result.decode("utf-8")
    if isinstance(result, str):
        return TextReply(message, content=result)
    if isinstance(result, (list, tuple)):
        return _sequence_reply(result, message)
    raise TypeError(f"a handler returned {type(result).__name__}, which is not a reply")


def _sequence_reply(result: Sequence[Any], message: WeChatMessage) -> WeChatReply:
    if all(isinstance(x, str) for x in result) and len(result) in (3, 4):
        title, description, url = result[0], result[1], result[2]
        hq_url = result[3] if len(result) == 4 else url
        return MusicReply(message, title=title, description=description, url=url, hq_url=hq_url)
    if all(_is_article_row(x) for x in result):
        reply = ArticlesReply(message)
        for row in result:
            reply.add_article(row if isinstance(row, Article) else Article(*row))
        return reply
    raise TypeError("a list result must be 3 or 4 strings (music) or 4-item rows (news)")
