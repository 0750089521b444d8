"""Analytics (``/datacube``): users, articles, messages and your callback, as typed rows.

Each method takes ``begin_date`` and ``end_date`` (a ``datetime.date`` or ``"YYYY-MM-DD"``,
at most yesterday); the span each allows is in its docstring.
https://developers.weixin.qq.com/doc/offiaccount/Analytics/User_Analysis_Data_Interface.html
"""

from __future__ import annotations

import datetime

from werobot_client.call import ApiCall, endpoint, post_json
from werobot_client.models import (
    ArticleStats,
    ArticleTotal,
    InterfaceStats,
    MessageDistStats,
    MessageStats,
    ShareStats,
    UserCumulate,
    UserSummary,
)
from werobot_client.responses import M

__all__ = [
    "get_article_summary",
    "get_article_total",
    "get_interface_summary",
    "get_interface_summary_hour",
    "get_upstream_msg",
    "get_upstream_msg_dist",
    "get_upstream_msg_dist_month",
    "get_upstream_msg_dist_week",
    "get_upstream_msg_hour",
    "get_upstream_msg_month",
    "get_upstream_msg_week",
    "get_user_cumulate",
    "get_user_read",
    "get_user_read_hour",
    "get_user_share",
    "get_user_share_hour",
    "get_user_summary",
]

#: A day: a ``datetime.date`` or its ``"YYYY-MM-DD"`` string.
DateLike = datetime.date | str


def _day(value: DateLike) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _cube(name: str, begin_date: DateLike, end_date: DateLike, model: type[M]) -> ApiCall[M]:
    body = {"begin_date": _day(begin_date), "end_date": _day(end_date)}
    return post_json(f"/datacube/{name}", body, model)


@endpoint
def get_user_summary(begin_date: DateLike, end_date: DateLike) -> ApiCall[UserSummary]:
    """New and lost followers per day and source (at most 7 days)."""
    return _cube("getusersummary", begin_date, end_date, UserSummary)


@endpoint
def get_user_cumulate(begin_date: DateLike, end_date: DateLike) -> ApiCall[UserCumulate]:
    """The number of followers per day (at most 7 days)."""
    return _cube("getusercumulate", begin_date, end_date, UserCumulate)


@endpoint
def get_article_summary(begin_date: DateLike, end_date: DateLike) -> ApiCall[ArticleStats]:
    """Reads and shares of each article sent that day (1 day)."""
    return _cube("getarticlesummary", begin_date, end_date, ArticleStats)


@endpoint
def get_article_total(begin_date: DateLike, end_date: DateLike) -> ApiCall[ArticleTotal]:
    """Each article sent that day, with its numbers every day since (1 day)."""
    return _cube("getarticletotal", begin_date, end_date, ArticleTotal)


@endpoint
def get_user_read(begin_date: DateLike, end_date: DateLike) -> ApiCall[ArticleStats]:
    """Article reads per day (at most 3 days)."""
    return _cube("getuserread", begin_date, end_date, ArticleStats)


@endpoint
def get_user_read_hour(begin_date: DateLike, end_date: DateLike) -> ApiCall[ArticleStats]:
    """Article reads per hour (1 day)."""
    return _cube("getuserreadhour", begin_date, end_date, ArticleStats)


@endpoint
def get_user_share(begin_date: DateLike, end_date: DateLike) -> ApiCall[ShareStats]:
    """Article shares per day and scene (at most 7 days)."""
    return _cube("getusershare", begin_date, end_date, ShareStats)


@endpoint
def get_user_share_hour(begin_date: DateLike, end_date: DateLike) -> ApiCall[ShareStats]:
    """Article shares per hour and scene (1 day)."""
    return _cube("getusersharehour", begin_date, end_date, ShareStats)


@endpoint
def get_upstream_msg(begin_date: DateLike, end_date: DateLike) -> ApiCall[MessageStats]:
    """Messages users sent per day and type (at most 7 days)."""
    return _cube("getupstreammsg", begin_date, end_date, MessageStats)


@endpoint
def get_upstream_msg_hour(begin_date: DateLike, end_date: DateLike) -> ApiCall[MessageStats]:
    """Messages users sent per hour (1 day)."""
    return _cube("getupstreammsghour", begin_date, end_date, MessageStats)


@endpoint
def get_upstream_msg_week(begin_date: DateLike, end_date: DateLike) -> ApiCall[MessageStats]:
    """Messages users sent per week (at most 30 days)."""
    return _cube("getupstreammsgweek", begin_date, end_date, MessageStats)


@endpoint
def get_upstream_msg_month(begin_date: DateLike, end_date: DateLike) -> ApiCall[MessageStats]:
    """Messages users sent per month (at most 30 days)."""
    return _cube("getupstreammsgmonth", begin_date, end_date, MessageStats)


@endpoint
def get_upstream_msg_dist(begin_date: DateLike, end_date: DateLike) -> ApiCall[MessageDistStats]:
    """How many users sent how many messages, per day (at most 15 days)."""
    return _cube("getupstreammsgdist", begin_date, end_date, MessageDistStats)


@endpoint
def get_upstream_msg_dist_week(
    begin_date: DateLike, end_date: DateLike
) -> ApiCall[MessageDistStats]:
    """How many users sent how many messages, per week (at most 30 days)."""
    return _cube("getupstreammsgdistweek", begin_date, end_date, MessageDistStats)


@endpoint
def get_upstream_msg_dist_month(
    begin_date: DateLike, end_date: DateLike
) -> ApiCall[MessageDistStats]:
    """How many users sent how many messages, per month (at most 30 days)."""
    return _cube("getupstreammsgdistmonth", begin_date, end_date, MessageDistStats)


@endpoint
def get_interface_summary(begin_date: DateLike, end_date: DateLike) -> ApiCall[InterfaceStats]:
    """Calls to your callback URL per day (at most 30 days)."""
    return _cube("getinterfacesummary", begin_date, end_date, InterfaceStats)


@endpoint
def get_interface_summary_hour(begin_date: DateLike, end_date: DateLike) -> ApiCall[InterfaceStats]:
    """Calls to your callback URL per hour (1 day)."""
    return _cube("getinterfacesummaryhour", begin_date, end_date, InterfaceStats)
