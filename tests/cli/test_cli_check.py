"""``werobot check``: each problem found against a real robot, and the fix it names."""

from __future__ import annotations

import httpx
import pytest
from tests.cli.cli_support import CLI_AES_KEY, CLI_APP_ID, CLI_TOKEN, OTHER_AES_KEY, invoke

from werobot_cli.findings import check_aes_key, check_app_id, check_token
from werobot_cli.services import Services


def test_a_correct_plaintext_setup_is_all_good(plain_url: str) -> None:
    result = invoke(["check", "--token", CLI_TOKEN, "--url", plain_url])
    assert result.exit_code == 0, result.output
    assert "✓ URL verification: echostr echoed" in result.output
    assert "✓ a plaintext push was answered (200" in result.output
    assert "all good" in result.output


def test_a_correct_safe_mode_setup_is_all_good(safe_url: str) -> None:
    args = ["check", "--token", CLI_TOKEN, "--app-id", CLI_APP_ID, "--aes-key", CLI_AES_KEY]
    result = invoke([*args, "--url", safe_url])
    assert result.exit_code == 0, result.output
    assert "✓ an encrypted push was answered" in result.output


def test_a_wrong_aes_key_is_found(safe_url: str) -> None:
    args = ["check", "--token", CLI_TOKEN, "--app-id", CLI_APP_ID, "--aes-key", OTHER_AES_KEY]
    result = invoke([*args, "--url", safe_url])
    assert result.exit_code == 1
    assert "✓ URL verification" in result.output  # the GET does not involve the key
    assert "✗ the robot could not decrypt the push: its ENCODING_AES_KEY differs" in result.output
    assert "fix: use the same ENCODING_AES_KEY here" in result.output
    assert "1 problem(s) found" in result.output


def test_a_wrong_app_id_is_found(safe_url: str) -> None:
    args = ["check", "--token", CLI_TOKEN, "--app-id", "wx0000000000000000", "--aes-key"]
    result = invoke([*args, CLI_AES_KEY, "--url", safe_url])
    assert result.exit_code == 1
    assert "the robot expects another APP_ID" in result.output


def test_a_wrong_token_is_found(plain_url: str) -> None:
    result = invoke(["check", "--token", "otherToken1", "--url", plain_url])
    assert result.exit_code == 1
    assert "✗ the robot refused the signature: its TOKEN differs" in result.output
    assert "fix: use the same TOKEN here, in the robot and in WeChat's console" in result.output


def test_keys_for_a_robot_without_keys(plain_url: str) -> None:
    args = ["check", "--token", CLI_TOKEN, "--app-id", CLI_APP_ID, "--aes-key", CLI_AES_KEY]
    result = invoke([*args, "--url", plain_url])
    assert result.exit_code == 1
    assert "the robot has no AES key for encrypted pushes" in result.output


def test_nothing_listening_names_the_fix() -> None:
    result = invoke(["check", "--token", CLI_TOKEN, "--url", "http://127.0.0.1:9/"])
    assert result.exit_code == 1
    assert "URL verification failed: cannot connect" in result.output
    assert "fix: start the robot" in result.output


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("", "TOKEN is empty"),
        ("ab", "TOKEN has 2 characters; WeChat accepts 3 to 32"),
        ("my-token_1", "TOKEN has characters WeChat refuses: '-' '_'"),
        (" spaced ", "whitespace"),
        ("x" * 33, "TOKEN has 33 characters"),
    ],
)
def test_token_problems(token: str, expected: str) -> None:
    [finding] = [f for f in check_token(token) if expected in f.message]
    assert finding.level == "error"
    assert finding.fix


def test_a_good_token() -> None:
    assert [f.level for f in check_token("Abc123")] == ["ok"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (CLI_AES_KEY[:42], "ENCODING_AES_KEY has 42 characters, not 43 (1 missing"),
        (CLI_AES_KEY + "=", "44 characters ending in '='"),
        (CLI_AES_KEY[:40] + "-_.", "ENCODING_AES_KEY is not base64: '-' '.' '_'"),
        (" " + CLI_AES_KEY, "whitespace"),
    ],
)
def test_aes_key_problems(key: str, expected: str) -> None:
    found = check_aes_key(key, CLI_APP_ID)
    assert [f.level for f in found if expected in f.message] == ["error"]


def test_an_aes_key_needs_an_app_id() -> None:
    found = check_aes_key(CLI_AES_KEY, None)
    assert [(f.subject, f.level) for f in found] == [("APP_ID", "error")]


def test_app_id_shape() -> None:
    assert check_app_id(CLI_APP_ID)[0].level == "ok"
    assert check_app_id("1234")[0].level == "warn"


def test_offline_problems_skip_the_round_trip(plain_url: str) -> None:
    result = invoke(["check", "--token", "bad-token", "--aes-key", "short", "--url", plain_url])
    assert result.exit_code == 1
    assert "URL verification" not in result.output
    assert "3 problem(s) found" in result.output  # token, key length, missing APP_ID


def _api(answer: dict[str, object], seen: list[httpx.Request]) -> Services:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    return Services(api_http=lambda: httpx.Client(transport=httpx.MockTransport(handler)))


def test_the_token_grant_succeeds() -> None:
    seen: list[httpx.Request] = []
    services = _api({"access_token": "T0KEN", "expires_in": 7200}, seen)
    args = ["check", "--token", CLI_TOKEN, "--app-id", CLI_APP_ID, "--app-secret", "s3cret"]
    result = invoke(args, services)
    assert result.exit_code == 0, result.output
    assert "✓ access token granted (valid 7200 s)" in result.output
    [request] = seen
    assert request.url.path == "/cgi-bin/token"
    assert request.url.params["appid"] == CLI_APP_ID
    assert request.url.params["secret"] == "s3cret"


@pytest.mark.parametrize(
    ("errcode", "fix"),
    [
        (40125, "APP_SECRET is wrong or was reset"),
        (40013, "APP_ID is wrong"),
        (40164, "IP白名单"),
    ],
)
def test_the_token_grant_failure_names_the_fix(errcode: int, fix: str) -> None:
    services = _api({"errcode": errcode, "errmsg": "refused"}, [])
    args = ["check", "--token", CLI_TOKEN, "--app-id", CLI_APP_ID, "--app-secret", "wrong"]
    result = invoke(args, services)
    assert result.exit_code == 1
    assert f"the token grant failed: {errcode}: refused" in result.output
    assert fix in result.output.replace("\n", "")
