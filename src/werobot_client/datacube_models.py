"""Typed rows of the analytics API (``/datacube``), re-exported by ``models``.

Every answer is ``{"list": [row, ...]}``, read into ``rows`` (``resp["list"]`` still reads
the raw JSON); a field WeChat leaves out of a row is ``None``.
https://developers.weixin.qq.com/doc/offiaccount/Analytics/User_Analysis_Data_Interface.html
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel

__all__ = [
    "ArticleRow",
    "ArticleStats",
    "ArticleTotal",
    "ArticleTotalRow",
    "InterfaceRow",
    "InterfaceStats",
    "MessageDistRow",
    "MessageDistStats",
    "MessageRow",
    "MessageStats",
    "ShareRow",
    "ShareStats",
    "UserCumulate",
    "UserCumulateRow",
    "UserSummary",
    "UserSummaryRow",
]


class UserSummaryRow(WireModel):
    """New and lost followers of one day, by ``user_source`` (0 search, 17 card, 30 QR…)."""

    ref_date: str
    user_source: int | None = None
    new_user: int | None = None
    cancel_user: int | None = None


class UserSummary(ApiResponse):
    """``/datacube/getusersummary``."""

    rows: list[UserSummaryRow] = Field(default_factory=list, alias="list")


class UserCumulateRow(WireModel):
    """The number of followers at the end of one day."""

    ref_date: str
    cumulate_user: int | None = None


class UserCumulate(ApiResponse):
    """``/datacube/getusercumulate``."""

    rows: list[UserCumulateRow] = Field(default_factory=list, alias="list")


class ArticleRow(WireModel):
    """Reads and shares of articles on one day (or hour: ``ref_hour``, e.g. 1300)."""

    ref_date: str
    ref_hour: int | None = None
    msgid: str | None = None
    title: str | None = None
    user_source: int | None = None
    int_page_read_user: int | None = None
    int_page_read_count: int | None = None
    ori_page_read_user: int | None = None
    ori_page_read_count: int | None = None
    share_user: int | None = None
    share_count: int | None = None
    add_to_fav_user: int | None = None
    add_to_fav_count: int | None = None


class ArticleStats(ApiResponse):
    """``/datacube/getarticlesummary``, ``/getuserread`` and ``/getuserreadhour``."""

    rows: list[ArticleRow] = Field(default_factory=list, alias="list")


class ArticleTotalRow(WireModel):
    """An article sent on ``ref_date``, with its numbers per day since (``details``)."""

    ref_date: str
    msgid: str | None = None
    title: str | None = None
    details: list[dict[str, Any]] = Field(default_factory=list)


class ArticleTotal(ApiResponse):
    """``/datacube/getarticletotal``."""

    rows: list[ArticleTotalRow] = Field(default_factory=list, alias="list")


class ShareRow(WireModel):
    """Shares on one day (or hour) by ``share_scene`` (1 friend, 2 moments, …)."""

    ref_date: str
    ref_hour: int | None = None
    share_scene: int | None = None
    share_count: int | None = None
    share_user: int | None = None


class ShareStats(ApiResponse):
    """``/datacube/getusershare`` and ``/getusersharehour``."""

    rows: list[ShareRow] = Field(default_factory=list, alias="list")


class MessageRow(WireModel):
    """Messages users sent on one day (hour, week, month) by ``msg_type`` (1 text, 2 image…)."""

    ref_date: str
    ref_hour: int | None = None
    msg_type: int | None = None
    msg_user: int | None = None
    msg_count: int | None = None


class MessageStats(ApiResponse):
    """``/datacube/getupstreammsg`` and its ``hour``, ``week`` and ``month`` forms."""

    rows: list[MessageRow] = Field(default_factory=list, alias="list")


class MessageDistRow(WireModel):
    """How many users sent how many messages (``count_interval`` 0: 0, 1: 1-5, 2: 6-10, …)."""

    ref_date: str
    count_interval: int | None = None
    msg_user: int | None = None


class MessageDistStats(ApiResponse):
    """``/datacube/getupstreammsgdist`` and its ``week`` and ``month`` forms."""

    rows: list[MessageDistRow] = Field(default_factory=list, alias="list")


class InterfaceRow(WireModel):
    """Your callback's calls, failures and time (ms) on one day (or hour)."""

    ref_date: str
    ref_hour: int | None = None
    callback_count: int | None = None
    fail_count: int | None = None
    total_time_cost: int | None = None
    max_time_cost: int | None = None


class InterfaceStats(ApiResponse):
    """``/datacube/getinterfacesummary`` and ``/getinterfacesummaryhour``."""

    rows: list[InterfaceRow] = Field(default_factory=list, alias="list")
