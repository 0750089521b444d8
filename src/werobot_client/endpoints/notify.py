"""Subscribe notifications (template library, ``bizsend``), one-time subscription, and the
management of template-message templates (sending is ``send_template_message``).

https://developers.weixin.qq.com/doc/offiaccount/Subscription_Messages/api.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/One-time_subscription_info.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from werobot_client.call import ApiCall, endpoint, get_json, post_json
from werobot_client.models import (
    PubTemplateKeywords,
    PubTemplateTitles,
    SubscribeCategories,
    SubscribeTemplateAdded,
    SubscribeTemplates,
    TemplateAdded,
    TemplateIndustry,
    TemplateList,
)
from werobot_client.responses import ApiResponse

__all__ = [
    "add_subscribe_template",
    "add_template",
    "delete_subscribe_template",
    "delete_template",
    "get_pub_template_keywords",
    "get_pub_template_titles",
    "get_subscribe_categories",
    "get_subscribe_templates",
    "get_template_industry",
    "get_templates",
    "send_one_time_subscribe_message",
    "send_subscribe_message",
    "set_template_industry",
]


@endpoint
def get_subscribe_categories() -> ApiCall[SubscribeCategories]:
    """The account's categories (they choose the library's templates)."""
    return get_json("/wxaapi/newtmpl/getcategory", SubscribeCategories)


@endpoint
def get_pub_template_titles(
    ids: Sequence[int | str], start: int = 0, limit: int = 30
) -> ApiCall[PubTemplateTitles]:
    """A page (``limit`` ≤ 30) of the library's templates in the categories ``ids``."""
    query: dict[str, str | int] = {
        "ids": ",".join(str(i) for i in ids),
        "start": start,
        "limit": limit,
    }
    return get_json("/wxaapi/newtmpl/getpubtemplatetitles", PubTemplateTitles, query)


@endpoint
def get_pub_template_keywords(tid: int | str) -> ApiCall[PubTemplateKeywords]:
    """The keywords a library template can show."""
    return get_json("/wxaapi/newtmpl/getpubtemplatekeywords", PubTemplateKeywords, {"tid": tid})


@endpoint
def add_subscribe_template(
    tid: int | str, kid_list: Sequence[int], scene_desc: str = ""
) -> ApiCall[SubscribeTemplateAdded]:
    """Add a library template with 2 to 5 keywords ``kid_list`` (in that order)."""
    body = {"tid": str(tid), "kidList": list(kid_list), "sceneDesc": scene_desc}
    return post_json("/wxaapi/newtmpl/addtemplate", body, SubscribeTemplateAdded)


@endpoint
def delete_subscribe_template(pri_tmpl_id: str) -> ApiCall[ApiResponse]:
    """Remove a subscribe template from the account."""
    return post_json("/wxaapi/newtmpl/deltemplate", {"priTmplId": pri_tmpl_id}, ApiResponse)


@endpoint
def get_subscribe_templates() -> ApiCall[SubscribeTemplates]:
    """The account's subscribe templates."""
    return get_json("/wxaapi/newtmpl/gettemplate", SubscribeTemplates)


@endpoint
def send_subscribe_message(
    user_id: str,
    template_id: str,
    data: Mapping[str, Any],
    page: str | None = None,
    miniprogram: Mapping[str, Any] | None = None,
) -> ApiCall[ApiResponse]:
    """Send a subscribe notification (``bizsend``); ``data`` maps keywords to ``{"value"}``.

    ``page`` is a web page to open; ``miniprogram`` is ``{appid, pagepath}``.
    """
    body: dict[str, Any] = {"touser": user_id, "template_id": template_id, "data": data}
    if page is not None:
        body["page"] = page
    if miniprogram is not None:
        body["miniprogram"] = miniprogram
    return post_json("/cgi-bin/message/subscribe/bizsend", body, ApiResponse)


@endpoint
def send_one_time_subscribe_message(
    user_id: str,
    template_id: str,
    scene: int,
    title: str,
    data: Mapping[str, Any],
    url: str | None = None,
    miniprogram: Mapping[str, Any] | None = None,
) -> ApiCall[ApiResponse]:
    """Send the one message a user agreed to on ``one_time_subscribe_url``.

    ``data`` is ``{"content": {"value": ..., "color": ...}}``; ``scene`` must match the page's.
    """
    body: dict[str, Any] = {"touser": user_id, "template_id": template_id}
    if url is not None:
        body["url"] = url
    if miniprogram is not None:
        body["miniprogram"] = miniprogram
    body.update({"scene": str(scene), "title": title, "data": data})
    return post_json("/cgi-bin/message/template/subscribe", body, ApiResponse)


@endpoint
def set_template_industry(industry_id1: int | str, industry_id2: int | str) -> ApiCall[ApiResponse]:
    """Set the account's two industries (by WeChat's industry codes; once a month)."""
    body = {"industry_id1": str(industry_id1), "industry_id2": str(industry_id2)}
    return post_json("/cgi-bin/template/api_set_industry", body, ApiResponse)


@endpoint
def get_template_industry() -> ApiCall[TemplateIndustry]:
    """The account's primary and secondary industries."""
    return get_json("/cgi-bin/template/get_industry", TemplateIndustry)


@endpoint
def add_template(
    template_id_short: str, keyword_name_list: Sequence[str] | None = None
) -> ApiCall[TemplateAdded]:
    """Add a template from the library by its short id (e.g. ``TM00015``)."""
    body: dict[str, Any] = {"template_id_short": template_id_short}
    if keyword_name_list is not None:
        body["keyword_name_list"] = list(keyword_name_list)
    return post_json("/cgi-bin/template/api_add_template", body, TemplateAdded)


@endpoint
def get_templates() -> ApiCall[TemplateList]:
    """The account's template-message templates."""
    return get_json("/cgi-bin/template/get_all_private_template", TemplateList)


@endpoint
def delete_template(template_id: str) -> ApiCall[ApiResponse]:
    """Delete a template-message template."""
    body = {"template_id": template_id}
    return post_json("/cgi-bin/template/del_private_template", body, ApiResponse)
