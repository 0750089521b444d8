"""Message models: completeness of the derived tables, and SPEC §3/§4 defaults."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import werobot_core.decorators
import werobot_core.messages as werobot_messages
from werobot_cli.modeltable import decorators_source
from werobot_core import WeRoBot
from werobot_core.handlers import On
from werobot_core.messages import (
    DISPATCH_KEYS,
    MESSAGE_TYPES,
    BaseEvent,
    ClickEvent,
    LocationMessage,
    ShortVideoMessage,
    SubscribeMsgPopupEvent,
    TextMessage,
    UnknownEvent,
    UnknownMessage,
    VideoMessage,
    WeChatMessage,
    events,
    messages,
)
from werobot_core.parser import parse_message
from werobot_core.testing import WeTest, make_xml

CLASSES = list(MESSAGE_TYPES)


def _ids(cls: type[Any]) -> str:
    return cls.__name__


def _public_classes(module: Any) -> set[type[WeChatMessage]]:
    return {
        cls
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        and not name.startswith("_")
        and issubclass(cls, WeChatMessage)
    }


def _robot_decorators() -> dict[str, On[Any]]:
    found = {}
    for name in dir(WeRoBot):
        attr = inspect.getattr_static(WeRoBot, name)
        if isinstance(attr, On):
            found[name] = attr
    return found


# -- completeness: one list, everything derived ------------------------------------------


@pytest.mark.parametrize("module", [messages, events], ids=["messages", "events"])
def test_every_class_of_the_modules_is_in_message_types(module: Any) -> None:
    classes = _public_classes(module)
    assert classes, "no message class found"
    missing = sorted(c.__name__ for c in classes - set(MESSAGE_TYPES))
    assert missing == []


@pytest.mark.parametrize("module", [messages, events], ids=["messages", "events"])
def test_each_module_exports_exactly_its_classes(module: Any) -> None:
    # `__all__` is the one written list a module keeps; werobot_core.messages re-exports it.
    exported = {name for name in module.__all__ if name.isidentifier() and name[0].isupper()}
    classes = {c.__name__ for c in _public_classes(module)}
    assert classes <= exported
    assert set(module.__all__) <= set(werobot_messages.__all__)
    for name in module.__all__:
        assert getattr(werobot_messages, name) is getattr(module, name)


def test_decorators_module_is_the_generated_text() -> None:
    # `make decorators` writes it from MESSAGE_TYPES; a class added without it fails here.
    text = Path(werobot_core.decorators.__file__).read_text(encoding="utf-8")
    assert text == decorators_source(), "run `make decorators`"


def test_message_types_has_no_duplicates_and_unknowns_last() -> None:
    assert len(set(MESSAGE_TYPES)) == len(MESSAGE_TYPES)
    assert MESSAGE_TYPES[-2:] == (UnknownMessage, UnknownEvent)


def test_dispatch_keys_are_unique_per_class() -> None:
    keys = [c.dispatch_key() for c in MESSAGE_TYPES]
    assert len(set(keys)) == len(keys)
    assert dict(DISPATCH_KEYS) == {c.dispatch_key(): c for c in CLASSES}


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_make_xml_sample_parses_to_exactly_that_class(cls: type[WeChatMessage]) -> None:
    message = parse_message(make_xml(cls))
    assert type(message) is cls
    assert message.type == cls.dispatch_key()


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_every_decorator_name_is_an_on_for_its_class(cls: type[WeChatMessage]) -> None:
    decorators = _robot_decorators()
    names = cls.decorator_names()
    assert names
    for name in names:
        assert name in decorators, f"WeRoBot has no decorator {name!r} for {cls.__name__}"
        assert decorators[name].cls is cls
        assert decorators[name].key == cls.dispatch_key()


def test_no_decorator_that_the_class_list_does_not_derive() -> None:
    derived = {name for cls in MESSAGE_TYPES for name in cls.decorator_names()}
    extra = set(_robot_decorators()) - derived - {"handler"}
    assert extra == set()
    assert _robot_decorators()["handler"].key == "all"


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_each_decorator_receives_its_class(cls: type[WeChatMessage]) -> None:
    seen: list[WeChatMessage] = []

    def handler(message: WeChatMessage) -> str:
        seen.append(message)
        return "ok"

    for name in cls.decorator_names():
        seen.clear()
        robot = WeRoBot(token="t", SESSION_STORAGE=False)
        assert getattr(robot, name)(handler) is handler
        reply = WeTest(robot).send_xml(make_xml(cls))
        assert reply is not None, name
        assert [type(m) for m in seen] == [cls]


SEED_DECORATORS = [
    "text",
    "image",
    "voice",
    "video",
    "shortvideo",
    "location",
    "link",
    "unknown",
    "subscribe",
    "unsubscribe",
    "click",
    "view",
    "scan",
    "location_event",
    "unknown_event",
    "templatesendjobfinish_event",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
    "card_pass_check",
    "card_not_pass_check",
    "user_get_card",
    "user_gifting_card",
    "user_del_card",
    "user_consume_card",
    "user_pay_from_pay_cell",
    "user_view_card",
    "user_enter_session_from_card",
    "update_member_card",
    "card_sku_remind",
    "card_pay_order",
    "submit_membercard_user_info",
    "user_scan_product",
    "user_scan_product_enter_session",
    "user_scan_product_async",
    "user_scan_product_verify_action",
    "subscribe_event",
    "click_event",
    "handler",
    "view_miniprogram",
    "masssendjobfinish",
    "publishjobfinish",
    "subscribe_msg_popup",
    "subscribe_msg_change",
    "subscribe_msg_sent",
    "kf_create_session",
    "kf_close_session",
    "kf_switch_session",
    "qualification_verify_success",
    "qualification_verify_fail",
    "naming_verify_success",
    "naming_verify_fail",
    "annual_renew",
    "verify_expired",
    "wificonnected",
    "shakearoundusershake",
    "submit_invoice_title",
    "update_invoice_status",
    "user_authorize_invoice",
    "miniprogrampage",
    # issue 12 item 7: pushes beyond WeRoBot
    "user_info_modified",
    "user_authorization_revoke",
    "user_authorization_cancellation",
    "poi_check_notify",
    "guide_invite_result",
    "guide_invite_result_event",
    "guide_qrcode_scan",
    "guide_qrcode_scan_event",
    "wxa_media_check",
    "user_enter_tempsession",
    "weapp_audit_success",
    "weapp_audit_fail",
    "weapp_audit_delay",
    "wxa_category_audit",
    "device_subscribe_status",
    "device_unsubscribe_status",
]


def test_the_decorators_named_by_the_spec_exist() -> None:
    missing = sorted(set(SEED_DECORATORS) - set(_robot_decorators()))
    assert missing == []


def test_decorators_on_the_class_are_the_descriptors() -> None:
    assert isinstance(WeRoBot.text, On)
    assert WeRoBot.text.cls is TextMessage
    assert WeRoBot.subscribe is WeRoBot.subscribe_event


def test_location_event_and_location_are_distinct() -> None:
    decorators = _robot_decorators()
    assert decorators["location"].cls is LocationMessage
    assert decorators["location_event"].key == "location_event"
    assert "location_event_event" not in decorators


# -- type keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "key"),
    [
        ("subscribe_msg_popup_event", "subscribe_msg_popup_event"),
        ("SUBSCRIBE_MSG_POPUP_EVENT", "subscribe_msg_popup_event"),
        ("CLICK", "click_event"),
        ("WifiConnected", "wificonnected_event"),
        ("something_new", "something_new_event"),
        ("Brand_New_Event", "brand_new_event"),
    ],
)
def test_event_type_key_is_lower_event_suffixed_once(event: str, key: str) -> None:
    xml = f"<xml><MsgType>event</MsgType><Event>{event}</Event></xml>"
    message = parse_message(xml)
    assert message.type == key
    assert isinstance(message, BaseEvent)
    assert message.event == event


def test_popup_event_class_key_not_doubled() -> None:
    assert SubscribeMsgPopupEvent.dispatch_key() == "subscribe_msg_popup_event"
    assert SubscribeMsgPopupEvent.decorator_names() == (
        "subscribe_msg_popup",
        "subscribe_msg_popup_event",
    )


@pytest.mark.parametrize("variant", ["CLICK", "click", "Click", "cLiCk"])
def test_event_values_match_case_insensitively_and_keep_the_original(variant: str) -> None:
    xml = (
        "<xml><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{variant}]]></Event><EventKey><![CDATA[K1]]></EventKey></xml>"
    )
    message = parse_message(xml)
    assert type(message) is ClickEvent
    assert message.event == variant
    assert message.key == "K1"
    assert message.type == "click_event"


@pytest.mark.parametrize("variant", ["TEXT", "Text", "text"])
def test_msg_type_matches_case_insensitively(variant: str) -> None:
    message = parse_message(f"<xml><MsgType>{variant}</MsgType><Content>x</Content></xml>")
    assert type(message) is TextMessage
    assert message.type == "text"


def test_unknown_message_type_keeps_its_lowered_type_and_every_field() -> None:
    xml = "<xml><MsgType>HoloGram</MsgType><Depth>3</Depth><Nested><A>1</A></Nested></xml>"
    message = parse_message(xml)
    assert type(message) is UnknownMessage
    assert message.type == "hologram"
    assert message.model_extra is not None
    assert message.model_extra["Depth"] == "3"
    assert message.model_extra["Nested"] == {"A": "1"}


def test_unknown_event_keeps_every_field() -> None:
    xml = "<xml><MsgType>event</MsgType><Event>store_check_notify</Event><Result>ok</Result></xml>"
    message = parse_message(xml)
    assert type(message) is UnknownEvent
    assert message.type == "store_check_notify_event"
    assert message.event == "store_check_notify"
    assert getattr(message, "Result") == "ok"  # noqa: B009


# -- short video -------------------------------------------------------------------------


def test_short_video_is_a_video_message_but_not_dispatched_to_video() -> None:
    xml = (
        "<xml><MsgType>shortvideo</MsgType><MediaId>m</MediaId><ThumbMediaId>t</ThumbMediaId></xml>"
    )
    message = parse_message(xml)
    assert type(message) is ShortVideoMessage
    assert isinstance(message, VideoMessage)
    assert (message.media_id, message.thumb_media_id) == ("m", "t")
    robot = WeRoBot(token="t", SESSION_STORAGE=False)
    calls: list[str] = []

    @robot.video
    def on_video() -> str:
        calls.append("video")
        return "video"

    @robot.shortvideo
    def on_short() -> str:
        calls.append("short")
        return "short"

    WeTest(robot).send_xml(xml)
    WeTest(robot).send_xml(xml.replace("shortvideo", "video"))
    assert calls == ["short", "video"]


# -- SPEC §3 defaults --------------------------------------------------------------------


def test_absent_common_fields_default() -> None:
    message = parse_message("<xml><MsgType>text</MsgType></xml>")
    assert isinstance(message, TextMessage)
    assert message.message_id == 0
    assert message.time == 0
    assert message.content == ""
    assert message.bizmsgmenuid is None
    assert message.source == ""
    assert message.target == ""


def test_empty_elements_are_none_and_empty_msgid_is_zero() -> None:
    xml = (
        "<xml><MsgType>image</MsgType><MsgId></MsgId><CreateTime/>"
        "<PicUrl><![CDATA[]]></PicUrl><MediaId></MediaId></xml>"
    )
    message = parse_message(xml)
    assert message.message_id == 0
    assert message.time == 0
    assert getattr(message, "img") is None  # noqa: B009
    assert getattr(message, "media_id") is None  # noqa: B009


def test_empty_content_is_empty_string() -> None:
    message = parse_message("<xml><MsgType>text</MsgType><Content><![CDATA[]]></Content></xml>")
    assert isinstance(message, TextMessage)
    assert message.content == ""


# A dict given to model_validate (or message_from_dict) may hold "" where the parser puts
# None: each field type reads both empty forms the same way. Fields by type: content
# (StrEmpty), time (IntZero), location_x (Float), scale (Int), label (Str).
_EMPTY_READINGS = {"content": "", "time": 0, "location_x": None, "scale": None, "label": None}
_ALIASES = {
    "content": "Content",
    "time": "CreateTime",
    "location_x": "Location_X",
    "scale": "Scale",
    "label": "Label",
}


def _validate_one(name: str, given: object) -> WeChatMessage:
    """A message whose field ``name`` was given as ``given`` (by its tag)."""
    cls = TextMessage if name == "content" else LocationMessage
    return cls.model_validate({_ALIASES[name]: given})


@pytest.mark.parametrize("empty", ["", None], ids=["empty-string", "none"])
@pytest.mark.parametrize("name", list(_EMPTY_READINGS))
def test_each_field_type_reads_both_empty_forms(name: str, empty: str | None) -> None:
    message = _validate_one(name, empty)
    assert getattr(message, name) == _EMPTY_READINGS[name]
    assert type(getattr(message, name)) is type(_EMPTY_READINGS[name])


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("content", " ", " "),
        ("content", 7, "7"),
        ("time", "1700000000", 1700000000),
        ("time", 5, 5),
        ("location_x", "23.1", 23.1),
        ("scale", "20", 20),
        ("label", " ", " "),
        ("label", "x", "x"),
    ],
)
def test_a_value_that_is_not_empty_is_read_as_its_type(
    name: str, given: object, expected: object
) -> None:
    assert getattr(_validate_one(name, given), name) == expected


@pytest.mark.parametrize(
    ("name", "given", "error"),
    [
        ("content", ["a", "b"], "string_type"),
        ("label", {"A": "b"}, "string_type"),
        ("time", "soon", "int_parsing"),
        ("time", ["1", "2"], "int_parsing"),
        ("location_x", "north", "float_parsing"),
        ("scale", "1.5", "int_parsing"),
    ],
)
def test_a_value_of_another_type_fails_with_one_error_at_its_tag(
    name: str, given: object, error: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _validate_one(name, given)
    assert [(e["type"], e["loc"]) for e in info.value.errors()] == [(error, (_ALIASES[name],))]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<xml><MsgType>text</MsgType><MsgId>42</MsgId></xml>", 42),
        ("<xml><MsgType>text</MsgType><MsgID>43</MsgID></xml>", 43),
        ("<xml><MsgType>event</MsgType><Event>CLICK</Event><MsgID>44</MsgID></xml>", 44),
        ("<xml><MsgType>event</MsgType><Event>CLICK</Event><MsgId>45</MsgId></xml>", 45),
        ("<xml><MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event></xml>", 0),
    ],
)
def test_message_id_reads_msgid_or_msgid_capital_d(xml: str, expected: int) -> None:
    assert parse_message(xml).message_id == expected


def test_unmodelled_tags_are_kept_under_their_exact_names() -> None:
    xml = (
        "<xml><MsgType>text</MsgType><Content>hi</Content><MediaId>m1</MediaId>"
        "<MenuId>7</MenuId><Nested><Inner>v</Inner></Nested><Rep>a</Rep><Rep>b</Rep>"
        "<Empty></Empty><lowercase>x</lowercase></xml>"
    )
    message = parse_message(xml)
    extras = message.model_extra
    assert extras is not None
    assert getattr(message, "MediaId") == "m1"  # noqa: B009
    assert getattr(message, "MenuId") == "7"  # noqa: B009
    assert extras["Nested"] == {"Inner": "v"}
    assert extras["Rep"] == ["a", "b"]
    assert extras["Empty"] is None
    assert extras["lowercase"] == "x"
    assert "mediaid" not in extras


def test_msg_data_id_and_idx_of_messages_from_an_article() -> None:
    xml = "<xml><MsgType>image</MsgType><MsgDataId>2247483650</MsgDataId><Idx>2</Idx></xml>"
    message = parse_message(xml)
    assert (message.msg_data_id, message.idx) == ("2247483650", 2)
    plain = parse_message("<xml><MsgType>text</MsgType></xml>")
    assert (plain.msg_data_id, plain.idx) == (None, None)


def test_raw_keeps_the_original_xml() -> None:
    xml = "<xml><MsgType>text</MsgType><Content>hé</Content></xml>"
    assert parse_message(xml).raw == xml
    assert parse_message(xml.encode("utf-8")).raw == xml


def test_location_is_a_pair_of_floats() -> None:
    xml = (
        "<xml><MsgType>location</MsgType><Location_X>23.134521</Location_X>"
        "<Location_Y>113.358803</Location_Y><Scale>20</Scale><Label>here</Label></xml>"
    )
    message = parse_message(xml)
    assert isinstance(message, LocationMessage)
    assert message.location == (23.134521, 113.358803)
    assert message.scale == 20
    assert message.label == "here"
    empty = parse_message("<xml><MsgType>location</MsgType></xml>")
    assert isinstance(empty, LocationMessage)
    assert empty.location == (None, None)


def test_models_are_frozen() -> None:
    message = parse_message("<xml><MsgType>text</MsgType><Content>a</Content></xml>")
    assert isinstance(message, TextMessage)
    with pytest.raises(ValidationError):
        message.content = "b"  # type: ignore[misc]


def test_decrypted_flag_is_private_not_a_field() -> None:
    message = parse_message("<xml><MsgType>text</MsgType></xml>")
    assert "_decrypted" not in type(message).model_fields
    assert "_decrypted" not in message.model_dump()
    assert message._decrypted is False
