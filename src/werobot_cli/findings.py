"""What ``werobot check`` finds: one :class:`Finding` per fact, each error naming its fix.

The offline checks (TOKEN, ENCODING_AES_KEY, APP_ID) are pure functions; the round trips
(URL verification, an encrypted push, the token grant) take an HTTP client.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal

from werobot_core.exceptions import InvalidEncodingAESKey
from werobot_core.signature import TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH, generate_token

__all__ = ["CONSOLE", "Finding", "check_aes_key", "check_app_id", "check_token"]

Level = Literal["ok", "warn", "error"]

#: Where the server settings live in WeChat's console.
CONSOLE = "WeChat's console (设置与开发 › 基本配置 › 服务器配置)"
_BASE64 = frozenset(string.ascii_letters + string.digits + "+/")
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits)
_APP_ID = re.compile(r"wx[0-9a-f]{16}")


@dataclass(frozen=True)
class Finding:
    """One fact about the setup: ``subject`` (TOKEN, URL...), what was found, the fix."""

    level: Level
    subject: str
    message: str
    fix: str | None = None


def _odd_chars(value: str, allowed: frozenset[str]) -> str:
    odd = sorted({c for c in value if c not in allowed})
    return " ".join(repr(c) for c in odd)


def check_token(token: str) -> list[Finding]:
    """TOKEN: 3 to 32 ASCII letters and digits, nothing else."""
    example = generate_token()
    fix = f"use 3-32 letters and digits, the same in {CONSOLE} and in the robot, e.g. {example}"
    if not token:
        return [Finding("error", "TOKEN", "TOKEN is empty", fix)]
    if token != token.strip():
        return [
            Finding(
                "error",
                "TOKEN",
                "TOKEN starts or ends with whitespace (a copy-paste slip?)",
                "remove the whitespace, here and in the robot's config",
            )
        ]
    found = []
    odd = _odd_chars(token, _TOKEN_CHARS)
    if odd:
        found.append(Finding("error", "TOKEN", f"TOKEN has characters WeChat refuses: {odd}", fix))
    if not TOKEN_MIN_LENGTH <= len(token) <= TOKEN_MAX_LENGTH:
        accepted = f"{TOKEN_MIN_LENGTH} to {TOKEN_MAX_LENGTH}"
        message = f"TOKEN has {len(token)} characters; WeChat accepts {accepted}"
        found.append(Finding("error", "TOKEN", message, fix))
    return found or [Finding("ok", "TOKEN", f"TOKEN: {len(token)} letters and digits")]


def _key_length_finding(key: str) -> Finding | None:
    if len(key) == 43:
        return None
    if len(key) == 44 and key.endswith("="):
        return Finding(
            "error",
            "ENCODING_AES_KEY",
            "ENCODING_AES_KEY has 44 characters ending in '=' (the base64 padding)",
            "drop the final '=': WeChat's key is the 43 characters shown in the console",
        )
    message = f"ENCODING_AES_KEY has {len(key)} characters, not 43"
    if len(key) < 43:
        message += f" ({43 - len(key)} missing: cut off while copying?)"
    fix = f"copy the whole EncodingAESKey from {CONSOLE}, or generate a new one there"
    return Finding("error", "ENCODING_AES_KEY", message, fix)


def check_aes_key(key: str, app_id: str | None) -> list[Finding]:
    """ENCODING_AES_KEY: 43 base64 characters that decode to 32 bytes; needs APP_ID."""
    subject = "ENCODING_AES_KEY"
    if key != key.strip():
        fix = "remove the whitespace, here and in the robot's config"
        return [Finding("error", subject, f"{subject} starts or ends with whitespace", fix)]
    found = []
    odd = _odd_chars(key.rstrip("="), _BASE64)
    if odd:
        fix = f"copy the key again from {CONSOLE}: it has only letters, digits, '+' and '/'"
        found.append(Finding("error", subject, f"{subject} is not base64: {odd}", fix))
    length = _key_length_finding(key)
    if length is not None:
        found.append(length)
    if not found:
        from werobot_core.crypto import decode_aes_key

        try:
            decode_aes_key(key)
        except InvalidEncodingAESKey as exc:
            found.append(Finding("error", subject, str(exc), f"generate a new key in {CONSOLE}"))
    if not app_id:
        fix = "pass --app-id (APP_ID): the AppId is part of every encrypted message"
        found.append(Finding("error", "APP_ID", "safe mode needs APP_ID too", fix))
    return found or [Finding("ok", subject, f"{subject}: 43 characters, a 32-byte AES key")]


def check_app_id(app_id: str) -> list[Finding]:
    """APP_ID: ``wx`` and 16 hexadecimal digits, as WeChat issues them."""
    if _APP_ID.fullmatch(app_id):
        return [Finding("ok", "APP_ID", f"APP_ID {app_id} is well formed")]
    return [
        Finding(
            "warn",
            "APP_ID",
            f"APP_ID {app_id!r} does not look like wx + 16 hexadecimal digits",
            f"copy the AppID (开发者ID) from {CONSOLE.replace(' › 服务器配置', '')}",
        )
    ]
