"""The pushes a third-party platform's component receives (``InfoType``, no ``MsgType``).

WeChat posts them to the component's "authorization event URL" (授权事件接收 URL),
encrypted with the component's key (the AppId trailer is the component's AppID), and
expects ``success`` back. Each class declares its ``InfoType`` once (``INFO_TYPE``); the
dispatch key and the decorators of :class:`~werobot_core.component.ComponentRouter` are
derived from it.
https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/Before_Develop/component_verify_ticket.html
https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/Before_Develop/authorize_event.html
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from werobot_core.messages.base import Int, IntZero, Str, StrEmpty, WeChatMessage

__all__ = [
    "COMPONENT_PUSHES",
    "AuthorizedPush",
    "ComponentPush",
    "ComponentVerifyTicketPush",
    "FastRegisterPush",
    "UnauthorizedPush",
    "UnknownComponentPush",
    "UpdateAuthorizedPush",
    "component_push_class",
]


class ComponentPush(WeChatMessage):
    """A push to the component (``InfoType``); ``type`` is the lower-case ``InfoType``."""

    INFO_TYPE: ClassVar[str] = ""

    component_appid: StrEmpty = Field("", alias="AppId")
    """The component's AppID (``AppId``)."""
    info_type: StrEmpty = Field("", alias="InfoType")
    """The ``InfoType`` as received."""

    @classmethod
    def dispatch_key(cls) -> str:
        return cls.INFO_TYPE


class ComponentVerifyTicketPush(ComponentPush):
    """The ticket WeChat pushes every ten minutes; the component token is granted with it.

    The component webhook stores it before any handler runs.
    """

    INFO_TYPE: ClassVar[str] = "component_verify_ticket"

    ticket: StrEmpty = Field("", alias="ComponentVerifyTicket")
    """``ComponentVerifyTicket``."""


class AuthorizedPush(ComponentPush):
    """An account authorized the component; trade ``authorization_code`` with
    ``ComponentClient.api_query_auth``."""

    INFO_TYPE: ClassVar[str] = "authorized"

    authorizer_appid: StrEmpty = Field("", alias="AuthorizerAppid")
    """The account's AppID (``AuthorizerAppid``)."""
    authorization_code: Str = Field(None, alias="AuthorizationCode")
    """The authorization code (``AuthorizationCode``)."""
    authorization_code_expired_time: Int = Field(None, alias="AuthorizationCodeExpiredTime")
    """When the code expires, Unix seconds (``AuthorizationCodeExpiredTime``)."""
    pre_auth_code: Str = Field(None, alias="PreAuthCode")
    """The pre-authorization code the authorization page was opened with."""


class UpdateAuthorizedPush(AuthorizedPush):
    """An account changed the permissions it granted (same fields as ``authorized``)."""

    INFO_TYPE: ClassVar[str] = "updateauthorized"


class UnauthorizedPush(ComponentPush):
    """An account withdrew its authorization: forget its tokens."""

    INFO_TYPE: ClassVar[str] = "unauthorized"

    authorizer_appid: StrEmpty = Field("", alias="AuthorizerAppid")
    """The account's AppID (``AuthorizerAppid``)."""


class FastRegisterPush(ComponentPush):
    """The result of a Mini Program fast registration (``notify_third_fasteregister``)."""

    INFO_TYPE: ClassVar[str] = "notify_third_fasteregister"

    appid: Str = Field(None, alias="appid")
    """The new Mini Program's AppID (on success)."""
    status: IntZero = Field(0, alias="status")
    """0 on success, else WeChat's error code."""
    auth_code: Str = Field(None, alias="auth_code")
    """An authorization code for the new Mini Program (trade it with ``api_query_auth``)."""
    msg: Str = Field(None, alias="msg")
    """WeChat's message."""
    info: dict[str, Any] | None = Field(None, alias="info")
    """What was registered (``name``, ``code``, ``code_type``, ``legal_persona_wechat``, ...)."""


class UnknownComponentPush(ComponentPush):
    """A push with an ``InfoType`` this SDK has no class for (fields kept as extras)."""

    INFO_TYPE: ClassVar[str] = "unknown_component_push"


#: Every component push class, the unknown fallback last.
COMPONENT_PUSHES: tuple[type[ComponentPush], ...] = (
    ComponentVerifyTicketPush,
    AuthorizedPush,
    UnauthorizedPush,
    UpdateAuthorizedPush,
    FastRegisterPush,
    UnknownComponentPush,
)

_BY_INFO_TYPE = {cls.INFO_TYPE: cls for cls in COMPONENT_PUSHES}


def component_push_class(info_type: str) -> type[ComponentPush]:
    """The class of an ``InfoType`` (``UnknownComponentPush`` for one without a class)."""
    return _BY_INFO_TYPE.get(info_type.strip().lower(), UnknownComponentPush)
