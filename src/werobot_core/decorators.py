"""The robot's handler decorators: one :class:`On` per message and event class.

Generated from ``MESSAGE_TYPES`` and each class's ``decorator_names()`` by
``make decorators`` (``python -m werobot_cli.modeltable``); the suite fails when this file
and the classes disagree. Edit the classes in :mod:`werobot_core.messages`, not this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werobot_core.handlers import On

if TYPE_CHECKING:
    from werobot_core import messages as m

__all__ = ["HandlerDecorators"]


class HandlerDecorators:
    """``@robot.text``, ``@robot.subscribe``, … and ``@robot.handler`` (every type)."""

    handler: On[m.WeChatMessage] = On()
    text: On[m.TextMessage] = On("text")
    image: On[m.ImageMessage] = On("image")
    voice: On[m.VoiceMessage] = On("voice")
    video: On[m.VideoMessage] = On("video")
    shortvideo: On[m.ShortVideoMessage] = On("shortvideo")
    location: On[m.LocationMessage] = On("location")
    link: On[m.LinkMessage] = On("link")
    miniprogrampage: On[m.MiniProgramPageMessage] = On("miniprogrampage")
    device_text: On[m.DeviceTextMessage] = On("device_text")
    device_subscribe_status: On[m.DeviceSubscribeStatusMessage] = On("device_subscribe_status")
    device_unsubscribe_status: On[m.DeviceUnsubscribeStatusMessage] = On(
        "device_unsubscribe_status"
    )
    subscribe: On[m.SubscribeEvent] = On("subscribe_event")
    subscribe_event = subscribe
    unsubscribe: On[m.UnSubscribeEvent] = On("unsubscribe_event")
    unsubscribe_event = unsubscribe
    scan: On[m.ScanEvent] = On("scan_event")
    scan_event = scan
    location_event: On[m.LocationEvent] = On("location_event")
    click: On[m.ClickEvent] = On("click_event")
    click_event = click
    view: On[m.ViewEvent] = On("view_event")
    view_event = view
    view_miniprogram: On[m.ViewMiniProgramEvent] = On("view_miniprogram_event")
    view_miniprogram_event = view_miniprogram
    scancode_push: On[m.ScanCodePushEvent] = On("scancode_push_event")
    scancode_push_event = scancode_push
    scancode_waitmsg: On[m.ScanCodeWaitMsgEvent] = On("scancode_waitmsg_event")
    scancode_waitmsg_event = scancode_waitmsg
    pic_sysphoto: On[m.PicSysphotoEvent] = On("pic_sysphoto_event")
    pic_sysphoto_event = pic_sysphoto
    pic_photo_or_album: On[m.PicPhotoOrAlbumEvent] = On("pic_photo_or_album_event")
    pic_photo_or_album_event = pic_photo_or_album
    pic_weixin: On[m.PicWeixinEvent] = On("pic_weixin_event")
    pic_weixin_event = pic_weixin
    location_select: On[m.LocationSelectEvent] = On("location_select_event")
    location_select_event = location_select
    templatesendjobfinish_event: On[m.TemplateSendJobFinishEvent] = On(
        "templatesendjobfinish_event"
    )
    masssendjobfinish: On[m.MassSendJobFinishEvent] = On("masssendjobfinish_event")
    masssendjobfinish_event = masssendjobfinish
    publishjobfinish: On[m.PublishJobFinishEvent] = On("publishjobfinish_event")
    publishjobfinish_event = publishjobfinish
    subscribe_msg_popup: On[m.SubscribeMsgPopupEvent] = On("subscribe_msg_popup_event")
    subscribe_msg_popup_event = subscribe_msg_popup
    subscribe_msg_change: On[m.SubscribeMsgChangeEvent] = On("subscribe_msg_change_event")
    subscribe_msg_change_event = subscribe_msg_change
    subscribe_msg_sent: On[m.SubscribeMsgSentEvent] = On("subscribe_msg_sent_event")
    subscribe_msg_sent_event = subscribe_msg_sent
    kf_create_session: On[m.KfCreateSessionEvent] = On("kf_create_session_event")
    kf_create_session_event = kf_create_session
    kf_close_session: On[m.KfCloseSessionEvent] = On("kf_close_session_event")
    kf_close_session_event = kf_close_session
    kf_switch_session: On[m.KfSwitchSessionEvent] = On("kf_switch_session_event")
    kf_switch_session_event = kf_switch_session
    qualification_verify_success: On[m.QualificationVerifySuccessEvent] = On(
        "qualification_verify_success_event"
    )
    qualification_verify_success_event = qualification_verify_success
    qualification_verify_fail: On[m.QualificationVerifyFailEvent] = On(
        "qualification_verify_fail_event"
    )
    qualification_verify_fail_event = qualification_verify_fail
    naming_verify_success: On[m.NamingVerifySuccessEvent] = On("naming_verify_success_event")
    naming_verify_success_event = naming_verify_success
    naming_verify_fail: On[m.NamingVerifyFailEvent] = On("naming_verify_fail_event")
    naming_verify_fail_event = naming_verify_fail
    annual_renew: On[m.AnnualRenewEvent] = On("annual_renew_event")
    annual_renew_event = annual_renew
    verify_expired: On[m.VerifyExpiredEvent] = On("verify_expired_event")
    verify_expired_event = verify_expired
    user_scan_product: On[m.UserScanProductEvent] = On("user_scan_product_event")
    user_scan_product_event = user_scan_product
    user_scan_product_enter_session: On[m.UserScanProductEnterSessionEvent] = On(
        "user_scan_product_enter_session_event"
    )
    user_scan_product_enter_session_event = user_scan_product_enter_session
    user_scan_product_async: On[m.UserScanProductAsyncEvent] = On("user_scan_product_async_event")
    user_scan_product_async_event = user_scan_product_async
    user_scan_product_verify_action: On[m.UserScanProductVerifyActionEvent] = On(
        "user_scan_product_verify_action_event"
    )
    user_scan_product_verify_action_event = user_scan_product_verify_action
    card_pass_check: On[m.CardPassCheckEvent] = On("card_pass_check_event")
    card_pass_check_event = card_pass_check
    card_not_pass_check: On[m.CardNotPassCheckEvent] = On("card_not_pass_check_event")
    card_not_pass_check_event = card_not_pass_check
    user_get_card: On[m.UserGetCardEvent] = On("user_get_card_event")
    user_get_card_event = user_get_card
    user_gifting_card: On[m.UserGiftingCardEvent] = On("user_gifting_card_event")
    user_gifting_card_event = user_gifting_card
    user_del_card: On[m.UserDelCardEvent] = On("user_del_card_event")
    user_del_card_event = user_del_card
    user_consume_card: On[m.UserConsumeCardEvent] = On("user_consume_card_event")
    user_consume_card_event = user_consume_card
    user_pay_from_pay_cell: On[m.UserPayFromPayCellEvent] = On("user_pay_from_pay_cell_event")
    user_pay_from_pay_cell_event = user_pay_from_pay_cell
    user_view_card: On[m.UserViewCardEvent] = On("user_view_card_event")
    user_view_card_event = user_view_card
    user_enter_session_from_card: On[m.UserEnterSessionFromCardEvent] = On(
        "user_enter_session_from_card_event"
    )
    user_enter_session_from_card_event = user_enter_session_from_card
    update_member_card: On[m.UpdateMemberCardEvent] = On("update_member_card_event")
    update_member_card_event = update_member_card
    card_sku_remind: On[m.CardSkuRemindEvent] = On("card_sku_remind_event")
    card_sku_remind_event = card_sku_remind
    card_pay_order: On[m.CardPayOrderEvent] = On("card_pay_order_event")
    card_pay_order_event = card_pay_order
    submit_membercard_user_info: On[m.SubmitMembercardUserInfoEvent] = On(
        "submit_membercard_user_info_event"
    )
    submit_membercard_user_info_event = submit_membercard_user_info
    wificonnected: On[m.WifiConnectedEvent] = On("wificonnected_event")
    wificonnected_event = wificonnected
    shakearoundusershake: On[m.ShakearoundUserShakeEvent] = On("shakearoundusershake_event")
    shakearoundusershake_event = shakearoundusershake
    submit_invoice_title: On[m.SubmitInvoiceTitleEvent] = On("submit_invoice_title_event")
    submit_invoice_title_event = submit_invoice_title
    update_invoice_status: On[m.UpdateInvoiceStatusEvent] = On("update_invoice_status_event")
    update_invoice_status_event = update_invoice_status
    user_authorize_invoice: On[m.UserAuthorizeInvoiceEvent] = On("user_authorize_invoice_event")
    user_authorize_invoice_event = user_authorize_invoice
    merchant_order: On[m.MerchantOrderEvent] = On("merchant_order_event")
    merchant_order_event = merchant_order
    user_info_modified: On[m.UserInfoModifiedEvent] = On("user_info_modified_event")
    user_info_modified_event = user_info_modified
    user_authorization_revoke: On[m.UserAuthorizationRevokeEvent] = On(
        "user_authorization_revoke_event"
    )
    user_authorization_revoke_event = user_authorization_revoke
    user_authorization_cancellation: On[m.UserAuthorizationCancellationEvent] = On(
        "user_authorization_cancellation_event"
    )
    user_authorization_cancellation_event = user_authorization_cancellation
    poi_check_notify: On[m.PoiCheckNotifyEvent] = On("poi_check_notify_event")
    poi_check_notify_event = poi_check_notify
    guide_invite_result: On[m.GuideInviteResultEvent] = On("guide_invite_result_event")
    guide_invite_result_event = guide_invite_result
    guide_qrcode_scan: On[m.GuideQrcodeScanEvent] = On("guide_qrcode_scan_event")
    guide_qrcode_scan_event = guide_qrcode_scan
    wxa_media_check: On[m.WxaMediaCheckEvent] = On("wxa_media_check_event")
    wxa_media_check_event = wxa_media_check
    user_enter_tempsession: On[m.UserEnterTempsessionEvent] = On("user_enter_tempsession_event")
    user_enter_tempsession_event = user_enter_tempsession
    weapp_audit_success: On[m.WeappAuditSuccessEvent] = On("weapp_audit_success_event")
    weapp_audit_success_event = weapp_audit_success
    weapp_audit_fail: On[m.WeappAuditFailEvent] = On("weapp_audit_fail_event")
    weapp_audit_fail_event = weapp_audit_fail
    weapp_audit_delay: On[m.WeappAuditDelayEvent] = On("weapp_audit_delay_event")
    weapp_audit_delay_event = weapp_audit_delay
    wxa_category_audit: On[m.WxaCategoryAuditEvent] = On("wxa_category_audit_event")
    wxa_category_audit_event = wxa_category_audit
    giftcard_pay_done: On[m.GiftcardPayDoneEvent] = On("giftcard_pay_done_event")
    giftcard_pay_done_event = giftcard_pay_done
    giftcard_send_to_friend: On[m.GiftcardSendToFriendEvent] = On("giftcard_send_to_friend_event")
    giftcard_send_to_friend_event = giftcard_send_to_friend
    giftcard_user_accept: On[m.GiftcardUserAcceptEvent] = On("giftcard_user_accept_event")
    giftcard_user_accept_event = giftcard_user_accept
    cloud_invoice_invoiceresult: On[m.CloudInvoiceResultEvent] = On(
        "cloud_invoice_invoiceresult_event"
    )
    cloud_invoice_invoiceresult_event = cloud_invoice_invoiceresult
    wx_verify_pay_succ: On[m.WxVerifyPaySuccEvent] = On("wx_verify_pay_succ_event")
    wx_verify_pay_succ_event = wx_verify_pay_succ
    wx_verify_dispatch: On[m.WxVerifyDispatchEvent] = On("wx_verify_dispatch_event")
    wx_verify_dispatch_event = wx_verify_dispatch
    wx_verify_refill: On[m.WxVerifyRefillEvent] = On("wx_verify_refill_event")
    wx_verify_refill_event = wx_verify_refill
    wx_verify_fail: On[m.WxVerifyFailEvent] = On("wx_verify_fail_event")
    wx_verify_fail_event = wx_verify_fail
    device_event: On[m.DeviceEvent] = On("device_event")
    unknown: On[m.UnknownMessage] = On("unknown")
    unknown_event: On[m.UnknownEvent] = On("unknown_event")
