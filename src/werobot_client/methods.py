"""``ApiMethods``: every endpoint (SPEC §8 and issue 12), listed once for both clients.

Each attribute is an :class:`~werobot_client.call.Endpoint` from ``endpoints/``: a method of
:class:`~werobot_client.Client` returning the typed answer, and a coroutine method of
:class:`~werobot_client.AsyncClient` with the same parameters.
"""

from __future__ import annotations

from werobot_client.endpoints import (
    basic,
    comments,
    datacube,
    kf,
    kf_sessions,
    mass,
    media,
    menu,
    messages,
    notify,
    ops,
    publish,
    tags,
    users,
    web,
)

__all__ = ["ApiMethods"]


class ApiMethods:
    """The WeChat API methods shared by :class:`Client` and :class:`AsyncClient`."""

    # Endpoints the client does not wrap (``get`` and ``post``, on each client, call it).
    request = basic.request

    get_ip_list = basic.get_ip_list

    create_menu = menu.create_menu
    get_menu = menu.get_menu
    delete_menu = menu.delete_menu
    create_custom_menu = menu.create_custom_menu
    delete_custom_menu = menu.delete_custom_menu
    match_custom_menu = menu.match_custom_menu
    get_custom_menu_config = menu.get_custom_menu_config

    add_custom_service_account = kf.add_custom_service_account
    update_custom_service_account = kf.update_custom_service_account
    delete_custom_service_account = kf.delete_custom_service_account
    upload_custom_service_account_avatar = kf.upload_custom_service_account_avatar
    get_custom_service_account_list = kf.get_custom_service_account_list
    get_online_custom_service_account_list = kf.get_online_custom_service_account_list

    send_text_message = messages.send_text_message
    send_image_message = messages.send_image_message
    send_voice_message = messages.send_voice_message
    send_video_message = messages.send_video_message
    send_music_message = messages.send_music_message
    send_article_message = messages.send_article_message
    send_news_message = messages.send_news_message
    send_miniprogrampage_message = messages.send_miniprogrampage_message
    send_template_message = messages.send_template_message

    send_mass_msg = mass.send_mass_msg
    delete_mass_msg = mass.delete_mass_msg
    send_mass_preview_to_user = mass.send_mass_preview_to_user
    get_mass_msg_status = mass.get_mass_msg_status
    get_mass_msg_speed = mass.get_mass_msg_speed
    set_mass_msg_speed = mass.set_mass_msg_speed

    create_group = users.create_group
    get_groups = users.get_groups
    get_group_by_id = users.get_group_by_id
    update_group = users.update_group
    move_user = users.move_user
    move_users = users.move_users
    delete_group = users.delete_group
    remark_user = users.remark_user
    get_user_info = users.get_user_info
    get_users_info = users.get_users_info
    get_followers = users.get_followers

    create_qrcode = media.create_qrcode
    show_qrcode = media.show_qrcode
    upload_media = media.upload_media
    download_media = media.download_media
    add_news = media.add_news
    upload_news_picture = media.upload_news_picture
    upload_permanent_media = media.upload_permanent_media
    upload_permanent_video = media.upload_permanent_video
    download_permanent_media = media.download_permanent_media
    delete_permanent_media = media.delete_permanent_media
    upload_news = media.upload_news
    update_news = media.update_news
    get_media_count = media.get_media_count
    get_media_list = media.get_media_list

    create_tag = tags.create_tag
    get_tags = tags.get_tags
    update_tag = tags.update_tag
    delete_tag = tags.delete_tag
    get_users_by_tag = tags.get_users_by_tag
    tag_users = tags.tag_users
    untag_users = tags.untag_users
    get_tags_by_user = tags.get_tags_by_user

    # Issue 12: API areas beyond WeRoBot.
    oauth_access_token = web.oauth_access_token
    oauth_refresh_token = web.oauth_refresh_token
    oauth_user_info = web.oauth_user_info
    oauth_check_token = web.oauth_check_token
    grant_ticket = web.grant_ticket

    # Draft box, publishing, short keys (and the retired shorturl).
    add_draft = publish.add_draft
    count_drafts = publish.count_drafts
    create_short_key = publish.create_short_key
    create_short_url = publish.create_short_url
    delete_draft = publish.delete_draft
    delete_published_article = publish.delete_published_article
    get_draft = publish.get_draft
    get_drafts = publish.get_drafts
    get_publish_status = publish.get_publish_status
    get_published_article = publish.get_published_article
    get_published_articles = publish.get_published_articles
    get_short_key = publish.get_short_key
    publish_draft = publish.publish_draft
    update_draft = publish.update_draft

    # Subscribe notifications, one-time subscription, template management.
    add_subscribe_template = notify.add_subscribe_template
    add_template = notify.add_template
    delete_subscribe_template = notify.delete_subscribe_template
    delete_template = notify.delete_template
    get_pub_template_keywords = notify.get_pub_template_keywords
    get_pub_template_titles = notify.get_pub_template_titles
    get_subscribe_categories = notify.get_subscribe_categories
    get_subscribe_templates = notify.get_subscribe_templates
    get_template_industry = notify.get_template_industry
    get_templates = notify.get_templates
    send_one_time_subscribe_message = notify.send_one_time_subscribe_message
    send_subscribe_message = notify.send_subscribe_message
    set_template_industry = notify.set_template_industry

    # Customer-service sessions, records, invitations, typing.
    close_custom_service_session = kf_sessions.close_custom_service_session
    create_custom_service_session = kf_sessions.create_custom_service_session
    get_custom_service_records = kf_sessions.get_custom_service_records
    get_custom_service_session = kf_sessions.get_custom_service_session
    get_custom_service_sessions = kf_sessions.get_custom_service_sessions
    get_custom_service_wait_cases = kf_sessions.get_custom_service_wait_cases
    invite_custom_service_worker = kf_sessions.invite_custom_service_worker
    send_typing = kf_sessions.send_typing

    # Blacklist, OpenID migration, quotas, rid, network.
    black_users = ops.black_users
    change_openid = ops.change_openid
    check_callback = ops.check_callback
    clear_quota = ops.clear_quota
    clear_quota_by_secret = ops.clear_quota_by_secret
    get_api_domain_ip = ops.get_api_domain_ip
    get_api_quota = ops.get_api_quota
    get_blacklist = ops.get_blacklist
    get_rid_info = ops.get_rid_info
    unblack_users = ops.unblack_users

    # Article comments.
    close_comment = comments.close_comment
    delete_comment = comments.delete_comment
    delete_comment_reply = comments.delete_comment_reply
    get_comments = comments.get_comments
    mark_comment_elect = comments.mark_comment_elect
    open_comment = comments.open_comment
    reply_comment = comments.reply_comment
    unmark_comment_elect = comments.unmark_comment_elect

    # Analytics.
    get_article_summary = datacube.get_article_summary
    get_article_total = datacube.get_article_total
    get_interface_summary = datacube.get_interface_summary
    get_interface_summary_hour = datacube.get_interface_summary_hour
    get_upstream_msg = datacube.get_upstream_msg
    get_upstream_msg_dist = datacube.get_upstream_msg_dist
    get_upstream_msg_dist_month = datacube.get_upstream_msg_dist_month
    get_upstream_msg_dist_week = datacube.get_upstream_msg_dist_week
    get_upstream_msg_hour = datacube.get_upstream_msg_hour
    get_upstream_msg_month = datacube.get_upstream_msg_month
    get_upstream_msg_week = datacube.get_upstream_msg_week
    get_user_cumulate = datacube.get_user_cumulate
    get_user_read = datacube.get_user_read
    get_user_read_hour = datacube.get_user_read_hour
    get_user_share = datacube.get_user_share
    get_user_share_hour = datacube.get_user_share_hour
    get_user_summary = datacube.get_user_summary
