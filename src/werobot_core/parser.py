"""From XML to message models: envelope handling and the class lookup."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from werobot_core import xmlcodec
from werobot_core.crypto import MessageCrypt
from werobot_core.exceptions import BadRequest, ConfigError, InvalidSignature
from werobot_core.messages import (
    EVENTS,
    MESSAGES,
    BaseEvent,
    PublishJobFinishEvent,
    UnknownEvent,
    UnknownMessage,
    WeChatMessage,
)
from werobot_core.xmlcodec import XmlValue

__all__ = [
    "message_from_dict",
    "open_envelope",
    "parse_message",
    "parse_user_msg",
    "parse_xml",
    "process_message",
]

logger = logging.getLogger("WeRoBot")

_BY_MSG_TYPE: dict[str, type[WeChatMessage]] = {
    c.MSG_TYPE: c for c in (*MESSAGES, *EVENTS) if not issubclass(c, BaseEvent)
}
_BY_EVENT: dict[str, type[WeChatMessage]] = {c.EVENT: c for c in EVENTS if issubclass(c, BaseEvent)}
_BY_EVENT["freepublishjobfinish"] = PublishJobFinishEvent

#: The validator and dispatch key of known types, by the exact MsgType (and, under "event",
#: Event) text WeChat sends, filled by _look_up: most pushes skip strip(), lower() and the
#: class attribute read (~2k instructions).
_Found = tuple[Callable[..., Any], str]
_SEEN_TYPES: dict[str, _Found] = {}
_SEEN_EVENTS: dict[str, _Found] = {}

_NUMBER_ERRORS = frozenset({"int_parsing", "float_parsing", "int_from_float"})


def message_from_dict(
    data: Mapping[str, XmlValue],
    raw: str = "",
    *,
    decrypted: bool = False,
    account: str | None = None,
) -> WeChatMessage:
    """Build the message model of a parsed push; ``BadRequest`` when it is not one.

    ``decrypted`` and ``account`` are recorded on the message (never read from the XML).
    """
    return message_from_fields(dict(data), raw, decrypted, account)


def message_from_fields(
    data: dict[str, Any], raw: str, decrypted: bool, account: str | None
) -> WeChatMessage:
    """``message_from_dict`` of a dict it may change: the pipeline's own parse result,
    which it completes with ``raw`` and ``type`` instead of copying it (~1k instructions)."""
    msg_type = data.get("MsgType")
    found = None
    if msg_type == "event":
        event = data.get("Event")
        if isinstance(event, str):
            found = _SEEN_EVENTS.get(event)
    elif isinstance(msg_type, str):
        found = _SEEN_TYPES.get(msg_type)
    validate, kind = _look_up(data) if found is None else found
    data["raw"], data["type"] = raw, kind
    try:  # tags match aliases only: a <content> element is an extra field, not `content`
        message: WeChatMessage = validate(data, by_name=False)
    except ValidationError as exc:
        raise _field_error(exc) from None
    if decrypted or account is not None:
        message.mark_origin(decrypted=decrypted, account=account)
    return message


def _look_up(data: Mapping[str, XmlValue]) -> _Found:
    """The validator and dispatch key of a push's class; ``BadRequest`` when it has none.

    Remembered for the exact spelling WeChat uses ("text", "event" and "subscribe", ...) of
    a known type, so the tables hold at most one entry per class.
    """
    msg_type = data.get("MsgType")
    if not isinstance(msg_type, str) or not msg_type.strip():
        info_type = data.get("InfoType")
        if isinstance(info_type, str):  # a push to a third-party platform
            from werobot_core.messages.component import component_push_class

            push = component_push_class(info_type)
            return push.__pydantic_validator__.validate_python, push.dispatch_key()
        raise BadRequest("no MsgType")
    name = msg_type.strip().lower()
    cls: type[WeChatMessage]
    if name != "event":
        cls = _BY_MSG_TYPE.get(name, UnknownMessage)
        found = (cls.__pydantic_validator__.validate_python, name)
        if name == msg_type and name in _BY_MSG_TYPE:
            _SEEN_TYPES[name] = found
        return found
    event = data.get("Event")
    if not isinstance(event, str) or not event.strip():
        raise BadRequest("event without Event")
    key = event.strip().lower()
    cls = _BY_EVENT.get(key, UnknownEvent)
    kind = key if key.endswith("_event") else key + "_event"
    found = (cls.__pydantic_validator__.validate_python, kind)
    if msg_type == "event" and key == event and key in _BY_EVENT:
        _SEEN_EVENTS[key] = found
    return found


def _field_error(exc: ValidationError) -> BadRequest:
    error = exc.errors()[0]
    tag = next((str(part) for part in reversed(error["loc"]) if isinstance(part, str)), "?")
    if error["type"] in _NUMBER_ERRORS:
        return BadRequest(f"field <{tag}>: not a number")
    return BadRequest(f"field <{tag}>: {error['msg']}")


def open_envelope(
    data: dict[str, XmlValue],
    get_crypto: Callable[[], MessageCrypt | None],
    timestamp: str | None,
    nonce: str | None,
    msg_signature: str | None,
) -> tuple[dict[str, XmlValue], str | None]:
    """Decrypt a push that holds ``<Encrypt>``.

    Returns the fields to read and, when the push was decrypted, its plaintext XML
    (``None`` for a plaintext push). Compat mode without keys serves the plaintext
    fields; safe mode without keys is a server misconfiguration (``ConfigError``).
    """
    encrypt = data.get("Encrypt")
    if encrypt is None and "Encrypt" not in data:
        return data, None
    crypto = get_crypto()  # built only for an encrypted push: a bad key spares plaintext
    if crypto is None:
        if "MsgType" in data:
            logger.warning("encrypted push served from its plaintext fields: no AES keys set")
            return data, None
        raise ConfigError("encrypted push but APP_ID / ENCODING_AES_KEY are not configured")
    if not isinstance(encrypt, str) or not encrypt:
        raise BadRequest("empty <Encrypt>")
    if not msg_signature:
        raise InvalidSignature("msg_signature missing")
    xml = crypto.decrypt_message(timestamp or "", nonce or "", msg_signature, encrypt)
    return xmlcodec.parse_xml_and_text(xml)


def parse_message(
    body: bytes | str,
    get_crypto: Callable[[], MessageCrypt | None] = lambda: None,
    timestamp: str | None = None,
    nonce: str | None = None,
    msg_signature: str | None = None,
) -> WeChatMessage:
    """Parse a push body, decrypting it when it holds ``<Encrypt>``."""
    data, plaintext = open_envelope(
        xmlcodec.parse_xml(body), get_crypto, timestamp, nonce, msg_signature
    )
    if plaintext is None:
        raw = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        return message_from_dict(data, raw)
    return message_from_dict(data, plaintext, decrypted=True)


def parse_user_msg(xml: bytes | str) -> WeChatMessage | None:
    """Parse a plaintext push (WeRoBot's ``werobot.parser.parse_user_msg``); ``None`` if empty."""
    return parse_message(xml) if xml else None


def parse_xml(text: bytes | str) -> dict[str, XmlValue]:
    """The fields of a push, with the text under ``"raw"`` (WeRoBot's ``werobot.parser``).

    The hardened parser of :mod:`werobot_core.xmlcodec` reads it.
    """
    data = xmlcodec.parse_xml(text)
    data["raw"] = text if isinstance(text, str) else text.decode("utf-8", errors="replace")
    return data


def process_message(message: Mapping[str, XmlValue]) -> WeChatMessage:
    """The message model of a ``parse_xml`` dict (WeRoBot's ``werobot.parser``)."""
    data = dict(message)
    raw = data.pop("raw", "")
    return message_from_dict(data, raw if isinstance(raw, str) else "")
