"""Passive replies: what a handler returns, rendered into the HTTP response (SPEC §5).

WeChat's reference: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
"""

from __future__ import annotations

import logging
import time as _time
from collections import defaultdict
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict, Unpack

from werobot_core.messages.base import BaseEvent, WeChatMessage
from werobot_core.xmlcodec import (
    XmlOut,
    cdata_text,
    layout_lines,
    render_layout,
    render_text_reply,
    render_xml,
)

__all__ = [
    "Article",
    "ArticlesReply",
    "ImageReply",
    "MusicReply",
    "SuccessReply",
    "TextReply",
    "TooManyArticles",
    "TransferCustomerServiceReply",
    "VideoReply",
    "VoiceReply",
    "WeChatReply",
    "process_function_reply",
    "render_outcome",
]

logger = logging.getLogger("WeRoBot")

#: WeRoBot's cap on ``ArticlesReply.add_article``.
MAX_ARTICLES = 10


class ReplyCommon(TypedDict, total=False):
    """The keyword arguments every reply accepts."""

    source: str | None
    target: str | None
    time: int | None


class TooManyArticles(ValueError, AttributeError):
    """More than 10 articles in a news reply (an ``AttributeError`` too, as in WeRoBot)."""


class WeChatReply(BaseModel):
    """Base of every passive reply. ``message`` fills ``source``/``target`` (swapped).

    As in WeRoBot, any other keyword is kept (``WeChatReply(message=m, foo="x")``; bytes
    are decoded as UTF-8) and read through ``reply.foo`` or ``reply._args["foo"]``. A
    subclass may set ``TEMPLATE``, a ``str.format`` template over those values, to render
    a reply type of its own; text values are made safe for CDATA first.
    """

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)
    MSG_TYPE: ClassVar[str] = ""
    TEMPLATE: ClassVar[str | None] = None

    source: str | None = None
    """The official account's id (rendered as ``FromUserName``)."""
    target: str | None = None
    """The user's openid (rendered as ``ToUserName``)."""
    time: int | None = None
    """``CreateTime``; the render time when ``None``."""

    def __init__(self, message: WeChatMessage | None = None, **data: Any) -> None:
        for key, value in data.items():
            if isinstance(value, bytes):
                data[key] = value.decode("utf-8")
        if message is not None:
            if data.get("source") is None:
                data["source"] = message.target
            if data.get("target") is None:
                data["target"] = message.source
        super().__init__(**data)

    def body(self) -> list[tuple[str, XmlOut]]:
        """The elements after ``MsgType``."""
        return []

    def send_with(self, client: Any, user: str) -> None:
        """Send this reply to ``user`` as a customer-service message through ``client``
        (a ``werobot_client.Client``): how a late reply reaches the user (``push``).

        ``TypeError`` for a reply that has no customer-service form.
        """
        raise TypeError(f"a {type(self).__name__} cannot be sent as a customer-service message")

    def head(self) -> list[tuple[str, XmlOut]]:
        """``ToUserName``, ``FromUserName``, ``CreateTime`` and ``MsgType``."""
        return [
            ("ToUserName", self.target),
            ("FromUserName", self.source),
            ("CreateTime", int(_time.time()) if self.time is None else self.time),
            ("MsgType", self.MSG_TYPE),
        ]

    def to_xml(self) -> bytes:
        """The reply as sent to WeChat: UTF-8 XML, every string in CDATA, no whitespace."""
        if self.TEMPLATE is not None:
            return self.render().encode("utf-8")
        return render_xml(self.head() + self.body())

    def render(self) -> str:
        """The reply XML as text, laid out as WeRoBot 1.13.1 rendered it (same bytes).

        Users' tests compare this string; ``None`` renders as empty and ``]]>`` in text is
        split, where WeRoBot wrote ``None`` and broke the XML.
        """
        if self.TEMPLATE is not None:
            values = {k: v if isinstance(v, int) else cdata_text(v) for k, v in self._args.items()}
            return self.TEMPLATE.format_map(defaultdict(str, values))
        return render_layout(layout_lines("xml", self.head() + self.body()))

    @property
    def _args(self) -> ReplyArgs:
        """WeRoBot's ``reply._args``: every value of the reply by name, ``""`` when unset.

        Writes go to the reply (``reply._args["content"] = "x"`` sets ``reply.content``).
        """
        return ReplyArgs(self)


class ReplyArgs(MutableMapping[str, Any]):
    """A live view of a reply's values, WeRoBot's ``_args`` (a ``defaultdict(str)``)."""

    def __init__(self, reply: WeChatReply) -> None:
        self._reply = reply

    def _names(self) -> list[str]:
        return [*type(self._reply).model_fields, *(self._reply.model_extra or {})]

    def __getitem__(self, key: str) -> Any:
        if key == "time" and self._reply.time is None:
            return int(_time.time())
        value = getattr(self._reply, key, None) if key in self._names() else None
        return "" if value is None else value

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self._reply, key, value)

    def __delitem__(self, key: str) -> None:
        extra = self._reply.model_extra or {}
        if key in extra:
            del extra[key]
        elif key in type(self._reply).model_fields:
            field = type(self._reply).model_fields[key]
            setattr(self._reply, key, field.get_default(call_default_factory=True))
        else:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


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

    def send_with(self, client: Any, user: str) -> None:
        client.send_text_message(user, self.content)

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

    def send_with(self, client: Any, user: str) -> None:
        client.send_image_message(user, self.media_id)


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

    def send_with(self, client: Any, user: str) -> None:
        client.send_voice_message(user, self.media_id)


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

    def send_with(self, client: Any, user: str) -> None:
        client.send_video_message(user, self.media_id, self.title, self.description)


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
            hq_url=url if hq_url is None else hq_url,
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

    def send_with(self, client: Any, user: str) -> None:
        hq_url = self.hq_url or self.url
        thumb = self.thumb_media_id or ""
        client.send_music_message(user, self.url, hq_url, thumb, self.title, self.description)


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

    def elements(self) -> list[tuple[str, XmlOut]]:
        """The children of the article's ``<item>``."""
        return [
            ("Title", _text(self.title)),
            ("Description", _text(self.description)),
            ("PicUrl", _text(self.img)),
            ("Url", _text(self.url)),
        ]

    def render(self) -> str:
        """The article's ``<item>`` as WeRoBot 1.13.1 rendered it (same bytes)."""
        return render_layout(layout_lines("item", self.elements()))


def _text(value: object) -> str:
    """An article value as text (WeRoBot accepted bytes and numbers); ``None`` is ``""``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


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
        """Append an article; :class:`TooManyArticles` (a ``ValueError``) past 10."""
        if len(self.articles) >= MAX_ARTICLES:
            raise TooManyArticles(f"an ArticlesReply holds at most {MAX_ARTICLES} articles")
        self.articles = [*self.articles, article]

    @property
    def _articles(self) -> list[Article]:
        """WeRoBot's name of ``articles``."""
        return self.articles

    def body(self) -> list[tuple[str, XmlOut]]:
        items: list[tuple[str, XmlOut]] = [("item", a.elements()) for a in self.articles]
        return [("ArticleCount", len(self.articles)), ("Articles", items)]

    def send_with(self, client: Any, user: str) -> None:
        client.send_article_message(user, list(self.articles))

    def render(self) -> str:
        # WeRoBot's layout: a Content line, and the articles' own layouts inside <Articles>.
        lines = layout_lines(
            "xml", [*self.head(), ("Content", self.content), ("ArticleCount", len(self.articles))]
        )
        items = "".join(article.render() for article in self.articles)
        return render_layout([*lines[:-1], f"<Articles>{items}</Articles>", lines[-1]])


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

    def render(self) -> str:
        # WeRoBot indented this template deeper, and TransInfo's lines unevenly.
        lines = layout_lines("xml", self.head() + self.body())
        if self.account is not None:
            lines[-4:-1] = [lines[-4], " " * 5 + lines[-3], " " + lines[-2]]
        return render_layout(lines, " " * 12)


class SuccessReply(WeChatReply):
    """Answer ``success``: WeChat shows nothing and does not retry."""

    def to_xml(self) -> bytes:
        return b"success"

    def render(self) -> str:
        return "success"


def warn_article_count(reply: WeChatReply, message: WeChatMessage) -> None:
    """Log a WARNING when WeChat will not show every article of a news reply."""
    if not isinstance(reply, ArticlesReply):
        return
    shown = 8 if isinstance(message, BaseEvent) else 1
    if len(reply.articles) > shown:
        logger.warning(
            "news reply has %d articles; WeChat shows only %d here", len(reply.articles), shown
        )


def render_outcome(reply: WeChatReply | None, message: WeChatMessage) -> bytes:
    """What a reply is on the wire: ``b""`` for none, ``b"success"``, or its XML."""
    if reply is None:
        return b""
    if isinstance(reply, SuccessReply):
        return b"success"
    warn_article_count(reply, message)
    return reply.to_xml()


def _is_article_row(item: object) -> bool:
    return isinstance(item, (list, tuple)) and len(item) == 4


def process_function_reply(
    result: object, message: WeChatMessage | None = None
) -> WeChatReply | None:
    """Turn a handler's result into a reply (DESIGN §5); ``None`` for no reply.

    ``message`` fills the reply's missing ``source``/``target``. Raises ``TypeError`` for a
    result that is neither a reply nor convertible to one.
    """
    if not result:
        return None
    if isinstance(result, WeChatReply):
        reply = result
        if message is not None and (reply.source is None or reply.target is None):
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


def _sequence_reply(result: Sequence[Any], message: WeChatMessage | None) -> WeChatReply:
    if all(isinstance(x, str) for x in result) and len(result) in (3, 4):
        title, description, url = result[0], result[1], result[2]
        hq_url = result[3] if len(result) == 4 else url
        return MusicReply(message, title=title, description=description, url=url, hq_url=hq_url)
    if all(_is_article_row(x) for x in result):
        reply = ArticlesReply(message)
        for row in result:
            reply.add_article(row if isinstance(row, Article) else Article(*map(_text, row)))
        return reply
    raise TypeError("a list result must be 3 or 4 strings (music) or 4-item rows (news)")
