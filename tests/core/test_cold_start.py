"""Cold start (issue 14): building a robot imports no model class, no event loop, no
crypto, no store; the first request imports what it needs and is answered as usual."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from werobot_core.messages import MESSAGE_TYPES, BaseEvent

#: What a robot that is only built must not have imported (the request path's own
#: imports, the client, and what serves no request at all).
NOT_AT_START = (
    "pydantic",
    "asyncio",
    "cryptography",
    "sqlite3",
    "concurrent.futures",
    "httpx",
    "werobot_client",
    "werobot_core.messages",
    "werobot_core.replies",
    "werobot_core.pipeline",
    "werobot_core.crypto",
)

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from werobot_core import WeRoBot

    robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)

    @robot.text
    def hello(message):
        return "Hello World!"

    @robot.subscribe
    def welcome(message):
        return "welcome"

    at_start = sorted(sys.modules)
    if "--serve" in sys.argv:
        robot.wsgi  # what gunicorn, robot.run() and the adapters build
    served = sorted(sys.modules)

    import hashlib, time
    from werobot_core import WeChatRequest
    timestamp, nonce = str(int(time.time())), "4242"
    signature = hashlib.sha1("".join(sorted(["tokenhere", timestamp, nonce])).encode()).hexdigest()
    body = (
        "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]>"
        "</FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        "<Content><![CDATA[hi]]></Content><MsgId>7</MsgId></xml>"
    ).encode()
    query = {"signature": signature, "timestamp": timestamp, "nonce": nonce}
    answer = robot.handle(WeChatRequest("POST", query, body))
    print(json.dumps({"at_start": at_start, "served": served, "status": answer.status,
                      "body": answer.body.decode(), "after": sorted(sys.modules)}))
    """
)


def _run(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_building_a_robot_imports_no_models_asyncio_crypto_or_stores() -> None:
    result = _run()
    at_start = result["at_start"]
    assert isinstance(at_start, list)
    loaded = [name for name in NOT_AT_START if name in at_start]
    assert loaded == []


def test_the_first_request_imports_what_it_needs_and_is_answered() -> None:
    result = _run()
    assert result["status"] == 200
    assert "<Content><![CDATA[Hello World!]]></Content>" in str(result["body"])
    after = result["after"]
    assert isinstance(after, list)
    assert "pydantic" in after
    assert "werobot_core.messages.events" in after
    # a sync robot's request path has no use for an event loop
    assert "asyncio" not in after


def test_serving_imports_the_request_path_before_the_first_request() -> None:
    result = _run("--serve")
    served = result["served"]
    assert isinstance(served, list)
    assert "werobot_core.pipeline" in served
    assert "werobot_core.messages.events" in served
    assert result["status"] == 200


def test_events_are_told_by_their_msg_type() -> None:
    # The dedup key tells an event by MSG_TYPE (importing no model class): that must
    # agree with the class hierarchy for every class.
    for cls in MESSAGE_TYPES:
        assert (cls.MSG_TYPE == "event") == issubclass(cls, BaseEvent), cls
