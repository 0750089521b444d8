"""The shape of one row of the endpoint tables: a call and the exact request it must send."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werobot_client import ApiResponse

API = "https://api.weixin.qq.com"


@dataclass(frozen=True)
class Multipart:
    """An expected multipart body: field name → (filename or None, content)."""

    parts: Mapping[str, tuple[str | None, bytes]]


@dataclass(frozen=True)
class Case:
    """``client.<name>(*args, **kwargs)`` sends ``method`` ``url + path`` with ``query`` and
    ``body`` (plus the account's ``access_token`` when ``token``), and returns ``returns``
    read from ``answer``. ``warns``: the call emits a DeprecationWarning matching it."""

    name: str
    args: tuple[Any, ...]
    method: str
    path: str
    body: Any = None
    query: Mapping[str, str] = field(default_factory=dict)
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    answer: Any = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    returns: type[Any] = ApiResponse
    url: str = API
    token: bool = True
    warns: str | None = None
