"""The pushes WeChat sends, by kind: ``text hello``, ``click KEY``, ``location LAT LON``...

Each ``push_<kind>`` function takes the command line's words and returns the message class
and its fields; :data:`KINDS` maps each kind to its function, and the usage line of a kind
is derived from the function's signature. :func:`build_push` renders the XML WeChat would
send from user ``user`` to the account ``account``.
"""

from __future__ import annotations

import inspect
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

# The message classes are imported by the builders, when a push is built: the help of
# ``werobot simulate`` lists the kinds and their usage without loading the models.
if TYPE_CHECKING:
    from werobot_core.messages import WeChatMessage

    Push = tuple[type[WeChatMessage], dict[str, Any]]

__all__ = ["KINDS", "PushError", "build_push", "usage"]


class PushError(ValueError):
    """The words do not make a push of ``kind``; ``reason`` says what is expected."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


def _number(kind: str, name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise PushError(kind, f"{name} must be a number, not {value!r}") from None


def _media_id() -> str:
    return "media_" + secrets.token_hex(8)


def push_text(*words: str) -> Push:
    """A text message (the words joined with spaces)."""
    from werobot_core.messages import TextMessage

    return TextMessage, {"content": " ".join(words)}


def push_image(url: str) -> Push:
    """An image message whose picture is at URL."""
    from werobot_core.messages import ImageMessage

    return ImageMessage, {"img": url, "media_id": _media_id()}


def push_voice(recognition: str = "") -> Push:
    """A voice message, with WeChat's speech recognition text when given."""
    from werobot_core.messages import VoiceMessage

    return VoiceMessage, {"media_id": _media_id(), "format": "amr", "recognition": recognition}


def push_location(lat: str, lon: str, label: str = "") -> Push:
    """A location the user shares (latitude, longitude, label)."""
    from werobot_core.messages import LocationMessage

    x, y = _number("location", "LAT", lat), _number("location", "LON", lon)
    return LocationMessage, {"location_x": x, "location_y": y, "scale": 15, "label": label}


def push_link(url: str = "https://example.com/", title: str = "A link") -> Push:
    """A link the user shares from an article."""
    from werobot_core.messages import LinkMessage

    return LinkMessage, {"url": url, "title": title, "description": title}


def push_subscribe(scene: str = "") -> Push:
    """The user follows the account (from the QR code of SCENE when given)."""
    from werobot_core.messages import SubscribeEvent

    if not scene:
        return SubscribeEvent, {}
    return SubscribeEvent, {"key": f"qrscene_{scene}", "ticket": "ticket_" + scene}


def push_unsubscribe() -> Push:
    """The user unfollows the account."""
    from werobot_core.messages import UnSubscribeEvent

    return UnSubscribeEvent, {}


def push_scan(scene: str) -> Push:
    """A follower scans the parametric QR code of SCENE."""
    from werobot_core.messages import ScanEvent

    return ScanEvent, {"key": scene, "ticket": "ticket_" + scene}


def push_click(key: str) -> Push:
    """A tap on the click menu item KEY."""
    from werobot_core.messages import ClickEvent

    return ClickEvent, {"key": key}


def push_view(url: str) -> Push:
    """A tap on the view menu item that opens URL."""
    from werobot_core.messages import ViewEvent

    return ViewEvent, {"key": url}


def push_view_miniprogram(pagepath: str) -> Push:
    """A tap on a Mini Program menu item."""
    from werobot_core.messages import ViewMiniProgramEvent

    return ViewMiniProgramEvent, {"key": pagepath}


def push_scancode_push(key: str, result: str) -> Push:
    """A scan-code menu item KEY whose scan read RESULT."""
    from werobot_core.messages import ScanCodePushEvent

    return ScanCodePushEvent, {"key": key, "scan_type": "qrcode", "scan_result": result}


def push_scancode_waitmsg(key: str, result: str) -> Push:
    """A scan-code menu item KEY that waits for the account's answer."""
    from werobot_core.messages import ScanCodeWaitMsgEvent

    return ScanCodeWaitMsgEvent, {"key": key, "scan_type": "qrcode", "scan_result": result}


def _pictures(key: str) -> dict[str, Any]:
    item = {"item": {"PicMd5Sum": secrets.token_hex(16)}}
    return {"key": key, "count": 1, "pic_list": item}


def push_pic_sysphoto(key: str) -> Push:
    """A camera menu item KEY (one photo)."""
    from werobot_core.messages import PicSysphotoEvent

    return PicSysphotoEvent, _pictures(key)


def push_pic_photo_or_album(key: str) -> Push:
    """A camera-or-album menu item KEY (one photo)."""
    from werobot_core.messages import PicPhotoOrAlbumEvent

    return PicPhotoOrAlbumEvent, _pictures(key)


def push_pic_weixin(key: str) -> Push:
    """A WeChat-album menu item KEY (one photo)."""
    from werobot_core.messages import PicWeixinEvent

    return PicWeixinEvent, _pictures(key)


def push_location_select(key: str, lat: str, lon: str, label: str = "") -> Push:
    """A location-picker menu item KEY."""
    from werobot_core.messages import LocationSelectEvent

    x, y = _number("location_select", "LAT", lat), _number("location_select", "LON", lon)
    fields = {"location_x": x, "location_y": y, "scale": 15, "label": label, "poi_name": label}
    return LocationSelectEvent, {"key": key, **fields}


_BUILDERS: tuple[Callable[..., Push], ...] = (
    push_text,
    push_image,
    push_voice,
    push_location,
    push_link,
    push_subscribe,
    push_unsubscribe,
    push_scan,
    push_click,
    push_view,
    push_view_miniprogram,
    push_scancode_push,
    push_scancode_waitmsg,
    push_pic_sysphoto,
    push_pic_photo_or_album,
    push_pic_weixin,
    push_location_select,
)

#: kind → the function building it; ``xml FILE`` (a file's XML sent as is) comes on top.
KINDS: Mapping[str, Callable[..., Push]] = MappingProxyType(
    {f.__name__.removeprefix("push_"): f for f in _BUILDERS}
)


def usage(kind: str) -> str:
    """``location LAT LON [LABEL]``: the words a kind takes, from its function's signature."""
    if kind == "xml":
        return "xml FILE"
    words = [kind]
    for param in inspect.signature(KINDS[kind]).parameters.values():
        name = param.name.upper()
        if param.kind is param.VAR_POSITIONAL:
            words.append(f"{name}...")
        elif param.default is not param.empty:
            words.append(f"[{name}]")
        else:
            words.append(name)
    return " ".join(words)


def _read_xml(kind: str, words: Sequence[str]) -> str:
    if len(words) != 1:
        raise PushError(kind, f"usage: {usage(kind)} ('-' reads standard input)")
    if words[0] == "-":
        return sys.stdin.read()
    try:
        return Path(words[0]).read_text(encoding="utf-8")
    except OSError as exc:
        raise PushError(kind, f"cannot read {words[0]}: {exc.strerror}") from None


def build_push(kind: str, words: Sequence[str], *, user: str, account: str) -> str:
    """The XML of the push ``kind`` with ``words``, from ``user`` to ``account``."""
    if kind == "xml":
        return _read_xml(kind, words)
    builder = KINDS.get(kind)
    if builder is None:
        raise PushError(kind, f"unknown kind; use one of: {', '.join([*KINDS, 'xml'])}")
    try:
        inspect.signature(builder).bind(*words)
    except TypeError:
        raise PushError(kind, f"usage: {usage(kind)}") from None
    from werobot_core.testing import make_xml

    cls, fields = builder(*words)
    return make_xml(cls, source=user, target=account, **fields)
