"""JS-SDK: the signed ``wx.config`` of a page, from a ``jsapi_ticket``.

The signature is ``sha1("jsapi_ticket=…&noncestr=…&timestamp=…&url=…")`` with raw (not
percent-encoded) values, where ``url`` is the page's address exactly as the browser shows it,
without the ``#fragment``. The usual mistakes: signing the URL the server saw behind a proxy
(``http://127.0.0.1:8000/…`` instead of ``https://www.example.com/…``), or leaving the
fragment on. https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html
"""

from __future__ import annotations

import hashlib
import secrets
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["JsSdkConfig", "js_sdk_signature", "js_sdk_url", "sign_js_sdk"]


def js_sdk_url(url: str) -> str:
    """The URL to sign: ``url`` without its ``#fragment``; it must be absolute (http/https).

    A relative URL (``/page?x=1``) means the page's scheme and host were lost, often
    behind a reverse proxy: rebuild them from ``X-Forwarded-Proto`` and
    ``X-Forwarded-Host``, or let the page send ``location.href.split('#')[0]``.
    """
    page = url.split("#", 1)[0]
    parts = urllib.parse.urlsplit(page)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"sign the page's full URL (https://host/path?query), not {url!r}: "
            "behind a proxy, use the scheme and host the browser sees"
        )
    return page


def js_sdk_signature(jsapi_ticket: str, nonce_str: str, timestamp: int | str, url: str) -> str:
    """The JS-SDK signature of ``url`` (its fragment stripped), as WeChat computes it."""
    fields = {
        "jsapi_ticket": jsapi_ticket,
        "noncestr": nonce_str,
        "timestamp": str(timestamp),
        "url": js_sdk_url(url),
    }
    plain = "&".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hashlib.sha1(plain.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class JsSdkConfig:
    """The arguments of ``wx.config`` for one page; :meth:`as_wx_config` gives its JSON."""

    app_id: str
    timestamp: int
    nonce_str: str
    signature: str
    js_api_list: list[str]
    url: str
    """The URL that was signed (fragment stripped)."""
    debug: bool = False
    open_tag_list: list[str] = field(default_factory=list)

    def as_wx_config(self) -> dict[str, Any]:
        """The object to pass to ``wx.config`` (camelCase keys)."""
        config: dict[str, Any] = {
            "debug": self.debug,
            "appId": self.app_id,
            "timestamp": self.timestamp,
            "nonceStr": self.nonce_str,
            "signature": self.signature,
            "jsApiList": list(self.js_api_list),
        }
        if self.open_tag_list:
            config["openTagList"] = list(self.open_tag_list)
        return config


def sign_js_sdk(
    appid: str,
    jsapi_ticket: str,
    url: str,
    api_list: Sequence[str],
    *,
    debug: bool = False,
    open_tag_list: Sequence[str] = (),
    nonce_str: str | None = None,
    timestamp: int | None = None,
) -> JsSdkConfig:
    """The signed ``wx.config`` of the page at ``url`` (a fresh nonce and the current time)."""
    nonce = secrets.token_hex(8) if nonce_str is None else nonce_str
    now = int(time.time()) if timestamp is None else timestamp
    page = js_sdk_url(url)
    return JsSdkConfig(
        app_id=appid,
        timestamp=now,
        nonce_str=nonce,
        signature=js_sdk_signature(jsapi_ticket, nonce, now, page),
        js_api_list=list(api_list),
        url=page,
        debug=debug,
        open_tag_list=list(open_tag_list),
    )
