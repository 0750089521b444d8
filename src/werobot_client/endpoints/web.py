"""Web pages: OAuth2 web authorization (the user's token) and the JS-SDK ticket.

The OAuth2 calls are authenticated by the AppSecret or by the *user's* token, never by the
account's access token, so a 40001 from them never refreshes the account's token.
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html
"""

from __future__ import annotations

from typing import Literal

from werobot_client.call import ApiCall, endpoint, get_json
from werobot_client.models import OAuthToken, OAuthUserInfo, Ticket
from werobot_client.responses import ApiResponse, json_as

__all__ = [
    "grant_ticket",
    "oauth_access_token",
    "oauth_check_token",
    "oauth_refresh_token",
    "oauth_user_info",
]

#: The ticket types of ``/cgi-bin/ticket/getticket``.
TicketType = Literal["jsapi", "wx_card"]


@endpoint
def oauth_access_token(code: str) -> ApiCall[OAuthToken]:
    """Trade the ``code`` WeChat sent to your redirect URI for the user's token (once per code).

    Authenticated by APP_ID and APP_SECRET; never retried (a code is good for one use).
    """
    return ApiCall(
        "GET",
        "/sns/oauth2/access_token",
        decode=json_as(OAuthToken),
        query={"code": code, "grant_type": "authorization_code"},
        account_query={"appid": "APP_ID", "secret": "APP_SECRET"},
        needs_token=False,
        retryable=False,
    )


@endpoint
def oauth_refresh_token(refresh_token: str) -> ApiCall[OAuthToken]:
    """Renew a user's token with its ``refresh_token`` (valid 30 days)."""
    return ApiCall(
        "GET",
        "/sns/oauth2/refresh_token",
        decode=json_as(OAuthToken),
        query={"grant_type": "refresh_token", "refresh_token": refresh_token},
        account_query={"appid": "APP_ID"},
        needs_token=False,
    )


def _user_query(access_token: str | OAuthToken, openid: str | None) -> dict[str, str | int]:
    if isinstance(access_token, OAuthToken):
        return {"access_token": access_token.access_token, "openid": openid or access_token.openid}
    if openid is None:
        raise TypeError("pass the user's openid with a token given as a string")
    return {"access_token": access_token, "openid": openid}


@endpoint
def oauth_user_info(
    access_token: str | OAuthToken, openid: str | None = None, lang: str = "zh_CN"
) -> ApiCall[OAuthUserInfo]:
    """The profile of the user who authorized with ``snsapi_userinfo``.

    ``access_token`` is the user's :class:`OAuthToken` (its OpenID is used) or its string
    with ``openid``.
    """
    query = {**_user_query(access_token, openid), "lang": lang}
    return ApiCall(
        "GET", "/sns/userinfo", decode=json_as(OAuthUserInfo), query=query, needs_token=False
    )


@endpoint
def oauth_check_token(
    access_token: str | OAuthToken, openid: str | None = None
) -> ApiCall[ApiResponse]:
    """Check a user's token: returns when valid, raises (e.g. 40003, 42001) when not."""
    query = _user_query(access_token, openid)
    return ApiCall("GET", "/sns/auth", decode=json_as(ApiResponse), query=query, needs_token=False)


@endpoint
def grant_ticket(ticket_type: TicketType = "jsapi") -> ApiCall[Ticket]:
    """Ask for a new JS-SDK ticket, uncached (use ``get_ticket``: the calls are few a day)."""
    return get_json("/cgi-bin/ticket/getticket", Ticket, {"type": ticket_type})
