"""``ApiMethods``: every endpoint of SPEC §8, listed once for both clients.

Each attribute is an :class:`~werobot_client.call.Endpoint` from ``endpoints/``: a method of
:class:`~werobot_client.Client` returning the typed answer, and a coroutine method of
:class:`~werobot_client.AsyncClient` with the same parameters.
"""

from __future__ import annotations

from werobot_client.endpoints import basic, kf, mass, media, menu, messages, tags, users

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
