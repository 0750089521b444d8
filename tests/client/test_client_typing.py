"""The return types mypy sees on both clients (checked by mypy, and run as a test)."""

from __future__ import annotations

from typing import Any

import pytest
from typing_extensions import assert_type

from werobot_client import ApiResponse, AsyncClient, Client, MediaFile
from werobot_client.models import AccessToken, MenuInfo, QrCode, TemplateMessageSent, UserInfo
from werobot_client.testing import FakeWeChat


def test_sync_return_types(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/user/info", {"openid": "o1"})
    wechat.queue("/cgi-bin/qrcode/create", {"ticket": "t"})
    assert_type(client.get_menu(), MenuInfo)
    assert_type(client.get_user_info("o1"), UserInfo)
    assert_type(client.send_text_message("o1", "hi"), ApiResponse)
    assert_type(client.create_qrcode({"action_name": "QR_SCENE"}), QrCode)
    assert_type(client.download_media("m"), MediaFile)
    assert_type(client.grant_token(), AccessToken)
    assert_type(client.get_access_token(), str)
    assert_type(client.get("https://api.weixin.qq.com/x"), dict[str, Any])


@pytest.mark.anyio
async def test_async_return_types(async_client: AsyncClient, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/message/template/send", {"msgid": 7})
    sent = await async_client.send_template_message("o1", "tpl", {})
    assert_type(sent, TemplateMessageSent)
    assert sent.msgid == 7
    assert_type(await async_client.get_menu(), MenuInfo)
    assert_type(await async_client.grant_token(), AccessToken)
    assert_type(await async_client.get_access_token(), str)
    assert_type(await async_client.token, str)
    assert_type(await async_client.post("https://api.weixin.qq.com/x"), dict[str, Any])
