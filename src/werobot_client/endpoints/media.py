"""Media (temporary, 3 days), permanent materials, news, and QR codes.

https://developers.weixin.qq.com/doc/offiaccount/en/Asset_Management/New_temporary_materials.html
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from werobot_client.call import ApiCall, deprecated, endpoint, get_json, post_json
from werobot_client.models import (
    ImageUrl,
    MediaCount,
    MediaId,
    MediaList,
    PermanentMedia,
    QrCode,
    UploadedMedia,
)
from werobot_client.responses import ApiResponse, M, MediaFile, json_as
from werobot_client.responses import media_file as decode_media
from werobot_client.uploads import MediaInput, file_part

__all__ = [
    "add_news",
    "create_qrcode",
    "delete_permanent_media",
    "download_media",
    "download_permanent_media",
    "get_media_count",
    "get_media_list",
    "show_qrcode",
    "update_news",
    "upload_media",
    "upload_news",
    "upload_news_picture",
    "upload_permanent_media",
    "upload_permanent_video",
]

SHOW_QRCODE_URL = "https://mp.weixin.qq.com/cgi-bin/showqrcode"


def _upload(
    path: str,
    model: type[M],
    media: MediaInput,
    query: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> ApiCall[M]:
    files = {"media": file_part(media)}
    return ApiCall("POST", path, decode=json_as(model), query=query or {}, files=files, form=form)


@endpoint
def create_qrcode(data: Mapping[str, Any]) -> ApiCall[QrCode]:
    """Create a QR code from ``{action_name, action_info[, expire_seconds]}``."""
    return post_json("/cgi-bin/qrcode/create", data, QrCode)


@endpoint
def show_qrcode(ticket: str) -> ApiCall[MediaFile]:
    """The QR code image of a ticket (no access token needed)."""
    return ApiCall(
        "GET", SHOW_QRCODE_URL, decode=decode_media, query={"ticket": ticket}, needs_token=False
    )


@endpoint
def upload_media(media_type: str, media_file: MediaInput) -> ApiCall[UploadedMedia]:
    """Upload temporary media (``image``, ``voice``, ``video`` or ``thumb``), kept 3 days."""
    return _upload("/cgi-bin/media/upload", UploadedMedia, media_file, {"type": media_type})


@endpoint
def download_media(media_id: str) -> ApiCall[MediaFile]:
    """Download temporary media."""
    return ApiCall("GET", "/cgi-bin/media/get", decode=decode_media, query={"media_id": media_id})


#: Why ``add_news``/``update_news`` warn: WeChat answers them 45106 since 2022-02-28.
NEWS_OFFLINE = "the permanent news material API is offline since 2022-02-28 (errcode 45106)"


@endpoint
@deprecated(f"{NEWS_OFFLINE}; use add_draft, then publish_draft")
def add_news(articles: Sequence[Mapping[str, Any]]) -> ApiCall[MediaId]:
    """Add a permanent news material."""
    return post_json("/cgi-bin/material/add_news", {"articles": articles}, MediaId)


@endpoint
def upload_news_picture(file: MediaInput) -> ApiCall[ImageUrl]:
    """Upload a picture used inside news articles; answers its URL."""
    return _upload("/cgi-bin/media/uploadimg", ImageUrl, file)


@endpoint
def upload_permanent_media(media_type: str, media_file: MediaInput) -> ApiCall[PermanentMedia]:
    """Upload a permanent material (``image``, ``voice`` or ``thumb``; videos: see below)."""
    query = {"type": media_type}
    return _upload("/cgi-bin/material/add_material", PermanentMedia, media_file, query)


@endpoint
def upload_permanent_video(
    title: str, introduction: str, video: MediaInput
) -> ApiCall[PermanentMedia]:
    """Upload a permanent video with its title and introduction."""
    description = json.dumps({"title": title, "introduction": introduction}, ensure_ascii=False)
    return _upload(
        "/cgi-bin/material/add_material",
        PermanentMedia,
        video,
        {"type": "video"},
        {"description": description},
    )


@endpoint
def download_permanent_media(media_id: str) -> ApiCall[MediaFile]:
    """Download a permanent material; news and videos answer JSON (``.json()``)."""
    body = {"media_id": media_id}
    return ApiCall("POST", "/cgi-bin/material/get_material", decode=decode_media, body=body)


@endpoint
def delete_permanent_media(media_id: str) -> ApiCall[ApiResponse]:
    """Delete a permanent material."""
    return post_json("/cgi-bin/material/del_material", {"media_id": media_id}, ApiResponse)


@endpoint
def upload_news(articles: Sequence[Mapping[str, Any]]) -> ApiCall[UploadedMedia]:
    """Upload news for a mass message."""
    return post_json("/cgi-bin/media/uploadnews", {"articles": articles}, UploadedMedia)


@endpoint
@deprecated(f"{NEWS_OFFLINE}; use update_draft, then publish_draft")
def update_news(update_data: Mapping[str, Any]) -> ApiCall[ApiResponse]:
    """Edit one article of a permanent news material."""
    return post_json("/cgi-bin/material/update_news", update_data, ApiResponse)


@endpoint
def get_media_count() -> ApiCall[MediaCount]:
    """The number of permanent materials of each type."""
    return get_json("/cgi-bin/material/get_materialcount", MediaCount)


@endpoint
def get_media_list(media_type: str, offset: int, count: int) -> ApiCall[MediaList]:
    """A page of permanent materials of one type (``count`` 1–20)."""
    body = {"type": media_type, "offset": offset, "count": count}
    return post_json("/cgi-bin/material/batchget_material", body, MediaList)
