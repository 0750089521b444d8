"""The robot's handler decorators: one :class:`On` per message and event class.

Generated from ``MESSAGE_TYPES`` and each class's ``decorator_names()`` by
``make decorators`` (``python -m werobot_cli.modeltable``); the suite fails when this file
and the classes disagree. Edit the classes in :mod:`werobot_core.messages`, not this file.
"""

from __future__ import annotations

from werobot_core import messages as m
from werobot_core.handlers import On

__all__ = ["HandlerDecorators"]


class HandlerDecorators:
    """``@robot.text``, ``@robot.subscribe``, … and ``@robot.handler`` (every type)."""

    handler: On[m.WeChatMessage] = On()
    text = On(m.TextMessage)
    image = On(m.ImageMessage)
    voice = On(m.VoiceMessage)
    video = On(m.VideoMessage)
    shortvideo = On(m.ShortVideoMessage)
    location = On(m.LocationMessage)
    link = On(m.LinkMessage)
    miniprogrampage = On(m.MiniProgramPageMessage)
    device_text = On(m.DeviceTextMessage)
    device_subscribe_status = On(m.DeviceSubscribeStatusMessage)
    device_unsubscribe_status = On(m.DeviceUnsubscribeStatusMessage)
    subscribe = subscribe_event = On(m.SubscribeEvent)
    unsubscribe = unsubscribe_event = On(m.UnSubscribeEvent)
    scan = scan_event = On(m.ScanEvent)
    location_event = On(m.LocationEvent)
    click = click_event = On(m.ClickEvent)
    view = view_event = On(m.ViewEvent)
    view_miniprogram = view_miniprogram_event = On(m.ViewMiniProgramEvent)
    scancode_push = scancode_push_event = On(m.ScanCodePushEvent)
    scancode_waitmsg = scancode_waitmsg_event = On(m.ScanCodeWaitMsgEvent)
    pic_sysphoto = pic_sysphoto_event = On(m.PicSysphotoEvent)
    pic_photo_or_album = pic_photo_or_album_event = On(m.PicPhotoOrAlbumEvent)
    pic_weixin = pic_weixin_event = On(m.PicWeixinEvent)
    location_select = location_select_event = On(m.LocationSelectEvent)
    templatesendjobfinish_event = On(m.TemplateSendJobFinishEvent)
    masssendjobfinish = masssendjobfinish_event = On(m.MassSendJobFinishEvent)
    publishjobfinish = publishjobfinish_event = On(m.PublishJobFinishEvent)
    subscribe_msg_popup = subscribe_msg_popup_event = On(m.SubscribeMsgPopupEvent)
    subscribe_msg_change = subscribe_msg_change_event = On(m.SubscribeMsgChangeEvent)
    subscribe_msg_sent = subscribe_msg_sent_event = On(m.SubscribeMsgSentEvent)
    kf_create_session = kf_create_session_event = On(m.KfCreateSessionEvent)
    kf_close_session = kf_close_session_event = On(m.KfCloseSessionEvent)
    kf_switch_session = kf_switch_session_event = On(m.KfSwitchSessionEvent)
    qualification_verify_success = qualification_verify_success_event = On(
        m.QualificationVerifySuccessEvent
    )
    qualification_verify_fail = qualification_verify_fail_event = On(m.QualificationVerifyFailEvent)
    naming_verify_success = naming_verify_success_event = On(m.NamingVerifySuccessEvent)
    naming_verify_fail = naming_verify_fail_event = On(m.NamingVerifyFailEvent)
    annual_renew = annual_renew_event = On(m.AnnualRenewEvent)
    verify_expired = verify_expired_event = On(m.VerifyExpiredEvent)
    user_scan_product = user_scan_product_event = On(m.UserScanProductEvent)
    user_scan_product_enter_session = user_scan_product_enter_session_event = On(
        m.UserScanProductEnterSessionEvent
    )
    user_scan_product_async = user_scan_product_async_event = On(m.UserScanProductAsyncEvent)
    user_scan_product_verify_action = user_scan_product_verify_action_event = On(
        m.UserScanProductVerifyActionEvent
    )
    card_pass_check = card_pass_check_event = On(m.CardPassCheckEvent)
    card_not_pass_check = card_not_pass_check_event = On(m.CardNotPassCheckEvent)
    user_get_card = user_get_card_event = On(m.UserGetCardEvent)
    user_gifting_card = user_gifting_card_event = On(m.UserGiftingCardEvent)
    user_del_card = user_del_card_event = On(m.UserDelCardEvent)
    user_consume_card = user_consume_card_event = On(m.UserConsumeCardEvent)
    user_pay_from_pay_cell = user_pay_from_pay_cell_event = On(m.UserPayFromPayCellEvent)
    user_view_card = user_view_card_event = On(m.UserViewCardEvent)
    user_enter_session_from_card = user_enter_session_from_card_event = On(
        m.UserEnterSessionFromCardEvent
    )
    update_member_card = update_member_card_event = On(m.UpdateMemberCardEvent)
    card_sku_remind = card_sku_remind_event = On(m.CardSkuRemindEvent)
    card_pay_order = card_pay_order_event = On(m.CardPayOrderEvent)
    submit_membercard_user_info = submit_membercard_user_info_event = On(
        m.SubmitMembercardUserInfoEvent
    )
    wificonnected = wificonnected_event = On(m.WifiConnectedEvent)
    shakearoundusershake = shakearoundusershake_event = On(m.ShakearoundUserShakeEvent)
    submit_invoice_title = submit_invoice_title_event = On(m.SubmitInvoiceTitleEvent)
    update_invoice_status = update_invoice_status_event = On(m.UpdateInvoiceStatusEvent)
    user_authorize_invoice = user_authorize_invoice_event = On(m.UserAuthorizeInvoiceEvent)
    merchant_order = merchant_order_event = On(m.MerchantOrderEvent)
    user_info_modified = user_info_modified_event = On(m.UserInfoModifiedEvent)
    user_authorization_revoke = user_authorization_revoke_event = On(m.UserAuthorizationRevokeEvent)
    user_authorization_cancellation = user_authorization_cancellation_event = On(
        m.UserAuthorizationCancellationEvent
    )
    poi_check_notify = poi_check_notify_event = On(m.PoiCheckNotifyEvent)
    guide_invite_result = guide_invite_result_event = On(m.GuideInviteResultEvent)
    guide_qrcode_scan = guide_qrcode_scan_event = On(m.GuideQrcodeScanEvent)
    wxa_media_check = wxa_media_check_event = On(m.WxaMediaCheckEvent)
    user_enter_tempsession = user_enter_tempsession_event = On(m.UserEnterTempsessionEvent)
    weapp_audit_success = weapp_audit_success_event = On(m.WeappAuditSuccessEvent)
    weapp_audit_fail = weapp_audit_fail_event = On(m.WeappAuditFailEvent)
    weapp_audit_delay = weapp_audit_delay_event = On(m.WeappAuditDelayEvent)
    wxa_category_audit = wxa_category_audit_event = On(m.WxaCategoryAuditEvent)
    giftcard_pay_done = giftcard_pay_done_event = On(m.GiftcardPayDoneEvent)
    giftcard_send_to_friend = giftcard_send_to_friend_event = On(m.GiftcardSendToFriendEvent)
    giftcard_user_accept = giftcard_user_accept_event = On(m.GiftcardUserAcceptEvent)
    cloud_invoice_invoiceresult = cloud_invoice_invoiceresult_event = On(m.CloudInvoiceResultEvent)
    wx_verify_pay_succ = wx_verify_pay_succ_event = On(m.WxVerifyPaySuccEvent)
    wx_verify_dispatch = wx_verify_dispatch_event = On(m.WxVerifyDispatchEvent)
    wx_verify_refill = wx_verify_refill_event = On(m.WxVerifyRefillEvent)
    wx_verify_fail = wx_verify_fail_event = On(m.WxVerifyFailEvent)
    device_event = On(m.DeviceEvent)
    unknown = On(m.UnknownMessage)
    unknown_event = On(m.UnknownEvent)
