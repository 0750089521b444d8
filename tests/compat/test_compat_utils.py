"""``werobot.utils`` and ``werobot.messages.entries``, used as WeRoBot users' code uses them."""

from __future__ import annotations

import re
from hashlib import sha1
from typing import Any

from werobot_core import utils
from werobot_core.messages.entries import FloatEntry, IntEntry, StringEntry, get_value
from werobot_core.utils import (
    byte2int,
    cached_property,
    is_regex,
    is_string,
    json_dumps,
    json_loads,
    make_error_page,
    pay_sign_dict,
    to_binary,
    to_text,
)


def test_to_text_and_to_binary_convert_like_werobot() -> None:
    assert to_text(b"\xe5\x96\xb5") == "喵"
    assert to_text("喵") == "喵"
    assert to_text(12) == "12"
    assert to_text(b"\xc4\xe3", encoding="gbk") == "你"
    assert to_binary("喵") == b"\xe5\x96\xb5"
    assert to_binary(b"raw") == b"raw"
    assert to_binary(3) == b"\x00\x00\x00"  # bytes(int), as WeRoBot did
    assert to_binary("你", encoding="gbk") == b"\xc4\xe3"


def test_cached_property_computes_once_per_instance() -> None:
    calls: list[int] = []

    class Account:
        @cached_property
        def client(self) -> list[int]:
            calls.append(1)
            return [len(calls)]

    first, second = Account(), Account()
    assert first.client is first.client
    assert second.client == [2]
    assert calls == [1, 1]
    assert first._client == [1]  # type: ignore[attr-defined]  # WeRoBot kept it as _<name>


def test_small_helpers() -> None:
    assert is_string("a")
    assert is_string(b"a")
    assert not is_string(1)
    assert is_regex(re.compile("x"))
    assert not is_regex("x")
    assert byte2int(b"\x07\x08", 1) == 8
    assert json_loads(b'{"a": "\xe5\x96\xb5"}') == {"a": "喵"}
    assert json_loads(json_dumps({"k": [1]})) == {"k": [1]}
    assert isinstance(re.compile("a"), utils.re_type)
    assert utils.string_types == (str, bytes)
    page = make_error_page("http://x/<wechat>")
    assert "http://x/&lt;wechat&gt;" in page


def test_pay_sign_dict_signs_the_sorted_lower_case_parameters() -> None:
    params, sign, sign_type = pay_sign_dict(
        "wxappid", "paykey", add_noncestr=False, add_timestamp=False, Body="b", out_trade_no=7
    )
    assert params == {"Body": "b", "out_trade_no": 7, "appid": "wxappid"}
    text = "appid=wxappid&appkey=paykey&body=b&out_trade_no=7"
    assert (sign, sign_type) == (sha1(text.encode()).hexdigest(), "SHA1")
    params, _, _ = pay_sign_dict("wxappid", "paykey")
    assert {"appid", "noncestr", "timestamp"} <= set(params)
    assert isinstance(params["timestamp"], int)


class LegacyMessage:
    """A WeRoBot-1.x-style message class built on the field descriptors."""

    count = IntEntry("Count")
    scale = FloatEntry("Scale")
    content = StringEntry("Content")
    nested = StringEntry("Info.Name")
    missing = IntEntry("Nope")
    fallback = StringEntry("Nope", default="dflt")

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)


def test_entries_read_and_convert_values_from_the_instance_dict() -> None:
    message = LegacyMessage(
        {"Count": "3", "Scale": "1.5", "Content": b"\xe5\x96\xb5", "Info": {"Name": 7}}
    )
    assert (message.count, message.scale, message.content) == (3, 1.5, "喵")
    assert message.nested == "7"
    assert message.missing is None
    assert message.fallback == "dflt"
    assert get_value(message, "Info.Name") == 7
    assert get_value(message, "Info.Other", "d") == "d"
    assert get_value(LegacyMessage({"Empty": ""}), "Empty", "d") == "d"
