"""WeRoBot's ``werobot.utils`` names, kept so that code importing them from here still runs.

The signature and TOKEN helpers are :mod:`werobot_core.signature`'s. The rest are the small
conversions WeRoBot users' code calls (``to_text``, ``to_binary``, ``cached_property``, ...):
they behave as WeRoBot 1.13.1's did. New code has better tools: ``str``/``bytes`` methods,
:func:`functools.cached_property`, :func:`json.loads`.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable
from hashlib import sha1
from typing import Any, TypeVar

from werobot_core.pages import default_error_page
from werobot_core.signature import check_signature, check_token, generate_token, get_signature

__all__ = [
    "byte2int",
    "cached_property",
    "check_signature",
    "check_token",
    "generate_token",
    "get_signature",
    "is_regex",
    "is_string",
    "json_dumps",
    "json_loads",
    "make_error_page",
    "pay_sign_dict",
    "re_type",
    "string_types",
    "to_binary",
    "to_text",
]

T = TypeVar("T")

#: The types ``is_string`` accepts.
string_types = (str, bytes)
#: The type of a compiled regular expression.
re_type = re.Pattern


def to_text(value: object, encoding: str = "utf-8") -> str:
    """``value`` as ``str``: bytes are decoded, anything else goes through ``str()``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode(encoding)
    return str(value)


def to_binary(value: Any, encoding: str = "utf-8") -> bytes:
    """``value`` as ``bytes``: text is encoded, anything else goes through ``bytes()``."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode(encoding)
    return bytes(value)


def is_string(value: object) -> bool:
    """Whether ``value`` is ``str`` or ``bytes``."""
    return isinstance(value, string_types)


def is_regex(value: object) -> bool:
    """Whether ``value`` is a compiled regular expression."""
    return isinstance(value, re.Pattern)


def byte2int(s: bytes, index: int = 0) -> int:
    """The byte at ``index`` of ``s`` as an int."""
    return s[index]


def json_loads(s: str | bytes) -> Any:
    """``json.loads`` of text or UTF-8 bytes."""
    return json.loads(to_text(s))


def json_dumps(d: object) -> str:
    """``json.dumps``."""
    return json.dumps(d)


def cached_property(method: Callable[[Any], T]) -> property:
    """A read-only property computed once per instance and kept as ``_<name>``.

    WeRoBot's helper; :func:`functools.cached_property` is the standard one.
    """
    attribute = f"_{method.__name__}"

    @functools.wraps(method)
    def get(self: Any) -> T:
        try:
            value: T = getattr(self, attribute)
        except AttributeError:
            value = method(self)
            setattr(self, attribute, value)
        return value

    return property(get)


def make_error_page(url: str) -> str:
    """The HTML of the default signature error page for ``url``."""
    return default_error_page(url)


def pay_sign_dict(
    appid: str,
    pay_sign_key: str,
    add_noncestr: bool = True,
    add_timestamp: bool = True,
    add_appid: bool = True,
    **kwargs: Any,
) -> tuple[dict[str, Any], str, str]:
    """WeRoBot's legacy (2014 JS-API payment) SHA-1 signature of ``kwargs``.

    Returns ``(params, sign, "SHA1")``: ``params`` holds ``kwargs`` plus the ``appid``,
    ``noncestr`` and ``timestamp`` asked for; the signature covers the lower-cased keys with
    ``appid`` and ``appkey`` (the pay sign key), sorted and joined as ``k=v`` by ``&``.
    """
    if not pay_sign_key:
        raise ValueError("pay_sign_key is empty")
    if add_appid:
        kwargs["appid"] = appid
    if add_noncestr:
        kwargs["noncestr"] = generate_token()
    if add_timestamp:
        kwargs["timestamp"] = int(time.time())
    signed = [(k.lower(), v) for k, v in kwargs.items() if k.lower() != "appid"]
    signed += [("appid", appid), ("appkey", pay_sign_key)]
    text = "&".join(f"{k}={v}" for k, v in sorted(signed))
    return dict(kwargs), sha1(text.encode("utf-8")).hexdigest(), "SHA1"
