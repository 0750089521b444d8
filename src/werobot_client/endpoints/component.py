"""The component endpoints of a third-party platform (the open platform's ``/cgi-bin/component``).

``component_access_token`` goes in the query and ``component_appid`` in the body; the
component clients of :mod:`werobot_client.component` fill both in.
https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/ThirdParty/token/component_access_token.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from werobot_client.call import ApiCall, endpoint
from werobot_client.component_models import (
    AuthorizerInfo,
    AuthorizerListPage,
    AuthorizerOption,
    AuthorizerToken,
    ComponentAccessToken,
    PreAuthCode,
    QueryAuthResult,
)
from werobot_client.responses import ApiResponse, json_as

__all__ = [
    "ComponentMethods",
    "api_authorizer_token",
    "api_create_preauthcode",
    "api_get_authorizer_info",
    "api_get_authorizer_list",
    "api_get_authorizer_option",
    "api_set_authorizer_option",
    "grant_component_token",
    "query_auth",
]

M = TypeVar("M", bound=ApiResponse)


def _component_call(path: str, body: Mapping[str, object], model: type[M]) -> ApiCall[M]:
    return ApiCall(
        "POST",
        path,
        decode=json_as(model),
        body=dict(body),
        account_body={"component_appid": "APP_ID"},
    )


@endpoint
def api_create_preauthcode() -> ApiCall[PreAuthCode]:
    """A new pre-authorization code (valid 30 minutes, one authorization page each)."""
    return _component_call("/cgi-bin/component/api_create_preauthcode", {}, PreAuthCode)


@endpoint
def query_auth(authorization_code: str) -> ApiCall[QueryAuthResult]:
    """Trade an authorization code for the authorizer's tokens, without storing them
    (:meth:`api_query_auth` stores them)."""
    return _component_call(
        "/cgi-bin/component/api_query_auth",
        {"authorization_code": authorization_code},
        QueryAuthResult,
    )


@endpoint
def api_authorizer_token(
    authorizer_appid: str, authorizer_refresh_token: str
) -> ApiCall[AuthorizerToken]:
    """A new access token of an authorizer from its refresh token, without storing it
    (the clients of :meth:`client_for` refresh and store it for you)."""
    return _component_call(
        "/cgi-bin/component/api_authorizer_token",
        {
            "authorizer_appid": authorizer_appid,
            "authorizer_refresh_token": authorizer_refresh_token,
        },
        AuthorizerToken,
    )


@endpoint
def api_get_authorizer_info(authorizer_appid: str) -> ApiCall[AuthorizerInfo]:
    """An authorizer's account details and the permissions it granted."""
    return _component_call(
        "/cgi-bin/component/api_get_authorizer_info",
        {"authorizer_appid": authorizer_appid},
        AuthorizerInfo,
    )


@endpoint
def api_get_authorizer_list(offset: int = 0, count: int = 500) -> ApiCall[AuthorizerListPage]:
    """One page (at most 500) of the accounts that authorized the component."""
    return _component_call(
        "/cgi-bin/component/api_get_authorizer_list",
        {"offset": offset, "count": count},
        AuthorizerListPage,
    )


@endpoint
def api_get_authorizer_option(authorizer_appid: str, option_name: str) -> ApiCall[AuthorizerOption]:
    """An authorizer's option (``location_report``, ``voice_recognize``,
    ``customer_service``)."""
    return _component_call(
        "/cgi-bin/component/api_get_authorizer_option",
        {"authorizer_appid": authorizer_appid, "option_name": option_name},
        AuthorizerOption,
    )


@endpoint
def api_set_authorizer_option(
    authorizer_appid: str, option_name: str, option_value: str
) -> ApiCall[ApiResponse]:
    """Set an authorizer's option."""
    return _component_call(
        "/cgi-bin/component/api_set_authorizer_option",
        {
            "authorizer_appid": authorizer_appid,
            "option_name": option_name,
            "option_value": option_value,
        },
        ApiResponse,
    )


class ComponentMethods:
    """The component endpoints both component clients expose (``component_access_token``
    in the query, ``component_appid`` in the body, both filled in by the client)."""

    api_create_preauthcode = api_create_preauthcode
    query_auth = query_auth
    api_authorizer_token = api_authorizer_token
    api_get_authorizer_info = api_get_authorizer_info
    api_get_authorizer_list = api_get_authorizer_list
    api_get_authorizer_option = api_get_authorizer_option
    api_set_authorizer_option = api_set_authorizer_option


def grant_component_token(appid: str, secret: str, ticket: str) -> ApiCall[ComponentAccessToken]:
    """Ask for a ``component_access_token`` with the component's secret and ticket."""
    return ApiCall(
        "POST",
        "/cgi-bin/component/api_component_token",
        decode=json_as(ComponentAccessToken),
        body={
            "component_appid": appid,
            "component_appsecret": secret,
            "component_verify_ticket": ticket,
        },
        needs_token=False,
        retryable=False,
    )
