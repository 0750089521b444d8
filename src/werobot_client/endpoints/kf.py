"""Customer-service accounts.

https://developers.weixin.qq.com/doc/offiaccount/en/Customer_Service/Customer_Service_Management.html
"""

from __future__ import annotations

from werobot_client.call import ApiCall, endpoint, get_json, post_json
from werobot_client.models import KfList, OnlineKfList
from werobot_client.responses import ApiResponse, json_as
from werobot_client.uploads import MediaInput, file_part

__all__ = [
    "add_custom_service_account",
    "delete_custom_service_account",
    "get_custom_service_account_list",
    "get_online_custom_service_account_list",
    "update_custom_service_account",
    "upload_custom_service_account_avatar",
]


def _account(path: str, account: str, nickname: str, password: str) -> ApiCall[ApiResponse]:
    body = {"kf_account": account, "nickname": nickname, "password": password}
    return post_json(path, body, ApiResponse)


@endpoint
def add_custom_service_account(account: str, nickname: str, password: str) -> ApiCall[ApiResponse]:
    """Add a customer-service account (``account`` is ``name@wechat_id``)."""
    return _account("/customservice/kfaccount/add", account, nickname, password)


@endpoint
def update_custom_service_account(
    account: str, nickname: str, password: str
) -> ApiCall[ApiResponse]:
    """Change a customer-service account's nickname and password."""
    return _account("/customservice/kfaccount/update", account, nickname, password)


@endpoint
def delete_custom_service_account(
    account: str, nickname: str, password: str
) -> ApiCall[ApiResponse]:
    """Delete a customer-service account."""
    return _account("/customservice/kfaccount/del", account, nickname, password)


@endpoint
def upload_custom_service_account_avatar(account: str, avatar: MediaInput) -> ApiCall[ApiResponse]:
    """Upload an account's avatar (a JPG file, 640×640 recommended)."""
    return ApiCall(
        "POST",
        "/customservice/kfaccount/uploadheadimg",
        decode=json_as(ApiResponse),
        query={"kf_account": account},
        files={"media": file_part(avatar)},
    )


@endpoint
def get_custom_service_account_list() -> ApiCall[KfList]:
    """Every customer-service account."""
    return get_json("/cgi-bin/customservice/getkflist", KfList)


@endpoint
def get_online_custom_service_account_list() -> ApiCall[OnlineKfList]:
    """The customer-service accounts online now."""
    return get_json("/cgi-bin/customservice/getonlinekflist", OnlineKfList)
