"""Events (``MsgType`` = ``event``), one class per ``Event`` value.

WeChat's reference: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AliasChoices, AliasPath, Field, field_validator, model_validator

from werobot_core.messages.base import (
    BaseEvent,
    Float,
    Int,
    IntZero,
    Str,
    WeChatMessage,
    as_list,
)
from werobot_core.messages.sub_models import (
    ArticleDetail,
    ArticleUrlResult,
    Beacon,
    CopyrightCheckResult,
    SubscribeMsgItem,
    SubscribeMsgSentItem,
)

__all__ = [
    "EVENTS",
    "AnnualRenewEvent",
    "BaseEvent",
    "CardNotPassCheckEvent",
    "CardPassCheckEvent",
    "CardPayOrderEvent",
    "CardSkuRemindEvent",
    "ClickEvent",
    "DeviceEvent",
    "KfCloseSessionEvent",
    "KfCreateSessionEvent",
    "KfSwitchSessionEvent",
    "LocationEvent",
    "LocationSelectEvent",
    "MassSendJobFinishEvent",
    "MerchantOrderEvent",
    "NamingVerifyFailEvent",
    "NamingVerifySuccessEvent",
    "PicPhotoOrAlbumEvent",
    "PicSysphotoEvent",
    "PicWeixinEvent",
    "PublishJobFinishEvent",
    "QualificationVerifyFailEvent",
    "QualificationVerifySuccessEvent",
    "ScanCodePushEvent",
    "ScanCodeWaitMsgEvent",
    "ScanEvent",
    "ShakearoundUserShakeEvent",
    "SubmitInvoiceTitleEvent",
    "SubmitMembercardUserInfoEvent",
    "SubscribeEvent",
    "SubscribeMsgChangeEvent",
    "SubscribeMsgPopupEvent",
    "SubscribeMsgSentEvent",
    "TemplateSendJobFinishEvent",
    "UnSubscribeEvent",
    "UnknownEvent",
    "UpdateInvoiceStatusEvent",
    "UpdateMemberCardEvent",
    "UserAuthorizeInvoiceEvent",
    "UserConsumeCardEvent",
    "UserDelCardEvent",
    "UserEnterSessionFromCardEvent",
    "UserGetCardEvent",
    "UserGiftingCardEvent",
    "UserPayFromPayCellEvent",
    "UserScanProductAsyncEvent",
    "UserScanProductEnterSessionEvent",
    "UserScanProductEvent",
    "UserScanProductVerifyActionEvent",
    "UserViewCardEvent",
    "VerifyExpiredEvent",
    "ViewEvent",
    "ViewMiniProgramEvent",
    "WifiConnectedEvent",
]


class _KeyEvent(BaseEvent):
    key: Str = Field(None, alias="EventKey")
    """The ``EventKey``: menu key, scene, URL or page path, depending on the event."""


class SubscribeEvent(_KeyEvent):
    """A user followed the account (``key`` is ``qrscene_<scene>`` when from a QR code)."""

    EVENT: ClassVar[str] = "subscribe"
    ticket: Str = Field(None, alias="Ticket")


class UnSubscribeEvent(BaseEvent):
    """A user unfollowed the account."""

    EVENT: ClassVar[str] = "unsubscribe"


class ScanEvent(_KeyEvent):
    """A follower scanned a parametric QR code (``key`` is the scene id)."""

    EVENT: ClassVar[str] = "scan"
    ticket: Str = Field(None, alias="Ticket")


class LocationEvent(BaseEvent):
    """The user's location, reported when the chat is opened (if enabled)."""

    EVENT: ClassVar[str] = "location"
    DECORATOR: ClassVar[str | None] = "location_event"
    latitude: Float = Field(None, alias="Latitude")
    longitude: Float = Field(None, alias="Longitude")
    precision: Float = Field(None, alias="Precision")


class ClickEvent(_KeyEvent):
    """A click menu item was tapped (``key`` is its key)."""

    EVENT: ClassVar[str] = "click"


class ViewEvent(_KeyEvent):
    """A view menu item was tapped (``key`` is the URL)."""

    EVENT: ClassVar[str] = "view"
    menu_id: Str = Field(None, alias="MenuId")


class ViewMiniProgramEvent(_KeyEvent):
    """A Mini Program menu item was tapped (``key`` is the page path)."""

    EVENT: ClassVar[str] = "view_miniprogram"
    menu_id: Str = Field(None, alias="MenuId")


class _ScanCodeEvent(_KeyEvent):
    scan_type: Str = Field(None, validation_alias=AliasPath("ScanCodeInfo", "ScanType"))
    scan_result: Str = Field(None, validation_alias=AliasPath("ScanCodeInfo", "ScanResult"))


class ScanCodePushEvent(_ScanCodeEvent):
    """A scan-code menu item: the scan result was pushed."""

    EVENT: ClassVar[str] = "scancode_push"


class ScanCodeWaitMsgEvent(_ScanCodeEvent):
    """A scan-code menu item that waits for the account's message."""

    EVENT: ClassVar[str] = "scancode_waitmsg"


class _PicEvent(_KeyEvent):
    count: IntZero = Field(0, validation_alias=AliasPath("SendPicsInfo", "Count"))
    pic_list: list[dict[str, Any]] = Field(
        default_factory=list, validation_alias=AliasPath("SendPicsInfo", "PicList")
    )
    """``[{"pic_md5_sum": ...}]``, one item per picture."""

    @field_validator("pic_list", mode="before")
    @classmethod
    def _pictures(cls, value: Any) -> list[dict[str, Any]]:
        items = as_list(value.get("item")) if isinstance(value, dict) else []
        return [{"pic_md5_sum": (i or {}).get("PicMd5Sum")} for i in items]


class PicSysphotoEvent(_PicEvent):
    """A photo menu item (camera)."""

    EVENT: ClassVar[str] = "pic_sysphoto"


class PicPhotoOrAlbumEvent(_PicEvent):
    """A photo menu item (camera or album)."""

    EVENT: ClassVar[str] = "pic_photo_or_album"


class PicWeixinEvent(_PicEvent):
    """A photo menu item (WeChat album)."""

    EVENT: ClassVar[str] = "pic_weixin"


def _sent_location(tag: str) -> Any:
    return Field(None, validation_alias=AliasPath("SendLocationInfo", tag))


class LocationSelectEvent(_KeyEvent):
    """A location-picker menu item."""

    EVENT: ClassVar[str] = "location_select"
    location_x: Float = _sent_location("Location_X")
    location_y: Float = _sent_location("Location_Y")
    scale: Int = _sent_location("Scale")
    label: Str = _sent_location("Label")
    poi_name: Str = _sent_location("Poiname")


class TemplateSendJobFinishEvent(BaseEvent):
    """A template message was delivered, refused or failed (``status``)."""

    EVENT: ClassVar[str] = "templatesendjobfinish"
    DECORATOR: ClassVar[str | None] = "templatesendjobfinish_event"
    status: Str = Field(None, alias="Status")


class MassSendJobFinishEvent(BaseEvent):
    """A mass send finished."""

    EVENT: ClassVar[str] = "masssendjobfinish"
    status: Str = Field(None, alias="Status")
    total_count: Int = Field(None, alias="TotalCount")
    filter_count: Int = Field(None, alias="FilterCount")
    sent_count: Int = Field(None, alias="SentCount")
    error_count: Int = Field(None, alias="ErrorCount")
    copyright_check_result: CopyrightCheckResult | None = Field(None, alias="CopyrightCheckResult")
    article_url_result: ArticleUrlResult | None = Field(None, alias="ArticleUrlResult")


def _published(tag: str) -> Any:
    return Field(None, validation_alias=AliasPath("PublishEventInfo", tag))


class PublishJobFinishEvent(BaseEvent):
    """A publication (发布) finished; ``FREEPUBLISHJOBFINISH`` is read as the same."""

    EVENT: ClassVar[str] = "publishjobfinish"
    publish_id: Int = _published("publish_id")
    publish_status: Int = _published("publish_status")
    article_id: Str = _published("article_id")
    article_detail: ArticleDetail | None = _published("article_detail")
    fail_idx: list[int] = Field(
        default_factory=list, validation_alias=AliasPath("PublishEventInfo", "fail_idx")
    )

    @field_validator("fail_idx", mode="before")
    @classmethod
    def _fail_idx(cls, value: Any) -> list[Any]:
        return as_list(value)


class _SubscribeMsgEvent(BaseEvent):
    @model_validator(mode="before")
    @classmethod
    def _gather_lists(cls, data: Any) -> Any:
        if isinstance(data, dict) and "items" not in data:
            found: list[Any] = []
            for value in data.values():
                if isinstance(value, dict) and "List" in value:
                    found.extend(as_list(value["List"]))
            data = {**data, "items": found}
        return data


class SubscribeMsgPopupEvent(_SubscribeMsgEvent):
    """The user answered a one-time subscription popup."""

    EVENT: ClassVar[str] = "subscribe_msg_popup_event"
    items: list[SubscribeMsgItem] = Field(default_factory=list)


class SubscribeMsgChangeEvent(_SubscribeMsgEvent):
    """The user changed a subscription in the settings."""

    EVENT: ClassVar[str] = "subscribe_msg_change_event"
    items: list[SubscribeMsgItem] = Field(default_factory=list)


class SubscribeMsgSentEvent(_SubscribeMsgEvent):
    """A subscription message was sent."""

    EVENT: ClassVar[str] = "subscribe_msg_sent_event"
    items: list[SubscribeMsgSentItem] = Field(default_factory=list)


class _KfEvent(BaseEvent):
    kf_account: Str = Field(None, alias="KfAccount")
    from_kf_account: Str = Field(None, alias="FromKfAccount")
    to_kf_account: Str = Field(None, alias="ToKfAccount")


class KfCreateSessionEvent(_KfEvent):
    """A customer-service session was created."""

    EVENT: ClassVar[str] = "kf_create_session"


class KfCloseSessionEvent(_KfEvent):
    """A customer-service session was closed."""

    EVENT: ClassVar[str] = "kf_close_session"


class KfSwitchSessionEvent(_KfEvent):
    """A customer-service session moved to another account."""

    EVENT: ClassVar[str] = "kf_switch_session"


class _VerifyEvent(BaseEvent):
    expired_time: Int = Field(None, alias="ExpiredTime")
    fail_time: Int = Field(None, alias="FailTime")
    fail_reason: Str = Field(None, alias="FailReason")


class QualificationVerifySuccessEvent(_VerifyEvent):
    """Qualification verification succeeded."""

    EVENT: ClassVar[str] = "qualification_verify_success"


class QualificationVerifyFailEvent(_VerifyEvent):
    """Qualification verification failed."""

    EVENT: ClassVar[str] = "qualification_verify_fail"


class NamingVerifySuccessEvent(_VerifyEvent):
    """Name verification succeeded."""

    EVENT: ClassVar[str] = "naming_verify_success"


class NamingVerifyFailEvent(_VerifyEvent):
    """Name verification failed."""

    EVENT: ClassVar[str] = "naming_verify_fail"


class AnnualRenewEvent(_VerifyEvent):
    """The annual verification must be renewed."""

    EVENT: ClassVar[str] = "annual_renew"


class VerifyExpiredEvent(_VerifyEvent):
    """The verification expired."""

    EVENT: ClassVar[str] = "verify_expired"


class _ProductEvent(BaseEvent):
    key_standard: Str = Field(None, alias="KeyStandard")
    key_str: Str = Field(None, alias="KeyStr")
    ext_info: Str = Field(None, alias="ExtInfo")


class UserScanProductEvent(_ProductEvent):
    """A user opened a product page by scanning."""

    EVENT: ClassVar[str] = "user_scan_product"
    country: Str = Field(None, alias="Country")
    province: Str = Field(None, alias="Province")
    city: Str = Field(None, alias="City")
    sex: Int = Field(None, alias="Sex")
    scene: Int = Field(None, alias="Scene")


class UserScanProductEnterSessionEvent(_ProductEvent):
    """A user entered the chat from a product page."""

    EVENT: ClassVar[str] = "user_scan_product_enter_session"


class UserScanProductAsyncEvent(_ProductEvent):
    """A product scan reported asynchronously, with the user's region."""

    EVENT: ClassVar[str] = "user_scan_product_async"
    region_code: Str = Field(None, alias="RegionCode")


class UserScanProductVerifyActionEvent(_ProductEvent):
    """The result of a product verification."""

    EVENT: ClassVar[str] = "user_scan_product_verify_action"
    result: Str = Field(None, alias="Result")
    reason_msg: Str = Field(None, alias="ReasonMsg")


class _CardEvent(BaseEvent):
    card_id: Str = Field(None, alias="CardId")
    user_card_code: Str = Field(None, alias="UserCardCode")


class CardPassCheckEvent(_CardEvent):
    """A card passed review."""

    EVENT: ClassVar[str] = "card_pass_check"
    refuse_reason: Str = Field(None, alias="RefuseReason")


class CardNotPassCheckEvent(_CardEvent):
    """A card failed review (``refuse_reason``)."""

    EVENT: ClassVar[str] = "card_not_pass_check"
    refuse_reason: Str = Field(None, alias="RefuseReason")


class UserGetCardEvent(_CardEvent):
    """A user received a card."""

    EVENT: ClassVar[str] = "user_get_card"
    is_give_by_friend: Int = Field(None, alias="IsGiveByFriend")
    friend_user_name: Str = Field(None, alias="FriendUserName")
    outer_id: Int = Field(None, alias="OuterId")
    old_user_card_code: Str = Field(None, alias="OldUserCardCode")
    outer_str: Str = Field(None, alias="OuterStr")
    is_restore_member_card: Int = Field(None, alias="IsRestoreMemberCard")
    is_recommend_by_friend: Int = Field(None, alias="IsRecommendByFriend")


class UserGiftingCardEvent(_CardEvent):
    """A user gave a card to a friend."""

    EVENT: ClassVar[str] = "user_gifting_card"
    friend_user_name: Str = Field(None, alias="FriendUserName")
    is_return_back: Int = Field(None, alias="IsReturnBack")
    is_chat_room: Int = Field(None, alias="IsChatRoom")


class UserDelCardEvent(_CardEvent):
    """A user deleted a card."""

    EVENT: ClassVar[str] = "user_del_card"


class UserConsumeCardEvent(_CardEvent):
    """A card was redeemed."""

    EVENT: ClassVar[str] = "user_consume_card"
    consume_source: Str = Field(None, alias="ConsumeSource")
    location_name: Str = Field(None, alias="LocationName")
    staff_open_id: Str = Field(None, alias="StaffOpenId")
    verify_code: Str = Field(None, alias="VerifyCode")
    remark_amount: Str = Field(None, alias="RemarkAmount")
    outer_str: Str = Field(None, alias="OuterStr")


class UserPayFromPayCellEvent(_CardEvent):
    """A user paid through a card's pay cell."""

    EVENT: ClassVar[str] = "user_pay_from_pay_cell"
    trans_id: Str = Field(None, alias="TransId")
    location_id: Int = Field(None, alias="LocationId")
    fee: Str = Field(None, alias="Fee")
    original_fee: Str = Field(None, alias="OriginalFee")


class UserViewCardEvent(_CardEvent):
    """A user opened a member card."""

    EVENT: ClassVar[str] = "user_view_card"
    outer_str: Str = Field(None, alias="OuterStr")


class UserEnterSessionFromCardEvent(_CardEvent):
    """A user entered the chat from a card."""

    EVENT: ClassVar[str] = "user_enter_session_from_card"


class UpdateMemberCardEvent(_CardEvent):
    """A member card's bonus or balance changed."""

    EVENT: ClassVar[str] = "update_member_card"
    modify_bonus: Int = Field(None, alias="ModifyBonus")
    modify_balance: Int = Field(None, alias="ModifyBalance")


class CardSkuRemindEvent(_CardEvent):
    """A card's stock is running low."""

    EVENT: ClassVar[str] = "card_sku_remind"
    detail: Str = Field(None, alias="Detail")


class CardPayOrderEvent(BaseEvent):
    """A card coin order changed."""

    EVENT: ClassVar[str] = "card_pay_order"
    order_id: Str = Field(None, alias="OrderId")
    status: Str = Field(None, alias="Status")
    create_order_time: Int = Field(None, alias="CreateOrderTime")
    pay_finish_time: Int = Field(None, alias="PayFinishTime")
    desc: Str = Field(None, alias="Desc")
    free_coin_count: Str = Field(None, alias="FreeCoinCount")
    pay_coin_count: Str = Field(None, alias="PayCoinCount")
    refund_free_coin_count: Str = Field(None, alias="RefundFreeCoinCount")
    refund_pay_coin_count: Str = Field(None, alias="RefundPayCoinCount")
    order_type: Str = Field(None, alias="OrderType")
    memo: Str = Field(None, alias="Memo")
    receipt_info: Str = Field(None, alias="ReceiptInfo")


class SubmitMembercardUserInfoEvent(_CardEvent):
    """A user submitted member card activation details."""

    EVENT: ClassVar[str] = "submit_membercard_user_info"


class WifiConnectedEvent(BaseEvent):
    """A user connected to a WeChat Wi-Fi hotspot."""

    EVENT: ClassVar[str] = "wificonnected"
    connect_time: Int = Field(None, alias="ConnectTime")
    expire_time: Int = Field(None, alias="ExpireTime")
    vendor_id: Str = Field(None, alias="VendorId")
    shop_id: Str = Field(None, validation_alias=AliasChoices("PlaceId", "ShopId"))
    device_no: Str = Field(None, alias="DeviceNo")


class ShakearoundUserShakeEvent(BaseEvent):
    """A user shook near iBeacons."""

    EVENT: ClassVar[str] = "shakearoundusershake"
    chosen_beacon: Beacon | None = Field(None, alias="ChosenBeacon")
    around_beacons: list[Beacon] = Field(
        default_factory=list, validation_alias=AliasPath("AroundBeacons", "AroundBeacon")
    )

    @field_validator("around_beacons", mode="before")
    @classmethod
    def _beacons(cls, value: Any) -> list[Any]:
        return as_list(value)


class SubmitInvoiceTitleEvent(BaseEvent):
    """A user submitted an invoice title."""

    EVENT: ClassVar[str] = "submit_invoice_title"
    title: Str = None
    tax_no: Str = None
    addr: Str = None
    phone: Str = None
    bank_type: Str = None
    bank_no: Str = None
    attach: Str = None
    title_type: Str = None


class UpdateInvoiceStatusEvent(BaseEvent):
    """An invoice's reimbursement status changed."""

    EVENT: ClassVar[str] = "update_invoice_status"
    status: Str = Field(None, alias="Status")
    card_id: Str = Field(None, alias="CardId")
    code: Str = Field(None, alias="Code")


class UserAuthorizeInvoiceEvent(BaseEvent):
    """A user authorised invoicing (``auth_source`` is the ``Source`` tag)."""

    EVENT: ClassVar[str] = "user_authorize_invoice"
    succ_order_id: Str = Field(None, alias="SuccOrderId")
    fail_order_id: Str = Field(None, alias="FailOrderId")
    app_id: Str = Field(None, alias="AppId")
    auth_source: Str = Field(None, alias="Source")


class MerchantOrderEvent(BaseEvent):
    """An order was placed in the WeChat store."""

    EVENT: ClassVar[str] = "merchant_order"
    order_id: Str = Field(None, alias="OrderId")
    order_status: Int = Field(None, alias="OrderStatus")
    product_id: Str = Field(None, alias="ProductId")
    sku_info: Str = Field(None, alias="SkuInfo")


class DeviceEvent(WeChatMessage):
    """An event of a WeChat hardware device (``MsgType`` ``device_event``: bind, unbind…)."""

    MSG_TYPE: ClassVar[str] = "device_event"
    event: Str = Field(None, alias="Event")
    device_type: Str = Field(None, alias="DeviceType")
    device_id: Str = Field(None, alias="DeviceID")
    session_id: Str = Field(None, alias="SessionID")
    open_id: Str = Field(None, alias="OpenID")
    content: Str = Field(None, alias="Content")


class UnknownEvent(BaseEvent):
    """An event this SDK does not model; every field is kept."""

    EVENT: ClassVar[str] = "unknown"
    DECORATOR: ClassVar[str | None] = "unknown_event"


#: Every modelled event class (``UnknownEvent`` excluded).
EVENTS: tuple[type[WeChatMessage], ...] = (
    SubscribeEvent,
    UnSubscribeEvent,
    ScanEvent,
    LocationEvent,
    ClickEvent,
    ViewEvent,
    ViewMiniProgramEvent,
    ScanCodePushEvent,
    ScanCodeWaitMsgEvent,
    PicSysphotoEvent,
    PicPhotoOrAlbumEvent,
    PicWeixinEvent,
    LocationSelectEvent,
    TemplateSendJobFinishEvent,
    MassSendJobFinishEvent,
    PublishJobFinishEvent,
    SubscribeMsgPopupEvent,
    SubscribeMsgChangeEvent,
    SubscribeMsgSentEvent,
    KfCreateSessionEvent,
    KfCloseSessionEvent,
    KfSwitchSessionEvent,
    QualificationVerifySuccessEvent,
    QualificationVerifyFailEvent,
    NamingVerifySuccessEvent,
    NamingVerifyFailEvent,
    AnnualRenewEvent,
    VerifyExpiredEvent,
    UserScanProductEvent,
    UserScanProductEnterSessionEvent,
    UserScanProductAsyncEvent,
    UserScanProductVerifyActionEvent,
    CardPassCheckEvent,
    CardNotPassCheckEvent,
    UserGetCardEvent,
    UserGiftingCardEvent,
    UserDelCardEvent,
    UserConsumeCardEvent,
    UserPayFromPayCellEvent,
    UserViewCardEvent,
    UserEnterSessionFromCardEvent,
    UpdateMemberCardEvent,
    CardSkuRemindEvent,
    CardPayOrderEvent,
    SubmitMembercardUserInfoEvent,
    WifiConnectedEvent,
    ShakearoundUserShakeEvent,
    SubmitInvoiceTitleEvent,
    UpdateInvoiceStatusEvent,
    UserAuthorizeInvoiceEvent,
    MerchantOrderEvent,
    DeviceEvent,
)
