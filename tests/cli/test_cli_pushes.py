"""Push kinds (the words of ``simulate``/``chat``) and menu files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from werobot_cli.commands.chat import parse_line
from werobot_cli.menufile import MenuError, dump_menu, load_menu, menu_problems
from werobot_cli.pushes import KINDS, PushError, build_push, usage
from werobot_core import WeRoBot
from werobot_core.messages import (
    ClickEvent,
    ImageMessage,
    LocationMessage,
    LocationSelectEvent,
    PicWeixinEvent,
    ScanCodePushEvent,
    ScanEvent,
    SubscribeEvent,
    TextMessage,
    UnSubscribeEvent,
    ViewEvent,
    VoiceMessage,
    WeChatMessage,
)

PARSER = WeRoBot(token="tok123", SESSION_STORAGE=False)
CASES: list[tuple[str, list[str], type[WeChatMessage], dict[str, Any]]] = [
    ("text", ["hello", "world"], TextMessage, {"content": "hello world"}),
    ("image", ["https://e/p.png"], ImageMessage, {"img": "https://e/p.png"}),
    ("voice", ["hi there"], VoiceMessage, {"recognition": "hi there", "format": "amr"}),
    (
        "location",
        ["-1.5", "2", "Here"],
        LocationMessage,
        {"location": (-1.5, 2.0), "label": "Here"},
    ),
    ("subscribe", [], SubscribeEvent, {"key": None}),
    ("subscribe", ["77"], SubscribeEvent, {"key": "qrscene_77", "ticket": "ticket_77"}),
    ("unsubscribe", [], UnSubscribeEvent, {}),
    ("scan", ["77"], ScanEvent, {"key": "77"}),
    ("click", ["K1"], ClickEvent, {"key": "K1"}),
    ("view", ["https://e/"], ViewEvent, {"key": "https://e/"}),
    ("scancode_push", ["K", "R"], ScanCodePushEvent, {"scan_type": "qrcode", "scan_result": "R"}),
    ("pic_weixin", ["K"], PicWeixinEvent, {"count": 1}),
    (
        "location_select",
        ["K", "3", "4", "X"],
        LocationSelectEvent,
        {"location_x": 3.0, "poi_name": "X"},
    ),
]


@pytest.mark.parametrize(("kind", "words", "cls", "fields"), CASES)
def test_a_push_parses_back_to_its_model(
    kind: str, words: list[str], cls: type[WeChatMessage], fields: dict[str, Any]
) -> None:
    message = PARSER.parse_message(build_push(kind, words, user="o_user", account="gh_acct"))
    assert type(message) is cls
    assert (message.source, message.target) == ("o_user", "gh_acct")
    for name, value in fields.items():
        assert getattr(message, name) == value


def test_every_kind_builds_with_its_usage_words() -> None:
    samples = {"LAT": "1", "LON": "2"}
    for kind in KINDS:
        words = [w for w in usage(kind).split()[1:] if not w.startswith("[")]
        xml = build_push(
            kind, [samples.get(w.rstrip("."), "x") for w in words], user="u", account="a"
        )
        assert PARSER.parse_message(xml).type in (kind, f"{kind}_event")


def test_usage_and_errors() -> None:
    assert usage("location") == "location LAT LON [LABEL]"
    assert usage("text") == "text WORDS..."
    with pytest.raises(PushError, match="usage: click KEY"):
        build_push("click", [], user="u", account="a")
    with pytest.raises(PushError, match="LAT must be a number, not 'north'"):
        build_push("location", ["north", "2"], user="u", account="a")
    with pytest.raises(PushError, match="cannot read"):
        build_push("xml", ["/nonexistent/push.xml"], user="u", account="a")


def test_chat_lines() -> None:
    assert parse_line("hello /there") == ("text", ["hello /there"])
    assert parse_line("//slash") == ("text", ["/slash"])
    assert parse_line("/location 1 2 'Eiffel Tower'") == ("location", ["1", "2", "Eiffel Tower"])
    assert parse_line("/") == ("help", [])


def test_menu_problems() -> None:
    buttons = [{"type": "click", "name": f"b{i}", "key": "k"} for i in range(4)]
    assert menu_problems({"button": buttons}) == ["at most 3 buttons, not 4"]
    subs = [{"type": "view", "name": "s", "url": "https://e/"}] * 6
    assert menu_problems({"button": [{"name": "m", "sub_button": subs}]}) == [
        "button[0]: at most 5 sub_button, not 6"
    ]
    assert menu_problems({"button": [{"name": "x", "type": "dance"}]})[0].startswith(
        "button[0]: type must be one of click, view"
    )
    assert menu_problems([]) == ['a menu is {"button": [...]} with 1 to 3 buttons']


def test_menu_files(tmp_path: Path) -> None:
    menu = {"button": [{"type": "click", "name": "菜单", "key": "K"}]}
    for name in ("m.json", "m.yaml"):
        dump_menu(menu, tmp_path / name)
        assert load_menu(tmp_path / name) == menu
    assert "菜单" in (tmp_path / "m.json").read_text(encoding="utf-8")
    (tmp_path / "bad.yml").write_text("button: [", encoding="utf-8")
    with pytest.raises(MenuError, match="not valid YAML"):
        load_menu(tmp_path / "bad.yml")
    with pytest.raises(MenuError, match="cannot read"):
        load_menu(tmp_path / "absent.json")
