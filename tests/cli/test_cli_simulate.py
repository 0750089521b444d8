"""``werobot simulate``: one push to a robot served on 127.0.0.1, plain and safe mode."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.cli.cli_support import CLI_AES_KEY, CLI_APP_ID, CLI_TOKEN, Serve, free_port, invoke

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.testing import make_xml

SAFE = ["--app-id", CLI_APP_ID, "--aes-key", CLI_AES_KEY]


def test_text_in_plaintext_mode_prints_the_typed_reply(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "text", "hello", "world"])
    assert result.exit_code == 0, result.output
    assert "(plaintext)" in result.output
    assert "← 200 in " in result.output
    assert "TextReply (text)" in result.output
    assert "content: echo: hello world" in result.output


def test_text_in_safe_mode_is_encrypted_both_ways(safe_url: str) -> None:
    args = ["simulate", safe_url, "--token", CLI_TOKEN, *SAFE, "--xml", "text", "secret"]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert "safe mode, encrypted" in result.output
    assert "encrypted reply, MsgSignature verified" in result.output
    assert "content: echo: secret" in result.output
    sent = result.output.split("→ body as sent", 1)[1].split("←", 1)[0]
    assert "<Encrypt>" in sent
    assert "secret" not in sent


def test_safe_mode_json_reports_the_decrypted_reply(safe_url: str) -> None:
    result = invoke(["simulate", safe_url, "--token", CLI_TOKEN, *SAFE, "--json", "click", "NEWS"])
    assert result.exit_code == 0, result.output
    [delivery] = json.loads(result.output)["deliveries"]
    assert delivery["status"] == 200
    assert delivery["encrypted_reply"] is True
    assert delivery["reply"]["kind"] == "news"
    assert delivery["reply"]["fields"]["articles"][0]["title"] == "Breaking"
    assert "<MsgType><![CDATA[news]]></MsgType>" in delivery["reply_xml"]


def test_compat_mode_sends_plaintext_fields_beside_encrypt(safe_url: str) -> None:
    args = ["simulate", safe_url, "--token", CLI_TOKEN, *SAFE, "--compat", "text", "hi"]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert "content: echo: hi" in result.output


def test_music_reply_from_a_location_with_negative_coordinates(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "location", "-33.86", "151.2"])
    assert result.exit_code == 0, result.output
    assert "MusicReply (music)" in result.output
    assert "description: at -33.86,151.2" in result.output


def test_subscribe_event(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "subscribe", "42"])
    assert "content: welcome!" in result.output


def test_xml_file_is_sent_as_is(plain_url: str, tmp_path: Path) -> None:
    push = tmp_path / "push.xml"
    push.write_text(make_xml(TextMessage, content="from a file"), encoding="utf-8")
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "xml", str(push)])
    assert "content: echo: from a file" in result.output


def test_no_reply_is_reported(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "unsubscribe"])
    assert result.exit_code == 0
    assert "no reply (an empty 200" in result.output


def test_wrong_token_fails_with_the_reason(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", "wrongToken", "text", "hi"])
    assert result.exit_code == 1
    assert "← 403" in result.output
    assert "refused the signature" in result.output


def test_verify_echoes_the_echostr(plain_url: str) -> None:
    ok = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "--verify"])
    assert ok.exit_code == 0
    assert "URL verified" in ok.output
    bad = invoke(["simulate", plain_url, "--token", "wrongToken", "--verify"])
    assert bad.exit_code == 1
    assert "TOKEN differs" in bad.output


def test_usage_errors_name_the_expected_words(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "click"])
    assert result.exit_code == 2
    assert "click KEY" in result.output
    unknown = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "dance"])
    assert unknown.exit_code == 2
    assert "unknown kind" in unknown.output
    short_key = invoke(["simulate", plain_url, "--token", CLI_TOKEN, *SAFE[:3], "abc", "text"])
    assert short_key.exit_code == 2
    assert "43 characters" in short_key.output


def test_nothing_listening() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = invoke(["simulate", url, "--token", CLI_TOKEN, "text", "hi"])
    assert result.exit_code == 1
    assert "cannot connect" in result.output


def test_retries_a_fast_robot_answers_the_first_delivery(plain_url: str) -> None:
    result = invoke(["simulate", plain_url, "--token", CLI_TOKEN, "--retries", "text", "hi"])
    assert result.exit_code == 0, result.output
    assert "delivery 1 got the answer" in result.output
    assert "delivery 2" not in result.output


def test_retries_replay_the_same_push_after_a_cut_off(serve_robot: Serve) -> None:
    """The first run is slower than the cut-off; WeChat's second delivery gets the answer."""
    robot = WeRoBot(token=CLI_TOKEN, SESSION_STORAGE=False, WECHAT_TIMEOUT=0.5)
    pushes: list[tuple[int, str]] = []

    @robot.text
    def slow_once(message: TextMessage) -> str:
        pushes.append((message.message_id, message.raw))
        if len(pushes) == 1:
            time.sleep(0.8)
        return "finally"

    url = serve_robot(robot)
    args = ["simulate", url, "--token", CLI_TOKEN, "--retries", "--cutoff", "0.5"]
    result = invoke([*args, "--retry-interval", "0.5", "text", "hi"])
    assert result.exit_code == 0, result.output
    assert "delivery 1: ✗ cut off: no answer within 0.5 s" in result.output
    assert "delivery 2 got the answer" in result.output
    assert "content: finally" in result.output
    assert len({raw for _, raw in pushes}) == 1  # every delivery carried the same push
