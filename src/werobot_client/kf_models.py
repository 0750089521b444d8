"""Typed answers of customer-service sessions and message records (re-exported by ``models``).

https://developers.weixin.qq.com/doc/offiaccount/Customer_Service/Session_control.html
"""

from __future__ import annotations

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel

__all__ = [
    "KfMessageRecord",
    "KfMessageRecords",
    "KfSession",
    "KfSessionItem",
    "KfSessionList",
    "KfWaitCase",
    "KfWaitCases",
]


class KfSession(ApiResponse):
    """``/customservice/kfsession/getsession``: who serves a user (empty when nobody)."""

    kf_account: str = ""
    createtime: int | None = None


class KfSessionItem(WireModel):
    """A session of one customer-service account."""

    openid: str
    createtime: int | None = None


class KfSessionList(ApiResponse):
    """``/customservice/kfsession/getsessionlist``."""

    sessionlist: list[KfSessionItem] = Field(default_factory=list)


class KfWaitCase(WireModel):
    """A user waiting for a customer-service account."""

    openid: str
    latest_time: int | None = None


class KfWaitCases(ApiResponse):
    """``/customservice/kfsession/getwaitcase``: the queue (up to 100 shown)."""

    count: int = 0
    waitcaselist: list[KfWaitCase] = Field(default_factory=list)


class KfMessageRecord(WireModel):
    """One message of a customer-service conversation.

    ``opercode``: 2001 sent by the account, 2002 by the user, 1000 session events, …
    """

    openid: str
    opercode: int | None = None
    text: str = ""
    time: int | None = None
    worker: str | None = None


class KfMessageRecords(ApiResponse):
    """``/customservice/msgrecord/getmsglist``: pass ``msgid`` back for the next page."""

    recordlist: list[KfMessageRecord] = Field(default_factory=list)
    number: int = 0
    msgid: int | None = None
