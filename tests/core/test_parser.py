"""Parsing pushes written by hand from SPEC §3/§4: attribute ← tag for every class."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from tests.core.test_pushes_beyond_werobot import DATA_FILE_CLASSES as BEYOND_WEROBOT_CLASSES

from werobot_core.crypto import MessageCrypt
from werobot_core.exceptions import BadRequest, ConfigError, InvalidSignature
from werobot_core.messages import (
    MESSAGE_TYPES,
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
    MassSendJobFinishEvent,
    MerchantOrderEvent,
    MiniProgramPageMessage,
    NamingVerifyFailEvent,
    NamingVerifySuccessEvent,
    PicPhotoOrAlbumEvent,
    PicSysphotoEvent,
    PicWeixinEvent,
    PublishJobFinishEvent,
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
    SubscribeMsgChangeEvent,
    SubscribeMsgPopupEvent,
    SubscribeMsgSentEvent,
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
    ViewMiniProgramEvent,
    VoiceMessage,
    WeChatMessage,
    WifiConnectedEvent,
)
from werobot_core.parser import message_from_dict, open_envelope, parse_message, parse_user_msg
from werobot_core.xmlcodec import XmlValue

DATA = Path(__file__).parent / "data"


def push(msg_type: str, body: str, event: str | None = None) -> str:
    """A push as WeChat writes it: the common head, then ``body``."""
    head = (
        "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>"
        "<FromUserName><![CDATA[o_user]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
    )
    if event is not None:
        head += f"<Event><![CDATA[{event}]]></Event>"
    return head + body + "</xml>"


def cdata(**tags: str) -> str:
    return "".join(f"<{tag}><![CDATA[{value}]]></{tag}>" for tag, value in tags.items())


def bare(**tags: str) -> str:
    return "".join(f"<{tag}>{value}</{tag}>" for tag, value in tags.items())


# (class, MsgType, Event, body, expected attributes)
Case = tuple[type[WeChatMessage], str, "str | None", str, dict[str, Any]]

PICS = (
    "<SendPicsInfo><Count>1</Count><PicList><item>"
    "<PicMd5Sum><![CDATA[md5one]]></PicMd5Sum></item></PicList></SendPicsInfo>"
)
SCAN_INFO = (
    "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
    "<ScanResult><![CDATA[result-1]]></ScanResult></ScanCodeInfo>"
)
SCAN_EXPECTED = {"key": "scan-key", "scan_type": "qrcode", "scan_result": "result-1"}
CARD = cdata(CardId="card-1", UserCardCode="code-1")
CARD_EXPECTED = {"card_id": "card-1", "user_card_code": "code-1"}
PRODUCT = cdata(KeyStandard="ean13", KeyStr="6901234567892", ExtInfo="ext")
PRODUCT_EXPECTED = {"key_standard": "ean13", "key_str": "6901234567892", "ext_info": "ext"}

CASES: list[Case] = [
    (
        TextMessage,
        "text",
        None,
        cdata(Content="你好 world") + bare(MsgId="1234567890123456", bizmsgmenuid="101"),
        {"content": "你好 world", "bizmsgmenuid": "101", "message_id": 1234567890123456},
    ),
    (
        ImageMessage,
        "image",
        None,
        cdata(PicUrl="https://img.example/p.jpg", MediaId="img-media") + bare(MsgId="2"),
        {"img": "https://img.example/p.jpg", "media_id": "img-media", "message_id": 2},
    ),
    (
        VoiceMessage,
        "voice",
        None,
        cdata(MediaId="v1", Format="amr", Recognition="腾讯", MediaId16K="v16"),
        {"media_id": "v1", "format": "amr", "recognition": "腾讯", "media_id_16k": "v16"},
    ),
    (
        VideoMessage,
        "video",
        None,
        cdata(MediaId="vid", ThumbMediaId="thumb"),
        {"media_id": "vid", "thumb_media_id": "thumb"},
    ),
    (
        ShortVideoMessage,
        "shortvideo",
        None,
        cdata(MediaId="svid", ThumbMediaId="sthumb"),
        {"media_id": "svid", "thumb_media_id": "sthumb", "type": "shortvideo"},
    ),
    (
        LocationMessage,
        "location",
        None,
        bare(Location_X="23.134521", Location_Y="113.358803", Scale="20") + cdata(Label="广州"),
        {"location_x": 23.134521, "location_y": 113.358803, "scale": 20, "label": "广州"},
    ),
    (
        LinkMessage,
        "link",
        None,
        cdata(Title="A title", Description="A description", Url="https://a.example/"),
        {"title": "A title", "description": "A description", "url": "https://a.example/"},
    ),
    (
        MiniProgramPageMessage,
        "miniprogrampage",
        None,
        cdata(
            AppId="wxapp",
            Title="Card",
            PagePath="pages/x",
            ThumbUrl="https://t/",
            ThumbMediaId="tm",
        ),
        {
            "app_id": "wxapp",
            "title": "Card",
            "page_path": "pages/x",
            "thumb_url": "https://t/",
            "thumb_media_id": "tm",
        },
    ),
    (
        DeviceTextMessage,
        "device_text",
        None,
        cdata(DeviceType="gh_dev", DeviceID="dev1", SessionID="9", OpenID="o_dev", Content="QUJD"),
        {"device_type": "gh_dev", "device_id": "dev1", "session_id": "9", "content": "QUJD"},
    ),
    (
        SubscribeEvent,
        "event",
        "subscribe",
        cdata(EventKey="qrscene_123", Ticket="TICKET"),
        {"key": "qrscene_123", "ticket": "TICKET", "event": "subscribe"},
    ),
    (UnSubscribeEvent, "event", "unsubscribe", "", {"type": "unsubscribe_event"}),
    (
        ScanEvent,
        "event",
        "SCAN",
        cdata(EventKey="123", Ticket="T2"),
        {"key": "123", "ticket": "T2", "event": "SCAN"},
    ),
    (
        LocationEvent,
        "event",
        "LOCATION",
        bare(Latitude="23.137466", Longitude="113.352425", Precision="119.385040"),
        {"latitude": 23.137466, "longitude": 113.352425, "precision": 119.38504},
    ),
    (
        ClickEvent,
        "event",
        "CLICK",
        cdata(EventKey="V1001_TODAY_MUSIC"),
        {"key": "V1001_TODAY_MUSIC"},
    ),
    (
        ViewEvent,
        "event",
        "VIEW",
        cdata(EventKey="https://www.example.com/") + bare(MenuId="208"),
        {"key": "https://www.example.com/", "menu_id": "208"},
    ),
    (
        ViewMiniProgramEvent,
        "event",
        "view_miniprogram",
        cdata(EventKey="pages/index/index") + bare(MenuId="MENUID"),
        {"key": "pages/index/index", "menu_id": "MENUID"},
    ),
    (
        ScanCodePushEvent,
        "event",
        "scancode_push",
        cdata(EventKey="scan-key") + SCAN_INFO,
        SCAN_EXPECTED,
    ),
    (
        ScanCodeWaitMsgEvent,
        "event",
        "scancode_waitmsg",
        cdata(EventKey="scan-key") + SCAN_INFO,
        SCAN_EXPECTED,
    ),
    (
        PicSysphotoEvent,
        "event",
        "pic_sysphoto",
        cdata(EventKey="6") + PICS,
        {"key": "6", "count": 1, "pic_list": [{"pic_md5_sum": "md5one"}]},
    ),
    (
        PicPhotoOrAlbumEvent,
        "event",
        "pic_photo_or_album",
        cdata(EventKey="7") + PICS,
        {"key": "7", "count": 1, "pic_list": [{"pic_md5_sum": "md5one"}]},
    ),
    (
        PicWeixinEvent,
        "event",
        "pic_weixin",
        cdata(EventKey="8") + PICS,
        {"key": "8", "count": 1, "pic_list": [{"pic_md5_sum": "md5one"}]},
    ),
    (
        LocationSelectEvent,
        "event",
        "location_select",
        cdata(EventKey="loc")
        + "<SendLocationInfo>"
        + bare(Location_X="23", Location_Y="113.5", Scale="15")
        + cdata(Label="广州市海珠区", Poiname="")
        + "</SendLocationInfo>",
        {
            "key": "loc",
            "location_x": 23.0,
            "location_y": 113.5,
            "scale": 15,
            "label": "广州市海珠区",
            "poi_name": None,
        },
    ),
    (
        TemplateSendJobFinishEvent,
        "event",
        "TEMPLATESENDJOBFINISH",
        bare(MsgID="200163836") + cdata(Status="failed:user block"),
        {"status": "failed:user block", "message_id": 200163836},
    ),
    (
        KfCreateSessionEvent,
        "event",
        "kf_create_session",
        cdata(KfAccount="kf1@gh"),
        {"kf_account": "kf1@gh"},
    ),
    (
        KfCloseSessionEvent,
        "event",
        "kf_close_session",
        cdata(KfAccount="kf2@gh"),
        {"kf_account": "kf2@gh"},
    ),
    (
        KfSwitchSessionEvent,
        "event",
        "kf_switch_session",
        cdata(FromKfAccount="kf1@gh", ToKfAccount="kf2@gh"),
        {"from_kf_account": "kf1@gh", "to_kf_account": "kf2@gh", "kf_account": None},
    ),
    (
        QualificationVerifySuccessEvent,
        "event",
        "qualification_verify_success",
        bare(ExpiredTime="1442401156"),
        {"expired_time": 1442401156},
    ),
    (
        QualificationVerifyFailEvent,
        "event",
        "qualification_verify_fail",
        bare(FailTime="1442401122") + cdata(FailReason="by time"),
        {"fail_time": 1442401122, "fail_reason": "by time"},
    ),
    (
        NamingVerifySuccessEvent,
        "event",
        "naming_verify_success",
        bare(ExpiredTime="1442401093"),
        {"expired_time": 1442401093},
    ),
    (
        NamingVerifyFailEvent,
        "event",
        "naming_verify_fail",
        bare(FailTime="1442401061") + cdata(FailReason="name"),
        {"fail_time": 1442401061, "fail_reason": "name"},
    ),
    (
        AnnualRenewEvent,
        "event",
        "annual_renew",
        bare(ExpiredTime="1442401004"),
        {"expired_time": 1442401004},
    ),
    (
        VerifyExpiredEvent,
        "event",
        "verify_expired",
        bare(ExpiredTime="1442400900"),
        {"expired_time": 1442400900},
    ),
    (
        UserScanProductEvent,
        "event",
        "user_scan_product",
        PRODUCT + cdata(Country="中国", Province="广东", City="广州") + bare(Sex="1", Scene="2"),
        {
            **PRODUCT_EXPECTED,
            "country": "中国",
            "province": "广东",
            "city": "广州",
            "sex": 1,
            "scene": 2,
        },
    ),
    (
        UserScanProductEnterSessionEvent,
        "event",
        "user_scan_product_enter_session",
        PRODUCT,
        PRODUCT_EXPECTED,
    ),
    (
        UserScanProductAsyncEvent,
        "event",
        "user_scan_product_async",
        PRODUCT + cdata(RegionCode="440105"),
        {**PRODUCT_EXPECTED, "region_code": "440105"},
    ),
    (
        UserScanProductVerifyActionEvent,
        "event",
        "user_scan_product_verify_action",
        PRODUCT + cdata(Result="verify_ok", ReasonMsg=""),
        {**PRODUCT_EXPECTED, "result": "verify_ok", "reason_msg": None},
    ),
    (
        CardPassCheckEvent,
        "event",
        "card_pass_check",
        cdata(CardId="card-ok", RefuseReason=""),
        {"card_id": "card-ok", "refuse_reason": None},
    ),
    (
        CardNotPassCheckEvent,
        "event",
        "card_not_pass_check",
        cdata(CardId="card-no", RefuseReason="bad logo"),
        {"card_id": "card-no", "refuse_reason": "bad logo"},
    ),
    (
        UserGetCardEvent,
        "event",
        "user_get_card",
        CARD
        + bare(IsGiveByFriend="1", OuterId="12", IsRestoreMemberCard="0", IsRecommendByFriend="1")
        + cdata(FriendUserName="o_friend", OldUserCardCode="old-1", OuterStr="channel"),
        {
            **CARD_EXPECTED,
            "is_give_by_friend": 1,
            "friend_user_name": "o_friend",
            "outer_id": 12,
            "old_user_card_code": "old-1",
            "outer_str": "channel",
            "is_restore_member_card": 0,
            "is_recommend_by_friend": 1,
        },
    ),
    (
        UserGiftingCardEvent,
        "event",
        "user_gifting_card",
        CARD + cdata(FriendUserName="o_friend") + bare(IsReturnBack="0", IsChatRoom="1"),
        {**CARD_EXPECTED, "friend_user_name": "o_friend", "is_return_back": 0, "is_chat_room": 1},
    ),
    (UserDelCardEvent, "event", "user_del_card", CARD, CARD_EXPECTED),
    (
        UserConsumeCardEvent,
        "event",
        "user_consume_card",
        CARD
        + cdata(
            ConsumeSource="FROM_API",
            LocationName="Shop",
            StaffOpenId="o_staff",
            VerifyCode="vc",
            RemarkAmount="12",
            OuterStr="os",
        ),
        {
            **CARD_EXPECTED,
            "consume_source": "FROM_API",
            "location_name": "Shop",
            "staff_open_id": "o_staff",
            "verify_code": "vc",
            "remark_amount": "12",
            "outer_str": "os",
        },
    ),
    (
        UserPayFromPayCellEvent,
        "event",
        "user_pay_from_pay_cell",
        CARD + cdata(TransId="tx1", Fee="100", OriginalFee="150") + bare(LocationId="9"),
        {**CARD_EXPECTED, "trans_id": "tx1", "location_id": 9, "fee": "100", "original_fee": "150"},
    ),
    (
        UserViewCardEvent,
        "event",
        "user_view_card",
        CARD + cdata(OuterStr="menu"),
        {**CARD_EXPECTED, "outer_str": "menu"},
    ),
    (UserEnterSessionFromCardEvent, "event", "user_enter_session_from_card", CARD, CARD_EXPECTED),
    (
        UpdateMemberCardEvent,
        "event",
        "update_member_card",
        CARD + bare(ModifyBonus="3", ModifyBalance="-2"),
        {**CARD_EXPECTED, "modify_bonus": 3, "modify_balance": -2},
    ),
    (
        CardSkuRemindEvent,
        "event",
        "card_sku_remind",
        cdata(CardId="card-s", Detail="only 100 left"),
        {"card_id": "card-s", "detail": "only 100 left"},
    ),
    (
        CardPayOrderEvent,
        "event",
        "card_pay_order",
        cdata(OrderId="ord", Status="ORDER_STATUS_FINANCE_SUCC", Desc="desc")
        + bare(CreateOrderTime="1453801800", PayFinishTime="1453801900")
        + cdata(FreeCoinCount="200", PayCoinCount="300", RefundFreeCoinCount="0")
        + cdata(RefundPayCoinCount="0", OrderType="ORDER_TYPE_SYS_ADD", Memo="m")
        + cdata(ReceiptInfo="r"),
        {
            "order_id": "ord",
            "status": "ORDER_STATUS_FINANCE_SUCC",
            "create_order_time": 1453801800,
            "pay_finish_time": 1453801900,
            "desc": "desc",
            "free_coin_count": "200",
            "pay_coin_count": "300",
            "refund_free_coin_count": "0",
            "refund_pay_coin_count": "0",
            "order_type": "ORDER_TYPE_SYS_ADD",
            "memo": "m",
            "receipt_info": "r",
        },
    ),
    (SubmitMembercardUserInfoEvent, "event", "submit_membercard_user_info", CARD, CARD_EXPECTED),
    (
        WifiConnectedEvent,
        "event",
        "WifiConnected",
        bare(ConnectTime="1700000001", ExpireTime="0")
        + cdata(VendorId="300", PlaceId="1234", DeviceNo="00:1f:7a:ad:5c:a8"),
        {
            "connect_time": 1700000001,
            "expire_time": 0,
            "vendor_id": "300",
            "shop_id": "1234",
            "device_no": "00:1f:7a:ad:5c:a8",
        },
    ),
    (
        SubmitInvoiceTitleEvent,
        "event",
        "submit_invoice_title",
        cdata(title="ACME Ltd", tax_no="91440000", addr="Road 1", phone="020-1")
        + cdata(
            bank_type="Bank", bank_no="6222", attach="a", title_type="InvoiceUserTitleBusinessType"
        ),
        {
            "title": "ACME Ltd",
            "tax_no": "91440000",
            "addr": "Road 1",
            "phone": "020-1",
            "bank_type": "Bank",
            "bank_no": "6222",
            "attach": "a",
            "title_type": "InvoiceUserTitleBusinessType",
        },
    ),
    (
        UpdateInvoiceStatusEvent,
        "event",
        "update_invoice_status",
        cdata(Status="INVOICE_REIMBURSE_INIT", CardId="inv-card", Code="inv-code"),
        {"status": "INVOICE_REIMBURSE_INIT", "card_id": "inv-card", "code": "inv-code"},
    ),
    (
        UserAuthorizeInvoiceEvent,
        "event",
        "user_authorize_invoice",
        cdata(SuccOrderId="s1", FailOrderId="", AppId="wxinv", Source="web"),
        {
            "succ_order_id": "s1",
            "fail_order_id": None,
            "app_id": "wxinv",
            "auth_source": "web",
            "source": "o_user",
        },
    ),
    (
        MerchantOrderEvent,
        "event",
        "merchant_order",
        cdata(OrderId="7197417460812585720", ProductId="pid", SkuInfo="10001:1000012")
        + bare(OrderStatus="2"),
        {
            "order_id": "7197417460812585720",
            "order_status": 2,
            "product_id": "pid",
            "sku_info": "10001:1000012",
        },
    ),
    (
        DeviceEvent,
        "device_event",
        "bind",
        cdata(DeviceType="gh_dev", DeviceID="dev1", SessionID="3", OpenID="o_dev", Content="eHg="),
        {"event": "bind", "device_id": "dev1", "open_id": "o_dev", "content": "eHg="},
    ),
]

#: Classes whose nested structures are tested below with the samples in ``data/``.
DATA_FILE_CLASSES = {
    MassSendJobFinishEvent,
    PublishJobFinishEvent,
    SubscribeMsgPopupEvent,
    SubscribeMsgChangeEvent,
    SubscribeMsgSentEvent,
    ShakearoundUserShakeEvent,
    UnknownMessage,
    UnknownEvent,
}


def test_every_class_has_a_hand_written_case() -> None:
    covered = {case[0] for case in CASES} | DATA_FILE_CLASSES | BEYOND_WEROBOT_CLASSES
    assert sorted(c.__name__ for c in set(MESSAGE_TYPES) - covered) == []


@pytest.mark.parametrize("case", CASES, ids=[c[0].__name__ for c in CASES])
def test_attribute_from_tag(case: Case) -> None:
    cls, msg_type, event, body, expected = case
    xml = push(msg_type, body, event)
    message = parse_message(xml)
    assert type(message) is cls
    assert message.source == "o_user"
    assert message.target == "gh_account"
    assert message.time == 1700000000
    assert message.raw == xml
    for name, value in expected.items():
        assert getattr(message, name) == value, name
        assert type(getattr(message, name)) is type(value), name


@pytest.mark.parametrize("case", CASES, ids=[c[0].__name__ for c in CASES])
def test_absent_optional_fields_are_none(case: Case) -> None:
    cls, msg_type, event, _, expected = case
    message = parse_message(push(msg_type, "", event))
    assert type(message) is cls
    for name in expected:
        if name in ("content", "message_id", "count", "pic_list", "type", "event", "source"):
            continue
        assert getattr(message, name) is None, name


# -- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xml", "tag"),
    [
        (push("text", bare(MsgId="12a")), "MsgId"),
        ("<xml><MsgType>text</MsgType><CreateTime>yesterday</CreateTime></xml>", "CreateTime"),
        (push("location", bare(Location_X="north")), "Location_X"),
        (push("location", bare(Scale="1.5")), "Scale"),
        (push("event", bare(Latitude="x"), "LOCATION"), "Latitude"),
        (
            push(
                "event",
                "<SendLocationInfo><Scale>big</Scale></SendLocationInfo>",
                "location_select",
            ),
            "Scale",
        ),
        (push("event", "<SendPicsInfo><Count>two</Count></SendPicsInfo>", "pic_weixin"), "Count"),
        (push("event", bare(TotalCount="many"), "MASSSENDJOBFINISH"), "TotalCount"),
        (push("event", bare(Sex="m"), "user_scan_product"), "Sex"),
    ],
)
def test_a_number_field_that_is_not_a_number_is_a_400(xml: str, tag: str) -> None:
    with pytest.raises(BadRequest) as info:
        parse_message(xml)
    assert info.value.status == 400
    assert info.value.reason == f"field <{tag}>: not a number"


def test_a_nested_field_of_the_wrong_shape_is_a_400_naming_it() -> None:
    xml = push("event", cdata(ChosenBeacon="flat text"), "ShakearoundUserShake")
    with pytest.raises(BadRequest) as info:
        parse_message(xml)
    assert info.value.status == 400
    assert info.value.reason.startswith("field <ChosenBeacon>: ")


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("<xml><Content>x</Content></xml>", "no MsgType"),
        ("<xml><MsgType></MsgType></xml>", "no MsgType"),
        ("<xml><MsgType>   </MsgType></xml>", "no MsgType"),
        ("<xml><MsgType><A>text</A></MsgType></xml>", "no MsgType"),
        ("<xml><MsgType>event</MsgType></xml>", "event without Event"),
        ("<xml><MsgType>event</MsgType><Event><![CDATA[]]></Event></xml>", "event without Event"),
    ],
)
def test_missing_type_is_a_400(xml: str, reason: str) -> None:
    with pytest.raises(BadRequest) as info:
        parse_message(xml)
    assert info.value.reason == reason


def test_message_from_dict_accepts_parsed_fields() -> None:
    message = message_from_dict({"MsgType": "text", "Content": "hi"}, raw="<xml/>")
    assert isinstance(message, TextMessage)
    assert (message.content, message.raw) == ("hi", "<xml/>")


@pytest.mark.parametrize("first", [True, False], ids=["canonical-first", "variants-first"])
def test_type_spellings_parse_alike_and_only_canonical_ones_are_remembered(first: bool) -> None:
    from werobot_core import parser

    spellings = [("text", None), ("event", "subscribe")]
    variants = [(" Text ", None), ("TEXT", None), ("Event", "subscribe"), ("event", " SUBSCRIBE")]
    variants += [("text" + " " * n, None) for n in range(1, 40)]
    variants += [("event", "Subscribe" + "\t" * n) for n in range(1, 40)]
    variants += [(f"x-custom-{n}", None) for n in range(40)]  # unknown: UnknownMessage
    variants += [("event", f"x-custom-{n}") for n in range(40)]  # unknown: UnknownEvent
    order = spellings + variants if first else variants + spellings
    for msg_type, event in order + order:
        data: dict[str, XmlValue] = {"MsgType": msg_type, "Content": "hi", "CreateTime": "7"}
        if event is not None:
            data["Event"] = event
        message = message_from_dict(data)
        if msg_type.startswith("x-custom"):
            assert isinstance(message, UnknownMessage)
            assert message.type == msg_type
        elif event is None:
            assert isinstance(message, TextMessage)
            assert (message.type, message.content, message.time) == ("text", "hi", 7)
        elif event.startswith("x-custom"):
            assert isinstance(message, UnknownEvent)
            assert message.type == event + "_event"
        else:
            assert isinstance(message, SubscribeEvent)
            assert (message.type, message.event, message.time) == ("subscribe_event", event, 7)
    assert set(parser._SEEN_TYPES) <= set(parser._BY_MSG_TYPE)  # one per known class
    assert "text" in parser._SEEN_TYPES
    assert set(parser._SEEN_EVENTS) <= set(parser._BY_EVENT)
    assert "subscribe" in parser._SEEN_EVENTS


def test_message_from_dict_leaves_the_callers_mapping_as_it_was() -> None:
    data: dict[str, XmlValue] = {"MsgType": "text", "Content": "hi", "type": "x", "raw": "y"}
    before = dict(data)
    message = message_from_dict(data, raw="<xml/>")
    assert data == before
    assert isinstance(message, TextMessage)
    assert (message.type, message.raw, message.content) == ("text", "<xml/>", "hi")


def test_parse_user_msg_is_the_seed_name() -> None:
    message = parse_user_msg(push("text", cdata(Content="seed")))
    assert isinstance(message, TextMessage)
    assert message.content == "seed"


# -- pic_list shapes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("send_pics", "count", "md5s"),
    [
        (
            "<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item>"
            "</PicList></SendPicsInfo>",
            1,
            ["a"],
        ),
        (
            "<SendPicsInfo><Count>3</Count><PicList>"
            "<item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum></item>"
            "<item><PicMd5Sum>c</PicMd5Sum></item></PicList></SendPicsInfo>",
            3,
            ["a", "b", "c"],
        ),
        ("<SendPicsInfo><Count>0</Count><PicList></PicList></SendPicsInfo>", 0, []),
        ("<SendPicsInfo><Count>0</Count><PicList/></SendPicsInfo>", 0, []),
        ("<SendPicsInfo><Count>0</Count></SendPicsInfo>", 0, []),
        ("", 0, []),
    ],
    ids=["one", "many", "empty", "self-closed", "no-piclist", "no-sendpicsinfo"],
)
def test_pic_list_is_always_a_list_of_plain_dicts(
    send_pics: str, count: int, md5s: list[str]
) -> None:
    message = parse_message(push("event", cdata(EventKey="6") + send_pics, "pic_sysphoto"))
    assert isinstance(message, PicSysphotoEvent)
    assert message.count == count
    assert message.pic_list == [{"pic_md5_sum": m} for m in md5s]
    assert all(type(item) is dict for item in message.pic_list)


# -- nested structures from data/ --------------------------------------------------------


def load(name: str) -> tuple[WeChatMessage, ET.Element]:
    text = (DATA / name).read_text(encoding="utf-8")
    return parse_message(text), ET.fromstring(text)


def text_of(root: ET.Element, path: str) -> str:
    element = root.find(path)
    assert element is not None, path
    assert element.text is not None, path
    return element.text


def test_mass_send_job_finish_nested_results() -> None:
    message, root = load("masssendjobfinish.xml")
    assert isinstance(message, MassSendJobFinishEvent)
    assert message.message_id == int(text_of(root, "MsgID"))
    assert message.status == text_of(root, "Status")
    assert (message.total_count, message.filter_count) == (120, 110)
    assert (message.sent_count, message.error_count) == (108, 2)
    check = message.copyright_check_result
    assert check is not None
    assert (check.count, check.check_state) == (2, 2)
    items = root.findall("CopyrightCheckResult/ResultList/item")
    assert len(check.result_list) == len(items) == 2
    first, second = check.result_list
    assert first.article_idx == 1
    assert first.user_declare_state == 0
    assert first.audit_state == 2
    assert first.original_article_url == text_of(items[0], "OriginalArticleUrl")
    assert first.original_article_type == 1
    assert (first.can_reprint, first.need_replace_content, first.need_show_reprint_source) == (
        1,
        0,
        1,
    )
    assert second.original_article_url is None
    assert (second.audit_state, second.need_replace_content) == (3, 1)
    urls = message.article_url_result
    assert urls is not None
    assert urls.count == 1
    assert len(urls.result_list) == 1
    assert urls.result_list[0].article_idx == 1
    assert urls.result_list[0].article_url == text_of(
        root, "ArticleUrlResult/ResultList/item/ArticleUrl"
    )


def test_mass_send_job_finish_empty_result_lists() -> None:
    message, _ = load("masssendjobfinish_empty_lists.xml")
    assert isinstance(message, MassSendJobFinishEvent)
    assert message.event == "masssendjobfinish"
    assert message.status == "err(30003)"
    assert message.copyright_check_result is not None
    assert message.copyright_check_result.result_list == []
    assert message.copyright_check_result.check_state == 1
    assert message.article_url_result is not None
    assert message.article_url_result.result_list == []


def test_mass_send_job_finish_without_results() -> None:
    message = parse_message(push("event", bare(MsgID="5", TotalCount="1"), "MASSSENDJOBFINISH"))
    assert isinstance(message, MassSendJobFinishEvent)
    assert message.copyright_check_result is None
    assert message.article_url_result is None
    assert message.total_count == 1


def test_publish_job_finish_success() -> None:
    message, root = load("publishjobfinish_success.xml")
    assert isinstance(message, PublishJobFinishEvent)
    assert message.type == "publishjobfinish_event"
    assert message.publish_id == 2247500001
    assert message.publish_status == 0
    assert message.article_id == text_of(root, "PublishEventInfo/article_id")
    detail = message.article_detail
    assert detail is not None
    assert detail.count == 2
    assert [(i.idx, i.article_url) for i in detail.items] == [
        (1, "https://mp.example.com/s/one"),
        (2, "https://mp.example.com/s/two"),
    ]
    assert message.fail_idx == []


def test_free_publish_job_finish_is_the_same_class() -> None:
    message, _ = load("freepublishjobfinish_failed.xml")
    assert type(message) is PublishJobFinishEvent
    assert message.event == "FREEPUBLISHJOBFINISH"
    assert message.publish_status == 2
    assert message.fail_idx == [1, 3]
    assert message.article_detail is None
    assert message.article_id is None


def test_publish_job_finish_single_fail_idx_and_single_item() -> None:
    info = (
        "<PublishEventInfo><publish_id>1</publish_id><publish_status>1</publish_status>"
        "<fail_idx>2</fail_idx><article_detail><count>1</count><item><idx>1</idx>"
        "<article_url>u</article_url></item></article_detail></PublishEventInfo>"
    )
    message = parse_message(push("event", info, "publishjobfinish"))
    assert isinstance(message, PublishJobFinishEvent)
    assert message.fail_idx == [2]
    assert message.article_detail is not None
    assert [i.article_url for i in message.article_detail.items] == ["u"]


def test_subscribe_msg_popup_many_lists() -> None:
    message, _ = load("subscribe_msg_popup.xml")
    assert isinstance(message, SubscribeMsgPopupEvent)
    assert message.type == "subscribe_msg_popup_event"
    assert [(i.template_id, i.subscribe_status, i.popup_scene) for i in message.items] == [
        ("template-accepted", "accept", 2),
        ("template-rejected", "reject", 1),
    ]


def test_subscribe_msg_change_with_list_in_the_popup_element() -> None:
    message, _ = load("subscribe_msg_change_in_popup_element.xml")
    assert isinstance(message, SubscribeMsgChangeEvent)
    assert message.type == "subscribe_msg_change_event"
    assert len(message.items) == 1
    assert message.items[0].template_id == "template-changed"
    assert message.items[0].subscribe_status == "reject"
    assert message.items[0].popup_scene is None


def test_subscribe_msg_sent() -> None:
    message, _ = load("subscribe_msg_sent.xml")
    assert isinstance(message, SubscribeMsgSentEvent)
    assert message.message_id == 0
    [item] = message.items
    assert item.template_id == "template-sent"
    assert item.msg_id == "1700827132819554304"
    assert item.error_code == 0
    assert item.error_status == "success"


def test_subscribe_msg_event_built_from_items() -> None:
    event = SubscribeMsgSentEvent.model_validate({"items": [{"TemplateId": "t", "ErrorCode": "0"}]})
    assert [(i.template_id, i.error_code) for i in event.items] == [("t", 0)]


def test_subscribe_msg_event_without_lists() -> None:
    message = parse_message(push("event", "", "subscribe_msg_popup_event"))
    assert isinstance(message, SubscribeMsgPopupEvent)
    assert message.items == []


def test_shakearound_one_beacon_is_a_one_item_list() -> None:
    message, root = load("shakearound_one_beacon.xml")
    assert isinstance(message, ShakearoundUserShakeEvent)
    chosen = message.chosen_beacon
    assert chosen is not None
    assert chosen.uuid == text_of(root, "ChosenBeacon/Uuid")
    assert (chosen.major, chosen.minor, chosen.distance) == ("10001", "20002", 1.25)
    assert len(message.around_beacons) == 1
    assert message.around_beacons[0].uuid == text_of(root, "AroundBeacons/AroundBeacon/Uuid")
    assert message.around_beacons[0].distance == 7.5


def test_shakearound_without_beacons() -> None:
    message = parse_message(push("event", "", "ShakearoundUserShake"))
    assert isinstance(message, ShakearoundUserShakeEvent)
    assert message.chosen_beacon is None
    assert message.around_beacons == []


def test_wifi_connected_accepts_shop_id() -> None:
    message = parse_message(push("event", cdata(ShopId="5678"), "WifiConnected"))
    assert isinstance(message, WifiConnectedEvent)
    assert message.shop_id == "5678"


def test_user_authorize_invoice_source_stays_from_user_name() -> None:
    message = parse_message(push("event", cdata(Source=""), "user_authorize_invoice"))
    assert isinstance(message, UserAuthorizeInvoiceEvent)
    assert message.source == "o_user"
    assert message.auth_source is None


def test_subscribe_with_special_event_keys_stays_subscribe() -> None:
    for key in ("qrscene_1", "scanbarcode|x", "last_trade_no_4"):
        message = parse_message(push("event", cdata(EventKey=key), "subscribe"))
        assert type(message) is SubscribeEvent
        assert message.key == key


def test_whitespace_around_cdata_is_not_part_of_the_value() -> None:
    xml = (
        "<xml><MsgType> <![CDATA[event]]> </MsgType><Event> <![CDATA[CLICK]]> </Event>"
        "<EventKey> <![CDATA[menu]]> </EventKey><FromUserName> <![CDATA[o]]> </FromUserName></xml>"
    )
    message = parse_message(xml)
    assert isinstance(message, ClickEvent)
    assert (message.event, message.key, message.source) == ("CLICK", "menu", "o")


# -- envelopes ---------------------------------------------------------------------------


def _encrypted(crypt: MessageCrypt, plain: str) -> tuple[str, str, str, str]:
    envelope = ET.fromstring(crypt.encrypt_message(plain, "1700000000", "nonce1"))
    encrypt = envelope.findtext("Encrypt") or ""
    body = (
        "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )
    return body, "1700000000", "nonce1", envelope.findtext("MsgSignature") or ""


def test_parse_message_decrypts_and_marks_the_message(
    token: str, aes_key: str, app_id: str
) -> None:
    crypt = MessageCrypt(token, aes_key, app_id)
    plain = push("text", cdata(Content="secret"))
    body, timestamp, nonce, signature = _encrypted(crypt, plain)
    message = parse_message(body, lambda: crypt, timestamp, nonce, signature)
    assert isinstance(message, TextMessage)
    assert message.content == "secret"
    assert message.raw == plain
    assert message._decrypted is True


def test_compat_push_without_keys_uses_plaintext_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = push("text", cdata(Content="plain") + cdata(Encrypt="ignored-ciphertext"))
    with caplog.at_level(logging.WARNING, logger="WeRoBot"):
        message = parse_message(body)
    assert isinstance(message, TextMessage)
    assert message.content == "plain"
    assert message._decrypted is False
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_safe_push_without_keys_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse_message("<xml><ToUserName>gh</ToUserName><Encrypt>abc</Encrypt></xml>")


def test_empty_encrypt_is_a_400(token: str, aes_key: str, app_id: str) -> None:
    crypt = MessageCrypt(token, aes_key, app_id)
    with pytest.raises(BadRequest) as info:
        parse_message("<xml><Encrypt></Encrypt></xml>", lambda: crypt, "1", "2", "sig")
    assert info.value.status == 400


def test_missing_msg_signature_is_a_403(token: str, aes_key: str, app_id: str) -> None:
    crypt = MessageCrypt(token, aes_key, app_id)
    body, timestamp, nonce, _ = _encrypted(crypt, push("text", ""))
    with pytest.raises(InvalidSignature) as info:
        parse_message(body, lambda: crypt, timestamp, nonce, None)
    assert info.value.status == 403


def test_open_envelope_passes_plaintext_through() -> None:
    data: dict[str, Any] = {"MsgType": "text"}
    built: list[int] = []

    def get_crypto() -> None:
        built.append(1)

    assert open_envelope(data, get_crypto, None, None, None) == (data, None)
    assert built == []  # crypto is only built for an encrypted push
