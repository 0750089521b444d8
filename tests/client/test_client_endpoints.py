"""Every SPEC §8 endpoint, on both clients: the exact request sent and the typed answer."""

from __future__ import annotations

import asyncio
import email
import email.policy
import inspect
import json
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest
from tests.client.endpoint_table import Case, Multipart
from tests.client.more_endpoint_cases import MORE_CASES, MORE_METHODS

from werobot_client import ApiResponse, AsyncClient, Client, Endpoint, MediaFile
from werobot_client import models as m
from werobot_client.methods import ApiMethods
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config


@dataclass(frozen=True)
class Art:
    """An object shaped like ``werobot_core.replies.Article``."""

    title: str
    description: str
    img: str
    url: str


BUTTON = {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"}
ARTICLE = {"title": "标题", "thumb_media_id": "THUMB", "content": "<p>正文</p>"}
ASSET = "/cgi-bin/material/add_material"
SEND = "/cgi-bin/message/custom/send"
KF = {"customservice": {"kf_account": "kf1@test"}}

CASES: list[Case] = [
    Case("get_ip_list", (), "GET", "/cgi-bin/getcallbackip",
         answer={"ip_list": ["101.226.62.77"]}, returns=m.IpList),
    Case("create_menu", ({"button": [BUTTON]},), "POST", "/cgi-bin/menu/create",
         body={"button": [BUTTON]}),
    Case("get_menu", (), "GET", "/cgi-bin/menu/get",
         answer={"menu": {"button": [BUTTON]}}, returns=m.MenuInfo),
    Case("delete_menu", (), "GET", "/cgi-bin/menu/delete"),
    Case("create_custom_menu", ([BUTTON], {"tag_id": "2"}), "POST",
         "/cgi-bin/menu/addconditional",
         body={"button": [BUTTON], "matchrule": {"tag_id": "2"}},
         answer={"menuid": "208379533"}, returns=m.MenuId),
    Case("delete_custom_menu", ("208379533",), "POST", "/cgi-bin/menu/delconditional",
         body={"menuid": "208379533"}),
    Case("match_custom_menu", ("weixin",), "POST", "/cgi-bin/menu/trymatch",
         body={"user_id": "weixin"}, answer={"button": [BUTTON]}, returns=m.MatchedMenu),
    Case("get_custom_menu_config", (), "GET", "/cgi-bin/get_current_selfmenu_info",
         answer={"is_menu_open": 1, "selfmenu_info": {"button": []}}, returns=m.SelfMenuInfo),
    Case("add_custom_service_account", ("kf1@test", "客服一", "pswmd5"), "POST",
         "/customservice/kfaccount/add",
         body={"kf_account": "kf1@test", "nickname": "客服一", "password": "pswmd5"}),
    Case("update_custom_service_account", ("kf1@test", "客服二", "pswmd5"), "POST",
         "/customservice/kfaccount/update",
         body={"kf_account": "kf1@test", "nickname": "客服二", "password": "pswmd5"}),
    Case("delete_custom_service_account", ("kf1@test", "客服二", "pswmd5"), "POST",
         "/customservice/kfaccount/del",
         body={"kf_account": "kf1@test", "nickname": "客服二", "password": "pswmd5"}),
    Case("upload_custom_service_account_avatar", ("kf1@test", ("头像.jpg", b"JPEG")), "POST",
         "/customservice/kfaccount/uploadheadimg", query={"kf_account": "kf1@test"},
         body=Multipart({"media": ("%E5%A4%B4%E5%83%8F.jpg", b"JPEG")})),
    Case("get_custom_service_account_list", (), "GET", "/cgi-bin/customservice/getkflist",
         answer={"kf_list": [{"kf_account": "kf1@test", "kf_nick": "ntest1", "kf_id": "1001"}]},
         returns=m.KfList),
    Case("get_online_custom_service_account_list", (), "GET",
         "/cgi-bin/customservice/getonlinekflist",
         answer={"kf_online_list": [{"kf_account": "kf1@test", "status": 1, "kf_id": "1001",
                                     "accepted_case": 1}]},
         returns=m.OnlineKfList),
    Case("send_text_message", ("u1", "你好"), "POST", SEND,
         body={"touser": "u1", "msgtype": "text", "text": {"content": "你好"}}),
    Case("send_text_message", ("u1", "hi"), "POST", SEND, kwargs={"kf_account": "kf1@test"},
         body={"touser": "u1", "msgtype": "text", "text": {"content": "hi"}, **KF}),
    Case("send_text_message", ("u1", "hi", ""), "POST", SEND,
         body={"touser": "u1", "msgtype": "text", "text": {"content": "hi"},
               "customservice": {"kf_account": ""}}),
    Case("send_image_message", ("u1", "MID"), "POST", SEND,
         body={"touser": "u1", "msgtype": "image", "image": {"media_id": "MID"}}),
    Case("send_image_message", ("u1", "MID", "kf1@test"), "POST", SEND,
         body={"touser": "u1", "msgtype": "image", "image": {"media_id": "MID"}, **KF}),
    Case("send_voice_message", ("u1", "MID"), "POST", SEND,
         body={"touser": "u1", "msgtype": "voice", "voice": {"media_id": "MID"}}),
    Case("send_video_message", ("u1", "MID"), "POST", SEND,
         body={"touser": "u1", "msgtype": "video", "video": {"media_id": "MID"}}),
    Case("send_video_message", ("u1", "MID", "标题", "描述", "kf1@test"), "POST", SEND,
         body={"touser": "u1", "msgtype": "video",
               "video": {"media_id": "MID", "title": "标题", "description": "描述"}, **KF}),
    Case("send_video_message", ("u1", "MID"), "POST", SEND,
         kwargs={"title": "", "description": "d"},
         body={"touser": "u1", "msgtype": "video",
               "video": {"media_id": "MID", "description": "d"}}),
    Case("send_music_message", ("u1", "http://m/1.mp3", "http://m/hq.mp3", "THUMB"), "POST", SEND,
         body={"touser": "u1", "msgtype": "music",
               "music": {"musicurl": "http://m/1.mp3", "hqmusicurl": "http://m/hq.mp3",
                         "thumb_media_id": "THUMB"}}),
    Case("send_music_message", ("u1", "http://m/1.mp3", "http://m/hq.mp3", "THUMB"), "POST", SEND,
         kwargs={"title": "歌", "description": "词", "kf_account": "kf1@test"},
         body={"touser": "u1", "msgtype": "music",
               "music": {"musicurl": "http://m/1.mp3", "hqmusicurl": "http://m/hq.mp3",
                         "thumb_media_id": "THUMB", "title": "歌", "description": "词"},
               **KF}),
    Case("send_article_message",
         ("u1", [Art("标题", "描述", "http://img/1.png", "http://a/1"), {"title": "字典"}]),
         "POST", SEND, kwargs={"kf_account": "kf1@test"},
         body={"touser": "u1", "msgtype": "news", "news": {"articles": [
             {"title": "标题", "description": "描述", "url": "http://a/1",
              "picurl": "http://img/1.png"},
             {"title": "字典"},
         ]}, **KF}),
    Case("send_news_message", ("u1", "MID"), "POST", SEND,
         body={"touser": "u1", "msgtype": "mpnews", "mpnews": {"media_id": "MID"}}),
    Case("send_miniprogrampage_message", ("u1", "标题", "wxapp", "pages/index", "THUMB"),
         "POST", SEND,
         body={"touser": "u1", "msgtype": "miniprogrampage",
               "miniprogrampage": {"title": "标题", "appid": "wxapp",
                                   "pagepath": "pages/index", "thumb_media_id": "THUMB"}}),
    Case("send_template_message", ("u1", "TPL", {"first": {"value": "您好"}}), "POST",
         "/cgi-bin/message/template/send",
         body={"touser": "u1", "template_id": "TPL", "url": "",
               "data": {"first": {"value": "您好"}}},
         answer={"errcode": 0, "errmsg": "ok", "msgid": 200228332},
         returns=m.TemplateMessageSent),
    Case("send_template_message", ("u1", "TPL", {}, "http://x"), "POST",
         "/cgi-bin/message/template/send", kwargs={"miniprogram": {"appid": "wxapp"}},
         body={"touser": "u1", "template_id": "TPL", "url": "http://x", "data": {},
               "miniprogram": {"appid": "wxapp"}},
         answer={"errcode": 0, "errmsg": "ok", "msgid": 1}, returns=m.TemplateMessageSent),
    Case("send_mass_msg", ("text", "大家好"), "POST", "/cgi-bin/message/mass/sendall",
         body={"msgtype": "text", "text": {"content": "大家好"}, "filter": {"is_to_all": True},
               "send_ignore_reprint": False},
         answer={"errcode": 0, "errmsg": "send job submission success", "msg_id": 34182,
                 "msg_data_id": 206227730},
         returns=m.MassMessage),
    Case("send_mass_msg", ("image", "MID", ["o1", "o2"], True, "cid-1"), "POST",
         "/cgi-bin/message/mass/send",
         body={"msgtype": "image", "image": {"media_id": "MID"}, "touser": ["o1", "o2"],
               "send_ignore_reprint": True, "clientmsgid": "cid-1"},
         answer={"msg_id": 1}, returns=m.MassMessage),
    Case("send_mass_msg", ("video", "MID", 0), "POST", "/cgi-bin/message/mass/sendall",
         body={"msgtype": "mpvideo", "mpvideo": {"media_id": "MID"},
               "filter": {"is_to_all": False, "tag_id": 0}, "send_ignore_reprint": False},
         answer={"msg_id": 2}, returns=m.MassMessage),
    Case("send_mass_msg", ("wxcard", "CARD", 7), "POST", "/cgi-bin/message/mass/sendall",
         body={"msgtype": "wxcard", "wxcard": {"card_id": "CARD"},
               "filter": {"is_to_all": False, "tag_id": 7}, "send_ignore_reprint": False},
         answer={"msg_id": 3}, returns=m.MassMessage),
    Case("send_mass_msg", ("mpnews", "MID"), "POST", "/cgi-bin/message/mass/sendall",
         kwargs={"user_list": None},
         body={"msgtype": "mpnews", "mpnews": {"media_id": "MID"},
               "filter": {"is_to_all": True}, "send_ignore_reprint": False},
         answer={"msg_id": 4}, returns=m.MassMessage),
    Case("send_mass_msg", ("voice", "MID", ["o1"]), "POST", "/cgi-bin/message/mass/send",
         body={"msgtype": "voice", "voice": {"media_id": "MID"}, "touser": ["o1"],
               "send_ignore_reprint": False},
         answer={"msg_id": 5}, returns=m.MassMessage),
    Case("send_mass_msg", ("music", "MID", ["o1"]), "POST", "/cgi-bin/message/mass/send",
         body={"msgtype": "music", "music": {"media_id": "MID"}, "touser": ["o1"],
               "send_ignore_reprint": False},
         answer={"msg_id": 6}, returns=m.MassMessage),
    Case("send_mass_msg", ("shout", "hello", ["o1"]), "POST", "/cgi-bin/message/mass/send",
         body={"msgtype": "text", "text": {"content": "hello"}, "touser": ["o1"],
               "send_ignore_reprint": False},
         answer={"msg_id": 7}, returns=m.MassMessage),
    Case("delete_mass_msg", (30124,), "POST", "/cgi-bin/message/mass/delete",
         body={"msg_id": 30124, "article_idx": 0}),
    Case("delete_mass_msg", (30124, 2), "POST", "/cgi-bin/message/mass/delete",
         body={"msg_id": 30124, "article_idx": 2}),
    Case("send_mass_preview_to_user", ("text", "预览", "o1"), "POST",
         "/cgi-bin/message/mass/preview",
         body={"msgtype": "text", "text": {"content": "预览"}, "touser": "o1"},
         answer={"errcode": 0, "errmsg": "preview success", "msg_id": 34182},
         returns=m.MassMessage),
    Case("send_mass_preview_to_user", ("video", "MID", "wxname1", "wxname"), "POST",
         "/cgi-bin/message/mass/preview",
         body={"msgtype": "mpvideo", "mpvideo": {"media_id": "MID"}, "towxname": "wxname1"},
         returns=m.MassMessage),
    Case("get_mass_msg_status", (201053012,), "POST", "/cgi-bin/message/mass/get",
         body={"msg_id": 201053012},
         answer={"msg_id": 201053012, "msg_status": "SEND_SUCCESS"}, returns=m.MassStatus),
    Case("get_mass_msg_speed", (), "POST", "/cgi-bin/message/mass/speed/get", body={},
         answer={"speed": 3, "realspeed": 15}, returns=m.MassSpeed),
    Case("set_mass_msg_speed", (1,), "POST", "/cgi-bin/message/mass/speed/set",
         body={"speed": 1}),
    Case("create_group", ("测试",), "POST", "/cgi-bin/groups/create",
         body={"group": {"name": "测试"}}, answer={"group": {"id": 107, "name": "测试"}},
         returns=m.GroupCreated, warns="tags"),
    Case("get_groups", (), "GET", "/cgi-bin/groups/get",
         answer={"groups": [{"id": 0, "name": "未分组", "count": 72596}]}, returns=m.GroupList,
         warns="tags"),
    Case("get_group_by_id", ("od8X",), "POST", "/cgi-bin/groups/getid",
         body={"openid": "od8X"}, answer={"groupid": 102}, returns=m.UserGroup, warns="tags"),
    Case("update_group", ("108", "test2"), "POST", "/cgi-bin/groups/update",
         body={"group": {"id": 108, "name": "test2"}}, warns="tags"),
    Case("move_user", ("od8X", 108), "POST", "/cgi-bin/groups/members/update",
         body={"openid": "od8X", "to_groupid": 108}, warns="tags"),
    Case("move_users", (["o1", "o2"], 108), "POST", "/cgi-bin/groups/members/batchupdate",
         body={"openid_list": ["o1", "o2"], "to_groupid": 108}, warns="tags"),
    Case("delete_group", (108,), "POST", "/cgi-bin/groups/delete", body={"group": {"id": 108}},
         warns="tags"),
    Case("remark_user", ("od8X", "老王"), "POST", "/cgi-bin/user/info/updateremark",
         body={"openid": "od8X", "remark": "老王"}),
    Case("get_user_info", ("od8X",), "GET", "/cgi-bin/user/info",
         query={"openid": "od8X", "lang": "zh_CN"},
         answer={"subscribe": 1, "openid": "od8X", "nickname": "Band", "tagid_list": [128, 2]},
         returns=m.UserInfo),
    Case("get_user_info", ("od8X", "en"), "GET", "/cgi-bin/user/info",
         query={"openid": "od8X", "lang": "en"},
         answer={"subscribe": 0, "openid": "od8X"}, returns=m.UserInfo),
    Case("get_users_info", (["o1", "o2"],), "POST", "/cgi-bin/user/info/batchget",
         body={"user_list": [{"openid": "o1", "lang": "zh_CN"}, {"openid": "o2", "lang": "zh_CN"}]},
         answer={"user_info_list": [{"subscribe": 1, "openid": "o1"}]}, returns=m.UserInfoList),
    Case("get_users_info", (["o1"], "en"), "POST", "/cgi-bin/user/info/batchget",
         body={"user_list": [{"openid": "o1", "lang": "en"}]},
         answer={"user_info_list": []}, returns=m.UserInfoList),
    Case("get_followers", (), "GET", "/cgi-bin/user/get",
         answer={"total": 2, "count": 2, "data": {"openid": ["o1", "o2"]}, "next_openid": "o2"},
         returns=m.Followers),
    Case("get_followers", ("o2",), "GET", "/cgi-bin/user/get", query={"next_openid": "o2"},
         answer={"total": 2, "count": 0, "next_openid": ""}, returns=m.Followers),
    Case("create_qrcode",
         ({"expire_seconds": 604800, "action_name": "QR_SCENE",
           "action_info": {"scene": {"scene_id": 123}}},),
         "POST", "/cgi-bin/qrcode/create",
         body={"expire_seconds": 604800, "action_name": "QR_SCENE",
               "action_info": {"scene": {"scene_id": 123}}},
         answer={"ticket": "gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Br",
                 "expire_seconds": 60, "url": "http://weixin.qq.com/q/kZgfwMTm72WWPkovabbI"},
         returns=m.QrCode),
    Case("show_qrcode", ("TICKET+/=",), "GET", "/cgi-bin/showqrcode",
         url="https://mp.weixin.qq.com", query={"ticket": "TICKET+/="}, token=False,
         answer=httpx.Response(200, content=b"\x89PNG", headers={"content-type": "image/jpg"}),
         returns=MediaFile),
    Case("upload_media", ("image", ("pic.jpg", b"JPEG")), "POST", "/cgi-bin/media/upload",
         query={"type": "image"}, body=Multipart({"media": ("pic.jpg", b"JPEG")}),
         answer={"type": "image", "media_id": "MID", "created_at": 1380000000},
         returns=m.UploadedMedia),
    Case("download_media", ("MID",), "GET", "/cgi-bin/media/get", query={"media_id": "MID"},
         answer=httpx.Response(200, content=b"AMR", headers={"content-type": "audio/amr"}),
         returns=MediaFile),
    Case("add_news", ([ARTICLE],), "POST", "/cgi-bin/material/add_news",
         body={"articles": [ARTICLE]}, answer={"media_id": "NEWS"}, returns=m.MediaId,
         warns="add_draft"),
    Case("upload_news_picture", (("图.png", b"PNG"),), "POST", "/cgi-bin/media/uploadimg",
         body=Multipart({"media": ("%E5%9B%BE.png", b"PNG")}),
         answer={"url": "http://mmbiz.qpic.cn/mmbiz/x/0"}, returns=m.ImageUrl),
    Case("upload_permanent_media", ("thumb", ("t.jpg", b"JPEG")), "POST", ASSET,
         query={"type": "thumb"}, body=Multipart({"media": ("t.jpg", b"JPEG")}),
         answer={"media_id": "MID", "url": "http://mmbiz/t"}, returns=m.PermanentMedia),
    Case("upload_permanent_video", ("标题", "介绍", ("v.mp4", b"MP4")), "POST", ASSET,
         query={"type": "video"},
         body=Multipart({
             "media": ("v.mp4", b"MP4"),
             "description": (None, '{"title": "标题", "introduction": "介绍"}'.encode()),
         }),
         answer={"media_id": "VID"}, returns=m.PermanentMedia),
    Case("download_permanent_media", ("MID",), "POST", "/cgi-bin/material/get_material",
         body={"media_id": "MID"},
         answer=httpx.Response(200, content=b"IMG", headers={"content-type": "image/jpeg"}),
         returns=MediaFile),
    Case("delete_permanent_media", ("MID",), "POST", "/cgi-bin/material/del_material",
         body={"media_id": "MID"}),
    Case("upload_news", ([ARTICLE],), "POST", "/cgi-bin/media/uploadnews",
         body={"articles": [ARTICLE]},
         answer={"type": "news", "media_id": "NEWS", "created_at": 1391857799},
         returns=m.UploadedMedia),
    Case("update_news", ({"media_id": "NEWS", "index": 0, "articles": ARTICLE},), "POST",
         "/cgi-bin/material/update_news",
         body={"media_id": "NEWS", "index": 0, "articles": ARTICLE}, warns="update_draft"),
    Case("get_media_count", (), "GET", "/cgi-bin/material/get_materialcount",
         answer={"voice_count": 1, "video_count": 2, "image_count": 3, "news_count": 4},
         returns=m.MediaCount),
    Case("get_media_list", ("image", 0, 20), "POST", "/cgi-bin/material/batchget_material",
         body={"type": "image", "offset": 0, "count": 20},
         answer={"total_count": 1, "item_count": 1,
                 "item": [{"media_id": "MID", "name": "a.jpg", "update_time": 1, "url": "u"}]},
         returns=m.MediaList),
    Case("create_tag", ("广东",), "POST", "/cgi-bin/tags/create",
         body={"tag": {"name": "广东"}}, answer={"tag": {"id": 134, "name": "广东"}},
         returns=m.TagCreated),
    Case("get_tags", (), "GET", "/cgi-bin/tags/get",
         answer={"tags": [{"id": 2, "name": "星标组", "count": 0}]}, returns=m.TagList),
    Case("update_tag", (134, "广东人"), "POST", "/cgi-bin/tags/update",
         body={"tag": {"id": 134, "name": "广东人"}}),
    Case("delete_tag", (134,), "POST", "/cgi-bin/tags/delete", body={"tag": {"id": 134}}),
    Case("get_users_by_tag", (134,), "POST", "/cgi-bin/user/tag/get",
         body={"tagid": 134, "next_openid": ""},
         answer={"count": 1, "data": {"openid": ["o1"]}, "next_openid": "o1"},
         returns=m.TagUsers),
    Case("get_users_by_tag", (134, "o1"), "POST", "/cgi-bin/user/tag/get",
         body={"tagid": 134, "next_openid": "o1"}, answer={"count": 0}, returns=m.TagUsers),
    Case("tag_users", (134, ["o1", "o2"]), "POST", "/cgi-bin/tags/members/batchtagging",
         body={"openid_list": ["o1", "o2"], "tagid": 134}),
    Case("untag_users", (134, ["o1"]), "POST", "/cgi-bin/tags/members/batchuntagging",
         body={"openid_list": ["o1"], "tagid": 134}),
    Case("get_tags_by_user", ("o1",), "POST", "/cgi-bin/tags/getidlist",
         body={"openid": "o1"}, answer={"tagid_list": [134, 2]}, returns=m.UserTags),
]  # fmt: skip

# Every method of SPEC §8 (the seed's names), besides grant_token/get_access_token.
SPEC_METHODS = {
    "get_ip_list", "create_menu", "get_menu", "delete_menu", "create_custom_menu",
    "delete_custom_menu", "match_custom_menu", "get_custom_menu_config",
    "add_custom_service_account", "update_custom_service_account",
    "delete_custom_service_account", "upload_custom_service_account_avatar",
    "get_custom_service_account_list", "get_online_custom_service_account_list",
    "send_text_message", "send_image_message", "send_voice_message", "send_video_message",
    "send_music_message", "send_article_message", "send_news_message",
    "send_miniprogrampage_message", "send_mass_msg", "delete_mass_msg",
    "send_mass_preview_to_user", "get_mass_msg_status", "get_mass_msg_speed",
    "set_mass_msg_speed", "create_group", "get_groups", "get_group_by_id", "update_group",
    "move_user", "move_users", "delete_group", "remark_user", "get_user_info",
    "get_users_info", "get_followers", "create_qrcode", "show_qrcode", "upload_media",
    "download_media", "add_news", "upload_news_picture", "upload_permanent_media",
    "upload_permanent_video", "download_permanent_media", "delete_permanent_media",
    "upload_news", "update_news", "get_media_count", "get_media_list", "create_tag",
    "get_tags", "update_tag", "delete_tag", "get_users_by_tag", "tag_users", "untag_users",
    "get_tags_by_user", "send_template_message",
}  # fmt: skip


# Methods of both clients besides the endpoints: tokens, tickets, ``request``'s helpers.
CACHED_METHODS = {
    "grant_token", "get_access_token", "request", "get", "post", "get_ticket",
    "discard_ticket", "js_sdk_config",
}  # fmt: skip


def make_config() -> Config:
    return Config(APP_ID="wx-app", APP_SECRET="secret")


def _case_id(case: Case) -> str:
    return case.name


def multipart(request: httpx.Request) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a multipart request: name → (filename, content)."""
    head = b"Content-Type: " + request.headers["content-type"].encode() + b"\r\n\r\n"
    message = email.message_from_bytes(head + request.content, policy=email.policy.HTTP)
    assert isinstance(message, email.message.EmailMessage)
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        assert isinstance(part, email.message.EmailMessage)
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str)
        assert isinstance(payload, bytes)
        fields[name] = (part.get_filename(), payload)
    return fields


def run_sync(wechat: FakeWeChat, case: Case) -> object:
    http = httpx.Client(transport=wechat.transport())
    with Client(make_config(), http_client=http) as client, http:
        method = getattr(client, case.name)
        if case.warns is None:
            return method(*case.args, **case.kwargs)
        with pytest.warns(DeprecationWarning, match=case.warns) as warned:
            result = method(*case.args, **case.kwargs)
        assert warned[0].filename == __file__  # the warning points at the caller
        return result


def run_async(wechat: FakeWeChat, case: Case) -> object:
    async def main() -> object:
        http = httpx.AsyncClient(transport=wechat.async_transport())
        async with AsyncClient(make_config(), http_client=http) as client, http:
            method = getattr(client, case.name)
            if case.warns is None:
                return await method(*case.args, **case.kwargs)
            with pytest.warns(DeprecationWarning, match=case.warns) as warned:
                result = await method(*case.args, **case.kwargs)
            assert warned[0].filename == __file__
            return result

    return asyncio.run(main())


def check_request(wechat: FakeWeChat, case: Case) -> None:
    [request] = wechat.api_requests
    query = dict(request.url.params)
    if case.token:
        assert query.pop("access_token") == "T1"
    assert request.method == case.method
    assert f"{request.url.scheme}://{request.url.host}" == case.url
    assert request.url.path == case.path
    assert query == dict(case.query)
    if isinstance(case.body, Multipart):
        assert multipart(request) == dict(case.body.parts)
    elif case.body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"].startswith("application/json")
        assert json.loads(request.content.decode("utf-8")) == case.body
        # UTF-8 with non-ASCII unescaped, as WeChat expects
        assert b"\\u" not in request.content


def check_answer(case: Case, result: object) -> None:
    assert type(result) is case.returns
    if isinstance(case.answer, httpx.Response):
        assert isinstance(result, MediaFile)
        assert result.content == case.answer.content
        assert result.content_type == case.answer.headers["content-type"]
    else:
        assert isinstance(result, ApiResponse)
        assert dict(result) == case.answer


ALL_CASES = CASES + MORE_CASES


@pytest.mark.parametrize("case", ALL_CASES, ids=_case_id)
def test_sync_client_sends_the_documented_request(wechat: FakeWeChat, case: Case) -> None:
    wechat.queue(case.path, case.answer)
    result = run_sync(wechat, case)
    check_request(wechat, case)
    check_answer(case, result)


@pytest.mark.parametrize("case", ALL_CASES, ids=_case_id)
def test_async_client_sends_the_documented_request(wechat: FakeWeChat, case: Case) -> None:
    wechat.queue(case.path, case.answer)
    result = run_async(wechat, case)
    check_request(wechat, case)
    check_answer(case, result)


def test_every_spec_method_is_an_endpoint_of_both_clients() -> None:
    endpoints = {name for name, value in vars(ApiMethods).items() if isinstance(value, Endpoint)}
    assert endpoints == SPEC_METHODS | MORE_METHODS | {"request"}
    assert {case.name for case in CASES} == SPEC_METHODS
    assert {case.name for case in MORE_CASES} == MORE_METHODS
    sync_client = Client(make_config(), http_client=httpx.Client())
    async_client = AsyncClient(make_config(), http_client=httpx.AsyncClient())
    for name in SPEC_METHODS | MORE_METHODS | CACHED_METHODS:
        sync_method, async_method = getattr(sync_client, name), getattr(async_client, name)
        assert inspect.signature(sync_method) == inspect.signature(async_method), name
        assert not inspect.iscoroutinefunction(sync_method), name
        assert inspect.iscoroutinefunction(async_method), name
        assert sync_method.__doc__ == async_method.__doc__, name
        assert sync_method.__doc__, name


def test_endpoint_on_the_class_is_the_descriptor_and_needs_a_client() -> None:
    descriptor = Client.get_menu
    assert isinstance(descriptor, Endpoint)
    assert descriptor is AsyncClient.get_menu
    assert repr(descriptor) == "<endpoint get_menu>"
    assert descriptor.__doc__ == "The menu created through the API, with its conditional menus."
    with pytest.raises(TypeError, match="get_menu is a method of Client and AsyncClient only"):
        cast(Any, Client.get_menu).__get__(object(), object)
