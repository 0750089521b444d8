"""The framework-neutral seam: what an adapter hands to ``handle`` and gets back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["WeChatRequest", "WeChatResponse"]


@dataclass(frozen=True, init=False)
class WeChatRequest:
    """One HTTP request as WeChat sent it.

    ``query`` holds the first value of each query parameter, percent-decoded. ``body`` is
    ``None`` when the adapter stopped reading because the body exceeds ``MAX_BODY_SIZE``.
    ``url`` is the absolute request URL, used only by the error page. ``headers`` is
    ``{}`` when not given.
    """

    method: str
    query: Mapping[str, str]
    body: bytes | None = b""
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    def __init__(
        self,
        method: str,
        query: Mapping[str, str],
        body: bytes | None = b"",
        url: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # A frozen dataclass's own __init__ calls object.__setattr__ per field (~1.3k
        # instructions each, a request is built per push): one write of the whole instance
        # dict costs less than even five slot setters (~0.7k less a request).
        _set_fields(
            self,
            {
                "method": method,
                "query": query,
                "body": body,
                "url": url,
                "headers": {} if headers is None else headers,
            },
        )


_set_fields = vars(WeChatRequest)["__dict__"].__set__


@dataclass(slots=True)
class WeChatResponse:
    """The answer to send back, as plain values: an adapter copies them verbatim."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8")
