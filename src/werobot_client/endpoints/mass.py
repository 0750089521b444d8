"""Mass messages: to every follower, to a tag, or to a list of OpenIDs.

https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Batch_Sends_and_Originality_Checks.html
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from werobot_client.call import ApiCall, endpoint, post_json
from werobot_client.models import MassMessage, MassSpeed, MassStatus
from werobot_client.responses import ApiResponse

__all__ = [
    "delete_mass_msg",
    "get_mass_msg_speed",
    "get_mass_msg_status",
    "send_mass_msg",
    "send_mass_preview_to_user",
    "set_mass_msg_speed",
]

_BY_MEDIA_ID = frozenset({"mpnews", "voice", "music", "image"})


def _payload(msg_type: str, content: str) -> dict[str, Any]:
    """``{msgtype, <type>: {...}}``; video is sent as ``mpvideo``, unknown types as text."""
    if msg_type in _BY_MEDIA_ID:
        return {"msgtype": msg_type, msg_type: {"media_id": content}}
    if msg_type == "video":
        return {"msgtype": "mpvideo", "mpvideo": {"media_id": content}}
    if msg_type == "wxcard":
        return {"msgtype": "wxcard", "wxcard": {"card_id": content}}
    return {"msgtype": "text", "text": {"content": content}}


@endpoint
def send_mass_msg(
    msg_type: str,
    content: str,
    user_list: Sequence[str] | int | None = None,
    send_ignore_reprint: bool = False,
    client_msg_id: str | None = None,
) -> ApiCall[MassMessage]:
    """Send a mass message.

    ``content`` is the text (``text``), the card id (``wxcard``) or a media_id. ``user_list``
    is a list of OpenIDs, a tag id (``int``), or ``None`` for every follower.
    """
    body = _payload(msg_type, content)
    if user_list is None:
        path = "/cgi-bin/message/mass/sendall"
        body["filter"] = {"is_to_all": True}
    elif isinstance(user_list, int):
        path = "/cgi-bin/message/mass/sendall"
        body["filter"] = {"is_to_all": False, "tag_id": user_list}
    else:
        path = "/cgi-bin/message/mass/send"
        body["touser"] = list(user_list)
    body["send_ignore_reprint"] = send_ignore_reprint
    if client_msg_id is not None:
        body["clientmsgid"] = client_msg_id
    return post_json(path, body, MassMessage)


@endpoint
def delete_mass_msg(msg_id: int | str, article_idx: int = 0) -> ApiCall[ApiResponse]:
    """Delete a sent mass message (``article_idx`` 0 deletes every article)."""
    body = {"msg_id": msg_id, "article_idx": article_idx}
    return post_json("/cgi-bin/message/mass/delete", body, ApiResponse)


@endpoint
def send_mass_preview_to_user(
    msg_type: str, content: str, user: str, user_type: str = "openid"
) -> ApiCall[MassMessage]:
    """Preview a mass message on one user's phone (by OpenID, or ``user_type="wxname"``)."""
    body = _payload(msg_type, content)
    body["touser" if user_type == "openid" else "towxname"] = user
    return post_json("/cgi-bin/message/mass/preview", body, MassMessage)


@endpoint
def get_mass_msg_status(msg_id: int | str) -> ApiCall[MassStatus]:
    """Whether a mass message was sent."""
    return post_json("/cgi-bin/message/mass/get", {"msg_id": msg_id}, MassStatus)


@endpoint
def get_mass_msg_speed() -> ApiCall[MassSpeed]:
    """The mass sending speed."""
    return post_json("/cgi-bin/message/mass/speed/get", {}, MassSpeed)


@endpoint
def set_mass_msg_speed(speed: int) -> ApiCall[ApiResponse]:
    """Set the mass sending speed level (0 fastest … 4 slowest)."""
    return post_json("/cgi-bin/message/mass/speed/set", {"speed": speed}, ApiResponse)
