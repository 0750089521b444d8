"""Issue 12 item 7: pushes WeRoBot did not model, each a typed class with its decorators.

The bodies in ``data/`` were written from WeChat's field tables (each class's docstring
links its page). Expected values are read from the same body with ``xml.etree``,
independently of the SDK's parser; every decorator gets its push through ``robot.handle``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from werobot_core import WeRoBot
from werobot_core.messages import (
    CloudInvoiceResultEvent,
    DeviceEvent,
    DeviceSubscribeStatusMessage,
    DeviceUnsubscribeStatusMessage,
    GiftcardPayDoneEvent,
    GiftcardSendToFriendEvent,
    GiftcardUserAcceptEvent,
    GuideInviteResultEvent,
    GuideQrcodeScanEvent,
    PoiCheckNotifyEvent,
    SubscribeEvent,
    UserAuthorizationCancellationEvent,
    UserAuthorizationRevokeEvent,
    UserEnterTempsessionEvent,
    UserInfoModifiedEvent,
    WeappAuditDelayEvent,
    WeappAuditFailEvent,
    WeappAuditSuccessEvent,
    WeChatMessage,
    WxaCategoryAuditEvent,
    WxaMediaCheckEvent,
    WxVerifyDispatchEvent,
    WxVerifyFailEvent,
    WxVerifyPaySuccEvent,
    WxVerifyRefillEvent,
)
from werobot_core.messages.sub_models import ScanProductKey
from werobot_core.parser import parse_message
from werobot_core.testing import WeTest

DATA = Path(__file__).parent / "data"

Conv = Callable[[str], Any]
AUTHORIZATION: dict[str, tuple[str, Conv]] = {
    "open_id": ("OpenID", str),
    "union_id": ("UnionID", str),
    "app_id": ("AppID", str),
    "revoke_info": ("RevokeInfo", str),
    "plugin_id": ("PluginID", str),
    "open_pid": ("OpenPID", str),
}
AUDIT: dict[str, tuple[str, Conv]] = {
    "succ_time": ("SuccTime", int),
    "fail_time": ("FailTime", int),
    "delay_time": ("DelayTime", int),
    "reason": ("Reason", str),
    "screenshot": ("ScreenShot", str),
}
DEVICE_STATUS: dict[str, tuple[str, Conv]] = {
    "device_type": ("DeviceType", str),
    "device_id": ("DeviceID", str),
    "open_id": ("OpenID", str),
    "op_type": ("OpType", int),
}
MEDIA_CHECK: dict[str, tuple[str, Conv]] = {
    "app_id": ("appid", str),
    "trace_id": ("trace_id", str),
    "version": ("version", int),
    "is_risky": ("isrisky", int),
    "extra_info_json": ("extra_info_json", str),
    "status_code": ("status_code", int),
    "error_code": ("errcode", int),
    "error_message": ("errmsg", str),
}
GIFT_CARD: dict[str, tuple[str, Conv]] = {
    "page_id": ("PageId", str),
    "order_id": ("OrderId", str),
}

#: data file → (class, attribute → (tag path, conversion)), written from the field tables.
CASES: dict[str, tuple[type[WeChatMessage], dict[str, tuple[str, Conv]]]] = {
    "user_info_modified.xml": (UserInfoModifiedEvent, AUTHORIZATION),
    "user_authorization_revoke.xml": (UserAuthorizationRevokeEvent, AUTHORIZATION),
    "user_authorization_cancellation.xml": (UserAuthorizationCancellationEvent, AUTHORIZATION),
    "poi_check_notify.xml": (
        PoiCheckNotifyEvent,
        {
            "uniq_id": ("UniqId", str),
            "poi_id": ("PoiId", str),
            "result": ("Result", str),
            "msg": ("Msg", str),
        },
    ),
    "guide_invite_result_event.xml": (
        GuideInviteResultEvent,
        {
            "guide_account": ("GuideInviteEvent/guide_account", str),
            "guide_openid": ("GuideInviteEvent/guide_openid", str),
            "invite_result": ("GuideInviteEvent/invite_result", int),
        },
    ),
    "guide_qrcode_scan_event.xml": (
        GuideQrcodeScanEvent,
        {
            "qrcode_guide_account": ("GuideScanEvent/qrcode_guide_account", str),
            "qrcode_guide_openid": ("GuideScanEvent/qrcode_guide_openid", str),
            "open_id": ("GuideScanEvent/openid", str),
            "action": ("GuideScanEvent/action", int),
            "qrcode_info": ("GuideScanEvent/qrcode_info", str),
        },
    ),
    "wxa_media_check_v1.xml": (WxaMediaCheckEvent, MEDIA_CHECK),
    "wxa_media_check_v2.xml": (WxaMediaCheckEvent, MEDIA_CHECK),
    "user_enter_tempsession.xml": (
        UserEnterTempsessionEvent,
        {"session_from": ("SessionFrom", str)},
    ),
    "weapp_audit_success.xml": (WeappAuditSuccessEvent, AUDIT),
    "weapp_audit_fail.xml": (WeappAuditFailEvent, AUDIT),
    "weapp_audit_delay.xml": (WeappAuditDelayEvent, AUDIT),
    "wxa_category_audit.xml": (
        WxaCategoryAuditEvent,
        {
            "ret": ("ret", int),
            "first": ("first", int),
            "second": ("second", int),
            "reason": ("reason", str),
        },
    ),
    "device_subscribe_status.xml": (DeviceSubscribeStatusMessage, DEVICE_STATUS),
    "device_unsubscribe_status.xml": (DeviceUnsubscribeStatusMessage, DEVICE_STATUS),
    "device_event_subscribe_status.xml": (DeviceEvent, {**DEVICE_STATUS, "event": ("Event", str)}),
    "subscribe_scanbarcode.xml": (SubscribeEvent, {"key": ("EventKey", str)}),
    "subscribe_scanimage.xml": (SubscribeEvent, {"key": ("EventKey", str)}),
    # Gift cards (礼品卡接口文档) and the unified invoicing result (商户接口列表 § 19).
    "giftcard_pay_done.xml": (GiftcardPayDoneEvent, GIFT_CARD),
    "giftcard_send_to_friend.xml": (
        GiftcardSendToFriendEvent,
        {**GIFT_CARD, "is_chat_room": ("IsChatRoom", str), "is_return_back": ("IsReturnBack", str)},
    ),
    "giftcard_user_accept.xml": (
        GiftcardUserAcceptEvent,
        {**GIFT_CARD, "is_chat_room": ("IsChatRoom", str)},
    ),
    "cloud_invoice_invoiceresult_event.xml": (
        CloudInvoiceResultEvent,
        {"fpqqlsh": ("fpqqlsh", str), "nsrsbh": ("nsrsbh", str), "status": ("status", int)},
    ),
    # Certification-fee pushes: undocumented; fields of the push captured in WeChat's forum.
    "wx_verify_pay_succ.xml": (WxVerifyPaySuccEvent, {"order_id": ("OrderId", str)}),
    "wx_verify_dispatch.xml": (
        WxVerifyDispatchEvent,
        {
            "provider": ("Provider", str),
            "contact": ("Contact", str),
            "dispatch_time": ("DispatchTime", int),
        },
    ),
    "wx_verify_refill.xml": (WxVerifyRefillEvent, {}),
    "wx_verify_fail.xml": (WxVerifyFailEvent, {}),
}

#: The classes this module covers with a body from ``data/`` (test_parser's completeness).
DATA_FILE_CLASSES = frozenset(cls for cls, _ in CASES.values())


def read(name: str) -> tuple[str, ET.Element]:
    text = (DATA / name).read_text(encoding="utf-8")
    return text, ET.fromstring(text)


def value_of(root: ET.Element, path: str, conv: Conv) -> Any:
    """The value WeChat meant: ``None`` when the element is absent or empty."""
    element = root.find(path)
    text = None if element is None or element.text is None else element.text.strip()
    return conv(text) if text else None


def test_the_field_tables_name_only_real_attributes() -> None:
    for name, (cls, fields) in CASES.items():
        assert set(fields) <= set(cls.model_fields), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_body_parses_to_its_class_with_the_values_of_the_xml(name: str) -> None:
    cls, fields = CASES[name]
    text, root = read(name)
    message = parse_message(text.encode("utf-8"))
    assert type(message) is cls
    assert message.type == cls.dispatch_key()
    assert message.source == value_of(root, "FromUserName", str)
    assert message.target == value_of(root, "ToUserName", str)
    assert message.time == value_of(root, "CreateTime", int)
    assert message.raw == text
    for attribute, (path, conv) in fields.items():
        expected = value_of(root, path, conv)
        assert getattr(message, attribute) == expected, attribute
        if expected is not None:
            assert type(getattr(message, attribute)) is type(expected), attribute


@pytest.mark.parametrize("name", sorted(CASES))
def test_event_and_msg_type_values_match_case_insensitively(name: str) -> None:
    cls, _ = CASES[name]
    text, root = read(name)
    for tag in ("MsgType", "Event"):
        value = root.findtext(tag)
        if value:
            text = text.replace(f"[CDATA[{value}]]", f"[CDATA[{value.upper()}]]")
    message = parse_message(text)
    assert type(message) is cls
    assert message.type == cls.dispatch_key()


def test_dispatch_keys_and_decorator_names_follow_spec_4() -> None:
    assert GuideInviteResultEvent.dispatch_key() == "guide_invite_result_event"
    assert GuideInviteResultEvent.decorator_names() == (
        "guide_invite_result",
        "guide_invite_result_event",
    )
    assert WeappAuditFailEvent.decorator_names() == ("weapp_audit_fail", "weapp_audit_fail_event")
    assert PoiCheckNotifyEvent.decorator_names() == ("poi_check_notify", "poi_check_notify_event")
    assert DeviceSubscribeStatusMessage.decorator_names() == ("device_subscribe_status",)
    assert CloudInvoiceResultEvent.dispatch_key() == "cloud_invoice_invoiceresult_event"
    assert CloudInvoiceResultEvent.decorator_names() == (
        "cloud_invoice_invoiceresult",
        "cloud_invoice_invoiceresult_event",
    )
    assert GiftcardSendToFriendEvent.decorator_names() == (
        "giftcard_send_to_friend",
        "giftcard_send_to_friend_event",
    )
    assert WxVerifyPaySuccEvent.decorator_names() == (
        "wx_verify_pay_succ",
        "wx_verify_pay_succ_event",
    )
    assert DeviceUnsubscribeStatusMessage.decorator_names() == ("device_unsubscribe_status",)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_decorator_receives_its_push_through_robot_handle(name: str) -> None:
    cls, _ = CASES[name]
    text, _ = read(name)
    seen: list[WeChatMessage] = []

    def handler(message: WeChatMessage) -> str:
        seen.append(message)
        return "got " + message.type

    for decorator in cls.decorator_names():
        seen.clear()
        robot = WeRoBot(token="tok123", SESSION_STORAGE=False)
        assert getattr(robot, decorator)(handler) is handler
        response = WeTest(robot).post(text)
        assert response.status == 200, decorator
        assert [type(m) for m in seen] == [cls], decorator
        assert f"got {cls.dispatch_key()}".encode() in response.body, decorator


# -- nested structures and helpers -------------------------------------------------------


def test_media_check_version_2_result_and_details() -> None:
    text, root = read("wxa_media_check_v2.xml")
    message = parse_message(text)
    assert isinstance(message, WxaMediaCheckEvent)
    assert message.result is not None
    assert message.result.suggest == value_of(root, "result/suggest", str)
    assert message.result.label == value_of(root, "result/label", int)
    details = root.findall("detail")
    assert [d.strategy for d in message.detail] == [value_of(d, "strategy", str) for d in details]
    assert [d.error_code for d in message.detail] == [value_of(d, "errcode", int) for d in details]
    assert [d.suggest for d in message.detail] == [value_of(d, "suggest", str) for d in details]
    assert [d.label for d in message.detail] == [value_of(d, "label", int) for d in details]
    assert [d.prob for d in message.detail] == [value_of(d, "prob", float) for d in details]


def test_media_check_version_1_has_no_result_and_no_details() -> None:
    message = parse_message(read("wxa_media_check_v1.xml")[0])
    assert isinstance(message, WxaMediaCheckEvent)
    assert (message.result, message.detail, message.version) == (None, [], None)


def test_media_check_single_detail_is_a_one_item_list() -> None:
    text, _ = read("wxa_media_check_v2.xml")
    start = text.index("  <detail>")
    end = text.index("</detail>", start) + len("</detail>\n")
    text = text[:start] + text[end:]
    message = parse_message(text)
    assert isinstance(message, WxaMediaCheckEvent)
    assert [d.strategy for d in message.detail] == ["keyword"]


def test_weapp_audit_screenshots_split_on_the_bar() -> None:
    failed = parse_message(read("weapp_audit_fail.xml")[0])
    assert isinstance(failed, WeappAuditFailEvent)
    assert failed.screenshots == ["media-shot-1", "media-shot-2"]
    passed = parse_message(read("weapp_audit_success.xml")[0])
    assert isinstance(passed, WeappAuditSuccessEvent)
    assert passed.screenshots == []


def test_poi_check_notify_reads_a_lower_case_msg_too() -> None:
    text = read("poi_check_notify.xml")[0].replace("Msg>", "msg>")
    message = parse_message(text)
    assert isinstance(message, PoiCheckNotifyEvent)
    assert message.msg == "门店照片不清晰"


def test_device_event_form_of_the_status_subscription_stays_a_device_event() -> None:
    message = parse_message(read("device_event_subscribe_status.xml")[0])
    assert type(message) is DeviceEvent
    assert (message.event, message.op_type) == ("subscribe_status", 1)


@pytest.mark.parametrize(
    ("name", "tag", "value"),
    [
        ("wx_verify_refill.xml", "RefillReason", "主体资质材料不清晰"),
        ("wx_verify_fail.xml", "FailReason", "多次打回未修改"),
        ("wx_verify_pay_succ.xml", "PayTime", "1700002599"),
        ("giftcard_user_accept.xml", "CardCount", "2"),
    ],
)
def test_children_without_a_typed_field_are_kept_under_their_tag(
    name: str, tag: str, value: str
) -> None:
    """The certification pushes have no official table: what they carry stays readable."""
    text = read(name)[0].replace("</xml>", f"  <{tag}><![CDATA[{value}]]></{tag}>\n</xml>")
    message = parse_message(text)
    assert type(message) is CASES[name][0]
    assert message.model_extra is not None
    assert message.model_extra[tag] == value
    assert getattr(message, tag) == value


def test_gift_card_flags_stay_as_wechat_writes_them() -> None:
    sent = parse_message(read("giftcard_send_to_friend.xml")[0])
    assert isinstance(sent, GiftcardSendToFriendEvent)
    assert (sent.is_chat_room, sent.is_return_back) == ("true", "false")
    accepted = parse_message(read("giftcard_user_accept.xml")[0])
    assert isinstance(accepted, GiftcardUserAcceptEvent)
    assert (accepted.page_id, accepted.order_id) == (sent.page_id, sent.order_id)


def test_certification_fee_pushes_without_their_children_are_still_typed() -> None:
    xml = "<xml><MsgType>event</MsgType><Event>wx_verify_dispatch</Event></xml>"
    message = parse_message(xml)
    assert type(message) is WxVerifyDispatchEvent
    assert (message.provider, message.contact, message.dispatch_time) == (None, None, None)


# -- subscribe from a product page: still a SubscribeEvent (SPEC §4) ---------------------


def test_subscribe_from_a_scanned_bar_code_is_a_subscribe_event_with_scan_product() -> None:
    text, root = read("subscribe_scanbarcode.xml")
    message = parse_message(text)
    assert type(message) is SubscribeEvent
    assert message.type == "subscribe_event"
    scene, standard, code = (root.findtext("EventKey") or "").split("|")
    assert message.scan_product == ScanProductKey(scene, standard, code)
    assert message.scan_product == ("scanbarcode", "ean13", "6901234567892")
    assert message.scan_product is not None
    assert message.scan_product.key_str == "6901234567892"


def test_subscribe_from_a_scanned_image_reads_the_same_way() -> None:
    message = parse_message(read("subscribe_scanimage.xml")[0])
    assert isinstance(message, SubscribeEvent)
    assert message.scan_product == ScanProductKey("scanimage", "qrcode", "cover-image-7")


@pytest.mark.parametrize(
    "key",
    [None, "", "qrscene_123", "last_trade_no_4002", "scanbarcode|ean13", "scanother|a|b"],
)
def test_other_subscribes_have_no_scan_product(key: str | None) -> None:
    event_key = "" if key is None else f"<EventKey><![CDATA[{key}]]></EventKey>"
    xml = f"<xml><MsgType>event</MsgType><Event>subscribe</Event>{event_key}</xml>"
    message = parse_message(xml)
    assert isinstance(message, SubscribeEvent)
    assert message.scan_product is None


def test_robot_subscribe_receives_the_product_page_subscribe() -> None:
    robot = WeRoBot(token="tok123", SESSION_STORAGE=False)
    codes: list[str] = []

    @robot.subscribe
    def welcome(message: SubscribeEvent) -> str:
        product = message.scan_product
        codes.append(product.key_str if product else "-")
        return "welcome"

    for name in ("subscribe_scanbarcode.xml", "subscribe_scanimage.xml"):
        assert WeTest(robot).post(read(name)[0]).status == 200
    assert codes == ["6901234567892", "cover-image-7"]
