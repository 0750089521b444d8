"""Every sample push of /work/shared/vectors parses to its specific class, with its values.

The files are read in place (never copied). The expected class comes from the index's
MsgType/Event through the table below; the expected values are read from the XML with
``xml.etree``, independently of the SDK's parser.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from tests.vectors import VECTORS

from werobot_core.messages import (
    AnnualRenewEvent,
    CardNotPassCheckEvent,
    CardPassCheckEvent,
    CardPayOrderEvent,
    CardSkuRemindEvent,
    ClickEvent,
    DeviceEvent,
    DeviceTextMessage,
    ImageMessage,
    KfCloseSessionEvent,
    KfCreateSessionEvent,
    KfSwitchSessionEvent,
    LinkMessage,
    LocationEvent,
    LocationMessage,
    LocationSelectEvent,
    MerchantOrderEvent,
    NamingVerifyFailEvent,
    NamingVerifySuccessEvent,
    PicPhotoOrAlbumEvent,
    PicSysphotoEvent,
    PicWeixinEvent,
    QualificationVerifyFailEvent,
    QualificationVerifySuccessEvent,
    ScanCodePushEvent,
    ScanCodeWaitMsgEvent,
    ScanEvent,
    ShakearoundUserShakeEvent,
    ShortVideoMessage,
    SubmitInvoiceTitleEvent,
    SubmitMembercardUserInfoEvent,
    SubscribeEvent,
    TemplateSendJobFinishEvent,
    TextMessage,
    UnknownEvent,
    UnknownMessage,
    UnSubscribeEvent,
    UpdateInvoiceStatusEvent,
    UpdateMemberCardEvent,
    UserAuthorizeInvoiceEvent,
    UserConsumeCardEvent,
    UserDelCardEvent,
    UserEnterSessionFromCardEvent,
    UserGetCardEvent,
    UserGiftingCardEvent,
    UserPayFromPayCellEvent,
    UserScanProductAsyncEvent,
    UserScanProductEnterSessionEvent,
    UserScanProductEvent,
    UserScanProductVerifyActionEvent,
    UserViewCardEvent,
    VerifyExpiredEvent,
    VideoMessage,
    ViewEvent,
    VoiceMessage,
    WeChatMessage,
    WifiConnectedEvent,
)
from werobot_core.parser import parse_message

XML_ROOT = VECTORS / "xml"
FOLDERS = (
    "wechatpy/message",
    "wechatpy/event",
    "wechatpy/enterprise",
    "werobot/message",
    "werobot/event",
)

MSG_TYPES: dict[str, type[WeChatMessage]] = {
    "text": TextMessage,
    "image": ImageMessage,
    "voice": VoiceMessage,
    "video": VideoMessage,
    "shortvideo": ShortVideoMessage,
    "location": LocationMessage,
    "link": LinkMessage,
    "device_text": DeviceTextMessage,
    "device_event": DeviceEvent,
}
EVENTS: dict[str, type[WeChatMessage]] = {
    "subscribe": SubscribeEvent,
    "unsubscribe": UnSubscribeEvent,
    "scan": ScanEvent,
    "location": LocationEvent,
    "click": ClickEvent,
    "view": ViewEvent,
    "scancode_push": ScanCodePushEvent,
    "scancode_waitmsg": ScanCodeWaitMsgEvent,
    "pic_sysphoto": PicSysphotoEvent,
    "pic_photo_or_album": PicPhotoOrAlbumEvent,
    "pic_weixin": PicWeixinEvent,
    "location_select": LocationSelectEvent,
    "templatesendjobfinish": TemplateSendJobFinishEvent,
    "kf_create_session": KfCreateSessionEvent,
    "kf_close_session": KfCloseSessionEvent,
    "kf_switch_session": KfSwitchSessionEvent,
    "qualification_verify_success": QualificationVerifySuccessEvent,
    "qualification_verify_fail": QualificationVerifyFailEvent,
    "naming_verify_success": NamingVerifySuccessEvent,
    "naming_verify_fail": NamingVerifyFailEvent,
    "annual_renew": AnnualRenewEvent,
    "verify_expired": VerifyExpiredEvent,
    "user_scan_product": UserScanProductEvent,
    "user_scan_product_enter_session": UserScanProductEnterSessionEvent,
    "user_scan_product_async": UserScanProductAsyncEvent,
    "user_scan_product_verify_action": UserScanProductVerifyActionEvent,
    "card_pass_check": CardPassCheckEvent,
    "card_not_pass_check": CardNotPassCheckEvent,
    "user_get_card": UserGetCardEvent,
    "user_gifting_card": UserGiftingCardEvent,
    "user_del_card": UserDelCardEvent,
    "user_consume_card": UserConsumeCardEvent,
    "user_pay_from_pay_cell": UserPayFromPayCellEvent,
    "user_view_card": UserViewCardEvent,
    "user_enter_session_from_card": UserEnterSessionFromCardEvent,
    "update_member_card": UpdateMemberCardEvent,
    "card_sku_remind": CardSkuRemindEvent,
    "card_pay_order": CardPayOrderEvent,
    "submit_membercard_user_info": SubmitMembercardUserInfoEvent,
    "wificonnected": WifiConnectedEvent,
    "shakearoundusershake": ShakearoundUserShakeEvent,
    "submit_invoice_title": SubmitInvoiceTitleEvent,
    "update_invoice_status": UpdateInvoiceStatusEvent,
    "user_authorize_invoice": UserAuthorizeInvoiceEvent,
    "merchant_order": MerchantOrderEvent,
}

Conv = Callable[[str], Any]
CARD: dict[str, tuple[str, Conv]] = {
    "card_id": ("CardId", str),
    "user_card_code": ("UserCardCode", str),
}
PRODUCT: dict[str, tuple[str, Conv]] = {
    "key_standard": ("KeyStandard", str),
    "key_str": ("KeyStr", str),
    "ext_info": ("ExtInfo", str),
}
VERIFY: dict[str, tuple[str, Conv]] = {
    "expired_time": ("ExpiredTime", int),
    "fail_time": ("FailTime", int),
    "fail_reason": ("FailReason", str),
}
KF: dict[str, tuple[str, Conv]] = {
    "kf_account": ("KfAccount", str),
    "from_kf_account": ("FromKfAccount", str),
    "to_kf_account": ("ToKfAccount", str),
}
SCAN_CODE: dict[str, tuple[str, Conv]] = {
    "key": ("EventKey", str),
    "scan_type": ("ScanCodeInfo/ScanType", str),
    "scan_result": ("ScanCodeInfo/ScanResult", str),
}
PICS: dict[str, tuple[str, Conv]] = {"key": ("EventKey", str), "count": ("SendPicsInfo/Count", int)}
DEVICE: dict[str, tuple[str, Conv]] = {
    "device_type": ("DeviceType", str),
    "device_id": ("DeviceID", str),
    "session_id": ("SessionID", str),
    "open_id": ("OpenID", str),
    "content": ("Content", str),
}

#: attribute → (tag path, conversion), per class, written from SPEC §3/§4.
FIELDS: dict[type[WeChatMessage], dict[str, tuple[str, Conv]]] = {
    TextMessage: {"content": ("Content", str)},
    ImageMessage: {"img": ("PicUrl", str), "media_id": ("MediaId", str)},
    VoiceMessage: {
        "media_id": ("MediaId", str),
        "format": ("Format", str),
        "recognition": ("Recognition", str),
    },
    VideoMessage: {"media_id": ("MediaId", str), "thumb_media_id": ("ThumbMediaId", str)},
    ShortVideoMessage: {"media_id": ("MediaId", str), "thumb_media_id": ("ThumbMediaId", str)},
    LocationMessage: {
        "location_x": ("Location_X", float),
        "location_y": ("Location_Y", float),
        "scale": ("Scale", int),
        "label": ("Label", str),
    },
    LinkMessage: {
        "title": ("Title", str),
        "description": ("Description", str),
        "url": ("Url", str),
    },
    DeviceTextMessage: DEVICE,
    DeviceEvent: {**DEVICE, "event": ("Event", str)},
    SubscribeEvent: {"key": ("EventKey", str), "ticket": ("Ticket", str)},
    ScanEvent: {"key": ("EventKey", str), "ticket": ("Ticket", str)},
    LocationEvent: {
        "latitude": ("Latitude", float),
        "longitude": ("Longitude", float),
        "precision": ("Precision", float),
    },
    ClickEvent: {"key": ("EventKey", str)},
    ViewEvent: {"key": ("EventKey", str), "menu_id": ("MenuId", str)},
    ScanCodePushEvent: SCAN_CODE,
    ScanCodeWaitMsgEvent: SCAN_CODE,
    PicSysphotoEvent: PICS,
    PicPhotoOrAlbumEvent: PICS,
    PicWeixinEvent: PICS,
    LocationSelectEvent: {
        "key": ("EventKey", str),
        "location_x": ("SendLocationInfo/Location_X", float),
        "location_y": ("SendLocationInfo/Location_Y", float),
        "scale": ("SendLocationInfo/Scale", int),
        "label": ("SendLocationInfo/Label", str),
        "poi_name": ("SendLocationInfo/Poiname", str),
    },
    TemplateSendJobFinishEvent: {"status": ("Status", str)},
    KfCreateSessionEvent: KF,
    KfCloseSessionEvent: KF,
    KfSwitchSessionEvent: KF,
    QualificationVerifySuccessEvent: VERIFY,
    QualificationVerifyFailEvent: VERIFY,
    NamingVerifySuccessEvent: VERIFY,
    NamingVerifyFailEvent: VERIFY,
    AnnualRenewEvent: VERIFY,
    VerifyExpiredEvent: VERIFY,
    UserScanProductEvent: {
        **PRODUCT,
        "country": ("Country", str),
        "province": ("Province", str),
        "city": ("City", str),
        "sex": ("Sex", int),
        "scene": ("Scene", int),
    },
    UserScanProductEnterSessionEvent: PRODUCT,
    UserScanProductAsyncEvent: {**PRODUCT, "region_code": ("RegionCode", str)},
    UserScanProductVerifyActionEvent: {
        **PRODUCT,
        "result": ("Result", str),
        "reason_msg": ("ReasonMsg", str),
    },
    CardPassCheckEvent: {**CARD, "refuse_reason": ("RefuseReason", str)},
    CardNotPassCheckEvent: {**CARD, "refuse_reason": ("RefuseReason", str)},
    UserGetCardEvent: {
        **CARD,
        "is_give_by_friend": ("IsGiveByFriend", int),
        "friend_user_name": ("FriendUserName", str),
        "outer_id": ("OuterId", int),
        "old_user_card_code": ("OldUserCardCode", str),
        "outer_str": ("OuterStr", str),
        "is_restore_member_card": ("IsRestoreMemberCard", int),
        "is_recommend_by_friend": ("IsRecommendByFriend", int),
    },
    UserGiftingCardEvent: {
        **CARD,
        "friend_user_name": ("FriendUserName", str),
        "is_return_back": ("IsReturnBack", int),
        "is_chat_room": ("IsChatRoom", int),
    },
    UserDelCardEvent: CARD,
    UserConsumeCardEvent: {
        **CARD,
        "consume_source": ("ConsumeSource", str),
        "location_name": ("LocationName", str),
        "staff_open_id": ("StaffOpenId", str),
        "verify_code": ("VerifyCode", str),
        "remark_amount": ("RemarkAmount", str),
        "outer_str": ("OuterStr", str),
    },
    UserPayFromPayCellEvent: {
        **CARD,
        "trans_id": ("TransId", str),
        "location_id": ("LocationId", int),
        "fee": ("Fee", str),
        "original_fee": ("OriginalFee", str),
    },
    UserViewCardEvent: {**CARD, "outer_str": ("OuterStr", str)},
    UserEnterSessionFromCardEvent: CARD,
    UpdateMemberCardEvent: {
        **CARD,
        "modify_bonus": ("ModifyBonus", int),
        "modify_balance": ("ModifyBalance", int),
    },
    CardSkuRemindEvent: {**CARD, "detail": ("Detail", str)},
    CardPayOrderEvent: {
        "order_id": ("OrderId", str),
        "status": ("Status", str),
        "create_order_time": ("CreateOrderTime", int),
        "pay_finish_time": ("PayFinishTime", int),
        "desc": ("Desc", str),
        "free_coin_count": ("FreeCoinCount", str),
        "pay_coin_count": ("PayCoinCount", str),
        "refund_free_coin_count": ("RefundFreeCoinCount", str),
        "refund_pay_coin_count": ("RefundPayCoinCount", str),
        "order_type": ("OrderType", str),
        "memo": ("Memo", str),
        "receipt_info": ("ReceiptInfo", str),
    },
    SubmitMembercardUserInfoEvent: CARD,
    WifiConnectedEvent: {
        "connect_time": ("ConnectTime", int),
        "expire_time": ("ExpireTime", int),
        "vendor_id": ("VendorId", str),
        "shop_id": ("PlaceId", str),
        "device_no": ("DeviceNo", str),
    },
    SubmitInvoiceTitleEvent: {
        tag: (tag, str)
        for tag in (
            "title",
            "tax_no",
            "addr",
            "phone",
            "bank_type",
            "bank_no",
            "attach",
            "title_type",
        )
    },
    UpdateInvoiceStatusEvent: {
        "status": ("Status", str),
        "card_id": ("CardId", str),
        "code": ("Code", str),
    },
    UserAuthorizeInvoiceEvent: {
        "succ_order_id": ("SuccOrderId", str),
        "fail_order_id": ("FailOrderId", str),
        "app_id": ("AppId", str),
        "auth_source": ("Source", str),
    },
    MerchantOrderEvent: {
        "order_id": ("OrderId", str),
        "order_status": ("OrderStatus", int),
        "product_id": ("ProductId", str),
        "sku_info": ("SkuInfo", str),
    },
}


def _entries() -> list[Any]:
    if not XML_ROOT.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="/work/shared/vectors is absent"))]
    params = []
    for library in ("wechatpy", "werobot"):
        index = json.loads((XML_ROOT / library / "index.json").read_text(encoding="utf-8"))
        for entry in index["files"]:
            if not entry["file"].startswith(FOLDERS):
                continue
            params.append(pytest.param(entry, id=entry["file"]))
    return params


ENTRIES = _entries()


def expected_class(msg_type: str, event: str) -> type[WeChatMessage]:
    if msg_type.lower() == "event":
        return EVENTS.get(event.lower(), UnknownEvent)
    return MSG_TYPES.get(msg_type.lower(), UnknownMessage)


def value_of(root: ET.Element, path: str, conv: Conv) -> Any:
    """The value WeChat meant: text without surrounding blanks, ``None`` when empty."""
    element = root.find(path)
    text = None if element is None or element.text is None else element.text.strip()
    return conv(text) if text else None


def test_every_vector_file_is_indexed() -> None:
    if not XML_ROOT.is_dir():
        pytest.skip("/work/shared/vectors is absent")
    indexed = {p.id for p in ENTRIES}
    on_disk = {
        str(path.relative_to(XML_ROOT))
        for folder in FOLDERS
        for path in (XML_ROOT / folder).glob("*.xml")
    }
    assert on_disk == indexed
    assert len(indexed) > 100


def test_the_field_table_names_only_real_attributes() -> None:
    for cls, fields in FIELDS.items():
        unknown = set(fields) - set(cls.model_fields)
        assert unknown == set(), cls.__name__


@pytest.mark.parametrize("entry", ENTRIES)
def test_vector_parses_to_its_class(entry: dict[str, Any]) -> None:
    text = (XML_ROOT / entry["file"]).read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert (root.findtext("MsgType") or "").strip() == entry["MsgType"]
    assert (root.findtext("Event") or "").strip() == entry["Event"]
    message = parse_message(text.encode("utf-8"))
    assert type(message) is expected_class(entry["MsgType"], entry["Event"])
    if isinstance(message, UnknownMessage):
        assert message.type == entry["MsgType"].lower()


@pytest.mark.parametrize("entry", ENTRIES)
def test_vector_values(entry: dict[str, Any]) -> None:
    # Some WeRoBot samples write blanks around CDATA (``<CardId> <![CDATA[x]]> </CardId>``):
    # that is formatting, so the expected value is the stripped text.
    text = (XML_ROOT / entry["file"]).read_text(encoding="utf-8")
    root = ET.fromstring(text)
    message = parse_message(text)
    cls = type(message)
    assert message.source == value_of(root, "FromUserName", str)
    assert message.target == value_of(root, "ToUserName", str)
    assert message.time == value_of(root, "CreateTime", int)
    msg_id = value_of(root, "MsgId", int) or value_of(root, "MsgID", int) or 0
    assert message.message_id == msg_id
    for name, (path, conv) in FIELDS.get(cls, {}).items():
        assert getattr(message, name) == value_of(root, path, conv), name
    if isinstance(message, (PicSysphotoEvent, PicPhotoOrAlbumEvent, PicWeixinEvent)):
        md5s = [e.text for e in root.findall("SendPicsInfo/PicList/item/PicMd5Sum")]
        assert message.pic_list == [{"pic_md5_sum": m} for m in md5s]
    if isinstance(message, ShakearoundUserShakeEvent):
        _check_beacons(message, root)
    if isinstance(message, (UnknownMessage, UnknownEvent)):
        _check_unknown_keeps_fields(message, root)


def _check_beacons(message: ShakearoundUserShakeEvent, root: ET.Element) -> None:
    assert message.chosen_beacon is not None
    assert message.chosen_beacon.uuid == value_of(root, "ChosenBeacon/Uuid", str)
    assert message.chosen_beacon.major == value_of(root, "ChosenBeacon/Major", str)
    assert message.chosen_beacon.minor == value_of(root, "ChosenBeacon/Minor", str)
    assert message.chosen_beacon.distance == value_of(root, "ChosenBeacon/Distance", float)
    around = root.findall("AroundBeacons/AroundBeacon")
    assert [b.distance for b in message.around_beacons] == [
        value_of(b, "Distance", float) for b in around
    ]
    assert [b.uuid for b in message.around_beacons] == [value_of(b, "Uuid", str) for b in around]


def _check_unknown_keeps_fields(message: WeChatMessage, root: ET.Element) -> None:
    extras = message.model_extra or {}
    common = {"ToUserName", "FromUserName", "CreateTime", "MsgId", "MsgID", "Event"}
    for child in root:
        if child.tag in common or len(child):
            continue
        assert extras[child.tag] == value_of(root, child.tag, str), child.tag
