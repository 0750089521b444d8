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
    declared_types,
)
from werobot_core.messages.sub_models import (
    ArticleDetail,
    ArticleUrlResult,
    Beacon,
    CopyrightCheckResult,
    MediaCheckDetail,
    MediaCheckResult,
    ScanProductKey,
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
    "CloudInvoiceResultEvent",
    "DeviceEvent",
    "GiftcardPayDoneEvent",
    "GiftcardSendToFriendEvent",
    "GiftcardUserAcceptEvent",
    "GuideInviteResultEvent",
    "GuideQrcodeScanEvent",
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
    "PoiCheckNotifyEvent",
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
    "UserAuthorizationCancellationEvent",
    "UserAuthorizationRevokeEvent",
    "UserAuthorizeInvoiceEvent",
    "UserConsumeCardEvent",
    "UserDelCardEvent",
    "UserEnterSessionFromCardEvent",
    "UserEnterTempsessionEvent",
    "UserGetCardEvent",
    "UserGiftingCardEvent",
    "UserInfoModifiedEvent",
    "UserPayFromPayCellEvent",
    "UserScanProductAsyncEvent",
    "UserScanProductEnterSessionEvent",
    "UserScanProductEvent",
    "UserScanProductVerifyActionEvent",
    "UserViewCardEvent",
    "VerifyExpiredEvent",
    "ViewEvent",
    "ViewMiniProgramEvent",
    "WeappAuditDelayEvent",
    "WeappAuditFailEvent",
    "WeappAuditSuccessEvent",
    "WifiConnectedEvent",
    "WxVerifyDispatchEvent",
    "WxVerifyFailEvent",
    "WxVerifyPaySuccEvent",
    "WxVerifyRefillEvent",
    "WxaCategoryAuditEvent",
    "WxaMediaCheckEvent",
]


class _KeyEvent(BaseEvent):
    key: Str = Field(None, alias="EventKey")
    """The ``EventKey``: menu key, scene, URL or page path, depending on the event."""


_SCAN_PRODUCT_SCENES = frozenset({"scanbarcode", "scanimage"})


class SubscribeEvent(_KeyEvent):
    """A user followed the account (``key`` is ``qrscene_<scene>`` when from a QR code).

    A follow from a product page (微信扫一扫) is a ``SubscribeEvent`` too, as in WeRoBot:
    its ``key`` is ``scanbarcode|<standard>|<code>`` or ``scanimage|<standard>|<code>``,
    which :attr:`scan_product` reads. Reference:
    https://developers.weixin.qq.com/doc/service/en/WeChat_Scan/Scan_QR_Code_Events_Push.html
    """

    EVENT: ClassVar[str] = "subscribe"
    ticket: Str = Field(None, alias="Ticket")
    """The QR code's ticket, when the follow came from a parametric QR code."""

    @property
    def scan_product(self) -> ScanProductKey | None:
        """The product code a follow from a product page carries; ``None`` otherwise.

        ``scanbarcode|ean13|6901234567892`` gives
        ``ScanProductKey(scene="scanbarcode", key_standard="ean13", key_str="6901234567892")``.
        """
        parts = (self.key or "").split("|", 2)
        if len(parts) != 3 or parts[0] not in _SCAN_PRODUCT_SCENES:
            return None
        return ScanProductKey(*parts)


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


class _AuthorizationChangeEvent(BaseEvent):
    open_id: Str = Field(None, alias="OpenID")
    """The authorising user's openid (``OpenID``)."""
    union_id: Str = Field(None, alias="UnionID")
    """The authorising user's unionid (``UnionID``)."""
    app_id: Str = Field(None, alias="AppID")
    """The AppID of the account or Mini Program the user had authorised (``AppID``)."""
    revoke_info: Str = Field(None, alias="RevokeInfo")
    """What the user withdrew (``RevokeInfo``): a code such as ``201`` (address) or
    ``301`` (everything a mobile app was given)."""
    plugin_id: Str = Field(None, alias="PluginID")
    """For a withdrawal inside a Mini Program plugin: the plugin's AppID (``PluginID``)."""
    open_pid: Str = Field(None, alias="OpenPID")
    """For a withdrawal inside a plugin: the user's OpenPID (``OpenPID``)."""


class UserInfoModifiedEvent(_AuthorizationChangeEvent):
    """WeChat cleaned an authorising user's profile: refresh or drop the nickname and avatar.

    https://developers.weixin.qq.com/doc/service/guide/h5/authorization_change.html
    """

    EVENT: ClassVar[str] = "user_info_modified"


class UserAuthorizationRevokeEvent(_AuthorizationChangeEvent):
    """A user withdrew authorised information (``revoke_info``): delete it.

    https://developers.weixin.qq.com/doc/service/guide/h5/authorization_change.html
    """

    EVENT: ClassVar[str] = "user_authorization_revoke"


class UserAuthorizationCancellationEvent(_AuthorizationChangeEvent):
    """An authorising user closed their WeChat account.

    https://developers.weixin.qq.com/doc/service/guide/h5/authorization_change.html
    """

    EVENT: ClassVar[str] = "user_authorization_cancellation"


class PoiCheckNotifyEvent(BaseEvent):
    """The review of a store (门店) created through the store API finished.

    Field table of 门店管理 > 审核事件推送:
    https://developers.weixin.qq.com/doc/offiaccount/WeChat_Stores/WeChat_Store_Interface.html
    """

    EVENT: ClassVar[str] = "poi_check_notify"
    uniq_id: Str = Field(None, alias="UniqId")
    """The merchant's own id for the store: the ``sid`` it was created with (``UniqId``)."""
    poi_id: Str = Field(None, alias="PoiId")
    """WeChat's id of the store (``PoiId``)."""
    result: Str = Field(None, alias="Result")
    """``succ`` or ``fail`` (``Result``)."""
    msg: Str = Field(None, validation_alias=AliasChoices("Msg", "msg"))
    """The success notice or the reason for rejection (``Msg``; ``msg`` also read)."""


def _guide_invite(tag: str) -> Any:
    return Field(None, validation_alias=AliasPath("GuideInviteEvent", tag))


class GuideInviteResultEvent(BaseEvent):
    """The result of adding a shopping guide (顾问) with ``addguideacct``.

    https://developers.weixin.qq.com/doc/offiaccount/Shopping_Guide/guide-account/shopping-guide.addGuideAcct.html
    """

    EVENT: ClassVar[str] = "guide_invite_result_event"
    guide_account: Str = _guide_invite("guide_account")
    """The guide's WeChat id, as given to the API (``GuideInviteEvent/guide_account``)."""
    guide_openid: Str = _guide_invite("guide_openid")
    """The guide's openid, as given to the API (``GuideInviteEvent/guide_openid``)."""
    invite_result: Int = _guide_invite("invite_result")
    """The invitation's result (``GuideInviteEvent/invite_result``; documented as 1)."""


def _guide_scan(tag: str) -> Any:
    return Field(None, validation_alias=AliasPath("GuideScanEvent", tag))


class GuideQrcodeScanEvent(BaseEvent):
    """A user scanned a shopping guide's QR code.

    https://developers.weixin.qq.com/doc/offiaccount/Shopping_Guide/guide-account/shopping-guide.onGuideCreateQrCode.html
    """

    EVENT: ClassVar[str] = "guide_qrcode_scan_event"
    qrcode_guide_account: Str = _guide_scan("qrcode_guide_account")
    """The guide's WeChat id (``GuideScanEvent/qrcode_guide_account``)."""
    qrcode_guide_openid: Str = _guide_scan("qrcode_guide_openid")
    """The guide's openid, for guides bound by openid (``GuideScanEvent/qrcode_guide_openid``)."""
    open_id: Str = _guide_scan("openid")
    """The openid of the user who scanned (``GuideScanEvent/openid``)."""
    action: Int = _guide_scan("action")
    """1 the guide is no longer valid, 2 bound to the guide, 3 already bound to them,
    4 bound to another guide (``GuideScanEvent/action``)."""
    qrcode_info: Str = _guide_scan("qrcode_info")
    """The ``qrcode_info`` given when the QR code was made (``GuideScanEvent/qrcode_info``)."""


class WxaMediaCheckEvent(BaseEvent):
    """The result of an asynchronous image or audio check (``media_check_async``).

    Version 1 sends ``isrisky``/``status_code``; version 2 sends ``result`` and ``detail``.
    https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html
    (version 1: https://developers.weixin.qq.com/miniprogram/dev/framework/security.mediaCheckAsync-v1.html)
    """

    EVENT: ClassVar[str] = "wxa_media_check"
    app_id: Str = Field(None, alias="appid")
    """The Mini Program's AppID (``appid``)."""
    trace_id: Str = None
    """The task id ``media_check_async`` returned (``trace_id``)."""
    version: Int = None
    """2 for the version 2 interface (``version``); absent in version 1."""
    is_risky: Int = Field(None, alias="isrisky")
    """Version 1: 0 no risk found, 1 risky (``isrisky``)."""
    extra_info_json: Str = None
    """Version 1: extra information, usually empty (``extra_info_json``)."""
    status_code: Int = None
    """Version 1: 0, or 4294966288 (-1008) when the media could not be downloaded."""
    error_code: Int = Field(None, alias="errcode")
    """Version 2: 0 when the check ran (``errcode``)."""
    error_message: Str = Field(None, alias="errmsg")
    """Version 2: ``ok`` or the error (``errmsg``)."""
    result: MediaCheckResult | None = None
    """Version 2: the overall verdict (``result``: ``suggest``, ``label``)."""
    detail: list[MediaCheckDetail] = Field(default_factory=list)
    """Version 2: one verdict per strategy (repeated ``detail`` elements)."""

    @field_validator("detail", mode="before")
    @classmethod
    def _details(cls, value: Any) -> list[Any]:
        return as_list(value)


class UserEnterTempsessionEvent(BaseEvent):
    """A user opened the customer-service chat of a Mini Program.

    https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/customer-message/receive.html
    """

    EVENT: ClassVar[str] = "user_enter_tempsession"
    session_from: Str = Field(None, alias="SessionFrom")
    """The button's ``session-from`` (or ``sessionFrom``) value (``SessionFrom``)."""


class _WeappAuditEvent(BaseEvent):
    succ_time: Int = Field(None, alias="SuccTime")
    """When the code passed review, in Unix seconds (``SuccTime``)."""
    fail_time: Int = Field(None, alias="FailTime")
    """When the code failed review, in Unix seconds (``FailTime``)."""
    delay_time: Int = Field(None, alias="DelayTime")
    """When the review was delayed, in Unix seconds (``DelayTime``)."""
    reason: Str = Field(None, alias="Reason")
    """Why the review failed or was delayed (``Reason``)."""
    screenshot: Str = Field(None, alias="ScreenShot")
    """Example screenshots of a failed review: media_ids joined by ``|`` (``ScreenShot``)."""

    @property
    def screenshots(self) -> list[str]:
        """The media_ids of :attr:`screenshot`, split on ``|`` (``[]`` when absent)."""
        return [part for part in (self.screenshot or "").split("|") if part]


class WeappAuditSuccessEvent(_WeappAuditEvent):
    """A Mini Program's submitted code passed review (third-party platforms).

    https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/code/audit_event.html
    """

    EVENT: ClassVar[str] = "weapp_audit_success"


class WeappAuditFailEvent(_WeappAuditEvent):
    """A Mini Program's submitted code failed review (``reason``, ``screenshots``).

    https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/code/audit_event.html
    """

    EVENT: ClassVar[str] = "weapp_audit_fail"


class WeappAuditDelayEvent(_WeappAuditEvent):
    """The review of a Mini Program's submitted code was delayed.

    https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/code/audit_event.html
    """

    EVENT: ClassVar[str] = "weapp_audit_delay"


class WxaCategoryAuditEvent(BaseEvent):
    """The review of a category added to a Mini Program finished (lower-case tags).

    https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/category/wxa_category_audit.html
    """

    EVENT: ClassVar[str] = "wxa_category_audit"
    ret: Int = None
    """The review's result (``ret``): 2 rejected, 3 approved."""
    first: Int = None
    """The first-level category id (``first``)."""
    second: Int = None
    """The second-level category id (``second``)."""
    reason: Str = None
    """Why it was rejected (``reason``)."""


class _GiftCardEvent(BaseEvent):
    page_id: Str = Field(None, alias="PageId")
    """The id of the gift-card shelf (货架) the order was placed on (``PageId``)."""
    order_id: Str = Field(None, alias="OrderId")
    """The gift-card order's number (``OrderId``): look it up with ``/card/giftcard/order/get``."""


class GiftcardPayDoneEvent(_GiftCardEvent):
    """A user paid for a gift-card order (礼品卡: 用户购买礼品卡付款成功).

    Fields ``PageId`` and ``OrderId``, from the event section of WeChat's gift-card
    documentation (礼品卡接口文档, whose change log adds the gifting events on 2016-12-14):
    https://developers.weixin.qq.com/doc/subscription/guide/product/card/gift_card.html
    (English: ``/doc/subscription/en/guide/product/card/gift_card.html``). The page's field
    table was not retrievable as text here; the names and meanings are those of its table
    as WeChat SDKs transcribe it. Any other child element is kept as an extra field.
    """

    EVENT: ClassVar[str] = "giftcard_pay_done"


class GiftcardSendToFriendEvent(_GiftCardEvent):
    """A user who bought gift cards sent them to a friend or a group (用户购买后赠送).

    Fields ``PageId``, ``OrderId``, ``IsChatRoom`` and ``IsReturnBack``, from the event
    section of 礼品卡接口文档 (see :class:`GiftcardPayDoneEvent` for the page and for what
    is known of its table). Any other child element is kept as an extra field.
    """

    EVENT: ClassVar[str] = "giftcard_send_to_friend"
    is_chat_room: Str = Field(None, alias="IsChatRoom")
    """``true`` when the cards were sent to a group chat (``IsChatRoom``, as written)."""
    is_return_back: Str = Field(None, alias="IsReturnBack")
    """``true`` when the cards went back to the buyer's card bag because nobody accepted
    them within 24 hours (``IsReturnBack``, as written)."""


class GiftcardUserAcceptEvent(_GiftCardEvent):
    """A user accepted gift cards sent to them (用户领取礼品卡成功).

    Fields ``PageId``, ``OrderId`` and ``IsChatRoom``, from the event section of
    礼品卡接口文档 (see :class:`GiftcardPayDoneEvent` for the page and for what is known of
    its table). Any other child element is kept as an extra field.
    """

    EVENT: ClassVar[str] = "giftcard_user_accept"
    is_chat_room: Str = Field(None, alias="IsChatRoom")
    """``true`` when the cards were sent to a group chat (``IsChatRoom``, as written)."""


class CloudInvoiceResultEvent(BaseEvent):
    """The result of an invoice issued through the unified invoicing API (电子发票, 自建平台).

    WeChat's page: 商户接口列表 § 19 "统一开票接口-异步通知开票结果" ("Unified Invoicing
    API - Async Notifications of Invoicing Result"),
    https://developers.weixin.qq.com/doc/offiaccount/WeChat_Invoice/E_Invoice/Vendor_API_List.html#19
    (now ``/doc/service/guide/product/weixin_invoice/E_Invoice/Vendor_API_List.html``).
    Its field table was not retrievable as text here: the three lower-case tags below are
    those every SDK citing that section reads, directly under ``<xml>``; no captured push
    was found. Any other child element (or a wrapper, should WeChat nest them) is kept as an
    extra field. Not the card-invoice ``update_invoice_status`` push (``Status``/``CardId``/
    ``Code``), which is :class:`UpdateInvoiceStatusEvent`.
    """

    EVENT: ClassVar[str] = "cloud_invoice_invoiceresult_event"
    fpqqlsh: Str = None
    """The invoice request's serial number (发票请求流水号) given to ``makeoutinvoice``
    (``fpqqlsh``)."""
    nsrsbh: Str = None
    """The seller's taxpayer identification number (纳税人识别号, ``nsrsbh``)."""
    status: Int = None
    """The result code (``status``); SDKs describe 2 as failed and 100 as issued, which the
    page could not be checked for."""


class _WxVerifyEvent(BaseEvent):
    """WeChat-certification (微信认证) progress pushes, which WeChat does not document.

    They reach an account (or the third-party platform that manages it) while its WeChat
    certification is paid for and reviewed; WeChat's community confirms they come from the
    certification order ("是申请微信认证的时候,会收到此事件",
    https://developers.weixin.qq.com/community/pay/doc/000c80a0a403a8b5561a963005b400)
    and that the docs do not describe them
    (https://developers.weixin.qq.com/community/pay/doc/0006a687174fe089d87a8ebea56000).
    Only the universal envelope is certain; typed fields are those of a push captured in
    WeChat's forum; every other child element is kept as an extra field
    (``message.model_extra``).
    """


class WxVerifyPaySuccEvent(_WxVerifyEvent):
    """The certification fee (认证费) was paid.

    ``OrderId`` is the one child of the push captured in WeChat's forum
    (https://developers.weixin.qq.com/community/minihome/doc/000e4c3d2a076852a2edf289e59c00);
    no official field table exists.
    """

    EVENT: ClassVar[str] = "wx_verify_pay_succ"
    order_id: Str = Field(None, alias="OrderId")
    """The certification order's number (``OrderId``), as shown in the admin console."""


class WxVerifyDispatchEvent(_WxVerifyEvent):
    """The certification order was dispatched to a review agency (派单).

    ``Provider``, ``Contact`` and ``DispatchTime`` are the children of the push captured in
    WeChat's forum
    (https://developers.weixin.qq.com/community/minihome/doc/000e4c3d2a076852a2edf289e59c00);
    no official field table exists.
    """

    EVENT: ClassVar[str] = "wx_verify_dispatch"
    provider: Str = Field(None, alias="Provider")
    """The review agency (审核机构) the order went to (``Provider``)."""
    contact: Str = Field(None, alias="Contact")
    """How to reach the agency, e.g. ``咨询电话:…`` (``Contact``)."""
    dispatch_time: Int = Field(None, alias="DispatchTime")
    """When the order was dispatched, in Unix seconds (``DispatchTime``)."""


class WxVerifyRefillEvent(_WxVerifyEvent):
    """The certification review asks for the application to be corrected (打回重填).

    No official text and no captured push of this event was found: only the envelope is
    typed, and whatever it carries (the reason, presumably, as the ``refill_reason`` of
    ``/wxa/sec/queryauth`` does) is kept as extra fields under its XML tags.
    """

    EVENT: ClassVar[str] = "wx_verify_refill"


class WxVerifyFailEvent(_WxVerifyEvent):
    """The certification failed for good (认证最终失败).

    No official text and no captured push of this event was found: only the envelope is
    typed, and whatever it carries (the reason, presumably, as the ``fail_reason`` of
    ``/wxa/sec/queryauth`` does) is kept as extra fields under its XML tags.
    """

    EVENT: ClassVar[str] = "wx_verify_fail"


class DeviceEvent(WeChatMessage):
    """An event of a WeChat hardware device (``MsgType`` ``device_event``: bind, unbind…)."""

    MSG_TYPE: ClassVar[str] = "device_event"
    event: Str = Field(None, alias="Event")
    device_type: Str = Field(None, alias="DeviceType")
    device_id: Str = Field(None, alias="DeviceID")
    session_id: Str = Field(None, alias="SessionID")
    open_id: Str = Field(None, alias="OpenID")
    content: Str = Field(None, alias="Content")
    op_type: Int = Field(None, alias="OpType")
    """For ``subscribe_status`` / ``unsubscribe_status``: 0 unsubscribe, 1 heartbeat,
    2 subscribe (https://iot.weixin.qq.com/wiki/document-2_10.html)."""


class UnknownEvent(BaseEvent):
    """An event this SDK does not model; every field is kept."""

    EVENT: ClassVar[str] = "unknown"
    DECORATOR: ClassVar[str | None] = "unknown_event"


#: Every modelled class of this module in definition order (``UnknownEvent`` excluded).
EVENTS: tuple[type[WeChatMessage], ...] = declared_types(globals())
