"""OAuth2 web authorization and one-time subscription: the pages a user is sent to.

No request is made here: these build the URLs of WeChat's consent pages. The code WeChat
hands back is traded through the endpoints in ``endpoints/oauth.py``.
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Literal

__all__ = ["AUTHORIZE_URL", "SUBSCRIBE_URL", "OAuthScope", "authorize_url", "subscribe_url"]

#: WeChat's consent page for OAuth2 web authorization.
AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
#: WeChat's consent page for a one-time subscription message.
SUBSCRIBE_URL = "https://mp.weixin.qq.com/mp/subscribemsg"

#: ``snsapi_base``: the OpenID, silently; ``snsapi_userinfo``: the profile, after consent.
OAuthScope = Literal["snsapi_base", "snsapi_userinfo"]

_STATE = re.compile(r"[A-Za-z0-9]{0,128}")
_RESERVED = re.compile(r"[A-Za-z0-9]{0,128}")


def _query(pairs: list[tuple[str, str]]) -> str:
    # WeChat matches the parameters in this order; every value is percent-encoded.
    return "&".join(f"{key}={urllib.parse.quote(value, safe='')}" for key, value in pairs)


def authorize_url(
    appid: str, redirect_uri: str, scope: OAuthScope = "snsapi_base", state: str = ""
) -> str:
    """The consent page that sends the user back to ``redirect_uri?code=CODE&state=STATE``.

    ``redirect_uri`` must be on the domain set as the account's web authorization domain;
    ``state`` is up to 128 letters and digits (use it against CSRF).
    """
    if scope not in ("snsapi_base", "snsapi_userinfo"):
        raise ValueError(f"scope must be snsapi_base or snsapi_userinfo, not {scope!r}")
    if not _STATE.fullmatch(state):
        raise ValueError("state must be at most 128 letters and digits")
    pairs = [
        ("appid", appid),
        ("redirect_uri", redirect_uri),
        ("response_type", "code"),
        ("scope", scope),
        ("state", state),
    ]
    return f"{AUTHORIZE_URL}?{_query(pairs)}#wechat_redirect"


def subscribe_url(
    appid: str, scene: int, template_id: str, redirect_url: str, reserved: str = ""
) -> str:
    """The one-time subscription consent page (``scene`` 0 to 10000).

    WeChat sends the user back to ``redirect_url?openid=…&template_id=…&action=confirm&
    scene=…&reserved=…``; then send one message with ``send_one_time_subscribe_message``.
    """
    if not 0 <= scene <= 10000:
        raise ValueError("scene must be between 0 and 10000")
    if not _RESERVED.fullmatch(reserved):
        raise ValueError("reserved must be at most 128 letters and digits")
    pairs = [
        ("action", "get_confirm"),
        ("appid", appid),
        ("scene", str(scene)),
        ("template_id", template_id),
        ("redirect_url", redirect_url),
        ("reserved", reserved),
    ]
    return f"{SUBSCRIBE_URL}?{_query(pairs)}#wechat_redirect"
