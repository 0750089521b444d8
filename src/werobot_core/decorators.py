"""The robot's handler decorators: one :class:`On` per message and event class.

Each line names a class; its dispatch key comes from the class. A test checks that every
class of ``MESSAGE_TYPES`` has exactly the decorators its ``decorator_names()`` derives.
"""

from __future__ import annotations

from werobot_core.handlers import On
from werobot_core.messages import (
    AnnualRenewEvent,
    CardNotPassCheckEvent,
    CardPassCheckEvent,
    CardPayOrderEvent,
    CardSkuRemindEvent,
    ClickEvent,
    CloudInvoiceResultEvent,
    DeviceEvent,
    DeviceSubscribeStatusMessage,
    DeviceTextMessage,
    DeviceUnsubscribeStatusMessage,
    GiftcardPayDoneEvent,
    GiftcardSendToFriendEvent,
    GiftcardUserAcceptEvent,
    GuideInviteResultEvent,
    GuideQrcodeScanEvent,
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
    PoiCheckNotifyEvent,
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
    UserAuthorizationCancellationEvent,
    UserAuthorizationRevokeEvent,
    UserAuthorizeInvoiceEvent,
    UserConsumeCardEvent,
    UserDelCardEvent,
    UserEnterSessionFromCardEvent,
    UserEnterTempsessionEvent,
    UserGetCardEvent,
    UserGiftingCardEvent,
    UserInfoModifiedEvent,
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
    WeappAuditDelayEvent,
    WeappAuditFailEvent,
    WeappAuditSuccessEvent,
    WeChatMessage,
    WifiConnectedEvent,
    WxaCategoryAuditEvent,
    WxaMediaCheckEvent,
    WxVerifyDispatchEvent,
    WxVerifyFailEvent,
    WxVerifyPaySuccEvent,
    WxVerifyRefillEvent,
)

__all__ = ["HandlerDecorators"]


class HandlerDecorators:
    """``@robot.text``, ``@robot.subscribe``, … and ``@robot.handler`` (every type)."""

    handler: On[WeChatMessage] = On()
    text = On(TextMessage)
    image = On(ImageMessage)
    voice = On(VoiceMessage)
    video = On(VideoMessage)
    shortvideo = On(ShortVideoMessage)
    location = On(LocationMessage)
    link = On(LinkMessage)
    miniprogrampage = On(MiniProgramPageMessage)
    device_text = On(DeviceTextMessage)
    device_subscribe_status = On(DeviceSubscribeStatusMessage)
    device_unsubscribe_status = On(DeviceUnsubscribeStatusMessage)
    subscribe = subscribe_event = On(SubscribeEvent)
    unsubscribe = unsubscribe_event = On(UnSubscribeEvent)
    scan = scan_event = On(ScanEvent)
    location_event = On(LocationEvent)
    click = click_event = On(ClickEvent)
    view = view_event = On(ViewEvent)
    view_miniprogram = view_miniprogram_event = On(ViewMiniProgramEvent)
    scancode_push = scancode_push_event = On(ScanCodePushEvent)
    scancode_waitmsg = scancode_waitmsg_event = On(ScanCodeWaitMsgEvent)
    pic_sysphoto = pic_sysphoto_event = On(PicSysphotoEvent)
    pic_photo_or_album = pic_photo_or_album_event = On(PicPhotoOrAlbumEvent)
    pic_weixin = pic_weixin_event = On(PicWeixinEvent)
    location_select = location_select_event = On(LocationSelectEvent)
    templatesendjobfinish_event = On(TemplateSendJobFinishEvent)
    masssendjobfinish = masssendjobfinish_event = On(MassSendJobFinishEvent)
    publishjobfinish = publishjobfinish_event = On(PublishJobFinishEvent)
    subscribe_msg_popup = subscribe_msg_popup_event = On(SubscribeMsgPopupEvent)
    subscribe_msg_change = subscribe_msg_change_event = On(SubscribeMsgChangeEvent)
    subscribe_msg_sent = subscribe_msg_sent_event = On(SubscribeMsgSentEvent)
    kf_create_session = kf_create_session_event = On(KfCreateSessionEvent)
    kf_close_session = kf_close_session_event = On(KfCloseSessionEvent)
    kf_switch_session = kf_switch_session_event = On(KfSwitchSessionEvent)
    qualification_verify_success = qualification_verify_success_event = On(
        QualificationVerifySuccessEvent
    )
    qualification_verify_fail = qualification_verify_fail_event = On(QualificationVerifyFailEvent)
    naming_verify_success = naming_verify_success_event = On(NamingVerifySuccessEvent)
    naming_verify_fail = naming_verify_fail_event = On(NamingVerifyFailEvent)
    annual_renew = annual_renew_event = On(AnnualRenewEvent)
    verify_expired = verify_expired_event = On(VerifyExpiredEvent)
    user_scan_product = user_scan_product_event = On(UserScanProductEvent)
    user_scan_product_enter_session = user_scan_product_enter_session_event = On(
        UserScanProductEnterSessionEvent
    )
    user_scan_product_async = user_scan_product_async_event = On(UserScanProductAsyncEvent)
    user_scan_product_verify_action = user_scan_product_verify_action_event = On(
        UserScanProductVerifyActionEvent
    )
    card_pass_check = card_pass_check_event = On(CardPassCheckEvent)
    card_not_pass_check = card_not_pass_check_event = On(CardNotPassCheckEvent)
    user_get_card = user_get_card_event = On(UserGetCardEvent)
    user_gifting_card = user_gifting_card_event = On(UserGiftingCardEvent)
    user_del_card = user_del_card_event = On(UserDelCardEvent)
    user_consume_card = user_consume_card_event = On(UserConsumeCardEvent)
    user_pay_from_pay_cell = user_pay_from_pay_cell_event = On(UserPayFromPayCellEvent)
    user_view_card = user_view_card_event = On(UserViewCardEvent)
    user_enter_session_from_card = user_enter_session_from_card_event = On(
        UserEnterSessionFromCardEvent
    )
    update_member_card = update_member_card_event = On(UpdateMemberCardEvent)
    card_sku_remind = card_sku_remind_event = On(CardSkuRemindEvent)
    card_pay_order = card_pay_order_event = On(CardPayOrderEvent)
    submit_membercard_user_info = submit_membercard_user_info_event = On(
        SubmitMembercardUserInfoEvent
    )
    wificonnected = wificonnected_event = On(WifiConnectedEvent)
    shakearoundusershake = shakearoundusershake_event = On(ShakearoundUserShakeEvent)
    submit_invoice_title = submit_invoice_title_event = On(SubmitInvoiceTitleEvent)
    update_invoice_status = update_invoice_status_event = On(UpdateInvoiceStatusEvent)
    user_authorize_invoice = user_authorize_invoice_event = On(UserAuthorizeInvoiceEvent)
    merchant_order = merchant_order_event = On(MerchantOrderEvent)
    user_info_modified = user_info_modified_event = On(UserInfoModifiedEvent)
    user_authorization_revoke = user_authorization_revoke_event = On(UserAuthorizationRevokeEvent)
    user_authorization_cancellation = user_authorization_cancellation_event = On(
        UserAuthorizationCancellationEvent
    )
    poi_check_notify = poi_check_notify_event = On(PoiCheckNotifyEvent)
    guide_invite_result = guide_invite_result_event = On(GuideInviteResultEvent)
    guide_qrcode_scan = guide_qrcode_scan_event = On(GuideQrcodeScanEvent)
    wxa_media_check = wxa_media_check_event = On(WxaMediaCheckEvent)
    user_enter_tempsession = user_enter_tempsession_event = On(UserEnterTempsessionEvent)
    weapp_audit_success = weapp_audit_success_event = On(WeappAuditSuccessEvent)
    weapp_audit_fail = weapp_audit_fail_event = On(WeappAuditFailEvent)
    weapp_audit_delay = weapp_audit_delay_event = On(WeappAuditDelayEvent)
    wxa_category_audit = wxa_category_audit_event = On(WxaCategoryAuditEvent)
    giftcard_pay_done = giftcard_pay_done_event = On(GiftcardPayDoneEvent)
    giftcard_send_to_friend = giftcard_send_to_friend_event = On(GiftcardSendToFriendEvent)
    giftcard_user_accept = giftcard_user_accept_event = On(GiftcardUserAcceptEvent)
    cloud_invoice_invoiceresult = cloud_invoice_invoiceresult_event = On(CloudInvoiceResultEvent)
    wx_verify_pay_succ = wx_verify_pay_succ_event = On(WxVerifyPaySuccEvent)
    wx_verify_dispatch = wx_verify_dispatch_event = On(WxVerifyDispatchEvent)
    wx_verify_refill = wx_verify_refill_event = On(WxVerifyRefillEvent)
    wx_verify_fail = wx_verify_fail_event = On(WxVerifyFailEvent)
    device_event = On(DeviceEvent)
    unknown = On(UnknownMessage)
    unknown_event = On(UnknownEvent)
