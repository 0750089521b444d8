"""``werobot token --quota/--rid/--clear-quota/--stable`` and ``werobot check``'s fixes for
45009 (a daily quota used up) and 40164 (IP not whitelisted), on ``httpx.MockTransport``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from tests.cli.cli_support import CLI_APP_ID, CLI_TOKEN, invoke

from werobot_cli.services import Services

CREDENTIALS = ["--app-id", CLI_APP_ID, "--app-secret", "s3cret"]
RID = "61725984-6126f6f9-040f19c4"
IP_ERROR = f"invalid ip 113.118.75.130 ipv6 ::ffff:113.118.75.130, not in whitelist rid: {RID}"


class Api:
    """WeChat's API: a token grant answered ``grant``; quota and rid lookups."""

    def __init__(self, grant: dict[str, Any] | None = None) -> None:
        self.grant = grant or {"access_token": "T1", "expires_in": 7200}
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path in ("/cgi-bin/token", "/cgi-bin/stable_token"):
            return httpx.Response(200, json=self.grant)
        if path == "/cgi-bin/openapi/quota/get":
            quota = {"daily_limit": 2000, "used": 2000, "remain": 0}
            return httpx.Response(
                200, json={"quota": quota, "rate_limit": {"call_count": 10, "refresh_second": 1}}
            )
        if path == "/cgi-bin/openapi/rid/get":
            request_info = {
                "invoke_time": 1635156704,
                "cost_in_ms": 30,
                "request_url": "access_token=xx",
                "request_body": "",
                "response_body": '{"errcode":40164,"errmsg":"invalid ip"}',
                "client_ip": "113.118.75.130",
            }
            return httpx.Response(200, json={"request": request_info})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    def services(self) -> Services:
        return Services(api_http=lambda: httpx.Client(transport=httpx.MockTransport(self.handle)))

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


def test_token_quota_shows_the_quota_of_an_api() -> None:
    api = Api()
    result = invoke(
        ["token", *CREDENTIALS, "--quota", "/cgi-bin/message/custom/send"], api.services()
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "T1"
    assert lines[1] == "/cgi-bin/message/custom/send: 2000 of 2000 calls used today, 0 left"
    assert lines[2] == "/cgi-bin/message/custom/send: at most 10 calls per 1 s"
    assert json.loads(api.requests[1].content) == {"cgi_path": "/cgi-bin/message/custom/send"}


def test_token_rid_shows_the_failed_call_and_the_ip_to_whitelist() -> None:
    api = Api()
    result = invoke(["token", *CREDENTIALS, "--rid", RID], api.services())
    assert result.exit_code == 0, result.output
    assert f"rid {RID}:" in result.stdout
    assert "from 113.118.75.130" in result.stdout
    assert "fix: add 113.118.75.130 under IP白名单" in result.stdout
    assert json.loads(api.requests[1].content) == {"rid": RID}


def test_token_clear_quota_resets_by_app_secret_before_the_grant() -> None:
    api = Api()
    result = invoke(["token", *CREDENTIALS, "--clear-quota"], api.services())
    assert result.exit_code == 0, result.output
    assert "quotas reset (clear_quota/v2)" in result.output
    assert api.paths() == ["/cgi-bin/clear_quota/v2", "/cgi-bin/token"]
    assert json.loads(api.requests[0].content) == {"appid": CLI_APP_ID, "appsecret": "s3cret"}
    assert "access_token" not in api.requests[0].url.params


def test_token_stable_uses_stable_token() -> None:
    api = Api()
    result = invoke(["token", *CREDENTIALS, "--stable", "--refresh"], api.services())
    assert result.exit_code == 0, result.output
    assert api.paths() == ["/cgi-bin/stable_token"]


@pytest.mark.parametrize(
    ("grant", "fix"),
    [
        ({"errcode": 45009, "errmsg": "reach max api daily quota limit"}, "--clear-quota"),
        ({"errcode": 40164, "errmsg": IP_ERROR}, "add 113.118.75.130"),
        ({"errcode": 40164, "errmsg": IP_ERROR}, f"werobot token --rid {RID}"),
    ],
)
def test_token_and_check_name_the_fix_of_a_failed_grant(grant: dict[str, Any], fix: str) -> None:
    result = invoke(["token", *CREDENTIALS], Api(grant).services())
    assert result.exit_code == 1
    assert fix in result.output.replace("\n", "")
    args = ["check", "--token", CLI_TOKEN, *CREDENTIALS]
    result = invoke(args, Api(grant).services())
    assert result.exit_code == 1
    assert fix in result.output.replace("\n", "")
