"""API methods as values: each WeChat endpoint is defined once and run by both clients.

An endpoint is a plain function that takes the seed's parameters and returns an
:class:`ApiCall` (the HTTP method, URL, query, body and how to read the answer). The
:func:`endpoint` decorator turns it into a descriptor: on a :class:`Client` it becomes a
method returning the decoded answer, on an :class:`AsyncClient` a coroutine method, with the
same parameters and docstring; mypy sees both signatures.

::

    @endpoint
    def get_menu() -> ApiCall[MenuInfo]:
        # the docstring here becomes the method's docstring
        return get_json("/cgi-bin/menu/get", MenuInfo)
"""

from __future__ import annotations

import abc
import functools
import warnings
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Generic, Literal, ParamSpec, TypeVar, overload

import httpx

from werobot_client.responses import ApiResponse, json_as

__all__ = [
    "API_BASE",
    "AccountKey",
    "ApiCall",
    "AsyncRunner",
    "Endpoint",
    "SyncRunner",
    "deprecated",
    "endpoint",
    "get_json",
    "post_json",
]

#: The host of every endpoint given as a path.
API_BASE = "https://api.weixin.qq.com"

P = ParamSpec("P")
T = TypeVar("T")
M = TypeVar("M", bound=ApiResponse)

#: A multipart file part after normalisation: ``(filename, file object or bytes)``.
FilePart = tuple[str, "IO[bytes] | bytes"]

#: A config key whose value the client puts into a request (``ApiCall.account_query/_body``).
AccountKey = Literal["APP_ID", "APP_SECRET"]


@dataclass(frozen=True)
class ApiCall(Generic[T]):
    """One request to WeChat and how to read its answer.

    ``path`` is either a path on :data:`API_BASE` or an absolute URL. ``body`` is sent as
    UTF-8 JSON with non-ASCII characters unescaped; ``files`` and ``form`` as multipart.
    The client adds ``access_token`` to ``query`` when ``needs_token`` is true, and the
    account's AppID/AppSecret where ``account_query`` and ``account_body`` say (parameter
    name → config key), for the endpoints authenticated by the AppSecret (OAuth2, the
    quota reset). ``retryable=False`` turns off every retry (the token endpoint).
    """

    method: str
    path: str
    decode: Callable[[httpx.Response], T]
    query: Mapping[str, str | int] = field(default_factory=dict)
    body: object = None
    content: bytes | None = None
    files: Mapping[str, FilePart] | None = None
    form: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    needs_token: bool = True
    retryable: bool = True
    timeout: float | None = None
    account_query: Mapping[str, AccountKey] = field(default_factory=dict)
    account_body: Mapping[str, AccountKey] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The absolute URL."""
        if self.path.startswith(("https://", "http://")):
            return self.path
        return API_BASE + self.path


class SyncRunner(abc.ABC):
    """What a blocking client provides: run one :class:`ApiCall` to its decoded answer."""

    @abc.abstractmethod
    def _call(self, call: ApiCall[T]) -> T:
        """Send ``call`` (with token and retries) and return its decoded answer."""


class AsyncRunner(abc.ABC):
    """What an asyncio client provides: run one :class:`ApiCall` to its decoded answer."""

    @abc.abstractmethod
    async def _call(self, call: ApiCall[T]) -> T:
        """Send ``call`` (with token and retries) and return its decoded answer."""


class Endpoint(Generic[P, T]):
    """A descriptor exposing one endpoint as a method of both clients."""

    def __init__(self, build: Callable[P, ApiCall[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = getattr(build, "__name__", "endpoint")

    def __repr__(self) -> str:
        return f"<endpoint {self.__name__}>"

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Endpoint[P, T]: ...

    @overload
    def __get__(self, obj: SyncRunner, owner: type[Any]) -> Callable[P, T]: ...

    @overload
    def __get__(
        self, obj: AsyncRunner, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...

    def __get__(self, obj: object, owner: type[Any]) -> object:
        if obj is None:
            return self
        build = self.build
        if isinstance(obj, AsyncRunner):
            runner = obj

            @functools.wraps(build)
            async def async_method(*args: P.args, **kwargs: P.kwargs) -> T:
                return await runner._call(build(*args, **kwargs))

            return async_method
        if not isinstance(obj, SyncRunner):
            raise TypeError(f"{self.__name__} is a method of Client and AsyncClient only")
        sync_runner = obj

        @functools.wraps(build)
        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return sync_runner._call(build(*args, **kwargs))

        return method


def endpoint(build: Callable[P, ApiCall[T]]) -> Endpoint[P, T]:
    """Declare an endpoint: ``build`` maps the method's arguments to an :class:`ApiCall`."""
    return Endpoint(build)


def deprecated(
    replacement: str,
) -> Callable[[Callable[P, ApiCall[T]]], Callable[P, ApiCall[T]]]:
    """Mark an endpoint as retired upstream: each call warns, naming ``replacement``.

    Put it under :func:`endpoint`. The warning points at the caller's line, sync or async.
    """

    def mark(build: Callable[P, ApiCall[T]]) -> Callable[P, ApiCall[T]]:
        name = getattr(build, "__name__", "endpoint")

        @functools.wraps(build)
        def warned(*args: P.args, **kwargs: P.kwargs) -> ApiCall[T]:
            message = f"{name} is deprecated: {replacement}"
            # 1 is this function, 2 the client's method, 3 the caller.
            warnings.warn(message, DeprecationWarning, stacklevel=3)
            return build(*args, **kwargs)

        warned.__doc__ = f"{build.__doc__}\n\nDeprecated: {replacement}"
        return warned

    return mark


def get_json(path: str, model: type[M], query: Mapping[str, str | int] | None = None) -> ApiCall[M]:
    """A ``GET`` of ``path`` (with the access token) answered by JSON read into ``model``."""
    return ApiCall("GET", path, decode=json_as(model), query=query or {})


def post_json(path: str, body: object, model: type[M]) -> ApiCall[M]:
    """A ``POST`` of ``body`` as JSON to ``path`` answered by JSON read into ``model``."""
    return ApiCall("POST", path, decode=json_as(model), body=body)
