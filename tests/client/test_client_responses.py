"""Answers: typed models that read like WeRoBot's dicts, downloads, and upload file names."""

from __future__ import annotations

import io
import os
from pathlib import Path

import httpx
import pytest

from werobot_client import ApiResponse, Client, MediaFile
from werobot_client import exceptions as e
from werobot_client.models import MenuInfo, UserInfo
from werobot_client.testing import FakeWeChat
from werobot_client.uploads import file_part

MENU = {
    "menu": {
        "button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001", "new_flag": True},
            {"name": "菜单", "sub_button": [{"type": "view", "name": "搜索", "url": "http://s"}]},
        ],
        "menuid": 208396938,
    },
    "conditionalmenu": [
        {"button": [], "matchrule": {"tag_id": "2"}, "menuid": 208396993},
    ],
    "brand_new_field": {"x": 1},
}


def test_models_read_like_the_old_dicts(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/menu/get", MENU)
    menu = client.get_menu()
    assert menu["menu"]["button"][0]["name"] == "今日歌曲"
    assert menu.get("conditionalmenu") == MENU["conditionalmenu"]
    assert menu.get("missing") is None
    assert menu.get("missing", "default") == "default"
    assert "brand_new_field" in menu
    assert "errcode" not in menu
    assert dict(menu) == MENU
    assert len(menu) == 3
    assert list(menu.keys()) == ["menu", "conditionalmenu", "brand_new_field"]
    assert list(menu.values()) == list(MENU.values())
    assert dict(menu.items()) == MENU
    with pytest.raises(KeyError):
        menu["missing"]


def test_models_are_typed_and_keep_unknown_fields(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/menu/get", MENU)
    menu = client.get_menu()
    assert isinstance(menu, MenuInfo)
    assert menu.menu is not None
    assert menu.menu.menuid == 208396938
    first, second = menu.menu.button
    assert (first.type, first.key) == ("click", "V1001")
    assert first.model_extra == {"new_flag": True}
    assert second.sub_button[0].url == "http://s"
    assert menu.conditionalmenu[0].matchrule == {"tag_id": "2"}
    assert menu.model_extra == {"brand_new_field": {"x": 1}}
    assert (menu.errcode, menu.errmsg) == (0, "ok")


def test_nested_answers_also_read_like_dicts(client: Client, wechat: FakeWeChat) -> None:
    users = [{"subscribe": 1, "openid": "o1", "nickname": "小明", "unionid": "u"}]
    wechat.queue("/cgi-bin/user/info/batchget", {"user_info_list": users})
    [user] = client.get_users_info(["o1"]).user_info_list
    assert isinstance(user, UserInfo)
    assert user["nickname"] == user.nickname == "小明"
    assert dict(user) == users[0]


def test_a_model_built_directly_reads_its_arguments() -> None:
    response = ApiResponse(errcode=0, errmsg="ok")
    assert dict(response) == {"errcode": 0, "errmsg": "ok"}
    assert dict(ApiResponse.model_validate({"a": 1})) == {"a": 1}


def test_a_download_is_a_media_file(client: Client, wechat: FakeWeChat) -> None:
    headers = {
        "Content-Type": "image/jpeg",
        "Content-Disposition": 'attachment; filename="MEDIA_ID.jpg"',
    }
    wechat.queue("/cgi-bin/media/get", httpx.Response(200, content=b"\xff\xd8", headers=headers))
    media = client.download_media("MEDIA_ID")
    assert media.content == b"\xff\xd8"
    assert media.content_type == "image/jpeg"
    assert media.filename == "MEDIA_ID.jpg"
    assert media.headers["content-disposition"] == 'attachment; filename="MEDIA_ID.jpg"'
    assert media.headers["CONTENT-TYPE"] == "image/jpeg"


def test_a_utf8_file_name_is_decoded(client: Client, wechat: FakeWeChat) -> None:
    disposition = "attachment; filename*=UTF-8''%E5%9B%BE%E7%89%87.png"
    answer = httpx.Response(
        200,
        content=b"PNG",
        headers={"content-type": "image/png", "content-disposition": disposition},
    )
    wechat.queue("/cgi-bin/material/get_material", answer)
    assert client.download_permanent_media("M").filename == "图片.png"


@pytest.mark.parametrize("content_type", ["text/plain", "application/json; charset=utf-8", ""])
def test_a_json_error_from_a_download_raises(
    client: Client, wechat: FakeWeChat, content_type: str
) -> None:
    body = b'{"errcode":40007,"errmsg":"invalid media_id"}'
    headers = {"content-type": content_type} if content_type else {}
    wechat.queue("/cgi-bin/media/get", httpx.Response(200, content=body, headers=headers))
    with pytest.raises(e.InvalidMediaId, match=r"^40007: invalid media_id$"):
        client.download_media("bad")


def test_a_json_material_is_returned_with_json(client: Client, wechat: FakeWeChat) -> None:
    video = {"title": "标题", "description": "描述", "down_url": "http://x/v.mp4"}
    wechat.queue("/cgi-bin/material/get_material", {"errcode": 0, **video}, video)
    first = client.download_permanent_media("VIDEO")
    assert first.json() == {"errcode": 0, **video}
    second = client.download_permanent_media("VIDEO")
    assert second.json() == video
    assert second.content_type == "application/json"
    assert second.filename is None
    assert second.text == second.content.decode("utf-8")


def test_an_http_error_from_a_download_raises(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/showqrcode", httpx.Response(404, text="not found"))
    with pytest.raises(e.HTTPError) as caught:
        client.show_qrcode("expired-ticket")
    assert caught.value.status_code == 404


def test_a_binary_text_download_is_not_an_error(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/media/get", httpx.Response(200, text="plain words"))
    assert client.download_media("M").text == "plain words"


def test_media_file_is_a_value() -> None:
    media = MediaFile(b"x", "image/png", None, httpx.Headers({"a": "b"}))
    assert media == MediaFile(b"x", "image/png", None, httpx.Headers({"a": "b"}))


def test_upload_file_names(tmp_path: Path) -> None:
    path = tmp_path / "音乐 1.mp3"
    path.write_bytes(b"ID3")
    with path.open("rb") as real:
        assert file_part(real) == ("%E9%9F%B3%E4%B9%90%201.mp3", real)
    anonymous = io.BytesIO(b"raw")
    assert file_part(anonymous) == ("media", anonymous)
    assert file_part(("dir/sub/x.jpg", b"J")) == ("x.jpg", b"J")
    assert file_part(("视频.mp4", b"V")) == ("%E8%A7%86%E9%A2%91.mp4", b"V")
    assert file_part(("", b"V")) == ("media", b"V")
    descriptor = os.open(path, os.O_RDONLY)
    with os.fdopen(descriptor, "rb") as by_descriptor:
        assert file_part(by_descriptor) == ("media", by_descriptor)


def test_an_upload_of_a_real_file(client: Client, wechat: FakeWeChat, tmp_path: Path) -> None:
    path = tmp_path / "照片.jpg"
    path.write_bytes(b"JPEG-BYTES")
    wechat.queue("/cgi-bin/media/upload", {"type": "image", "media_id": "M", "created_at": 1})
    with path.open("rb") as photo:
        uploaded = client.upload_media("image", photo)
    assert uploaded.media_id == "M"
    [request] = wechat.api_requests
    assert b'filename="%E7%85%A7%E7%89%87.jpg"' in request.content
    assert b"Content-Type: image/jpeg" in request.content
    assert b"\r\n\r\nJPEG-BYTES\r\n" in request.content


def test_a_retried_upload_sends_the_whole_file_again(client: Client, wechat: FakeWeChat) -> None:
    expired = httpx.Response(200, json={"errcode": 42001, "errmsg": "access_token expired"})
    wechat.queue("/cgi-bin/media/upload", expired, {"type": "voice", "media_id": "M"})
    client.upload_media("voice", io.BytesIO(b"AMR-DATA"))
    first, second = wechat.api_requests
    assert b"\r\n\r\nAMR-DATA\r\n" in first.content
    assert b"\r\n\r\nAMR-DATA\r\n" in second.content
    assert second.url.params["access_token"] == "T2"
