"""The checks of ``werobot check`` that talk to something: the robot's URL and WeChat's API."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from werobot_cli.findings import CONSOLE, Finding
from werobot_cli.wire import CUTOFF, Account, Exchange, deliver, verify_url
from werobot_core.testing import signed_query
from werobot_core.xmlcodec import render_xml

if TYPE_CHECKING:
    from werobot_client import Client, ClientException

ClientFactory = Callable[[Mapping[str, Any]], AbstractContextManager["Client"]]

__all__ = [
    "check_grant",
    "check_push",
    "check_replay_window",
    "check_url",
    "check_verification",
    "grant_fix",
]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_CREDENTIAL_FIXES = {
    40013: f"APP_ID is wrong: copy the AppID from {CONSOLE}",
    40125: f"APP_SECRET is wrong or was reset: reset it in {CONSOLE} and copy it",
    40001: f"APP_SECRET is wrong or was reset: reset it in {CONSOLE} and copy it",
    40164: "this machine's IP is not whitelisted: add it under IP白名单 in WeChat's console",
    45009: (
        "the daily quota of /cgi-bin/token is used up (often a loop granting tokens): reset it "
        "with `werobot token --clear-quota` (clear_quota/v2, by AppSecret, 10 times a month) and "
        "cache the token (one grant per 2 hours is enough)"
    ),
}
_IP = re.compile(r"invalid ip ([0-9a-fA-F.:]+)")
_RID = re.compile(r"rid: ?([0-9a-fA-F-]+)")


def grant_fix(error: ClientException) -> str:
    """How to fix a failed token grant, with the IP and rid WeChat's errmsg names."""
    if error.errcode is None:
        return "check that this machine reaches api.weixin.qq.com (proxy, firewall)"
    fix = _CREDENTIAL_FIXES.get(error.errcode, "see WeChat's errmsg above")
    ip = _IP.search(error.errmsg or "")
    if error.errcode == 40164 and ip:
        fix = f"add {ip.group(1)} (this machine, as WeChat sees it) under IP白名单 in {CONSOLE}"
    rid = _RID.search(error.errmsg or "")
    if rid:
        fix += f"; from a whitelisted machine, `werobot token --rid {rid.group(1)}` shows the call"
    return fix


def check_url(url: str) -> list[Finding]:
    """The URL's shape: http(s), and a port WeChat pushes to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fix = "give the full URL, e.g. https://example.com/wechat"
        return [Finding("error", "URL", f"{url!r} is not an http(s) URL", fix)]
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.hostname in _LOOPBACK:
        note = "WeChat cannot reach a loopback address: fine for local testing"
        return [Finding("ok", "URL", f"{url} ({note})")]
    if port not in (80, 443):
        fix = "put the robot behind nginx on port 80 or 443 (see the deployment guide)"
        return [Finding("warn", "URL", f"WeChat only pushes to port 80 or 443, not {port}", fix)]
    return [Finding("ok", "URL", f"{url} is a URL WeChat can push to")]


def check_verification(http: httpx.Client, account: Account) -> list[Finding]:
    """The GET WeChat sends when the URL is saved: 200 and the echostr, verbatim."""
    result = verify_url(http, account)
    ms = f"{result.latency * 1000:.0f} ms"
    if result.ok:
        return [Finding("ok", "URL", f"URL verification: echostr echoed ({ms})")]
    if result.error is not None:
        fix = "start the robot (werobot run bot.py) or correct the URL"
        return [Finding("error", "URL", f"URL verification failed: {result.error}", fix)]
    if result.status == 403:
        fix = "use the same TOKEN here, in the robot and in WeChat's console"
        return [
            Finding("error", "TOKEN", "the robot refused the signature: its TOKEN differs", fix)
        ]
    got = f"{result.status} {result.body[:80]!r}"
    fix = "the URL must reach the robot itself, which echoes echostr as plain text"
    return [
        Finding("error", "URL", f"URL verification: expected 200 and the echostr, got {got}", fix)
    ]


#: How old the signed timestamp of the replay probe is: far outside any sane window.
REPLAY_AGE = 3600


def check_replay_window(http: httpx.Client, account: Account) -> list[Finding]:
    """Whether the robot refuses a request signed an hour ago (``TIMESTAMP_TOLERANCE``).

    The probe is the harmless verification GET with an old, correctly signed timestamp:
    a robot with the window on answers 403, one without it echoes ``echostr``.
    """
    old = str(int(time.time()) - REPLAY_AGE)
    query = {**signed_query(account.token, old), "echostr": "werobot-check-replay"}
    url = httpx.URL(account.url).copy_merge_params(query)
    try:
        response = http.get(url, headers={"User-Agent": "Mozilla/4.0"}, timeout=CUTOFF)
    except httpx.HTTPError:
        return []  # the verification above already reported a connection problem
    if response.status_code == 403:
        message = "the robot refuses a request signed an hour ago (TIMESTAMP_TOLERANCE is on)"
        return [Finding("ok", "TIMESTAMP_TOLERANCE", message)]
    if response.status_code == 200:
        fix = (
            'set robot.config["TIMESTAMP_TOLERANCE"] = 300 (seconds) so a captured push'
            " cannot be replayed later (see the deployment guide)"
        )
        message = (
            "the robot accepts a request signed an hour ago: TIMESTAMP_TOLERANCE is off,"
            " so a captured push can be replayed"
        )
        return [Finding("warn", "TIMESTAMP_TOLERANCE", message, fix)]
    return []


def _probe_xml() -> str:
    fields: list[tuple[str, Any]] = [
        ("ToUserName", "gh_werobot_check"),
        ("FromUserName", "o_werobot_check"),
        ("CreateTime", int(time.time())),
        ("MsgType", "werobot_check"),
        ("MsgId", time.time_ns() // 1000),
        ("Content", "werobot check"),
    ]
    return render_xml(fields).decode("utf-8")


def _push_failure(account: Account, exchange: Exchange) -> Finding:
    body = exchange.body.decode("utf-8", "replace").lower()
    status, safe = exchange.status, account.safe_mode
    if status == 500 and safe:
        fix = (
            "set APP_ID and ENCODING_AES_KEY in the robot, or choose plaintext mode in the console"
        )
        return Finding(
            "error", "ENCODING_AES_KEY", "the robot has no AES key for encrypted pushes", fix
        )
    if status == 400 and safe:
        fix = f"use the same ENCODING_AES_KEY here, in the robot and in {CONSOLE}"
        return Finding(
            "error",
            "ENCODING_AES_KEY",
            "the robot could not decrypt the push: its ENCODING_AES_KEY differs",
            fix,
        )
    if status == 403 and "appid" in body:
        fix = "use the same APP_ID here and in the robot"
        return Finding(
            "error", "APP_ID", "the robot expects another APP_ID inside encrypted pushes", fix
        )
    if status == 403:
        fix = "use the same TOKEN here, in the robot and in WeChat's console"
        return Finding(
            "error", "TOKEN", "the robot refused the push's signature: its TOKEN differs", fix
        )
    fix = "see the robot's log for the reason"
    return Finding("error", "push", f"a push was refused: {exchange.error}", fix)


def check_push(http: httpx.Client, account: Account) -> list[Finding]:
    """POST one harmless push (an unmodelled MsgType) in the account's mode; read the answer."""
    xml = _probe_xml()
    exchange = deliver(http, account, account.request(xml, "o_werobot_check"), xml)
    mode = "an encrypted" if account.safe_mode else "a plaintext"
    if exchange.status is None:
        fix = "answer within 5 s; slow work belongs after the reply (see DEADLINE_STRATEGY)"
        return [Finding("error", "push", f"{mode} push: {exchange.error}", fix)]
    if exchange.status != 200:
        return [_push_failure(account, exchange)]
    if exchange.error is not None:
        fix = "the robot and this check must share TOKEN and ENCODING_AES_KEY"
        return [Finding("error", "reply", exchange.error, fix)]
    found = [
        Finding("ok", "push", f"{mode} push was answered (200, {exchange.latency * 1000:.0f} ms)")
    ]
    found += [Finding("warn", "reply", note) for note in exchange.notes]
    return found


def check_grant(client_factory: ClientFactory, config: Mapping[str, Any]) -> list[Finding]:
    """Ask WeChat for an access token with APP_ID and APP_SECRET."""
    from werobot_client import ClientException

    with client_factory(config) as client:
        try:
            granted = client.grant_token()
        except ClientException as exc:
            message = f"the token grant failed: {exc}"
            return [Finding("error", "APP_SECRET", message, grant_fix(exc))]
    message = f"access token granted (valid {granted.expires_in} s)"
    return [Finding("ok", "APP_SECRET", message)]
