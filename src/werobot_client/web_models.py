"""Typed answers for web pages: OAuth2 user tokens and profiles, JS-SDK tickets.

Re-exported by ``models``. The OAuth2 token is the *user's* token, a value of its own: it is
never the account's access token and never enters the token store.
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
"""

from __future__ import annotations

from pydantic import Field

from werobot_client.responses import ApiResponse

__all__ = ["OAuthToken", "OAuthUserInfo", "Ticket"]


class Ticket(ApiResponse):
    """``/cgi-bin/ticket/getticket``: a JS-SDK ticket (``jsapi`` or ``wx_card``)."""

    ticket: str
    expires_in: int = 7200
    """Seconds the ticket stays valid (7200)."""


class OAuthToken(ApiResponse):
    """``/sns/oauth2/access_token`` and ``/sns/oauth2/refresh_token``: a user's web token.

    ``access_token`` is valid 7200 s and only for this user's ``sns/*`` calls;
    ``refresh_token`` renews it for 30 days.
    """

    access_token: str
    expires_in: int = 7200
    refresh_token: str | None = None
    openid: str
    scope: str | None = None
    """``snsapi_base`` or ``snsapi_userinfo`` (comma-separated if several)."""
    is_snapshotuser: int | None = None
    """1 when the user is on a snapshot page (a virtual, not a real, OpenID)."""
    unionid: str | None = None


class OAuthUserInfo(ApiResponse):
    """``/sns/userinfo``: the profile a user agreed to share (``snsapi_userinfo``)."""

    openid: str
    nickname: str | None = None
    sex: int | None = None
    province: str | None = None
    city: str | None = None
    country: str | None = None
    headimgurl: str | None = None
    privilege: list[str] = Field(default_factory=list)
    unionid: str | None = None
