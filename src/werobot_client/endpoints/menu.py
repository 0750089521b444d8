"""Menus: the default menu and conditional (personalised) menus.

https://developers.weixin.qq.com/doc/offiaccount/en/Custom_Menus/Creating_Custom-Defined_Menu.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from werobot_client.call import ApiCall, endpoint, get_json, post_json
from werobot_client.models import MatchedMenu, MenuId, MenuInfo, SelfMenuInfo
from werobot_client.responses import ApiResponse

__all__ = [
    "create_custom_menu",
    "create_menu",
    "delete_custom_menu",
    "delete_menu",
    "get_custom_menu_config",
    "get_menu",
    "match_custom_menu",
]


@endpoint
def create_menu(menu_data: Mapping[str, Any]) -> ApiCall[ApiResponse]:
    """Create the default menu; ``menu_data`` is ``{"button": [...]}``."""
    return post_json("/cgi-bin/menu/create", menu_data, ApiResponse)


@endpoint
def get_menu() -> ApiCall[MenuInfo]:
    """The menu created through the API, with its conditional menus."""
    return get_json("/cgi-bin/menu/get", MenuInfo)


@endpoint
def delete_menu() -> ApiCall[ApiResponse]:
    """Delete the default menu and every conditional menu."""
    return get_json("/cgi-bin/menu/delete", ApiResponse)


@endpoint
def create_custom_menu(
    menu_data: Sequence[Mapping[str, Any]], matchrule: Mapping[str, Any]
) -> ApiCall[MenuId]:
    """Create a conditional menu: ``menu_data`` is the button list, ``matchrule`` its users."""
    body = {"button": menu_data, "matchrule": matchrule}
    return post_json("/cgi-bin/menu/addconditional", body, MenuId)


@endpoint
def delete_custom_menu(menu_id: int | str) -> ApiCall[ApiResponse]:
    """Delete a conditional menu."""
    return post_json("/cgi-bin/menu/delconditional", {"menuid": menu_id}, ApiResponse)


@endpoint
def match_custom_menu(user_id: str) -> ApiCall[MatchedMenu]:
    """The menu a user (OpenID or WeChat ID) would see."""
    return post_json("/cgi-bin/menu/trymatch", {"user_id": user_id}, MatchedMenu)


@endpoint
def get_custom_menu_config() -> ApiCall[SelfMenuInfo]:
    """The menu as configured, whether through the API or the web console."""
    return get_json("/cgi-bin/get_current_selfmenu_info", SelfMenuInfo)
