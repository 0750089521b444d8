"""Typed answers about followers: users, groups and tags (re-exported by ``models``)."""

from __future__ import annotations

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel

__all__ = [
    "Followers",
    "Group",
    "GroupCreated",
    "GroupList",
    "OpenIdList",
    "Tag",
    "TagCreated",
    "TagList",
    "TagUsers",
    "UserGroup",
    "UserInfo",
    "UserInfoList",
    "UserTags",
]


class Group(WireModel):
    """A user group (superseded by tags upstream)."""

    id: int
    name: str = ""
    count: int | None = None


class GroupCreated(ApiResponse):
    """``/cgi-bin/groups/create``."""

    group: Group


class GroupList(ApiResponse):
    """``/cgi-bin/groups/get``."""

    groups: list[Group] = Field(default_factory=list)


class UserGroup(ApiResponse):
    """``/cgi-bin/groups/getid``: the group of one user."""

    groupid: int


class UserInfo(ApiResponse):
    """``/cgi-bin/user/info``: a follower (most fields only while ``subscribe`` is 1)."""

    subscribe: int = 0
    openid: str
    nickname: str | None = None
    sex: int | None = None
    language: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    headimgurl: str | None = None
    subscribe_time: int | None = None
    unionid: str | None = None
    remark: str | None = None
    groupid: int | None = None
    tagid_list: list[int] = Field(default_factory=list)
    subscribe_scene: str | None = None
    qr_scene: int | None = None
    qr_scene_str: str | None = None


class UserInfoList(ApiResponse):
    """``/cgi-bin/user/info/batchget``."""

    user_info_list: list[UserInfo] = Field(default_factory=list)


class OpenIdList(WireModel):
    """A page of OpenIDs."""

    openid: list[str] = Field(default_factory=list)


class Followers(ApiResponse):
    """``/cgi-bin/user/get``: a page of up to 10000 followers."""

    total: int = 0
    count: int = 0
    data: OpenIdList | None = None
    next_openid: str = ""


class Tag(WireModel):
    """A user tag."""

    id: int
    name: str = ""
    count: int | None = None


class TagCreated(ApiResponse):
    """``/cgi-bin/tags/create``."""

    tag: Tag


class TagList(ApiResponse):
    """``/cgi-bin/tags/get``."""

    tags: list[Tag] = Field(default_factory=list)


class TagUsers(ApiResponse):
    """``/cgi-bin/user/tag/get``: a page of the users carrying a tag."""

    count: int = 0
    data: OpenIdList | None = None
    next_openid: str = ""


class UserTags(ApiResponse):
    """``/cgi-bin/tags/getidlist``: the tags of one user."""

    tagid_list: list[int] = Field(default_factory=list)
