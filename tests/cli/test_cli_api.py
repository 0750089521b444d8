"""``werobot menu push/pull`` and ``werobot token`` through ``httpx.MockTransport``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import yaml
from tests.cli.cli_support import invoke

from werobot_cli.services import Services

CREDENTIALS = ["--app-id", "wxfeedfacecafebeef", "--app-secret", "s3cret"]
MENU: dict[str, Any] = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": "搜索", "url": "https://www.example.com/"},
                {"type": "click", "name": "赞一下我们", "key": "V1001_GOOD"},
            ],
        },
    ]
}


class FakeApi:
    """WeChat's API on a MockTransport: grants T1, T2...; answers menu calls."""

    def __init__(self, menu: dict[str, Any] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.grants = 0
        self.menu = menu

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/cgi-bin/token":
            self.grants += 1
            return httpx.Response(200, json={"access_token": f"T{self.grants}", "expires_in": 7200})
        if path == "/cgi-bin/menu/create":
            self.menu = json.loads(request.content)
            return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})
        if path == "/cgi-bin/menu/get":
            if self.menu is None:
                return httpx.Response(200, json={"errcode": 46003, "errmsg": "menu no exist"})
            return httpx.Response(200, json={"menu": {**self.menu, "menuid": 208396938}})
        return httpx.Response(404)

    def services(self) -> Services:
        return Services(api_http=lambda: httpx.Client(transport=httpx.MockTransport(self.handle)))

    def calls(self, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == path]


def test_menu_push_json(tmp_path: Path) -> None:
    api = FakeApi()
    file = tmp_path / "menu.json"
    file.write_text(json.dumps(MENU, ensure_ascii=False), encoding="utf-8")
    result = invoke(["menu", "push", str(file), *CREDENTIALS], api.services())
    assert result.exit_code == 0, result.output
    assert "menu pushed: 2 button(s)" in result.output
    [create] = api.calls("/cgi-bin/menu/create")
    assert create.url.params["access_token"] == "T1"
    assert json.loads(create.content) == MENU
    assert "今日歌曲".encode() in create.content  # UTF-8, not \\u escapes


def test_menu_push_yaml(tmp_path: Path) -> None:
    api = FakeApi()
    file = tmp_path / "menu.yaml"
    file.write_text(yaml.safe_dump(MENU["button"], allow_unicode=True), encoding="utf-8")
    result = invoke(["menu", "push", str(file), *CREDENTIALS], api.services())
    assert result.exit_code == 0, result.output
    assert api.menu == MENU  # a bare list of buttons is wrapped in {"button": ...}


def test_menu_push_refuses_what_wechat_would_refuse(tmp_path: Path) -> None:
    api = FakeApi()
    bad = {"button": [{"type": "click", "name": "x"}, {"type": "view", "url": "https://e/"}]}
    file = tmp_path / "menu.json"
    file.write_text(json.dumps(bad), encoding="utf-8")
    result = invoke(["menu", "push", str(file), *CREDENTIALS], api.services())
    assert result.exit_code == 1
    assert "button[0]: a click button needs key" in result.output
    assert "button[1]: a button needs a name" in result.output
    assert api.requests == []


def test_menu_pull_prints_what_push_reads(tmp_path: Path) -> None:
    api = FakeApi(MENU)
    result = invoke(["menu", "pull", *CREDENTIALS], api.services())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == MENU  # menuid dropped
    file = tmp_path / "pulled.yml"
    result = invoke(["menu", "pull", *CREDENTIALS, str(file)], api.services())
    assert result.exit_code == 0
    assert yaml.safe_load(file.read_text(encoding="utf-8")) == MENU
    assert invoke(["menu", "push", str(file), *CREDENTIALS], api.services()).exit_code == 0
    assert api.menu == MENU


def test_menu_pull_reports_wechat_errors() -> None:
    result = invoke(["menu", "pull", *CREDENTIALS], FakeApi().services())
    assert result.exit_code == 1
    assert "46003: menu no exist" in result.output


def test_token_shows_a_granted_token() -> None:
    api = FakeApi()
    result = invoke(["token", *CREDENTIALS], api.services())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "T1"
    assert "valid for 7199 s more" in result.output or "valid for 7200 s more" in result.output
    assert api.grants == 1


@pytest.fixture
def redis_app_id() -> Iterator[str]:
    """A unique AppID whose token keys are deleted afterwards."""
    app_id = "wxcli" + uuid.uuid4().hex[:12]
    yield app_id
    client = redis.Redis()
    keys = client.keys(f"werobot:access_token:{app_id}*")
    if keys:
        client.delete(*keys)
    client.close()


def test_token_reads_and_refreshes_the_shared_redis_store(redis_app_id: str) -> None:
    api = FakeApi()
    args = [
        "token",
        "--app-id",
        redis_app_id,
        "--app-secret",
        "s",
        "--redis",
        "redis://127.0.0.1:6379/0",
    ]
    first = invoke(args, api.services())
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == "T1"
    assert "(in Redis)" in first.output
    again = invoke(args, api.services())
    assert again.stdout.splitlines()[0] == "T1"  # from Redis: no second grant
    assert api.grants == 1
    refreshed = invoke([*args, "--refresh"], api.services())
    assert refreshed.stdout.splitlines()[0] == "T2"
    assert "stays valid for about 5 minutes" in refreshed.output
    assert invoke(args, api.services()).stdout.splitlines()[0] == "T2"
