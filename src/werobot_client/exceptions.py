"""Every error the API client raises, under one root.

::

    ClientException                errcode, errmsg, request, response
    ├── SystemBusy            -1   retried 3 times (0.2, 0.4, 0.8 s), then raised
    ├── CredentialError            /cgi-bin/token refused the account (never retried)
    │   ├── InvalidAppId      40013
    │   ├── InvalidAppSecret  40125
    │   └── IPNotWhitelisted  40164
    ├── AccessTokenError           the access token sent was not accepted
    │   ├── InvalidCredential 40001  refreshed and retried once
    │   ├── InvalidAccessToken 40014 refreshed and retried once
    │   ├── AccessTokenMissing 41001
    │   └── AccessTokenExpired 42001 refreshed and retried once
    ├── InvalidOpenId         40003
    ├── InvalidMediaId        40007
    ├── RequireSubscribe      43004
    ├── QuotaExceeded         45009  the daily quota of this API is used up
    ├── RateLimited           45011
    ├── OutOfResponseWindow   45015  the user has not written in the last 48 hours
    ├── ResponseCountExceeded 45047
    ├── APIUnauthorized       48001  the account may not call this API
    ├── UserLimited           50002
    ├── HTTPError                  WeChat answered with a non-2xx status
    ├── UnexpectedResponse         the answer is not the JSON the endpoint documents
    └── TransportError             no answer at all (connection refused, reset, ...)
        └── RequestTimeout         no answer within the timeout

An errcode without a class of its own raises ``ClientException`` itself. ``str(error)`` is
``"errcode: errmsg"``, as in WeRoBot. ``request`` is the ``httpx.Request`` sent (with the
access token in its URL: do not log it verbatim), ``response`` the answer when there was one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

import httpx

M = TypeVar("M", bound=Mapping[str, Any])

__all__ = [
    "ERRORS",
    "APIUnauthorized",
    "AccessTokenError",
    "AccessTokenExpired",
    "AccessTokenMissing",
    "ClientException",
    "CredentialError",
    "HTTPError",
    "IPNotWhitelisted",
    "InvalidAccessToken",
    "InvalidAppId",
    "InvalidAppSecret",
    "InvalidCredential",
    "InvalidMediaId",
    "InvalidOpenId",
    "OutOfResponseWindow",
    "QuotaExceeded",
    "RateLimited",
    "RequestTimeout",
    "RequireSubscribe",
    "ResponseCountExceeded",
    "SystemBusy",
    "TransportError",
    "UnexpectedResponse",
    "UserLimited",
    "check_error",
    "error_for",
]


class ClientException(Exception):
    """WeChat answered with ``errcode`` ≠ 0, or the call could not be completed.

    ``errcode`` is ``None`` for the errors that carry no WeChat answer (HTTP, transport).
    ``str(error)`` and ``error.args[0]`` are ``"errcode: errmsg"`` (just ``errmsg`` without an
    errcode), as in WeRoBot; ``ClientException("message")`` works as WeRoBot's did.
    """

    #: The errcode this class stands for in the table (``None``: no fixed code).
    code: ClassVar[int | None] = None

    def __init__(
        self,
        errcode: int | str | None = None,
        errmsg: str | None = None,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        if not isinstance(errcode, int):  # ClientException("message"), WeRoBot's form
            errcode, errmsg = None, errmsg if errcode is None else errcode
        self.errcode: int | None = errcode
        self.errmsg: str = errmsg or ""
        self.request = request
        self.response = response
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.errcode is None:
            return self.errmsg
        return f"{self.errcode}: {self.errmsg}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle by state (for multiprocessing and task queues), whatever the __init__.
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[ClientException], args: tuple[Any, ...]) -> ClientException:
    error = cls.__new__(cls)
    error.args = args
    return error


class SystemBusy(ClientException):
    """``-1``: WeChat is busy; retried with backoff before this is raised."""

    code = -1


class CredentialError(ClientException):
    """``/cgi-bin/token`` refused the AppID, the AppSecret or the caller's IP."""


class InvalidAppId(CredentialError):
    """``40013``: the AppID is not valid."""

    code = 40013


class InvalidAppSecret(CredentialError):
    """``40125``: the AppSecret is not valid."""

    code = 40125


class IPNotWhitelisted(CredentialError):
    """``40164``: the calling IP is not in the account's whitelist."""

    code = 40164


class AccessTokenError(ClientException):
    """The access token sent was not accepted."""


class InvalidCredential(AccessTokenError):
    """``40001``: invalid credential (a stale token, or a wrong AppSecret at the token API)."""

    code = 40001


class InvalidAccessToken(AccessTokenError):
    """``40014``: the access token is not valid."""

    code = 40014


class AccessTokenMissing(AccessTokenError):
    """``41001``: the request carried no access token."""

    code = 41001


class AccessTokenExpired(AccessTokenError):
    """``42001``: the access token has expired."""

    code = 42001


class InvalidOpenId(ClientException):
    """``40003``: the OpenID is not a follower of this account."""

    code = 40003


class InvalidMediaId(ClientException):
    """``40007``: the media_id does not exist (or has expired)."""

    code = 40007


class RequireSubscribe(ClientException):
    """``43004``: the user does not follow the account."""

    code = 43004


class QuotaExceeded(ClientException):
    """``45009``: the daily call quota of this API is used up."""

    code = 45009


class RateLimited(ClientException):
    """``45011``: calls are too frequent; wait and try again."""

    code = 45011


class OutOfResponseWindow(ClientException):
    """``45015``: the user has not interacted within the 48-hour customer-service window."""

    code = 45015


class ResponseCountExceeded(ClientException):
    """``45047``: too many customer-service messages since the user last wrote."""

    code = 45047


class APIUnauthorized(ClientException):
    """``48001``: this account is not authorised to call the API."""

    code = 48001


class UserLimited(ClientException):
    """``50002``: the user is restricted (banned or limited)."""

    code = 50002


class HTTPError(ClientException):
    """WeChat answered with a non-2xx HTTP status; ``status_code`` holds it."""

    def __init__(self, request: httpx.Request, response: httpx.Response) -> None:
        super().__init__(
            None,
            f"HTTP {response.status_code} from {request.method} {request.url.path}",
            request=request,
            response=response,
        )
        self.status_code = response.status_code


class UnexpectedResponse(ClientException):
    """The answer is not the JSON object the endpoint documents."""


class TransportError(ClientException):
    """No answer: the connection failed. ``__cause__`` holds httpx's error."""


class RequestTimeout(TransportError):
    """No answer within the client's timeout."""


_TABLE: tuple[type[ClientException], ...] = (
    SystemBusy,
    InvalidAppId,
    InvalidAppSecret,
    IPNotWhitelisted,
    InvalidCredential,
    InvalidAccessToken,
    AccessTokenMissing,
    AccessTokenExpired,
    InvalidOpenId,
    InvalidMediaId,
    RequireSubscribe,
    QuotaExceeded,
    RateLimited,
    OutOfResponseWindow,
    ResponseCountExceeded,
    APIUnauthorized,
    UserLimited,
)

#: errcode → the class raised for it (read-only).
ERRORS: Mapping[int, type[ClientException]] = MappingProxyType(
    {cls.code: cls for cls in _TABLE if cls.code is not None}
)


def check_error(json: M) -> M:
    """Raise the error for a WeChat answer whose ``errcode`` is not 0; else return it.

    WeRoBot's ``werobot.client.check_error``, for code that calls the API by hand.
    """
    errcode = json.get("errcode", 0)
    if errcode:
        raise error_for(int(errcode), str(json.get("errmsg", "")))
    return json


def error_for(
    errcode: int,
    errmsg: str,
    *,
    request: httpx.Request | None = None,
    response: httpx.Response | None = None,
) -> ClientException:
    """Build the exception for an ``errcode`` WeChat returned (the table above)."""
    cls = ERRORS.get(errcode, ClientException)
    return cls(errcode, errmsg, request=request, response=response)
