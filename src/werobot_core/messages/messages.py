"""User messages (``MsgType`` other than ``event``), one class per type.

WeChat's reference: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from werobot_core.messages.base import Float, Int, Str, StrEmpty, WeChatMessage, declared_types

__all__ = [
    "MESSAGES",
    "DeviceSubscribeStatusMessage",
    "DeviceTextMessage",
    "DeviceUnsubscribeStatusMessage",
    "ImageMessage",
    "LinkMessage",
    "LocationMessage",
    "MiniProgramPageMessage",
    "ShortVideoMessage",
    "TextMessage",
    "UnknownMessage",
    "VideoMessage",
    "VoiceMessage",
    "WeChatMessage",
]


class TextMessage(WeChatMessage):
    """A text message."""

    MSG_TYPE: ClassVar[str] = "text"
    content: StrEmpty = Field("", alias="Content")
    """The text the user sent."""
    bizmsgmenuid: Str = None
    """The id of the menu item the user tapped in a customer-service menu message."""


class ImageMessage(WeChatMessage):
    """An image message."""

    MSG_TYPE: ClassVar[str] = "image"
    img: Str = Field(None, alias="PicUrl")
    """The picture's URL."""
    media_id: Str = Field(None, alias="MediaId")


class VoiceMessage(WeChatMessage):
    """A voice message, with WeChat's speech recognition when enabled."""

    MSG_TYPE: ClassVar[str] = "voice"
    media_id: Str = Field(None, alias="MediaId")
    format: Str = Field(None, alias="Format")
    recognition: Str = Field(None, alias="Recognition")
    media_id_16k: Str = Field(None, alias="MediaId16K")


class VideoMessage(WeChatMessage):
    """A video message."""

    MSG_TYPE: ClassVar[str] = "video"
    media_id: Str = Field(None, alias="MediaId")
    thumb_media_id: Str = Field(None, alias="ThumbMediaId")


class ShortVideoMessage(VideoMessage):
    """A short video message (a ``VideoMessage``, as in WeRoBot)."""

    MSG_TYPE: ClassVar[str] = "shortvideo"


class LocationMessage(WeChatMessage):
    """A location the user shared."""

    MSG_TYPE: ClassVar[str] = "location"
    location_x: Float = Field(None, alias="Location_X")
    location_y: Float = Field(None, alias="Location_Y")
    scale: Int = Field(None, alias="Scale")
    label: Str = Field(None, alias="Label")

    @property
    def location(self) -> tuple[float | None, float | None]:
        """``(location_x, location_y)``: latitude and longitude."""
        return (self.location_x, self.location_y)


class LinkMessage(WeChatMessage):
    """A link the user shared."""

    MSG_TYPE: ClassVar[str] = "link"
    title: Str = Field(None, alias="Title")
    description: Str = Field(None, alias="Description")
    url: Str = Field(None, alias="Url")


class MiniProgramPageMessage(WeChatMessage):
    """A Mini Program page card (customer-service message)."""

    MSG_TYPE: ClassVar[str] = "miniprogrampage"
    app_id: Str = Field(None, alias="AppId")
    title: Str = Field(None, alias="Title")
    page_path: Str = Field(None, alias="PagePath")
    thumb_url: Str = Field(None, alias="ThumbUrl")
    thumb_media_id: Str = Field(None, alias="ThumbMediaId")


class DeviceTextMessage(WeChatMessage):
    """Data a WeChat hardware device sent (``device_text``)."""

    MSG_TYPE: ClassVar[str] = "device_text"
    device_type: Str = Field(None, alias="DeviceType")
    device_id: Str = Field(None, alias="DeviceID")
    session_id: Str = Field(None, alias="SessionID")
    open_id: Str = Field(None, alias="OpenID")
    content: Str = Field(None, alias="Content")
    """The device's data, base64-encoded."""


class _DeviceStatusMessage(WeChatMessage):
    device_type: Str = Field(None, alias="DeviceType")
    """The device type: the official account's original id (``DeviceType``)."""
    device_id: Str = Field(None, alias="DeviceID")
    """The device's id (``DeviceID``)."""
    open_id: Str = Field(None, alias="OpenID")
    """The openid of the user whose WeChat asks for the device's state (``OpenID``)."""
    op_type: Int = Field(None, alias="OpType")
    """0 unsubscribe, 1 heartbeat (handled as a subscribe), 2 subscribe (``OpType``)."""


class DeviceSubscribeStatusMessage(_DeviceStatusMessage):
    """A user's WeChat subscribes to a Wi-Fi device's connection state (WeChat hardware).

    Answer with a ``device_status`` reply. The hardware platform's page
    (https://iot.weixin.qq.com/wiki/document-2_10.html) shows this push as ``MsgType``
    ``device_event`` with ``Event`` ``subscribe_status``, which is a :class:`DeviceEvent`
    (``op_type`` read too); this class is the ``MsgType`` ``device_subscribe_status`` form.
    """

    MSG_TYPE: ClassVar[str] = "device_subscribe_status"


class DeviceUnsubscribeStatusMessage(_DeviceStatusMessage):
    """A user's WeChat unsubscribes from a Wi-Fi device's connection state.

    The ``MsgType`` ``device_unsubscribe_status`` form; see
    :class:`DeviceSubscribeStatusMessage`.
    """

    MSG_TYPE: ClassVar[str] = "device_unsubscribe_status"


class UnknownMessage(WeChatMessage):
    """A message of a type this SDK does not model; every field is kept."""

    MSG_TYPE: ClassVar[str] = "unknown"


#: Every modelled class of this module in definition order (``UnknownMessage`` excluded).
MESSAGES: tuple[type[WeChatMessage], ...] = declared_types(globals())
