"""Operations: the blacklist, OpenID migration, quotas, request lookup and the network.

``clear_quota_by_secret`` and ``get_api_quota``/``get_rid_info`` are the tools for errcode
45009 (daily quota used up) and 40164 (IP not whitelisted: the rid's ``client_ip``).
https://developers.weixin.qq.com/doc/offiaccount/User_Management/Manage_blacklist.html
https://developers.weixin.qq.com/doc/offiaccount/openApi/clear_quota.html
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Network_Detection.html
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from werobot_client.call import ApiCall, endpoint, get_json, post_json
from werobot_client.models import (
    ApiQuota,
    Blacklist,
    CallbackCheck,
    ChangedOpenIds,
    IpList,
    RidInfo,
)
from werobot_client.responses import ApiResponse, json_as

__all__ = [
    "black_users",
    "change_openid",
    "check_callback",
    "clear_quota",
    "clear_quota_by_secret",
    "get_api_domain_ip",
    "get_api_quota",
    "get_blacklist",
    "get_rid_info",
    "unblack_users",
]


@endpoint
def get_blacklist(begin_openid: str = "") -> ApiCall[Blacklist]:
    """A page of up to 10000 blocked users, after ``begin_openid``."""
    body = {"begin_openid": begin_openid}
    return post_json("/cgi-bin/tags/members/getblacklist", body, Blacklist)


@endpoint
def black_users(open_id_list: Sequence[str]) -> ApiCall[ApiResponse]:
    """Block up to 20 users."""
    body = {"openid_list": list(open_id_list)}
    return post_json("/cgi-bin/tags/members/batchblacklist", body, ApiResponse)


@endpoint
def unblack_users(open_id_list: Sequence[str]) -> ApiCall[ApiResponse]:
    """Unblock up to 20 users."""
    body = {"openid_list": list(open_id_list)}
    return post_json("/cgi-bin/tags/members/batchunblacklist", body, ApiResponse)


@endpoint
def change_openid(from_appid: str, open_id_list: Sequence[str]) -> ApiCall[ChangedOpenIds]:
    """After a migration: the OpenIDs in this account of up to 100 users of ``from_appid``."""
    body = {"from_appid": from_appid, "openid_list": list(open_id_list)}
    return post_json("/cgi-bin/changeopenid", body, ChangedOpenIds)


@endpoint
def clear_quota() -> ApiCall[ApiResponse]:
    """Reset today's call counts of every API (10 times a month), with the access token."""
    return ApiCall(
        "POST",
        "/cgi-bin/clear_quota",
        decode=json_as(ApiResponse),
        account_body={"appid": "APP_ID"},
    )


@endpoint
def clear_quota_by_secret() -> ApiCall[ApiResponse]:
    """:meth:`clear_quota` authenticated by the AppSecret (``clear_quota/v2``), for when the
    quota of ``/cgi-bin/token`` itself is used up."""
    return ApiCall(
        "POST",
        "/cgi-bin/clear_quota/v2",
        decode=json_as(ApiResponse),
        account_body={"appid": "APP_ID", "appsecret": "APP_SECRET"},
        needs_token=False,
    )


@endpoint
def get_api_quota(cgi_path: str) -> ApiCall[ApiQuota]:
    """Today's quota of one API, by its path (``/cgi-bin/message/custom/send``)."""
    return post_json("/cgi-bin/openapi/quota/get", {"cgi_path": cgi_path}, ApiQuota)


@endpoint
def get_rid_info(rid: str) -> ApiCall[RidInfo]:
    """The request behind an error's ``rid`` (in its errmsg), as WeChat saw it."""
    return post_json("/cgi-bin/openapi/rid/get", {"rid": rid}, RidInfo)


@endpoint
def check_callback(
    action: Literal["all", "dns", "ping"] = "all",
    check_operator: Literal["CHINANET", "UNICOM", "CAP", "DEFAULT"] = "DEFAULT",
) -> ApiCall[CallbackCheck]:
    """Have WeChat resolve and ping your callback URL's domain."""
    body = {"action": action, "check_operator": check_operator}
    return post_json("/cgi-bin/callback/check", body, CallbackCheck)


@endpoint
def get_api_domain_ip() -> ApiCall[IpList]:
    """The IP addresses of ``api.weixin.qq.com`` (for an outbound firewall)."""
    return get_json("/cgi-bin/get_api_domain_ip", IpList)
