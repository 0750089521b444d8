"""Typed answers of subscribe notifications and template-message management.

Re-exported by ``models``. WeChat's camelCase keys (``priTmplId``, ``categoryId``) are read
into snake_case attributes; ``resp["priTmplId"]`` still reads the raw JSON.
https://developers.weixin.qq.com/doc/offiaccount/Subscription_Messages/api.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
"""

from __future__ import annotations

from pydantic import Field

from werobot_client.responses import ApiResponse, WireModel

__all__ = [
    "Industry",
    "PubTemplateKeyword",
    "PubTemplateKeywords",
    "PubTemplateTitle",
    "PubTemplateTitles",
    "SubscribeCategories",
    "SubscribeCategory",
    "SubscribeTemplate",
    "SubscribeTemplateAdded",
    "SubscribeTemplates",
    "TemplateAdded",
    "TemplateIndustry",
    "TemplateInfo",
    "TemplateList",
]


class SubscribeCategory(WireModel):
    """A category of the account."""

    id: int
    name: str = ""


class SubscribeCategories(ApiResponse):
    """``/wxaapi/newtmpl/getcategory``."""

    data: list[SubscribeCategory] = Field(default_factory=list)


class PubTemplateTitle(WireModel):
    """A template of the public library; ``type`` 2 is one-time, 3 long-term."""

    tid: int
    title: str = ""
    type: int | None = None
    category_id: str | None = Field(default=None, alias="categoryId")


class PubTemplateTitles(ApiResponse):
    """``/wxaapi/newtmpl/getpubtemplatetitles``: a page of the library."""

    count: int = 0
    data: list[PubTemplateTitle] = Field(default_factory=list)


class PubTemplateKeyword(WireModel):
    """A keyword a template can show (``rule`` is its type: ``thing``, ``time``, …)."""

    kid: int
    name: str = ""
    example: str | None = None
    rule: str | None = None


class PubTemplateKeywords(ApiResponse):
    """``/wxaapi/newtmpl/getpubtemplatekeywords``."""

    count: int | None = None
    data: list[PubTemplateKeyword] = Field(default_factory=list)


class SubscribeTemplateAdded(ApiResponse):
    """``/wxaapi/newtmpl/addtemplate``: the template's id in the account."""

    pri_tmpl_id: str = Field(alias="priTmplId")


class SubscribeTemplate(WireModel):
    """A subscribe template of the account."""

    pri_tmpl_id: str = Field(alias="priTmplId")
    title: str = ""
    content: str | None = None
    example: str | None = None
    type: int | None = None


class SubscribeTemplates(ApiResponse):
    """``/wxaapi/newtmpl/gettemplate``."""

    data: list[SubscribeTemplate] = Field(default_factory=list)


class Industry(WireModel):
    """An industry: its class and sub-class."""

    first_class: str = ""
    second_class: str = ""


class TemplateIndustry(ApiResponse):
    """``/cgi-bin/template/get_industry``."""

    primary_industry: Industry | None = None
    secondary_industry: Industry | None = None


class TemplateAdded(ApiResponse):
    """``/cgi-bin/template/api_add_template``."""

    template_id: str


class TemplateInfo(WireModel):
    """A template-message template of the account."""

    template_id: str
    title: str = ""
    primary_industry: str | None = None
    deputy_industry: str | None = None
    content: str | None = None
    example: str | None = None


class TemplateList(ApiResponse):
    """``/cgi-bin/template/get_all_private_template``."""

    template_list: list[TemplateInfo] = Field(default_factory=list)
