"""The answers of the open platform's component API (third-party platforms).

https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/ThirdParty/token/component_access_token.html
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel

__all__ = [
    "AuthorizationInfo",
    "AuthorizerInfo",
    "AuthorizerListItem",
    "AuthorizerListPage",
    "AuthorizerOption",
    "AuthorizerToken",
    "ComponentAccessToken",
    "PreAuthCode",
    "QueryAuthResult",
]


class ComponentAccessToken(ApiResponse):
    """``/cgi-bin/component/api_component_token``."""

    component_access_token: str
    expires_in: int = 7200
    """Seconds the token stays valid (7200)."""


class PreAuthCode(ApiResponse):
    """``/cgi-bin/component/api_create_preauthcode``: one authorization page's code."""

    pre_auth_code: str
    expires_in: int = 1800
    """Seconds the code stays valid (1800)."""


class AuthorizationInfo(WireModel):
    """What an account authorized: its AppID, its tokens and the permission sets."""

    authorizer_appid: str
    authorizer_access_token: str | None = None
    expires_in: int = 7200
    authorizer_refresh_token: str | None = None
    func_info: list[dict[str, Any]] = Field(default_factory=list)
    """The permission sets (``{"funcscope_category": {"id": 1}}``, ...)."""


class QueryAuthResult(ApiResponse):
    """``/cgi-bin/component/api_query_auth``: the authorizer's first tokens."""

    authorization_info: AuthorizationInfo


class AuthorizerToken(ApiResponse):
    """``/cgi-bin/component/api_authorizer_token``: a new access token (and maybe a new
    refresh token: keep the one returned, the old one may stop working)."""

    authorizer_access_token: str
    expires_in: int = 7200
    authorizer_refresh_token: str | None = None


class AuthorizerInfo(ApiResponse):
    """``/cgi-bin/component/api_get_authorizer_info``: the account and its authorization."""

    authorizer_info: dict[str, Any] = Field(default_factory=dict)
    """Nickname, head image, service type, verify type, original id (``user_name``), ..."""
    authorization_info: AuthorizationInfo


class AuthorizerListItem(WireModel):
    """One authorized account of ``api_get_authorizer_list``."""

    authorizer_appid: str
    refresh_token: str | None = None
    auth_time: int = 0


class AuthorizerListPage(ApiResponse):
    """``/cgi-bin/component/api_get_authorizer_list``: one page of authorized accounts."""

    total_count: int = 0
    authorizers: list[AuthorizerListItem] = Field(default_factory=list, alias="list")
    """The page's accounts (``list``; ``page["list"]`` reads the raw JSON)."""


class AuthorizerOption(ApiResponse):
    """``/cgi-bin/component/api_get_authorizer_option``."""

    authorizer_appid: str = ""
    option_name: str = ""
    option_value: str = ""
