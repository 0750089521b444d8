"""The robot, sessions and client as WeRoBot users' code and tests use them."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from werobot_client import Client, ClientException, check_error
from werobot_client import exceptions as e
from werobot_client.models import MenuInfo
from werobot_client.testing import FakeWeChat
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.session import SessionStorage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import WeTest, make_xml


def test_handlers_are_func_arity_pairs() -> None:
    robot = WeRoBot(SESSION_STORAGE=False)

    @robot.text
    def text_handler() -> str:
        return "Hi"

    @robot.handler
    def fallback(message: Any, session: Any) -> None:
        return None

    assert robot.get_handlers("text") == [(text_handler, 0), (fallback, 2)]
    [(func, arity), _] = robot.get_handlers("text")
    assert (func, arity) == (text_handler, 0)
    assert robot.get_handlers("text")[0].func is text_handler
    for type_ in robot.message_types:
        assert hasattr(robot, type_) or hasattr(robot, type_.removesuffix("_event"))
    assert {"text", "subscribe_event"} <= set(robot.message_types)


def test_make_error_page_is_the_error_page() -> None:
    robot = WeRoBot()
    assert "http://x/" in robot.make_error_page("http://x/")

    @robot.error_page
    def page(url: str) -> str:
        return f"喵 {url}"

    assert robot.make_error_page("u") == "喵 u"


def test_add_filter_errors_read_as_werobots() -> None:
    robot = WeRoBot(SESSION_STORAGE=False)
    with pytest.raises(ValueError, match="not callable") as not_callable:
        robot.add_filter("test", ["test"])  # type: ignore[arg-type]
    assert not_callable.value.args[0] == "test is not callable"
    with pytest.raises(ValueError, match="not list") as not_list:
        robot.add_filter(lambda: "x", "test")  # type: ignore[arg-type]
    assert not_list.value.args[0] == "test is not list"
    with pytest.raises(TypeError) as bad_rule:
        robot.add_filter(lambda: "x", [["bazinga"]])  # type: ignore[list-item]
    assert bad_rule.value.args[0] == "['bazinga'] is not a valid rule"
    robot.add_filter(lambda: "matched", ["test", re.compile(".*?啦")])
    tester = WeTest(robot)
    for content, expected in (("test", "matched"), ("我要测试啦", "matched"), ("我要测试", None)):
        reply = tester.send_xml(make_xml(TextMessage, content=content))
        assert (reply and reply._args["content"]) == expected


class DictStorage(SessionStorage):
    """A WeRoBot user's storage: no super().__init__(), a plain dict."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def get(self, id: str) -> Any:
        return self.data.get(id, {})

    def set(self, id: str, value: Any) -> None:
        self.data[id] = value

    def delete(self, id: str) -> None:
        self.data.pop(id, None)


def test_a_storage_subclass_as_werobot_users_wrote_them() -> None:
    storage = DictStorage()
    robot = WeRoBot(token="t", session_storage=storage)

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    tester = WeTest(robot)
    for expected in ("1", "2"):
        reply = tester.send_xml(make_xml(TextMessage, content="x"))
        assert reply is not None
        assert reply._args["content"] == expected
    assert storage.data == {"test_user": {"n": 2}}


def test_the_base_storage_raises_not_implemented_as_werobots() -> None:
    storage = SessionStorage()
    for call in (
        lambda: storage.get("s"),
        lambda: storage["s"],
        lambda: storage.set("s", {}),
        lambda: storage.__setitem__("s", {}),
        lambda: storage.delete("s"),
        lambda: storage.__delitem__("s"),
    ):
        with pytest.raises(NotImplementedError):
            call()


def test_storage_takes_any_json_value() -> None:
    storage = MemoryStorage()
    storage.set("喵", "喵喵")
    assert storage.get("喵") == "喵喵"
    storage["榴莲"] = ["榴莲", 1]
    assert storage["榴莲"] == ["榴莲", 1]
    del storage["榴莲"]
    assert storage["榴莲"] == {}


def test_saekvstorage_imports_and_says_what_it_needs() -> None:
    from werobot_core.session.saekvstorage import SaeKVDBStorage

    with pytest.raises(RuntimeError, match=r"sae\.kvdb"):
        SaeKVDBStorage()


@pytest.fixture
def wechat() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
def client(wechat: FakeWeChat) -> Iterator[Client]:
    http = httpx.Client(transport=wechat.transport())
    with Client({"APP_ID": "wx", "APP_SECRET": "s"}, http_client=http) as api, http:
        yield api


def test_answers_equal_the_dict_wechat_sent(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue("/cgi-bin/menu/create", {"errcode": 0, "errmsg": "ok"})
    assert client.create_menu({"button": []}) == {"errcode": 0, "errmsg": "ok"}
    wechat.queue("/cgi-bin/menu/get", {"menu": {"button": [{"name": "a"}]}, "extra": 1})
    menu = client.get_menu()
    assert isinstance(menu, MenuInfo)
    assert menu == {"menu": {"button": [{"name": "a"}]}, "extra": 1}
    assert menu != {"menu": {}}
    assert menu["extra"] == 1


def test_an_answer_missing_a_documented_field_does_not_raise(
    client: Client, wechat: FakeWeChat, caplog: pytest.LogCaptureFixture
) -> None:
    wechat.queue("/cgi-bin/media/upload", {"type": "image", "created_at": "not a number"})
    with caplog.at_level(logging.DEBUG, logger="werobot_client"):
        uploaded = client.upload_media("image", ("a.jpg", io.BytesIO(b"x")))
    assert uploaded.type == "image"
    assert uploaded.model_dump()["created_at"] is None
    assert uploaded["created_at"] == "not a number"
    assert "created_at" in caplog.text


def test_client_exception_as_werobot_raised_and_built_it(
    client: Client, wechat: FakeWeChat
) -> None:
    wechat.queue("/cgi-bin/menu/create", {"errcode": 1, "errmsg": "error"})
    with pytest.raises(ClientException) as caught:
        client.create_menu({"error": "error"})
    assert caught.value.args[0] == "1: error"
    assert str(ClientException("by hand")) == "by hand"
    assert ClientException("by hand").args == ("by hand",)
    assert ClientException("by hand").errcode is None


def test_check_error() -> None:
    ok = {"error_code": 0}
    assert check_error(ok) is ok
    with pytest.raises(ClientException) as caught:
        check_error({"errcode": 1, "errmsg": "test"})
    assert caught.value.args[0] == "1: test"
    with pytest.raises(e.APIUnauthorized):
        check_error({"errcode": 48001, "errmsg": "api unauthorized"})


def test_post_hands_named_files_to_request_as_werobot_did(
    client: Client, wechat: FakeWeChat, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []
    original = client.request

    def spy(**kwargs: Any) -> dict[str, Any]:
        seen.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(client, "request", spy)
    picture = tmp_path / "照片.png"
    picture.write_bytes(b"png")
    url = "https://api.weixin.qq.com/cgi-bin/media/uploadimg"
    with picture.open("rb") as f:
        client.post(url=url, files={"media": f})
    assert seen[0]["method"] == "post"
    [(name, file)] = [seen[0]["files"]["media"]]
    assert name.endswith("/%E7%85%A7%E7%89%87.png")
    assert file.closed
    [request] = wechat.api_requests
    assert b'filename="%E7%85%A7%E7%89%87.png"' in request.content  # the base name only
