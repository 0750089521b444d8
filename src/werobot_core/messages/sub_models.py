"""Nested structures some events carry (mass-send results, beacons, subscriptions)."""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import Field, field_validator

from werobot_core.messages.base import Float, Int, Str, WeChatModel, as_list

__all__ = [
    "ArticleDetail",
    "ArticleDetailItem",
    "ArticleUrlItem",
    "ArticleUrlResult",
    "Beacon",
    "CopyrightCheckItem",
    "CopyrightCheckResult",
    "MediaCheckDetail",
    "MediaCheckResult",
    "ScanProductKey",
    "SubscribeMsgItem",
    "SubscribeMsgSentItem",
]


def _items_of(value: Any) -> list[Any]:
    """``<ResultList><item/>…</ResultList>`` (a dict, or None when empty) → a list."""
    return as_list(value.get("item")) if isinstance(value, dict) else as_list(value)


class CopyrightCheckItem(WeChatModel):
    """One article's originality check in a mass send."""

    article_idx: Int = Field(None, alias="ArticleIdx")
    user_declare_state: Int = Field(None, alias="UserDeclareState")
    audit_state: Int = Field(None, alias="AuditState")
    original_article_url: Str = Field(None, alias="OriginalArticleUrl")
    original_article_type: Int = Field(None, alias="OriginalArticleType")
    can_reprint: Int = Field(None, alias="CanReprint")
    need_replace_content: Int = Field(None, alias="NeedReplaceContent")
    need_show_reprint_source: Int = Field(None, alias="NeedShowReprintSource")


class CopyrightCheckResult(WeChatModel):
    """The originality check of a mass send."""

    count: Int = Field(None, alias="Count")
    check_state: Int = Field(None, alias="CheckState")
    result_list: list[CopyrightCheckItem] = Field(default_factory=list, alias="ResultList")

    @field_validator("result_list", mode="before")
    @classmethod
    def _items(cls, value: Any) -> list[Any]:
        return _items_of(value)


class ArticleUrlItem(WeChatModel):
    """The URL of one article of a mass send."""

    article_idx: Int = Field(None, alias="ArticleIdx")
    article_url: Str = Field(None, alias="ArticleUrl")


class ArticleUrlResult(WeChatModel):
    """The URLs of the articles of a mass send."""

    count: Int = Field(None, alias="Count")
    result_list: list[ArticleUrlItem] = Field(default_factory=list, alias="ResultList")

    @field_validator("result_list", mode="before")
    @classmethod
    def _items(cls, value: Any) -> list[Any]:
        return _items_of(value)


class ArticleDetailItem(WeChatModel):
    """One published article."""

    idx: Int = None
    article_url: Str = None


class ArticleDetail(WeChatModel):
    """The articles of a publication."""

    count: Int = None
    items: list[ArticleDetailItem] = Field(default_factory=list, alias="item")

    @field_validator("items", mode="before")
    @classmethod
    def _items(cls, value: Any) -> list[Any]:
        return as_list(value)


class Beacon(WeChatModel):
    """An iBeacon seen by a shake."""

    uuid: Str = Field(None, alias="Uuid")
    major: Str = Field(None, alias="Major")
    minor: Str = Field(None, alias="Minor")
    distance: Float = Field(None, alias="Distance")


class SubscribeMsgItem(WeChatModel):
    """A template the user accepted or rejected."""

    template_id: Str = Field(None, alias="TemplateId")
    subscribe_status: Str = Field(None, alias="SubscribeStatusString")
    popup_scene: Int = Field(None, alias="PopupScene")


class SubscribeMsgSentItem(WeChatModel):
    """The outcome of one subscription message."""

    template_id: Str = Field(None, alias="TemplateId")
    msg_id: Str = Field(None, alias="MsgID")
    error_code: Int = Field(None, alias="ErrorCode")
    error_status: Str = Field(None, alias="ErrorStatus")


class MediaCheckResult(WeChatModel):
    """The overall verdict of an asynchronous media check (``result``, version 2)."""

    suggest: Str = None
    """``risky``, ``pass`` or ``review``."""
    label: Int = None
    """The label hit: 100 is normal; other values name a kind of risk."""


class MediaCheckDetail(WeChatModel):
    """One strategy's verdict in an asynchronous media check (``detail``, version 2)."""

    strategy: Str = None
    """The detection strategy (e.g. ``content_model``)."""
    error_code: Int = Field(None, alias="errcode")
    """0 when this strategy ran (``errcode``)."""
    suggest: Str = None
    """``risky``, ``pass`` or ``review``."""
    label: Int = None
    """The label hit: 100 is normal."""
    prob: Float = None
    """Confidence, 0 to 100."""


class ScanProductKey(NamedTuple):
    """The ``EventKey`` of a subscribe from a product page: ``scanbarcode|<standard>|<code>``.

    WeChat's reference: https://developers.weixin.qq.com/doc/service/en/WeChat_Scan/Scan_QR_Code_Events_Push.html
    """

    scene: str
    """``scanbarcode`` (the user scanned a bar code) or ``scanimage`` (a cover image)."""
    key_standard: str
    """The code standard (``ean13``, ``qrcode``, ...), as ``KeyStandard`` elsewhere."""
    key_str: str
    """The code itself, as ``KeyStr`` elsewhere."""
