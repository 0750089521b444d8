"""Typed answers of the WeChat API, one model per documented response.

Each model keeps fields WeChat adds later (``extra="allow"``) and reads like the raw JSON
dict (see :class:`~werobot_client.responses.ApiResponse`). Calls that answer only
``{errcode, errmsg}`` return ``ApiResponse`` itself. The user, group and tag models live in
``user_models``, the others by area in ``web_models``, ``publish_models``, ``notify_models``,
``kf_models``, ``ops_models`` and ``datacube_models``; all are re-exported here. Reference:
https://developers.weixin.qq.com/doc/offiaccount/en/Getting_Started/Overview.html
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from werobot_client.datacube_models import (
    ArticleRow,
    ArticleStats,
    ArticleTotal,
    ArticleTotalRow,
    InterfaceRow,
    InterfaceStats,
    MessageDistRow,
    MessageDistStats,
    MessageRow,
    MessageStats,
    ShareRow,
    ShareStats,
    UserCumulate,
    UserCumulateRow,
    UserSummary,
    UserSummaryRow,
)
from werobot_client.kf_models import (
    KfMessageRecord,
    KfMessageRecords,
    KfSession,
    KfSessionItem,
    KfSessionList,
    KfWaitCase,
    KfWaitCases,
)
from werobot_client.notify_models import (
    Industry,
    PubTemplateKeyword,
    PubTemplateKeywords,
    PubTemplateTitle,
    PubTemplateTitles,
    SubscribeCategories,
    SubscribeCategory,
    SubscribeTemplate,
    SubscribeTemplateAdded,
    SubscribeTemplates,
    TemplateAdded,
    TemplateIndustry,
    TemplateInfo,
    TemplateList,
)
from werobot_client.ops_models import (
    ApiQuota,
    Blacklist,
    CallbackCheck,
    ChangedOpenId,
    ChangedOpenIds,
    Comment,
    CommentList,
    CommentReply,
    DnsResult,
    PingResult,
    Quota,
    RateLimit,
    RidInfo,
    RidRequest,
)
from werobot_client.publish_models import (
    Draft,
    DraftArticle,
    DraftContent,
    DraftCount,
    DraftList,
    DraftListItem,
    PublishDetail,
    PublishedArticles,
    PublishedList,
    PublishedListItem,
    PublishedUrl,
    PublishStatus,
    PublishSubmitted,
    ShortKey,
    ShortKeyData,
    ShortUrl,
)
from werobot_client.responses import ApiResponse, WireModel
from werobot_client.user_models import (
    Followers,
    Group,
    GroupCreated,
    GroupList,
    OpenIdList,
    Tag,
    TagCreated,
    TagList,
    TagUsers,
    UserGroup,
    UserInfo,
    UserInfoList,
    UserTags,
)
from werobot_client.web_models import OAuthToken, OAuthUserInfo, Ticket

__all__ = [
    "AccessToken",
    "ApiQuota",
    "ArticleRow",
    "ArticleStats",
    "ArticleTotal",
    "ArticleTotalRow",
    "Blacklist",
    "CallbackCheck",
    "ChangedOpenId",
    "ChangedOpenIds",
    "Comment",
    "CommentList",
    "CommentReply",
    "ConditionalMenu",
    "DnsResult",
    "Draft",
    "DraftArticle",
    "DraftContent",
    "DraftCount",
    "DraftList",
    "DraftListItem",
    "Followers",
    "Group",
    "GroupCreated",
    "GroupList",
    "ImageUrl",
    "Industry",
    "InterfaceRow",
    "InterfaceStats",
    "IpList",
    "KfAccount",
    "KfList",
    "KfMessageRecord",
    "KfMessageRecords",
    "KfSession",
    "KfSessionItem",
    "KfSessionList",
    "KfWaitCase",
    "KfWaitCases",
    "MassMessage",
    "MassSpeed",
    "MassStatus",
    "MatchedMenu",
    "MediaCount",
    "MediaId",
    "MediaList",
    "MediaListItem",
    "Menu",
    "MenuButton",
    "MenuId",
    "MenuInfo",
    "MessageDistRow",
    "MessageDistStats",
    "MessageRow",
    "MessageStats",
    "OAuthToken",
    "OAuthUserInfo",
    "OnlineKfAccount",
    "OnlineKfList",
    "OpenIdList",
    "PermanentMedia",
    "PingResult",
    "PubTemplateKeyword",
    "PubTemplateKeywords",
    "PubTemplateTitle",
    "PubTemplateTitles",
    "PublishDetail",
    "PublishStatus",
    "PublishSubmitted",
    "PublishedArticles",
    "PublishedList",
    "PublishedListItem",
    "PublishedUrl",
    "QrCode",
    "Quota",
    "RateLimit",
    "RidInfo",
    "RidRequest",
    "SelfMenuInfo",
    "ShareRow",
    "ShareStats",
    "ShortKey",
    "ShortKeyData",
    "ShortUrl",
    "SubscribeCategories",
    "SubscribeCategory",
    "SubscribeTemplate",
    "SubscribeTemplateAdded",
    "SubscribeTemplates",
    "Tag",
    "TagCreated",
    "TagList",
    "TagUsers",
    "TemplateAdded",
    "TemplateIndustry",
    "TemplateInfo",
    "TemplateList",
    "TemplateMessageSent",
    "Ticket",
    "UploadedMedia",
    "UserCumulate",
    "UserCumulateRow",
    "UserGroup",
    "UserInfo",
    "UserInfoList",
    "UserSummary",
    "UserSummaryRow",
    "UserTags",
]


class AccessToken(ApiResponse):
    """``/cgi-bin/token`` and ``/cgi-bin/stable_token``."""

    access_token: str
    expires_in: int = 7200
    """Seconds the token stays valid (7200)."""


class IpList(ApiResponse):
    """``/cgi-bin/getcallbackip``: the addresses WeChat pushes from."""

    ip_list: list[str] = Field(default_factory=list)


class MenuButton(WireModel):
    """One button of a menu; ``sub_button`` holds up to five children."""

    name: str = ""
    type: str | None = None
    key: str | None = None
    url: str | None = None
    media_id: str | None = None
    appid: str | None = None
    pagepath: str | None = None
    article_id: str | None = None
    sub_button: list[MenuButton] = Field(default_factory=list)


class Menu(WireModel):
    """A menu: its buttons and, for a conditional menu, its id."""

    button: list[MenuButton] = Field(default_factory=list)
    menuid: int | str | None = None


class ConditionalMenu(Menu):
    """A conditional (personalised) menu with the rule choosing its users."""

    matchrule: dict[str, Any] = Field(default_factory=dict)


class MenuInfo(ApiResponse):
    """``/cgi-bin/menu/get``: the default menu and every conditional menu."""

    menu: Menu | None = None
    conditionalmenu: list[ConditionalMenu] = Field(default_factory=list)


class MenuId(ApiResponse):
    """``/cgi-bin/menu/addconditional``: the new menu's id."""

    menuid: int | str


class MatchedMenu(ApiResponse):
    """``/cgi-bin/menu/trymatch``: the menu this user sees."""

    button: list[MenuButton] = Field(default_factory=list)


class SelfMenuInfo(ApiResponse):
    """``/cgi-bin/get_current_selfmenu_info``: the menu as configured (API or web console)."""

    is_menu_open: int = 0
    selfmenu_info: dict[str, Any] = Field(default_factory=dict)


class KfAccount(WireModel):
    """A customer-service account."""

    kf_account: str
    kf_nick: str = ""
    kf_id: int | str | None = None
    kf_headimgurl: str | None = None


class KfList(ApiResponse):
    """``/cgi-bin/customservice/getkflist``."""

    kf_list: list[KfAccount] = Field(default_factory=list)


class OnlineKfAccount(WireModel):
    """A customer-service account that is online, with its open sessions."""

    kf_account: str
    status: int | None = None
    kf_id: int | str | None = None
    accepted_case: int | None = None


class OnlineKfList(ApiResponse):
    """``/cgi-bin/customservice/getonlinekflist``."""

    kf_online_list: list[OnlineKfAccount] = Field(default_factory=list)


class MassMessage(ApiResponse):
    """``/cgi-bin/message/mass/send`` and ``/sendall``: the ids of the mass message."""

    msg_id: int | None = None
    msg_data_id: int | None = None


class MassStatus(ApiResponse):
    """``/cgi-bin/message/mass/get``: ``msg_status`` is e.g. ``"SEND_SUCCESS"``."""

    msg_id: int | None = None
    msg_status: str = ""


class MassSpeed(ApiResponse):
    """``/cgi-bin/message/mass/speed/get``: the speed level and messages per minute."""

    speed: int | None = None
    realspeed: int | None = None


class QrCode(ApiResponse):
    """``/cgi-bin/qrcode/create``: pass ``ticket`` to ``show_qrcode``."""

    ticket: str
    expire_seconds: int | None = None
    url: str = ""


class UploadedMedia(ApiResponse):
    """``/cgi-bin/media/upload`` (temporary media, kept 3 days) and ``/media/uploadnews``."""

    type: str = ""
    media_id: str | None = None
    thumb_media_id: str | None = None
    created_at: int | None = None


class ImageUrl(ApiResponse):
    """``/cgi-bin/media/uploadimg``: the URL of a picture usable inside articles."""

    url: str


class PermanentMedia(ApiResponse):
    """``/cgi-bin/material/add_material``; ``url`` is given for images."""

    media_id: str
    url: str | None = None


class MediaId(ApiResponse):
    """``/cgi-bin/material/add_news``: the new material's id."""

    media_id: str


class MediaCount(ApiResponse):
    """``/cgi-bin/material/get_materialcount``."""

    voice_count: int = 0
    video_count: int = 0
    image_count: int = 0
    news_count: int = 0


class MediaListItem(WireModel):
    """One permanent material; news items carry ``content.news_item``."""

    media_id: str
    name: str | None = None
    update_time: int | None = None
    url: str | None = None
    content: dict[str, Any] | None = None


class MediaList(ApiResponse):
    """``/cgi-bin/material/batchget_material``."""

    total_count: int = 0
    item_count: int = 0
    item: list[MediaListItem] = Field(default_factory=list)


class TemplateMessageSent(ApiResponse):
    """``/cgi-bin/message/template/send``."""

    msgid: int | None = None
