"""The draft box, publishing, and short keys (``shorten``); ``shorturl`` is retired.

One flow: ``add_draft`` → ``publish_draft`` → the ``PUBLISHJOBFINISH`` push (or
``get_publish_status``) → ``get_published_article``.
https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html
https://developers.weixin.qq.com/doc/offiaccount/Publish/Publish.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from werobot_client.call import ApiCall, deprecated, endpoint, get_json, post_json
from werobot_client.models import (
    Draft,
    DraftCount,
    DraftList,
    MediaId,
    PublishedArticles,
    PublishedList,
    PublishStatus,
    PublishSubmitted,
    ShortKey,
    ShortKeyData,
    ShortUrl,
)
from werobot_client.responses import ApiResponse

__all__ = [
    "add_draft",
    "count_drafts",
    "create_short_key",
    "create_short_url",
    "delete_draft",
    "delete_published_article",
    "get_draft",
    "get_drafts",
    "get_publish_status",
    "get_published_article",
    "get_published_articles",
    "get_short_key",
    "publish_draft",
    "update_draft",
]


@endpoint
def add_draft(articles: Sequence[Mapping[str, Any]]) -> ApiCall[MediaId]:
    """Add a draft of up to 8 articles (``title``, ``content``, ``thumb_media_id``, …)."""
    return post_json("/cgi-bin/draft/add", {"articles": list(articles)}, MediaId)


@endpoint
def get_draft(media_id: str) -> ApiCall[Draft]:
    """The articles of a draft."""
    return post_json("/cgi-bin/draft/get", {"media_id": media_id}, Draft)


@endpoint
def delete_draft(media_id: str) -> ApiCall[ApiResponse]:
    """Delete a draft (cannot be undone)."""
    return post_json("/cgi-bin/draft/delete", {"media_id": media_id}, ApiResponse)


@endpoint
def update_draft(media_id: str, index: int, article: Mapping[str, Any]) -> ApiCall[ApiResponse]:
    """Replace article ``index`` (from 0) of a draft."""
    body = {"media_id": media_id, "index": index, "articles": article}
    return post_json("/cgi-bin/draft/update", body, ApiResponse)


@endpoint
def count_drafts() -> ApiCall[DraftCount]:
    """How many drafts there are."""
    return get_json("/cgi-bin/draft/count", DraftCount)


def _page(offset: int, count: int, no_content: bool) -> dict[str, int]:
    return {"offset": offset, "count": count, "no_content": int(no_content)}


@endpoint
def get_drafts(offset: int = 0, count: int = 20, no_content: bool = False) -> ApiCall[DraftList]:
    """A page of up to 20 drafts; ``no_content`` leaves out the articles' HTML."""
    return post_json("/cgi-bin/draft/batchget", _page(offset, count, no_content), DraftList)


@endpoint
def publish_draft(media_id: str) -> ApiCall[PublishSubmitted]:
    """Publish a draft (``freepublish/submit``): the result comes as ``PUBLISHJOBFINISH``."""
    return post_json("/cgi-bin/freepublish/submit", {"media_id": media_id}, PublishSubmitted)


@endpoint
def get_publish_status(publish_id: int | str) -> ApiCall[PublishStatus]:
    """The state of a publish task, with the articles' links once published."""
    return post_json("/cgi-bin/freepublish/get", {"publish_id": publish_id}, PublishStatus)


@endpoint
def delete_published_article(article_id: str, index: int = 0) -> ApiCall[ApiResponse]:
    """Delete a publication: article ``index`` (from 1), or all of them with 0."""
    body = {"article_id": article_id, "index": index}
    return post_json("/cgi-bin/freepublish/delete", body, ApiResponse)


@endpoint
def get_published_article(article_id: str) -> ApiCall[PublishedArticles]:
    """The articles of a publication."""
    body = {"article_id": article_id}
    return post_json("/cgi-bin/freepublish/getarticle", body, PublishedArticles)


@endpoint
def get_published_articles(
    offset: int = 0, count: int = 20, no_content: bool = False
) -> ApiCall[PublishedList]:
    """A page of up to 20 publications."""
    body = _page(offset, count, no_content)
    return post_json("/cgi-bin/freepublish/batchget", body, PublishedList)


@endpoint
def create_short_key(long_data: str, expire_seconds: int = 2592000) -> ApiCall[ShortKey]:
    """Store up to 4 KB under a short key, for at most 30 days (the default)."""
    body = {"long_data": long_data, "expire_seconds": expire_seconds}
    return post_json("/cgi-bin/shorten/gen", body, ShortKey)


@endpoint
def get_short_key(short_key: str) -> ApiCall[ShortKeyData]:
    """The data stored under a short key."""
    return post_json("/cgi-bin/shorten/fetch", {"short_key": short_key}, ShortKeyData)


@endpoint
@deprecated(
    "WeChat stopped generating short links on 2021-03-15; store the data under a short key "
    "with create_short_key"
)
def create_short_url(long_url: str) -> ApiCall[ShortUrl]:
    """Turn a long URL into a ``w.url.cn`` short link (``/cgi-bin/shorturl``)."""
    body = {"action": "long2short", "long_url": long_url}
    return post_json("/cgi-bin/shorturl", body, ShortUrl)
