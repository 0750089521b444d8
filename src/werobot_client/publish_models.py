"""Typed answers of the draft box, publishing and short keys (re-exported by ``models``).

https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html
https://developers.weixin.qq.com/doc/offiaccount/Publish/Publish.html
"""

from __future__ import annotations

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel

__all__ = [
    "Draft",
    "DraftArticle",
    "DraftContent",
    "DraftCount",
    "DraftList",
    "DraftListItem",
    "PublishDetail",
    "PublishStatus",
    "PublishSubmitted",
    "PublishedArticles",
    "PublishedList",
    "PublishedListItem",
    "PublishedUrl",
    "ShortKey",
    "ShortKeyData",
    "ShortUrl",
]


class DraftArticle(WireModel):
    """One article of a draft or of a published item (``article_type`` ``news`` or
    ``newspic``)."""

    title: str = ""
    author: str | None = None
    digest: str | None = None
    content: str | None = None
    content_source_url: str | None = None
    thumb_media_id: str | None = None
    thumb_url: str | None = None
    need_open_comment: int | None = None
    only_fans_can_comment: int | None = None
    url: str | None = None
    article_type: str | None = None
    is_deleted: bool | None = None


class Draft(ApiResponse):
    """``/cgi-bin/draft/get``: the articles of one draft."""

    news_item: list[DraftArticle] = Field(default_factory=list)


class DraftCount(ApiResponse):
    """``/cgi-bin/draft/count``."""

    total_count: int = 0


class DraftContent(WireModel):
    """The articles of a listed draft or publication."""

    news_item: list[DraftArticle] = Field(default_factory=list)
    create_time: int | None = None
    update_time: int | None = None


class DraftListItem(WireModel):
    """One draft of ``/cgi-bin/draft/batchget``."""

    media_id: str
    content: DraftContent | None = None
    update_time: int | None = None


class DraftList(ApiResponse):
    """``/cgi-bin/draft/batchget``: a page of drafts."""

    total_count: int = 0
    item_count: int = 0
    item: list[DraftListItem] = Field(default_factory=list)


class PublishSubmitted(ApiResponse):
    """``/cgi-bin/freepublish/submit``: the publish task; its end is pushed as the
    ``PUBLISHJOBFINISH`` event, or poll ``get_publish_status``."""

    publish_id: int | str
    msg_data_id: int | str | None = None


class PublishedUrl(WireModel):
    """The permanent link of one published article."""

    idx: int
    article_url: str = ""


class PublishDetail(WireModel):
    """The articles of a successful publication."""

    count: int = 0
    item: list[PublishedUrl] = Field(default_factory=list)


class PublishStatus(ApiResponse):
    """``/cgi-bin/freepublish/get``. ``publish_status``: 0 published, 1 publishing,
    2 originality check failed, 3 failed, 4 refused by review, 5 all articles deleted by the
    user, 6 all articles banned."""

    publish_id: int | str
    publish_status: int
    article_id: str | None = None
    article_detail: PublishDetail | None = None
    fail_idx: list[int] = Field(default_factory=list)


class PublishedArticles(ApiResponse):
    """``/cgi-bin/freepublish/getarticle``: the articles of one publication."""

    news_item: list[DraftArticle] = Field(default_factory=list)


class PublishedListItem(WireModel):
    """One publication of ``/cgi-bin/freepublish/batchget``."""

    article_id: str
    content: DraftContent | None = None
    update_time: int | None = None


class PublishedList(ApiResponse):
    """``/cgi-bin/freepublish/batchget``: a page of publications."""

    total_count: int = 0
    item_count: int = 0
    item: list[PublishedListItem] = Field(default_factory=list)


class ShortKey(ApiResponse):
    """``/cgi-bin/shorten/gen``."""

    short_key: str


class ShortKeyData(ApiResponse):
    """``/cgi-bin/shorten/fetch``: the data behind a short key."""

    long_data: str
    create_time: int | None = None
    expire_seconds: int | None = None


class ShortUrl(ApiResponse):
    """``/cgi-bin/shorturl`` (stopped generating links on 2021-03-15)."""

    short_url: str
