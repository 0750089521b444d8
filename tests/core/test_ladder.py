"""Router, Settings and Engine on their own (DESIGN §5b), and the robot built from them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from werobot_core import WeRoBot
from werobot_core.config import DEFAULTS, Config
from werobot_core.engine import Engine
from werobot_core.exceptions import ConfigError
from werobot_core.messages import ClickEvent, SubscribeEvent, TextMessage
from werobot_core.routing import Router
from werobot_core.settings import STRATEGIES, Settings
from werobot_core.testing import WeTest, make_xml

# -- Settings ----------------------------------------------------------------------------------


def test_settings_are_typed_and_coerced_from_config() -> None:
    settings = Settings.from_config(
        Config(PORT="9000", REPLY_DEADLINE="2.5", DEDUP=0, TIMESTAMP_TOLERANCE=300, OTHER=1)
    )
    assert (settings.port, settings.reply_deadline, settings.dedup) == (9000, 2.5, False)
    assert settings.timestamp_tolerance == 300.0
    assert Settings.from_config({}) == Settings()
    assert {key.lower() for key in DEFAULTS} == set(Settings.__dataclass_fields__)
    assert Settings.from_config(DEFAULTS) == Settings()
    assert STRATEGIES == ("retry", "push", "next_message")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("REPLY_DEADLINE", "soon", "REPLY_DEADLINE must be a number"),
        ("REPLY_DEADLINE", -1, "REPLY_DEADLINE must be at least 0"),
        ("DEADLINE_WORKERS", 0, "DEADLINE_WORKERS must be at least 1"),
        ("DEADLINE_STRATEGY", "later", "DEADLINE_STRATEGY must be one of retry, push"),
        ("DEDUP", "yes", "DEDUP must be True or False"),
        ("TOKEN", 123, "TOKEN must be a string"),
        ("MAX_BODY_SIZE", True, "MAX_BODY_SIZE must be a number"),
        ("WECHAT_TIMEOUT", float("nan"), "WECHAT_TIMEOUT must be at least 0"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_its_key(key: str, value: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        Settings.from_config({key: value})


def test_the_robot_reads_its_settings_again_when_the_config_changes() -> None:
    robot = WeRoBot(token="t")
    first = robot.settings
    assert robot.settings is first  # built once ...
    robot.config["REPLY_DEADLINE"] = 1
    assert robot.settings.reply_deadline == 1.0  # ... and again after a change
    robot.config.update(DEDUP=False)
    assert robot.settings.dedup is False
    robot.config = Config(TOKEN="other")
    assert robot.settings.token == "other"
    robot.config["DEADLINE_STRATEGY"] = "never"
    with pytest.raises(ConfigError, match="DEADLINE_STRATEGY"):
        robot.settings  # noqa: B018


def test_a_bad_setting_is_logged_naming_the_key_never_a_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    robot = WeRoBot(token="t", SESSION_STORAGE=False, MAX_BODY_SIZE="big")
    from werobot_core.testing import post_request

    answer = robot.handle(post_request("t", make_xml(TextMessage, content="x")))
    assert answer.status == 200  # an internal error is never a 500 WeChat would retry
    assert "MAX_BODY_SIZE must be a number" in caplog.text


# -- Router ------------------------------------------------------------------------------------


def test_a_router_registers_with_the_robots_decorators_and_no_config() -> None:
    router = Router()

    @router.text
    def text(message: TextMessage) -> str:
        return "t"

    @router.filter("hi", re.compile(r"n(\d+)"))
    def filtered(message: TextMessage, session: Any, match: re.Match[str] | None) -> str:
        return f"f:{match.group(1) if match else '-'}"

    @router.key_click("K")
    def clicked() -> str:
        return "k"

    @router.handler
    def fallback() -> str:
        return "all"

    assert router.get_handlers("text") == [(text, 1), (filtered, 3), (filtered, 3), (fallback, 0)]
    assert router.get_handlers("click_event") == [(clicked, 0), (fallback, 0)]
    assert not hasattr(router, "config")


def test_include_router_serves_its_handlers_after_the_robots() -> None:
    robot = WeRoBot(token="t", SESSION_STORAGE=False)
    greetings, events = Router(), Router()

    @robot.text
    def own(message: TextMessage) -> str | None:
        return "own" if message.content == "own" else None

    @greetings.filter("hello")
    def hello() -> str:
        return "hi there"

    @events.subscribe
    def welcome() -> str:
        return "welcome"

    assert robot.include_router(greetings) is greetings
    greetings.include_router(events)

    @greetings.text  # registered after inclusion: seen all the same
    def late(message: TextMessage) -> str:
        return f"late:{message.content}"

    tester = WeTest(robot)
    for xml, expected in [
        (make_xml(TextMessage, content="own"), "own"),
        (make_xml(TextMessage, content="hello"), "hi there"),
        (make_xml(TextMessage, content="else"), "late:else"),
        (make_xml(SubscribeEvent), "welcome"),
    ]:
        reply = tester.send_xml(xml)
        assert reply is not None
        assert reply._args["content"] == expected
    with pytest.raises(ValueError, match="itself"):
        events.include_router(robot.router)


def test_an_error_hook_may_answer_the_user() -> None:
    robot = WeRoBot(token="t", SESSION_STORAGE=False)
    seen: list[str] = []

    @robot.text
    def broken(message: TextMessage) -> str:
        raise RuntimeError("model API down")

    @robot.error_handler
    def quiet(exc: BaseException, message: Any) -> None:
        seen.append(f"quiet:{exc}")

    @robot.error_handler
    def sorry(exc: BaseException, message: Any) -> str:
        return "sorry, try again"

    @robot.error_handler
    def never(exc: BaseException, message: Any) -> str:
        seen.append("never")
        return "unused"

    reply = WeTest(robot).send_xml(make_xml(TextMessage, content="x"))
    assert reply is not None
    assert reply._args["content"] == "sorry, try again"
    assert seen == ["quiet:model API down"]
    assert WeTest(robot).send_xml(make_xml(ClickEvent, key="x")) is None


# -- Engine ------------------------------------------------------------------------------------


def test_an_engine_is_built_from_config_alone() -> None:
    engine = Engine(Config(TOKEN="t", SESSION_STORAGE=False, DEADLINE_WORKERS=2))
    assert engine.session_storage is None
    assert engine.pool._max_workers == 2
    assert engine.dedup_store is engine.dedup_store
    assert engine.crypto is None
    child = Engine(Config(TOKEN="u"), namespace="wx1:", parent=engine)
    assert (child.pool, child.dedup_store) == (engine.pool, engine.dedup_store)
    message = TextMessage(source="o", target="gh", message_id=5)
    assert child.user_key(message) == "wx1:o"
    assert child.dedup_key(message) == "wx1:gh|5"
    assert engine.dedup_key(message) == "gh|5"
