"""Customer-service sessions, message records, worker invitations and the typing indicator.

https://developers.weixin.qq.com/doc/offiaccount/Customer_Service/Session_control.html
https://developers.weixin.qq.com/doc/offiaccount/Customer_Service/Obtain_chat_transcript.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
"""

from __future__ import annotations

from typing import Literal

from werobot_client.call import ApiCall, endpoint, get_json, post_json
from werobot_client.models import KfMessageRecords, KfSession, KfSessionList, KfWaitCases
from werobot_client.responses import ApiResponse

__all__ = [
    "close_custom_service_session",
    "create_custom_service_session",
    "get_custom_service_records",
    "get_custom_service_session",
    "get_custom_service_sessions",
    "get_custom_service_wait_cases",
    "invite_custom_service_worker",
    "send_typing",
]


@endpoint
def create_custom_service_session(account: str, user_id: str) -> ApiCall[ApiResponse]:
    """Hand a user to a customer-service account (bound to a WeChat ID and online)."""
    body = {"kf_account": account, "openid": user_id}
    return post_json("/customservice/kfsession/create", body, ApiResponse)


@endpoint
def close_custom_service_session(account: str, user_id: str) -> ApiCall[ApiResponse]:
    """End a user's session with a customer-service account."""
    body = {"kf_account": account, "openid": user_id}
    return post_json("/customservice/kfsession/close", body, ApiResponse)


@endpoint
def get_custom_service_session(user_id: str) -> ApiCall[KfSession]:
    """Which account serves a user now."""
    return get_json("/customservice/kfsession/getsession", KfSession, {"openid": user_id})


@endpoint
def get_custom_service_sessions(account: str) -> ApiCall[KfSessionList]:
    """The open sessions of a customer-service account."""
    query = {"kf_account": account}
    return get_json("/customservice/kfsession/getsessionlist", KfSessionList, query)


@endpoint
def get_custom_service_wait_cases() -> ApiCall[KfWaitCases]:
    """The users waiting for a customer-service account."""
    return get_json("/customservice/kfsession/getwaitcase", KfWaitCases)


@endpoint
def get_custom_service_records(
    start_time: int, end_time: int, msg_id: int = 1, number: int = 10000
) -> ApiCall[KfMessageRecords]:
    """Messages between ``start_time`` and ``end_time`` (Unix time, within one day).

    Start with ``msg_id=1``; while a page is full, pass its ``msgid`` for the next.
    """
    body = {"starttime": start_time, "endtime": end_time, "msgid": msg_id, "number": number}
    return post_json("/customservice/msgrecord/getmsglist", body, KfMessageRecords)


@endpoint
def invite_custom_service_worker(account: str, invite_wx: str) -> ApiCall[ApiResponse]:
    """Invite the WeChat user ``invite_wx`` to bind the customer-service ``account``."""
    body = {"kf_account": account, "invite_wx": invite_wx}
    return post_json("/customservice/kfaccount/inviteworker", body, ApiResponse)


@endpoint
def send_typing(
    user_id: str, command: Literal["Typing", "CancelTyping"] = "Typing"
) -> ApiCall[ApiResponse]:
    """Show "typing…" to a user for up to 15 s (``CancelTyping`` hides it)."""
    body = {"touser": user_id, "command": command}
    return post_json("/cgi-bin/message/custom/typing", body, ApiResponse)
