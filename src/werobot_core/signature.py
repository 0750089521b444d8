"""The SHA-1 signatures of the webhook and the TOKEN they are keyed with (SPEC §1).

WeChat signs a request with ``sha1("".join(sorted([token, timestamp, nonce])))`` in hex, and an
encrypted push additionally with the ``<Encrypt>`` text in the sorted list (``msg_signature``).
The order is lexicographic, not positional.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import re
import secrets
import string
from collections.abc import Callable
from typing import Any, cast

__all__ = ["check_signature", "check_token", "generate_token", "get_signature", "safe_equal"]

TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_MIN_LENGTH = 3
TOKEN_MAX_LENGTH = 32
_TOKEN_RE = re.compile(r"[A-Za-z0-9]{3,32}")


def _builtin_sha1() -> Callable[[bytes], Any]:
    """CPython's own SHA-1 when it has one, for the short input of ``check_signature``:
    hashlib's OpenSSL digest costs ~2k instructions more per call to set up, and wins only
    past ~200 bytes (``get_signature`` hashes the ciphertext, and keeps hashlib)."""
    try:
        return cast("Callable[[bytes], Any]", importlib.import_module("_sha1").sha1)
    except (ImportError, AttributeError):
        return hashlib.sha1


_sha1 = _builtin_sha1()
_compare = hmac.compare_digest


def get_signature(*parts: str) -> str:
    """Return the hex SHA-1 of the lexicographically sorted ``parts`` concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def safe_equal(expected: str, given: str) -> bool:
    """Compare two signatures in constant time; ``False`` for a non-ASCII ``given``."""
    if not given.isascii():
        return False
    return hmac.compare_digest(expected, given)


def check_signature(
    token: str | None, timestamp: str | None, nonce: str | None, signature: str | None
) -> bool:
    """Tell whether ``signature`` is the signature of ``timestamp`` and ``nonce`` under ``token``.

    The comparison is constant-time. Any missing (``None``) or empty input gives ``False``.
    """
    if not (token and timestamp and nonce and signature and signature.isascii()):
        return False
    parts = [token, timestamp, nonce]
    parts.sort()  # get_signature and safe_equal, inlined: this runs on every request
    return _compare(_sha1("".join(parts).encode("utf-8")).hexdigest(), signature)


def generate_token(length: int = 32) -> str:
    """Return a random TOKEN of ``length`` letters and digits (WeChat accepts 3 to 32)."""
    if not TOKEN_MIN_LENGTH <= length <= TOKEN_MAX_LENGTH:
        raise ValueError(
            f"token length must be between {TOKEN_MIN_LENGTH} and {TOKEN_MAX_LENGTH}, got {length}"
        )
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(length))


def check_token(token: str) -> bool:
    """Tell whether ``token`` is a TOKEN WeChat accepts: 3 to 32 ASCII letters and digits."""
    return isinstance(token, str) and _TOKEN_RE.fullmatch(token) is not None
