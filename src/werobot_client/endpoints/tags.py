"""User tags.

https://developers.weixin.qq.com/doc/offiaccount/en/User_Management/User_Tag_Management.html
"""

from __future__ import annotations

from collections.abc import Sequence

from werobot_client.call import ApiCall, endpoint, get_json, post_json
from werobot_client.models import TagCreated, TagList, TagUsers, UserTags
from werobot_client.responses import ApiResponse

__all__ = [
    "create_tag",
    "delete_tag",
    "get_tags",
    "get_tags_by_user",
    "get_users_by_tag",
    "tag_users",
    "untag_users",
    "update_tag",
]


@endpoint
def create_tag(tag_name: str) -> ApiCall[TagCreated]:
    """Create a tag."""
    return post_json("/cgi-bin/tags/create", {"tag": {"name": tag_name}}, TagCreated)


@endpoint
def get_tags() -> ApiCall[TagList]:
    """Every tag, with its number of users."""
    return get_json("/cgi-bin/tags/get", TagList)


@endpoint
def update_tag(tag_id: int, tag_name: str) -> ApiCall[ApiResponse]:
    """Rename a tag."""
    body = {"tag": {"id": tag_id, "name": tag_name}}
    return post_json("/cgi-bin/tags/update", body, ApiResponse)


@endpoint
def delete_tag(tag_id: int) -> ApiCall[ApiResponse]:
    """Delete a tag."""
    return post_json("/cgi-bin/tags/delete", {"tag": {"id": tag_id}}, ApiResponse)


@endpoint
def get_users_by_tag(tag_id: int, next_open_id: str = "") -> ApiCall[TagUsers]:
    """A page of the users carrying a tag, after ``next_open_id``."""
    body = {"tagid": tag_id, "next_openid": next_open_id}
    return post_json("/cgi-bin/user/tag/get", body, TagUsers)


@endpoint
def tag_users(tag_id: int, open_id_list: Sequence[str]) -> ApiCall[ApiResponse]:
    """Give a tag to up to 50 users."""
    body = {"openid_list": list(open_id_list), "tagid": tag_id}
    return post_json("/cgi-bin/tags/members/batchtagging", body, ApiResponse)


@endpoint
def untag_users(tag_id: int, open_id_list: Sequence[str]) -> ApiCall[ApiResponse]:
    """Take a tag from up to 50 users."""
    body = {"openid_list": list(open_id_list), "tagid": tag_id}
    return post_json("/cgi-bin/tags/members/batchuntagging", body, ApiResponse)


@endpoint
def get_tags_by_user(open_id: str) -> ApiCall[UserTags]:
    """The tag ids of a user."""
    return post_json("/cgi-bin/tags/getidlist", {"openid": open_id}, UserTags)
