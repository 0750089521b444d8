"""``werobot events``: the model table, derived from ``MESSAGE_TYPES``."""

from __future__ import annotations

import json

from tests.cli.cli_support import invoke

from werobot_core import WeRoBot
from werobot_core.messages import MESSAGE_TYPES


def test_every_modelled_type_is_listed_once() -> None:
    rows = json.loads(invoke(["events", "--json"]).output)
    assert [r["class"] for r in rows] == [cls.__name__ for cls in MESSAGE_TYPES]
    assert len({r["type"] for r in rows}) == len(rows)


def test_each_listed_decorator_exists_on_a_robot() -> None:
    robot = WeRoBot(token="tok123", SESSION_STORAGE=False)
    rows = json.loads(invoke(["events", "--json"]).output)
    for row in rows:
        for decorator in row["decorators"]:
            assert callable(getattr(robot, decorator.removeprefix("@robot."))), decorator


def test_a_row_reads_like_the_spec() -> None:
    rows = {r["class"]: r for r in json.loads(invoke(["events", "--json"]).output)}
    location = rows["LocationEvent"]
    assert location["type"] == "location_event"
    assert location["msg_type"] == "event"
    assert location["event"] == "location"
    assert location["decorators"] == ["@robot.location_event"]
    assert location["fields"] == ["latitude", "longitude", "precision"]
    assert rows["ClickEvent"]["decorators"] == ["@robot.click", "@robot.click_event"]
    assert rows["TextMessage"]["event"] is None
    assert "content" in rows["TextMessage"]["fields"]
    assert "source" not in rows["TextMessage"]["fields"]  # common fields are left out
    assert rows["UnknownEvent"]["event"] == "(any other)"


def test_the_table_can_be_searched() -> None:
    result = invoke(["events", "scan"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "scancode_push_event" in result.output
    assert "@robot.scan " in result.output or "@robot.scan\n" in result.output
    assert "@robot.text" not in result.output
