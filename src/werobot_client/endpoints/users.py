"""Followers and groups (groups were replaced by tags in 2016: each group method warns).

https://developers.weixin.qq.com/doc/offiaccount/en/User_Management/Get_users_basic_information_UnionID.html
"""

from __future__ import annotations

from collections.abc import Sequence

from werobot_client.call import ApiCall, deprecated, endpoint, get_json, post_json
from werobot_client.models import (
    Followers,
    GroupCreated,
    GroupList,
    UserGroup,
    UserInfo,
    UserInfoList,
)
from werobot_client.responses import ApiResponse

#: What a group method's DeprecationWarning says.
USE_TAGS = (
    "user groups were replaced by tags in 2016; use create_tag, get_tags, get_tags_by_user, "
    "update_tag, tag_users/untag_users and delete_tag"
)

__all__ = [
    "create_group",
    "delete_group",
    "get_followers",
    "get_group_by_id",
    "get_groups",
    "get_user_info",
    "get_users_info",
    "move_user",
    "move_users",
    "remark_user",
    "update_group",
]


@endpoint
@deprecated(USE_TAGS)
def create_group(name: str) -> ApiCall[GroupCreated]:
    """Create a group."""
    return post_json("/cgi-bin/groups/create", {"group": {"name": name}}, GroupCreated)


@endpoint
@deprecated(USE_TAGS)
def get_groups() -> ApiCall[GroupList]:
    """Every group."""
    return get_json("/cgi-bin/groups/get", GroupList)


@endpoint
@deprecated(USE_TAGS)
def get_group_by_id(openid: str) -> ApiCall[UserGroup]:
    """The group of a user."""
    return post_json("/cgi-bin/groups/getid", {"openid": openid}, UserGroup)


@endpoint
@deprecated(USE_TAGS)
def update_group(group_id: int | str, name: str) -> ApiCall[ApiResponse]:
    """Rename a group."""
    body = {"group": {"id": int(group_id), "name": name}}
    return post_json("/cgi-bin/groups/update", body, ApiResponse)


@endpoint
@deprecated(USE_TAGS)
def move_user(user_id: str, group_id: int | str) -> ApiCall[ApiResponse]:
    """Move a user into a group."""
    body = {"openid": user_id, "to_groupid": group_id}
    return post_json("/cgi-bin/groups/members/update", body, ApiResponse)


@endpoint
@deprecated(USE_TAGS)
def move_users(user_id_list: Sequence[str], group_id: int | str) -> ApiCall[ApiResponse]:
    """Move users into a group."""
    body = {"openid_list": list(user_id_list), "to_groupid": group_id}
    return post_json("/cgi-bin/groups/members/batchupdate", body, ApiResponse)


@endpoint
@deprecated(USE_TAGS)
def delete_group(group_id: int | str) -> ApiCall[ApiResponse]:
    """Delete a group (its users return to the default group)."""
    return post_json("/cgi-bin/groups/delete", {"group": {"id": group_id}}, ApiResponse)


@endpoint
def remark_user(user_id: str, remark: str) -> ApiCall[ApiResponse]:
    """Set the remark name of a follower."""
    body = {"openid": user_id, "remark": remark}
    return post_json("/cgi-bin/user/info/updateremark", body, ApiResponse)


@endpoint
def get_user_info(user_id: str, lang: str = "zh_CN") -> ApiCall[UserInfo]:
    """A follower's profile."""
    return get_json("/cgi-bin/user/info", UserInfo, {"openid": user_id, "lang": lang})


@endpoint
def get_users_info(user_id_list: Sequence[str], lang: str = "zh_CN") -> ApiCall[UserInfoList]:
    """Up to 100 followers' profiles."""
    body = {"user_list": [{"openid": user_id, "lang": lang} for user_id in user_id_list]}
    return post_json("/cgi-bin/user/info/batchget", body, UserInfoList)


@endpoint
def get_followers(first_user_id: str | None = None) -> ApiCall[Followers]:
    """A page of up to 10000 followers, after ``first_user_id`` (``next_openid``)."""
    query = {} if first_user_id is None else {"next_openid": first_user_id}
    return get_json("/cgi-bin/user/get", Followers, query)
