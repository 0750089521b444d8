"""Customer-service messages (inside the 48-hour window) and template messages.

https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Service_Center_messages.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from werobot_client.call import ApiCall, endpoint, post_json
from werobot_client.models import TemplateMessageSent
from werobot_client.responses import ApiResponse

__all__ = [
    "ArticleLike",
    "send_article_message",
    "send_image_message",
    "send_miniprogrampage_message",
    "send_music_message",
    "send_news_message",
    "send_template_message",
    "send_text_message",
    "send_video_message",
    "send_voice_message",
]


class ArticleLike(Protocol):
    """An article of a news message, such as ``werobot_core.replies.Article``."""

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def img(self) -> str: ...

    @property
    def url(self) -> str: ...


def _send(
    user_id: str, msgtype: str, payload: Mapping[str, Any], kf_account: str | None
) -> ApiCall[ApiResponse]:
    body: dict[str, Any] = {"touser": user_id, "msgtype": msgtype, msgtype: payload}
    if kf_account is not None:
        body["customservice"] = {"kf_account": kf_account}
    return post_json("/cgi-bin/message/custom/send", body, ApiResponse)


def _optional(payload: dict[str, Any], **values: str | None) -> dict[str, Any]:
    payload.update({key: value for key, value in values.items() if value})
    return payload


@endpoint
def send_text_message(
    user_id: str, content: str, kf_account: str | None = None
) -> ApiCall[ApiResponse]:
    """Send a text message."""
    return _send(user_id, "text", {"content": content}, kf_account)


@endpoint
def send_image_message(
    user_id: str, media_id: str, kf_account: str | None = None
) -> ApiCall[ApiResponse]:
    """Send an image uploaded as media."""
    return _send(user_id, "image", {"media_id": media_id}, kf_account)


@endpoint
def send_voice_message(
    user_id: str, media_id: str, kf_account: str | None = None
) -> ApiCall[ApiResponse]:
    """Send a voice uploaded as media."""
    return _send(user_id, "voice", {"media_id": media_id}, kf_account)


@endpoint
def send_video_message(
    user_id: str,
    media_id: str,
    title: str | None = None,
    description: str | None = None,
    kf_account: str | None = None,
) -> ApiCall[ApiResponse]:
    """Send a video uploaded as media; ``title`` and ``description`` are optional."""
    video = _optional({"media_id": media_id}, title=title, description=description)
    return _send(user_id, "video", video, kf_account)


@endpoint
def send_music_message(
    user_id: str,
    url: str,
    hq_url: str,
    thumb_media_id: str,
    title: str | None = None,
    description: str | None = None,
    kf_account: str | None = None,
) -> ApiCall[ApiResponse]:
    """Send music: ``url`` for low bandwidth, ``hq_url`` for Wi-Fi."""
    music = {"musicurl": url, "hqmusicurl": hq_url, "thumb_media_id": thumb_media_id}
    return _send(
        user_id, "music", _optional(music, title=title, description=description), kf_account
    )


def _article(article: ArticleLike | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(article, Mapping):
        return article
    return {
        "title": article.title,
        "description": article.description,
        "url": article.url,
        "picurl": article.img,
    }


@endpoint
def send_article_message(
    user_id: str,
    articles: Sequence[ArticleLike | Mapping[str, Any]],
    kf_account: str | None = None,
) -> ApiCall[ApiResponse]:
    """Send a news message linking to outside pages (one article since 2018).

    Each article is a dict sent as is, or an object with ``title``, ``description``,
    ``img`` and ``url`` (such as ``werobot_core.replies.Article``).
    """
    news = {"articles": [_article(article) for article in articles]}
    return _send(user_id, "news", news, kf_account)


@endpoint
def send_news_message(
    user_id: str, media_id: str, kf_account: str | None = None
) -> ApiCall[ApiResponse]:
    """Send a news material (``mpnews``) by its media_id."""
    return _send(user_id, "mpnews", {"media_id": media_id}, kf_account)


@endpoint
def send_miniprogrampage_message(
    user_id: str,
    title: str,
    appid: str,
    pagepath: str,
    thumb_media_id: str,
    kf_account: str | None = None,
) -> ApiCall[ApiResponse]:
    """Send a Mini Program page card."""
    page = {"title": title, "appid": appid, "pagepath": pagepath, "thumb_media_id": thumb_media_id}
    return _send(user_id, "miniprogrampage", page, kf_account)


@endpoint
def send_template_message(
    user_id: str,
    template_id: str,
    data: Mapping[str, Any],
    url: str = "",
    miniprogram: Mapping[str, Any] | None = None,
) -> ApiCall[TemplateMessageSent]:
    """Send a template message; ``data`` maps each keyword to ``{"value": ..., "color": ...}``."""
    body: dict[str, Any] = {"touser": user_id, "template_id": template_id, "url": url, "data": data}
    if miniprogram is not None:
        body["miniprogram"] = miniprogram
    return post_json("/cgi-bin/message/template/send", body, TemplateMessageSent)
