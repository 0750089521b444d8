"""Typed answers about operations: blacklist, OpenID migration, comments, quotas and network.

Re-exported by ``models``.
https://developers.weixin.qq.com/doc/offiaccount/User_Management/Manage_blacklist.html
https://developers.weixin.qq.com/doc/offiaccount/Comments_management/Image_Comments_Management_Interface.html
https://developers.weixin.qq.com/doc/offiaccount/openApi/get_api_quota.html
"""

from __future__ import annotations

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel
from werobot_client.user_models import OpenIdList

__all__ = [
    "ApiQuota",
    "Blacklist",
    "CallbackCheck",
    "ChangedOpenId",
    "ChangedOpenIds",
    "Comment",
    "CommentList",
    "CommentReply",
    "DnsResult",
    "PingResult",
    "Quota",
    "RateLimit",
    "RidInfo",
    "RidRequest",
]


class Blacklist(ApiResponse):
    """``/cgi-bin/tags/members/getblacklist``: a page of up to 10000 blocked users."""

    total: int = 0
    count: int = 0
    data: OpenIdList | None = None
    next_openid: str = ""


class ChangedOpenId(WireModel):
    """A user's OpenID under the old account and under this one (``err_msg`` ``ok``)."""

    ori_openid: str
    new_openid: str | None = None
    err_msg: str | None = None


class ChangedOpenIds(ApiResponse):
    """``/cgi-bin/changeopenid``: after an account migration."""

    result_list: list[ChangedOpenId] = Field(default_factory=list)


class CommentReply(WireModel):
    """The account's reply to a comment."""

    content: str = ""
    create_time: int | None = None


class Comment(WireModel):
    """A comment on an article; ``comment_type`` 1 is featured."""

    user_comment_id: int
    openid: str | None = None
    create_time: int | None = None
    content: str = ""
    comment_type: int | None = None
    reply: CommentReply | None = None


class CommentList(ApiResponse):
    """``/cgi-bin/comment/list``."""

    total: int = 0
    comment: list[Comment] = Field(default_factory=list)


class Quota(WireModel):
    """Today's quota of one API."""

    daily_limit: int = 0
    used: int = 0
    remain: int = 0


class RateLimit(WireModel):
    """``call_count`` calls allowed per ``refresh_second`` seconds."""

    call_count: int | None = None
    refresh_second: int | None = None


class ApiQuota(ApiResponse):
    """``/cgi-bin/openapi/quota/get``: the quota behind errcode 45009."""

    quota: Quota | None = None
    rate_limit: RateLimit | None = None
    component_rate_limit: RateLimit | None = None


class RidRequest(WireModel):
    """A failed request as WeChat saw it; ``client_ip`` is the IP to whitelist for 40164."""

    invoke_time: int | None = None
    cost_in_ms: int | None = None
    request_url: str | None = None
    request_body: str | None = None
    response_body: str | None = None
    client_ip: str | None = None


class RidInfo(ApiResponse):
    """``/cgi-bin/openapi/rid/get``: the request behind the ``rid`` of an errmsg."""

    request: RidRequest | None = None


class DnsResult(WireModel):
    """What a callback domain resolved to, and the operator of that IP."""

    ip: str
    real_operator: str | None = None


class PingResult(WireModel):
    """How an IP of your server answered WeChat's ping."""

    ip: str
    from_operator: str | None = None
    package_loss: str | None = None
    time: str | None = None


class CallbackCheck(ApiResponse):
    """``/cgi-bin/callback/check``: can WeChat reach your callback URL?"""

    dns: list[DnsResult] = Field(default_factory=list)
    ping: list[PingResult] = Field(default_factory=list)
